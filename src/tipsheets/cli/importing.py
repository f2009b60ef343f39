"""``tipsheets import``: program files from a spreadsheet or an HSDS dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tipsheets.cli.common import (EXIT_BAD_INPUT, EXIT_FINDINGS, AsOfOption, ProjectOption, QuietOption,
                                  VerboseOption, app, as_of_date, console, err, print_lines, voice)


@app.command("import")
def import_programs(
    source: Annotated[Path, typer.Argument(
        help="A spreadsheet (.xlsx, .csv), an HSDS 3 JSON file, or an HSDS data package "
             "(its folder or datapackage.json).")],
    project: ProjectOption = Path("."),
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be created and changed, field by field, and write nothing.")] = False,
    as_of: AsOfOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Write program files (and brand stubs for new providers) from a spreadsheet or an HSDS dataset."""
    from tipsheets.importers import SourceErrors, apply, plan_import  # lazy: slow to import
    from tipsheets.importers.report import plan_lines  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.publish.output import OutputError  # here, not at the top: `tipsheets --help` starts without it

    talk = voice(quiet, verbose)
    try:
        plan = plan_import(source, project, as_of=as_of_date(as_of))
    except SourceErrors as exc:
        print_lines([e.format() for e in exc.errors], "red")
        err.print(f"[red]✗[/] nothing was written: {len(exc.errors)} problem{'s' if len(exc.errors) != 1 else ''} "
                  f"in {source.name or source}", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    print_lines(plan.notes, "yellow")
    for line in plan_lines(plan, dry_run=dry_run):
        console.print(line, highlight=False, markup=False)
    if dry_run:
        talk.say("(dry run: nothing was written)")
        return
    try:
        written = apply(plan, project)
    except SourceErrors as exc:
        print_lines([e.format() for e in exc.errors], "red")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (OSError, OutputError) as exc:
        err.print(f"[red]✗[/] cannot write: {exc}", highlight=False, markup=False)
        raise typer.Exit(EXIT_FINDINGS) from None
    for path in written:
        talk.detail(f"  wrote  {path}")
    talk.say(f"[green]✓[/] {len(written)} file{'s' if len(written) != 1 else ''} written; "
             "next: tipsheets validate, then tipsheets build")
