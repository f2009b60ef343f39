"""``tipsheets list``: what would be built, and from which files."""

from __future__ import annotations

from pathlib import Path

import typer

from tipsheets.cli.common import EXIT_BAD_INPUT, AsOfOption, ProjectOption, app, as_of_date, console, print_lines


@app.command("list")
def list_targets(project: ProjectOption = Path("."), as_of: AsOfOption = None) -> None:
    """Show what would be built, and from which files."""
    from rich.table import Table  # imported when first needed: slow to import, and not every command needs it

    from tipsheets.handouts import plan  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.handouts.desk_aid import listings  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.project import load_project  # here, not at the top: `tipsheets --help` starts without it

    catalog = load_project(project)
    date = as_of_date(as_of)
    table = Table("output", "kind", "locale", "reads", box=None)
    for target in plan(catalog, date):
        table.add_row(target.stem, target.kind, target.locale, ", ".join(target.inputs))
    console.print(table)
    desk_aids = listings(catalog, date)
    if desk_aids:
        aids = Table("desk aid", "lists these programs (upcoming sessions)", "co-branded with", box=None,
                     title=f"Desk aids as of {date.isoformat()}", title_justify="left")
        for listing in desk_aids:
            names = "\n".join(f"{pid} ({count})" for pid, _, count in listing.programs) or "(none: no program serves it)"
            aids.add_row(listing.stem, names, listing.cobrand or "-")
        console.print(aids)
    if catalog.errors:
        print_lines([e.format() for e in catalog.errors], "red")
        raise typer.Exit(EXIT_BAD_INPUT)
