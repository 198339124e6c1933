"""The grader's bounds on what it reads, in one place (the README lists them).

Checked while reading, before anything runs: a submission beyond a per-notebook bound is
that learner's "malformed notebook"; the class-wide bounds protect the grader's own memory
and disk from a zip bomb or a flood of files.
"""

MIB = 2**20

MAX_NOTEBOOK_BYTES = 20 * MIB     # one submitted notebook file (a zip member: its expanded size)
MAX_INPUT_BYTES = 1024 * MIB      # all notebooks of one run together, as read (expanded)
MAX_ENTRIES = 20_000              # files, folders or zip members in one input
MAX_ZIP_RATIO = 100               # a zip member past 1 MiB may expand at most this much (notebooks: ~3x)
MAX_CELLS = 2_000                 # cells in one notebook
MAX_SOURCE_CHARS = 2_000_000      # text of one notebook's cells together, outputs excluded (a unit: ~40,000)
MAX_JSON_DEPTH = 64               # nesting of a notebook's JSON (the format itself needs about 8)

# The feedback page shows at most this much of one notebook; the rest is summarised in a line.
# (Rendering costs ~0.4 ms per line of code: nbconvert highlights and then cleans every cell.)
FEEDBACK_MAX_CELLS = 500
FEEDBACK_MAX_CHARS = 100_000      # cell text and output text together
FEEDBACK_MAX_CELL_CHARS = 10_000  # one cell's text, or one output's
