"""nbgrader configuration for this repository's course layout.

nbgrader is run from this folder (``autograder/``). Source notebooks live in ``solutions/``,
the student release is written to ``course/``. The gradebook and the exchange live in the
system temp folder, never in a tracked folder; ``autograder.make_course`` and the grader
override ``db_url`` with a path of their own.
"""

import os
import tempfile

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SCRATCH = os.path.join(tempfile.gettempdir(), "nnkit-nbgrader")
os.makedirs(_SCRATCH, exist_ok=True)  # sqlite does not create the folder of its file

c.CourseDirectory.root = _REPO_ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_SCRATCH, "gradebook.db")
# nbgrader's Gradebook default; with "" assignments name no course, which PostgreSQL refuses (a foreign key)
c.CourseDirectory.course_id = "default_course"
c.Exchange.root = os.path.join(_SCRATCH, "exchange")
