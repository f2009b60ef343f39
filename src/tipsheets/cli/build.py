"""``tipsheets build``: render the handouts whose inputs changed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from tipsheets.cli.common import (EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE,
                                  AsOfOption, Format, FormatsOption, JobsOption, LocaleOption, OutOption, ProjectOption,
                                  QuietOption, VerboseOption, Voice, app, as_of_date, console, err, fail, print_lines,
                                  voice)
from tipsheets.core.errors import printable

if TYPE_CHECKING:
    from tipsheets.build.options import BuildResult, Options, Outcome  # lazy: slow to import


def output_folder(project: Path, out: Path | None) -> Path:
    """``--out``, else ``output:`` in tipsheets.yaml, else the project's ``output/``; refused when unsafe."""
    from tipsheets.core.catalog import load_config  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.core.errors import ContentError  # here, not at the top: `tipsheets --help` starts without it
    from tipsheets.publish.folder import UnsafeOutputFolder, check_output_folder  # lazy: slow to import

    if out is not None:
        try:
            return check_output_folder(out, project)
        except UnsafeOutputFolder as exc:
            fail(f"--out: {exc}", EXIT_USAGE)
    try:
        config, source = load_config(project.resolve())
    except ContentError:  # the build reports it; meanwhile the default folder
        config, source = None, None
    name = config.output if config is not None else "output"
    try:
        return check_output_folder(Path(name), project, from_settings=True)
    except UnsafeOutputFolder as exc:
        if source is None:
            fail(f"output: {exc}")
        mark = source.positions.of(("output",))
        fail(f"{source.path}:{mark.line}:{mark.col}: output: {exc}")


def shard_of(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, sep, count = value.partition("/")
    if not (sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise typer.BadParameter(f"{value!r} is not a slice like 1/4 (I/N with 1 ≤ I ≤ N)", param_hint="--shard")
    return int(index), int(count)


def build_options(project: Path, out: Path | None, formats: list[Format], as_of: str | None, locale: list[str], *,
                  paths: list[Path] | None = None, jobs: int | None = None, force: bool = False,
                  shard: str | None = None) -> Options:
    from tipsheets.build.options import Options, cores  # here, not at the top: `tipsheets --help` starts without it

    if jobs is not None and jobs < 1:
        raise typer.BadParameter("give at least 1 worker", param_hint="--jobs")
    return Options(project=project, out_dir=output_folder(project, out),
                   formats=tuple(dict.fromkeys(f.value for f in formats)), as_of=as_of_date(as_of),
                   locales=tuple(locale), only=tuple(str(p) for p in paths or ()), jobs=jobs or cores(),
                   force=force, shard=shard_of(shard))


@app.command()
def build(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Build only the handouts that read these content files.")] = None,
    project: ProjectOption = Path("."),
    out: OutOption = None,
    formats: FormatsOption = [Format.pdf, Format.html],  # noqa: B006 - Typer reads the default
    as_of: AsOfOption = None,
    locale: LocaleOption = [],  # noqa: B006
    jobs: JobsOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Render every handout, even those whose inputs did not change.")] = False,
    shard: Annotated[str | None, typer.Option(
        "--shard", metavar="I/N",
        help="Build only the I-th of N stable slices of the handouts (for a CI matrix).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print a machine-readable summary on stdout, and nothing else.")] = False,
    office: Annotated[list[str], typer.Option(
        "--office",
        help="Build only what is made for this office: its desk aids and referral cards (repeat the option).")
    ] = [],  # noqa: B006
    program: Annotated[list[str], typer.Option(
        "--program", help="Build only what is made for this program: its flyers (repeat the option).")
    ] = [],  # noqa: B006
    no_lint: Annotated[bool, typer.Option(
        "--no-lint", help="Skip the wording gate (not for handouts you publish).")] = False,
    print_shop: Annotated[bool, typer.Option(
        "--print", help="Also write print-ready PDFs to output/print/: 1/8 in bleed, crop marks, PDF/A-2a.")] = False,
    gallery: Annotated[bool, typer.Option(
        "--gallery/--no-gallery", help="Write output/index.html, a page with a thumbnail of every handout.")] = True,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Render the handouts whose inputs changed to PDF and HTML in the output folder.

    The wording gate runs first: a handout whose content has wording errors is not written.
    """
    from tipsheets.build.pipeline import build as run_build  # lazy: slow to import

    talk = voice(quiet, verbose)
    options = build_options(project, out, formats, as_of, locale, paths=paths, jobs=jobs, force=force, shard=shard)
    options = replace(options, offices=tuple(office), programs=tuple(program), lint=not no_lint,
                      print_shop=print_shop, gallery=gallery)
    if no_lint:
        err.print("[bold yellow]WARNING: --no-lint: the wording gate is OFF; these handouts have not been checked "
                  "for 'marriage education' and other wording errors.[/]")
    report = Report(as_json, talk)
    try:
        with report:
            result = run_build(options, on_event=report.event, on_start=report.start,
                               on_wait=lambda message: print_lines([message], "yellow"))
    except KeyboardInterrupt:
        err.print("[red]✗[/] interrupted; the next build finishes the job")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    unknown = [f"--office {i}: nothing is made for an office with this id" for i in office
               if not any(o.target.id == i and o.target.office == i for o in result.outcomes)]
    unknown += [f"--program {i}: nothing is made for a program with this id" for i in program
                if not any(o.target.id == i and o.target.program == i for o in result.outcomes)]
    if unknown:
        print_lines(unknown, "red")
        raise typer.Exit(EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(summary_data(result, options), indent=2))
    else:
        for name in result.removed:  # a handout that no longer exists, such as the flyer of an ended program
            talk.say(f"  removed  {printable(name)}", markup=False)
        print_lines(result.notices, "yellow")
        print_lines(result.errors, "red")
        print_lines(result.warnings, "yellow")
        print_lines([line for line in (result.gallery_error, result.output_error) if line], "red")
        for code in dict.fromkeys(locale):
            if not any(o.target.locale == code for o in result.outcomes):
                print_lines([f"--locale {code}: no handout has content in this locale"], "yellow")
    exit_for(result, options, silent=as_json, talk=talk)


def exit_for(result: BuildResult, options: Options, *, silent: bool = False, talk: Voice = Voice()) -> None:
    """Exit with the code the result calls for; the summary line unless ``silent`` (a failed one even ``--quiet``)."""
    line = summary_line(result)
    if result.errors or result.failed or result.gallery_error or result.output_error:
        if not silent:
            err.print(f"[red]✗[/] {line}", highlight=False)
        if any(o.internal for o in result.failed):
            raise typer.Exit(EXIT_INTERNAL)
        bad_input = result.errors or any(o.bad_input for o in result.failed)
        raise typer.Exit(EXIT_BAD_INPUT if bad_input else EXIT_FINDINGS)
    if not silent:
        talk.say(f"[green]✓[/] {line} → {printable(options.out_dir)}")


def _label(file: str) -> str:
    return "print-shop pdf" if file.startswith("print/") else file.rsplit(".", 1)[1]


def summary_line(result: BuildResult) -> str:
    return (f"{len(result.built)} built, {len(result.skipped)} unchanged, {len(result.removed)} removed, "
            f"{len(result.failed)} failed in {result.seconds:.2f} s (-j {result.jobs})")


def summary_data(result: BuildResult, options: Options) -> dict[str, Any]:
    """The --json summary."""
    def row(o: Outcome) -> dict[str, Any]:
        return {"target": o.target.stem, "kind": o.target.kind, "locale": o.target.locale,
                "files": o.files, "pages": o.pages, "seconds": round(o.seconds, 4), "notes": o.notes}

    return {
        "ok": result.ok and not result.errors,
        "out_dir": str(options.out_dir),
        "jobs": result.jobs,
        "shard": f"{options.shard[0]}/{options.shard[1]}" if options.shard else None,
        "seconds": round(result.seconds, 4),
        "counts": {"targets": len(result.outcomes), "built": len(result.built), "skipped": len(result.skipped),
                   "removed": len(result.removed), "failed": len(result.failed)},
        "built": [row(o) for o in result.built],
        "skipped": [o.target.stem for o in result.skipped],
        "removed": result.removed,
        "failed": [{**row(o), "errors": o.errors} for o in result.failed],
        "errors": result.errors + [line for line in (result.gallery_error, result.output_error) if line],
        "warnings": result.warnings,
        "notices": result.notices,
    }


class Report:
    """Progress while building: a Rich bar on a terminal, plain lines otherwise, nothing but errors for --json."""

    def __init__(self, as_json: bool, talk: Voice = Voice()) -> None:
        self.as_json = as_json
        self.talk = talk
        self.progress: Any = None
        self.task: Any = None
        self.bar = not as_json and not talk.quiet and err.is_terminal

    def __enter__(self) -> Report:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def start(self, todo: list[Any], skipped: int) -> None:
        if not self.bar or not todo:
            return
        # imported when first needed: only a build on a terminal shows a progress bar
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn)

        self.progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[current]}"),
                                 console=err, transient=True)
        self.task = self.progress.add_task("building", total=len(todo), current=todo[0].stem)
        self.progress.start()

    def event(self, outcome: Outcome) -> None:
        if outcome.status == "skipped":
            if not self.as_json:
                self.talk.detail(f"  unchanged  {printable(outcome.target.stem)}")
            return
        if self.progress is not None:
            self.progress.update(self.task, advance=1, current=outcome.target.stem)
        report_outcome(outcome, quiet=self.as_json or self.talk.quiet,
                       to=self.progress.console if self.progress else None)


def report_outcome(outcome: Outcome, *, quiet: bool = False, to: Console | None = None) -> None:
    """One handout's line: built (with its notes), unless ``quiet``; failed, always."""
    if outcome.status == "built":
        if quiet:
            return
        (to or console).print(
            f"  built  {outcome.target.stem} ({', '.join(_label(f) for f in outcome.files)}, "
            f"{outcome.pages} page{'s' if outcome.pages != 1 else ''}, {outcome.seconds:.2f} s)", highlight=False)
        for line in outcome.notes:
            err.print(f"    note: {printable(line)}", style="yellow", markup=False, highlight=False)
    elif outcome.status == "failed":
        err.print(f"  [red]failed[/] {outcome.target.stem}", highlight=False)
        for line in outcome.errors:
            err.print(f"    {printable(line)}", markup=False, highlight=False)
