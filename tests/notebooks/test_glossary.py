"""course/GLOSSARY.md: every Chinese gloss of the notebooks is in it, once, linked to a real section."""

from __future__ import annotations

import re

import pytest

from autograder import glossary
from notebook_tools import COURSE, read, release_of, source_notebooks

ROW = re.compile(r"^\| (?P<en>[^|]+) \| (?P<zh>[^|]+) \| \[[^\]]+\]\((?P<path>[^)#]+)#(?P<anchor>[^)]+)\) \|$")


def _rows() -> list[dict]:
    text = (COURSE / "GLOSSARY.md").read_text(encoding="utf-8")
    return [m.groupdict() for line in text.splitlines() if (m := ROW.match(line))]


@pytest.mark.parametrize("source", source_notebooks(), ids=lambda p: p.stem)
def test_every_gloss_is_written_as_a_bold_term_the_glossary_can_find(source):
    assert glossary.unglossed(read(source)) == [], "write glosses as **term** (中文)"


def test_the_glossary_is_what_the_released_notebooks_gloss():
    notebooks = [release_of(s) for s in source_notebooks()]
    assert (COURSE / "GLOSSARY.md").read_text(encoding="utf-8") == glossary.glossary(COURSE, notebooks)
    glossed = {(t.lower(), zh) for nb in notebooks for t, zh, _ in glossary.glosses(read(nb))}
    assert {(r["en"].lower(), r["zh"]) for r in _rows()} == glossed


def test_each_term_appears_once_and_links_to_a_heading_of_its_unit():
    rows = _rows()
    assert rows and len({r["en"].lower() for r in rows}) == len(rows)
    for row in rows:
        nb = read(COURSE / row["path"])
        anchors = {glossary.anchor(h) for c in nb.cells if c.cell_type == "markdown"
                   for h in glossary.HEADING.findall(c.source)}
        assert row["anchor"] in anchors, row


def test_a_term_links_to_the_unit_that_introduces_it():
    perceptron = next(r for r in _rows() if r["en"] == "perceptron")
    assert perceptron["path"].startswith("01_perceptron/")  # glossed again in unit 02, introduced in 01
