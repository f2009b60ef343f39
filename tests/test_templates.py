"""Template overrides: a project's templates/ replaces a built-in file by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from tipsheets.build import Options, build
from tipsheets.cli import app
from tipsheets.theme import list_templates

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
    assert dict(list_templates(minimal))["style.css.j2"] == "overridden"


def test_templates_command_lists_sources(minimal: Path) -> None:
    (minimal / "templates").mkdir()
    (minimal / "templates" / "tipsheet.html.j2").write_text("{% extends 'builtin/tipsheet.html.j2' %}")
    (minimal / "templates" / "partial.html.j2").write_text("<p>mine</p>")
    result = CliRunner().invoke(app, ["templates", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1] for line in result.output.splitlines()
             if line.strip() and line.split()[0].endswith((".j2", ".ttf", ".txt"))}
    assert lines["tipsheet.html.j2"] == "overridden"
    assert lines["partial.html.j2"] == "project"
    assert lines["base.html.j2"] == "built-in"
