"""``tipsheets diff``: what an edition changes compared with its base tip sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tipsheets.cli.common import EXIT_BAD_INPUT, ProjectOption, app, console, err, print_lines


@app.command()
def diff(
    edition: Annotated[str, typer.Argument(help="The edition: its id (oconee-river-clarke) or its file.")],
    project: ProjectOption = Path("."),
) -> None:
    """Show what an edition changes compared with its base tip sheet."""
    from tipsheets.core.catalog import relative  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.core.errors import ContentError  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.handouts.edition_diff import report  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.project import load_project  # here, not at the top: `tipsheets --help` starts without it

    catalog = load_project(project)
    wanted = Path(edition)
    shown = relative(wanted if wanted.is_absolute() else Path.cwd() / wanted, catalog.root) \
        if wanted.suffix in (".yaml", ".yml") else None
    entry = next((e for e in catalog.of("editions") if e.id == edition or e.path == shown
                  or (shown is None and e.path.endswith(f"/{edition}"))), None)
    if entry is None:
        failed = [e for e in catalog.errors if e.file == shown or e.file.endswith(f"/editions/{edition}.yaml")]
        if failed:
            print_lines([e.format() for e in failed], "red")
            raise typer.Exit(EXIT_BAD_INPUT)
        known = ", ".join(e.id for e in catalog.of("editions")) or "none"
        err.print(f"[red]✗[/] no edition '{edition}' (editions: {known})", highlight=False, markup=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        lines = report(catalog, entry, colour=console.is_terminal)
    except ContentError as exc:
        print_lines([exc.format()], "red")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for line in lines:
        console.print(line, highlight=False)
