"""``tipsheets validate``: check the content without rendering."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tipsheets.cli.common import (EXIT_BAD_INPUT, AsOfOption, JsonOption, ProjectOption, QuietOption, VerboseOption,
                                  app, as_of_date, print_lines, voice)

if TYPE_CHECKING:
    from tipsheets.core.errors import ContentError

#: the version of ``validate --json``; bumped when a field changes meaning or goes away
VALIDATE_SCHEMA = "tipsheets-validate/1"


@app.command()
def validate(
    project: ProjectOption = Path("."),
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Check every content file without rendering anything."""
    from tipsheets.project import check_project, load_project  # lazy: slow to import

    talk = voice(quiet, verbose)
    date = as_of_date(as_of)
    catalog = load_project(project)
    problems = check_project(catalog, date)
    errors = list(catalog.errors) + [p.error for p in problems if p.level == "error"]
    warnings = [p.error for p in problems if p.level == "warning"]
    files = [source.path for source in catalog.sources()]
    if as_json:
        import json

        typer.echo(json.dumps({
            "schema": VALIDATE_SCHEMA, "ok": not errors, "as_of": date.isoformat(), "files": len(files),
            "errors": [problem_data(e, e.format()) for e in errors],
            "warnings": [problem_data(p.error, p.format()) for p in problems if p.level == "warning"],
        }, indent=2, ensure_ascii=False))
        if errors:
            raise typer.Exit(EXIT_BAD_INPUT)
        return
    for file in files:
        talk.detail(f"  read  {file}")
    print_lines([e.format() for e in errors], "red")
    print_lines([p.format() for p in problems if p.level == "warning"], "yellow")
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    warned = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    talk.say(f"[green]✓[/] {len(files)} files valid{warned}")


def problem_data(error: ContentError, text: str) -> dict[str, Any]:
    """One error or warning as JSON: where it is, what is wrong, and ``text``, the line a person reads."""
    return {"file": error.file, "line": error.line, "col": error.col, "field": error.field,
            "message": error.message, "hint": error.hint, "text": text}


