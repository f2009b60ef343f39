"""Checks on how a file is written, for every content file."""

from __future__ import annotations

import re
from typing import Iterator

from tipsheets.check.problems import Problem, warning as _warning
from tipsheets.core.catalog import Entry


#: the word the skeletons and the starter project leave for you to replace, in capitals
PLACEHOLDER = re.compile(r"\bREPLACE\b")


def check_placeholders(entry: Entry) -> Iterator[Problem]:
    """Warn where a value still holds the starter's placeholder ("REPLACE with the office's name").

    The skeletons ``tipsheets new`` writes validate and build as they are, so
    nothing else stops the placeholder from being printed on a real handout.
    """
    text = entry.source.text
    if "REPLACE" not in text and "\\" not in text:  # not in the file, nor written with an escape: in no value
        return
    for path, value in entry.source.values():  # positions only for a value that holds it
        if PLACEHOLDER.search(value) and path in entry.source.positions.scalars:
            shown = " ".join(value.split())
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            yield _warning(entry, path, f"placeholder text left in: '{shown}'",
                           hint="write your own words in place of it; until then it is printed on the handout")


#: a comment glued to unquoted text on its line: "Product #037" ends the text at " #"
_GLUED_COMMENT = re.compile(r"^\s+#(?=[^\s#!])")
#: what every glued comment contains, searched for in the whole text first
_ANY_GLUED = re.compile(r"\s#[^\s#!]")


def check_glued_comments(entry: Entry) -> Iterator[Problem]:
    """Warn where unquoted text runs on into ``#``, which YAML reads as the start of a comment.

    ``body: Please mention Product #037.`` gives the text "Please mention
    Product" and silently drops the rest. A comment meant as one almost always
    has a space after the ``#``; text cut this way does not.
    """
    if not _ANY_GLUED.search(entry.source.text):  # nothing of the kind anywhere: the values need not be walked
        return
    lines = entry.source.text.splitlines()
    for path, _, scalar in entry.source.strings():
        if scalar.style or scalar.start.line != scalar.end.line or scalar.end.line > len(lines):
            continue
        rest = lines[scalar.end.line - 1][scalar.end.col - 1:]
        if _GLUED_COMMENT.match(rest):
            yield _warning(entry, path, f"the text stops before '{rest.strip()}': YAML reads ' #' as the start of "
                                        "a comment", hint="put the whole value in quotes if that is part of the text")
