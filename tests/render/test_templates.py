"""Template overrides: a project's templates/ replaces a built-in file by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.cli import app
from tipsheets.core.theme import list_templates

from conftest import AS_OF


def test_override_can_include_the_builtin_and_add_to_it(minimal: Path) -> None:
    own = minimal / "templates"
    own.mkdir()
    (own / "style.css.j2").write_text(
        '{% include "builtin/style.css.j2" %}\nh2 { font-size: 16pt; color: {{ brands[0].colours.secondary }}; }\n')
    result = build(Options(project=minimal, out_dir=minimal / "output", formats=("html",),
                           as_of=dt.date.fromisoformat(AS_OF)))
    assert result.ok
    html = next((minimal / "output" / "tipsheets").glob("*.html")).read_text()
    assert "h2 { font-size: 16pt;" in html
    assert "--primary:" in html  # the built-in rules are still there
    assert dict(list_templates(minimal))["base/style.css.j2"] == "overridden"  # the old name still overrides


def test_templates_command_lists_sources(minimal: Path) -> None:
    (minimal / "templates").mkdir()
    (minimal / "templates" / "tipsheet.html.j2").write_text("{% extends 'builtin/tipsheet.html.j2' %}")
    (minimal / "templates" / "partial.html.j2").write_text("<p>mine</p>")
    result = CliRunner().invoke(app, ["templates", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1] for line in result.output.splitlines()
             if line.strip() and line.split()[0].endswith((".j2", ".ttf", ".txt"))}
    assert lines["tipsheet/page.html.j2"] == "overridden"  # given under its old name
    assert lines["partial.html.j2"] == "project"
    assert lines["base/page.html.j2"] == "built-in"


def test_only_plain_head_styles_are_taken_out_of_a_page() -> None:
    """The printer parses the theme's <style> elements once; anything else stays where it is."""
    from tipsheets.print.printer import split_styles

    page = "<html><head><style>p{color:red}</style><style>\nh1{}</style></head><body><p>x</p></body></html>"
    rest, sheets = split_styles(page)
    assert sheets == ["p{color:red}", "\nh1{}"] and "<style" not in rest and rest.endswith("<p>x</p></body></html>")
    for kept in ("<html><head><style media=\"screen\">p{}</style></head><body></body></html>",
                 "<html><head><style>p{}</style></head><body><svg><style>rect{}</style></svg></body></html>",
                 "<p>no head</p><style>p{}</style>"):
        assert split_styles(kept) == (kept, [])
