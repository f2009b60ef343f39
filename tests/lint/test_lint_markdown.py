"""Markdown that splits "marriage education" does not hide it: the rules match the text as printed.

Each construct is first rendered by the real Markdown renderer and read back as a reader
gets it, to show the phrase really is printed; then the lint must find it at the column
where the phrase starts in the YAML file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tipsheets.project import load_project
from tipsheets.lint import lint_catalog, lint_text
from tipsheets.core.markdown import render_block, render_inline

from _lint_project import tipsheet, write_project
from _wording import MARKDOWN_SPLITS


def _printed(markdown: str) -> str:
    """The phrase as the real renderer prints it, read as the build reads it."""
    from tipsheets.lint.normalize import project
    from tipsheets.lint.printed import printed_text

    html = re.sub(r'\u2060<sup class="cite">.*?</sup>', "", str(render_block(markdown)))  # a footnote mark
    text = printed_text(f"<body>{html}</body>")
    shown = project(text, markdown=False)
    return " ".join((shown.text if shown else text).replace("\x00", " ").split()).lower()


@pytest.mark.parametrize(("markdown", "offset"), MARKDOWN_SPLITS)
def test_the_construct_really_prints_the_phrase(markdown: str, offset: int) -> None:
    printed = _printed(markdown)
    assert "marriage education" in printed or "marriage-education" in printed, printed


@pytest.mark.parametrize(("markdown", "offset"), MARKDOWN_SPLITS)
@pytest.mark.parametrize("audience", ["parents", "agency-staff"])
def test_lint_finds_the_phrase_through_markdown(markdown: str, offset: int, audience: str) -> None:
    found = [f for f in lint_text(f"Ask us. {markdown} helps.", audience=audience) if f.rule == "marriage-education"]
    assert len(found) == 1, (markdown, found)
    finding = found[0]
    assert finding.level == "error"
    assert finding.col == len("Ask us. ") + offset + 1
    assert finding.text.replace("*", "").replace("`", "").replace("_", "").lower().startswith(
        ("marriage", "mar", "m"))


@pytest.mark.parametrize(("markdown", "offset"), [(m, o) for m, o in MARKDOWN_SPLITS if "\n" not in m])
@pytest.mark.parametrize("style", ["plain", "double", "literal", "folded", "bullet"])
def test_positions_in_the_yaml_file(tmp_path: Path, markdown: str, offset: int, style: str) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet()})
    path = root / "content/tipsheets/a.yaml"
    sentence = f"Ask us. {markdown} helps."
    if style == "plain" and not sentence.startswith(("*", "`", "[", "_")):
        value = sentence
    elif style in ("plain", "double"):
        value = '"' + sentence.replace("\\", "\\\\") + '"'
    elif style == "literal":
        value = "|\n      Some words first.\n      " + sentence
    elif style == "folded":
        value = ">\n      Some words first.\n      " + sentence
    else:
        value = "|\n      - A first point.\n      - " + sentence
    text = path.read_text(encoding="utf-8").replace("    body: Short and plain.", f"    body: {value}")
    path.write_text(text, encoding="utf-8")
    catalog = load_project(root)
    assert not catalog.errors, catalog.errors
    (finding,) = [f for f in lint_catalog(catalog, []) if f.rule == "marriage-education"]
    line = text.splitlines()[finding.line - 1]
    start = line.index("Ask us. ") + len("Ask us. ") + offset
    assert finding.col == start + 1, (line, finding)
    assert finding.field == "intro[0].body"
    verbatim = finding.text in ("marriage education", "marriage-education")
    assert finding.fixable == (verbatim and "\\" not in markdown)


def test_a_link_title_is_printed_and_checked() -> None:
    markdown = 'Read [our page](https://example.org "Marriage education classes") today.'
    assert 'title="Marriage education classes"' in str(render_inline(markdown))
    (finding,) = [f for f in lint_text(markdown) if f.rule == "marriage-education"]
    assert finding.text == "Marriage education" and finding.col == markdown.index("Marriage") + 1


@pytest.mark.parametrize("markdown", [
    "[marriage](javascript:alert(1)) education",   # not a link: printed as written, brackets and all
    "mar_ri_age education",                         # an underscore inside a word is not emphasis
    "marriage\\ education",                          # a backslash before a space is printed
    "Visit [the site](https://example.org/marriage-education) for more.",  # the address is not printed
    "remarri*age* education",
])
def test_what_is_not_printed_as_the_phrase_is_not_flagged(markdown: str) -> None:
    assert "marriage education" not in _printed(markdown).replace("-", " ") or "remarriage" in _printed(markdown)
    assert [f for f in lint_text(markdown) if f.rule == "marriage-education"] == []


def test_other_rules_see_through_markdown() -> None:
    found = lint_text("Ask about *M*RE classes. No one is a dead`beat`.", audience="parents")
    assert sorted((f.rule, f.text) for f in found) == [("mre-acronym", "M*RE"), ("stigmatising-terms", "dead`beat")]


def test_protected_names_stay_protected_through_markdown() -> None:
    assert lint_text("Ask the *National Resource Center for Healthy Marriage and Families*.") == []
    assert lint_text("Try the Healthy Relationship & *Marriage Education* Training.") == []
