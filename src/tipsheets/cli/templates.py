"""``tipsheets templates``: which templates are built in, overridden, or the project's own."""

from __future__ import annotations

from pathlib import Path

from tipsheets.cli.common import ProjectOption, app, console
from tipsheets.core.errors import printable


@app.command()
def templates(project: ProjectOption = Path(".")) -> None:
    """List the template files: built in, overridden by the project's templates/ folder, or the project's own."""
    from rich.markup import escape  # imported when first needed: slow to import, and not every command needs it
    from rich.table import Table  # imported when first needed: slow to import, and not every command needs it

    from tipsheets.core.theme import list_templates  # here, not at the top: `tipsheets --help` starts without it

    rows = list_templates(project)
    table = Table("template", "source", box=None)
    styles = {"overridden": "yellow", "project": "cyan", "built-in": ""}
    for name, source in rows:
        table.add_row(escape(printable(name)), f"[{styles[source]}]{source}[/]" if styles[source] else source)
    console.print(table)
    overridden = sum(1 for _, source in rows if source == "overridden")
    console.print(f"{len(rows)} files; {overridden} overridden by {project / 'templates'}. "
                  "To change one, copy it there under the same name (see docs/templates.md).", highlight=False)
