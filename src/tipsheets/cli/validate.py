"""``tipsheets validate``: check the content without rendering."""

from __future__ import annotations

from pathlib import Path

import typer

from tipsheets.cli.common import EXIT_BAD_INPUT, AsOfOption, ProjectOption, app, as_of_date, console, print_lines


@app.command()
def validate(project: ProjectOption = Path("."), as_of: AsOfOption = None) -> None:
    """Check every content file without rendering anything."""
    from tipsheets.project import check_project, load_project  # lazy: slow to import

    catalog = load_project(project)
    problems = check_project(catalog, as_of_date(as_of))
    errors = [e.format() for e in catalog.errors] + [p.format() for p in problems if p.level == "error"]
    print_lines(errors, "red")
    print_lines([p.format() for p in problems if p.level == "warning"], "yellow")
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    files = sum(1 for _ in catalog.sources())
    console.print(f"[green]✓[/] {files} files valid")
