"""``tipsheets list``: what would be built, and from which files.

On a terminal the lists are Rich tables fitted to its width. Piped or
redirected, they are plain text in aligned columns, one row per line and
nothing cut: laying out a Rich table of ten thousand rows took longer than
planning them. ``--json`` gives the same as data.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import typer

from tipsheets.cli.common import (EXIT_BAD_INPUT, AsOfOption, JsonOption, ProjectOption, QuietOption, VerboseOption,
                                  app, as_of_date, console, print_lines, voice)
from tipsheets.core.errors import printable

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
        show(("output", "kind", "locale", "reads"), [(t.stem, t.kind, t.locale, ", ".join(t.inputs)) for t in targets])
        if desk_aids:
            aids = [(listing.stem,
                     "\n".join(f"{pid} ({count})" for pid, _, count in listing.programs)
                     or "(none: no program serves it)", listing.cobrand or "-") for listing in desk_aids]
            show(("desk aid", "lists these programs (upcoming sessions)", "co-branded with"), aids,
                 title=f"Desk aids as of {date.isoformat()}")
        print_lines([e.format() for e in catalog.errors], "red")
    if catalog.errors:
        raise typer.Exit(EXIT_BAD_INPUT)


def show(headers: Sequence[str], rows: Sequence[tuple[str, ...]], *, title: str = "") -> None:
    """A table on standard output: Rich on a terminal, plain aligned text otherwise."""
    if console.is_terminal:
        from rich.table import Table

        table = Table(*headers, box=None, title=title or None, title_justify="left")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    out = sys.stdout
    if title:
        out.write(f"\n{title}\n")
    for line in plain_table(headers, rows):
        out.write(line + "\n")
    out.flush()


def plain_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """Rows in columns as wide as their widest cell, two spaces apart; a cell of several lines
    continues on the next lines with the cells to its left blank. Control characters are escaped."""
    table = [[[printable(line) for line in cell.split("\n")] for cell in row] for row in rows]
    widths = [len(head) for head in headers]
    for row in table:
        for column, lines in enumerate(row):
            widths[column] = max(widths[column], *(len(line) for line in lines))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    yield line(headers)
    for row in table:
        for number in range(max(len(lines) for lines in row)):
            yield line([lines[number] if number < len(lines) else "" for lines in row])
