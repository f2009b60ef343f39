"""``tipsheets init`` and ``tipsheets new``: a starter project, and new content files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tipsheets.cli.common import EXIT_BAD_INPUT, ProjectOption, app, console, err


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="The folder for the new project (created if missing).")],
    force: Annotated[bool, typer.Option("--force", help="Add the starter files even if the folder is not empty.")] = False,
) -> None:
    """Create a starter project that builds at once: settings, a brand, a program, an office, a tip sheet, CI."""
    from tipsheets.project.scaffold import ScaffoldError, init_project  # lazy: slow to import

    try:
        files = init_project(directory, force=force)
    except ScaffoldError as exc:
        err.print(f"[red]✗[/] {exc}", highlight=False, markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for file in files:
        console.print(f"  created  {file.as_posix()}", highlight=False)
    console.print(f"[green]✓[/] A new project in {directory}. Next steps:", highlight=False)
    console.print(f"  cd {directory}\n"
                  "  tipsheets build                  # the handouts, into output/ (open output/index.html)\n"
                  "  tipsheets new program NAME       # add a class; also: new office NAME, new tipsheet NAME, new brochure NAME\n"
                  "  Edit content/brands/ for your own name, colours and logo. Open the folder in an editor\n"
                  "  with a YAML extension to get field completion from schemas/.", highlight=False)


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="What to start: tipsheet, brochure, program or office.")],
    name: Annotated[str, typer.Argument(help="The id, which is also the file name: lower-case words joined by hyphens.")],
    project: ProjectOption = Path("."),
) -> None:
    """Add a commented skeleton content file that builds as it is; replace its REPLACE text."""
    from tipsheets.project.scaffold import ScaffoldError, new_file  # lazy: slow to import

    try:
        path = new_file(project, kind, name)
    except ScaffoldError as exc:
        err.print(f"[red]✗[/] {exc}", highlight=False, markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    console.print(f"[green]✓[/] created {path}: replace each REPLACE, then run tipsheets build", highlight=False)
