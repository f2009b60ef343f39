"""``tipsheets schema``: JSON Schema for every content type, for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tipsheets.cli.common import ProjectOption, console, QuietOption, VerboseOption, app, print_table, voice


@app.command()
def schema(
    kind: Annotated[str | None, typer.Argument(
        help="Show the fields of one kind (tipsheet, program, office, ...) instead of writing files.")] = None,
    project: ProjectOption = Path("."),
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where to write the schemas (default: schemas/ in the project).")] = None,
    stamp: Annotated[bool, typer.Option(
        "--stamp",
        help="Also give every content file the first-line comment that points editors at its schema.")] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Write JSON Schema for every content type, so editors complete and check fields as you type."""
    from tipsheets.project import schema as schemas  # here, not at the top: `tipsheets --help` starts without it

    talk = voice(quiet, verbose)
    if kind is not None:
        show_fields(kind)
        return
    out_dir = out if out is not None else project / "schemas"
    for path in schemas.write_schemas(out_dir):
        talk.say(f"  wrote  {path}", markup=False)
    if stamp:
        changed = [file for file, name in schemas.content_files(project) if schemas.stamp(file, name, out_dir)]
        for file in changed:
            talk.detail(f"  stamped  {file}")
        talk.say(f"  {len(changed)} content file{'s' if len(changed) != 1 else ''} given the schema comment")
    talk.say("[green]✓[/] Editors with a YAML language server (such as VS Code's YAML extension) now "
                  "complete and check fields in files whose first line is "
             f"'{schemas.MODELINE_PREFIX}<path to the schema>'.")


def show_fields(kind: str) -> None:
    from rich.markup import escape  # imported when first needed: slow to import, and not every command needs it
    from rich.table import Table  # imported when first needed: slow to import, and not every command needs it

    from tipsheets.project import schema as schemas  # here, not at the top: `tipsheets --help` starts without it

    try:
        tables = schemas.field_tables(kind)
    except KeyError:
        raise typer.BadParameter(f"unknown kind {kind!r}; use one of: {', '.join(schemas.schema_names())}, "
                                 "or a type inside them such as section, tip, sidebar, author, session or area",
                                 param_hint="KIND") from None
    for number, found in enumerate(tables):
        table = Table("field", "required", "type", "what it is", title=found.title, box=None,
                      caption=escape(found.description) if number and found.description else None,
                      caption_justify="left")
        for field, required, type_name, description in found.rows:
            table.add_row(field, "yes" if required else "", escape(type_name), escape(description))
        print_table(table)
        console.print()
    if kind == "area":
        console.print("The county lists in content/areas/ are shown by `tipsheets schema areas`.", highlight=False)
