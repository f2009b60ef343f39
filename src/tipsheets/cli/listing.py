"""``tipsheets list``: what would be built, and from which files."""

from __future__ import annotations

from pathlib import Path

import typer

from tipsheets.cli.common import (EXIT_BAD_INPUT, AsOfOption, JsonOption, ProjectOption, QuietOption, VerboseOption,
                                  app, as_of_date, console, print_lines, print_table, voice)

#: the version of ``list --json``; bumped when a field changes meaning or goes away
LIST_SCHEMA = "tipsheets-list/1"


@app.command("list")
def list_targets(
    project: ProjectOption = Path("."),
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Show what would be built, and from which files."""
    from rich.table import Table  # imported when first needed: slow to import, and not every command needs it

    from tipsheets.cli.validate import problem_data  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.handouts import plan  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.handouts.desk_aid import listings  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.project import load_project  # here, not at the top: `tipsheets --help` starts without it

    voice(quiet, verbose)
    catalog = load_project(project)
    date = as_of_date(as_of)
    targets = plan(catalog, date)
    desk_aids = listings(catalog, date)
    if as_json:
        import json

        typer.echo(json.dumps({
            "schema": LIST_SCHEMA, "as_of": date.isoformat(),
            "targets": [{"output": t.stem, "kind": t.kind, "locale": t.locale, "reads": list(t.inputs)}
                        for t in targets],
            "desk_aids": [{"desk_aid": d.stem, "office": d.office, "locale": d.locale, "cobrand": d.cobrand,
                           "programs": [{"id": pid, "provider": provider, "upcoming": count}
                                        for pid, provider, count in d.programs]} for d in desk_aids],
            "errors": [problem_data(e, e.format()) for e in catalog.errors],
        }, indent=2, ensure_ascii=False))
    else:
        table = Table("output", "kind", "locale", "reads", box=None)
        for target in targets:
            table.add_row(target.stem, target.kind, target.locale, ", ".join(target.inputs))
        print_table(table)
        if desk_aids:
            aids = Table("desk aid", "lists these programs (upcoming sessions)", "co-branded with", box=None,
                         title=f"Desk aids as of {date.isoformat()}", title_justify="left")
            for listing in desk_aids:
                names = ("\n".join(f"{pid} ({count})" for pid, _, count in listing.programs)
                         or "(none: no program serves it)")
                aids.add_row(listing.stem, names, listing.cobrand or "-")
            console.print()
            print_table(aids)
        print_lines([e.format() for e in catalog.errors], "red")
    if catalog.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
