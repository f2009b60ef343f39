"""``tipsheets watch``: rebuild what each save affects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tipsheets.cli.build import build_options, report_outcome, summary_line
from tipsheets.cli.common import (EXIT_BAD_INPUT, AsOfOption, Format, FormatsOption, JobsOption, LocaleOption,
                                  OutOption, ProjectOption, app, console, err, print_lines, shown)


@app.command()
def watch(
    project: ProjectOption = Path("."),
    out: OutOption = None,
    formats: FormatsOption = [Format.pdf, Format.html],  # noqa: B006 - Typer reads the default
    as_of: AsOfOption = None,
    locale: LocaleOption = [],  # noqa: B006
    jobs: JobsOption = None,
) -> None:
    """Build, then rebuild the affected handouts whenever a content file, template or setting is saved."""
    from tipsheets.build.pipeline import build as run_build  # lazy: slow to import
    from tipsheets.serve.watch import watch_changes, watch_loop, watched_paths  # lazy: slow to import

    options = build_options(project, out, formats, as_of, locale, jobs=jobs)
    if not watched_paths(project):
        err.print(f"[red]✗[/] nothing to watch in {project}: no content/, templates/ or tipsheets.yaml")
        raise typer.Exit(EXIT_BAD_INPUT)

    def on_result(changes: set[Path], result: Any) -> None:
        if changes:
            names = ", ".join(sorted(shown(p, project) for p in changes))
            console.print(f"[bold]changed[/] {names}", highlight=False, markup=False)
        print_lines(result.errors, "red")
        print_lines(result.warnings, "yellow")
        style = "red" if result.failed or result.errors else "green"
        console.print(f"[{style}]{'✗' if style == 'red' else '✓'}[/] {summary_line(result)}", highlight=False)

    def on_error(changes: set[Path], exc: BaseException) -> None:
        err.print(f"[red]✗[/] rebuild failed: {type(exc).__name__}: {exc}", highlight=False, markup=False)

    def batches() -> Any:
        yield set()  # the first build, before any change
        console.print(f"watching {', '.join(shown(p, project) for p in watched_paths(project))} "
                      "(Ctrl-C to stop)", highlight=False)
        yield from watch_changes(project, options.out_dir)

    def run(opts: Any) -> Any:
        return run_build(opts, on_event=lambda o: report_outcome(o))

    try:
        watch_loop(options, batches(), on_result=on_result, on_error=on_error, build_fn=run)
    except KeyboardInterrupt:
        console.print("stopped watching")
