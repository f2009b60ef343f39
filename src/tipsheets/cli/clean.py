"""``tipsheets clean``: remove what builds wrote, and nothing else."""

from __future__ import annotations

from pathlib import Path

from tipsheets.cli.build import output_folder
from tipsheets.cli.common import EXIT_FINDINGS, OutOption, ProjectOption, app, console, fail, print_lines
from tipsheets.core.errors import printable


@app.command()
def clean(project: ProjectOption = Path("."), out: OutOption = None) -> None:
    """Remove the files the builds wrote (as the manifest lists them, and only as they were written)."""
    from tipsheets.publish.clean import clean_output  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.publish.manifest import DamagedState  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.publish.output import OutputError  # here, not at the top: `tipsheets --help` starts without it

    out_dir = output_folder(project, out)
    try:
        cleaned = clean_output(out_dir)
    except DamagedState as exc:
        fail(f"{exc}: nothing was removed, since tipsheets cannot tell which files it wrote "
             f"(delete {out_dir} yourself if it holds nothing of yours)", EXIT_FINDINGS)
    except OutputError as exc:
        fail(str(exc), EXIT_FINDINGS)
    print_lines([f"kept {name}: it changed since tipsheets wrote it" for name in cleaned.kept], "yellow")
    count = len(cleaned.removed)
    console.print(f"[green]✓[/] removed {count} file{'s' if count != 1 else ''} from {printable(out_dir)}",
                  highlight=False)
