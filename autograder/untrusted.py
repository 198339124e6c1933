"""Text that a submission controls, made safe for where it goes: the terminal, the CSV, stored results.

A submission controls its file names, its cells and whatever its kernel prints, and that text
reaches the instructor's terminal, spreadsheet and browser. Three cleaners, one per sink:
- ``printable``: for the terminal and logs; control characters (escape sequences, carriage
  returns, bidirectional overrides) and unencodable code points are shown as ``\\x1b``-style escapes;
- ``csv_cell``: for grades.csv; a value a spreadsheet would run as a formula gets a leading ``'``;
- ``scrub`` / ``scrub_tree``: for stored and rendered text; lone surrogates (which UTF-8 cannot
  encode) become U+FFFD, so writing a page or a JSON file never fails on them.
HTML is escaped where it is built (``feedback``), never here.
"""

from __future__ import annotations

import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@")  # tab and CR, the other two, are escaped by printable


def _is_unsafe(char: str) -> bool:
    """Control (Cc), format (Cf: bidi overrides, zero-width), surrogate or unassigned code points."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Cn")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every unsafe character written as an escape: one visible line on a terminal."""
    text = str(text)
    if text.isprintable() and not _SURROGATE.search(text):
        return text
    return "".join(_escape(c) if _is_unsafe(c) else c for c in text)


def csv_cell(text: str) -> str:
    """A CSV value that spreadsheets show as text, never evaluate (formula injection)."""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def scrub(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD: always encodable as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def scrub_tree(value):
    """A JSON-like value (dicts, lists, strings, numbers) with every string scrubbed, keys included."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub_tree(k): scrub_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_tree(v) for v in value]
    return value
