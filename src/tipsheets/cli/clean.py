"""``tipsheets clean``: remove what builds wrote, and nothing else."""

from __future__ import annotations

from pathlib import Path

from tipsheets.cli.build import output_folder
from tipsheets.cli.common import OutOption, ProjectOption, QuietOption, VerboseOption, app, voice
from tipsheets.core.errors import printable


@app.command()
def clean(project: ProjectOption = Path("."), out: OutOption = None, quiet: QuietOption = False,
          verbose: VerboseOption = False) -> None:
    """Remove the files the last builds wrote (as the manifest and the gallery list them), and nothing else."""
    from tipsheets.publish.clean import clean_output

    talk = voice(quiet, verbose)
    out_dir = output_folder(project, out)
    removed = clean_output(out_dir)
    talk.say(f"[green]✓[/] removed {removed} file{'s' if removed != 1 else ''} from {printable(out_dir)}")
