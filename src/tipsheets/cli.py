"""The command line: a thin Typer shell over the pipeline stages."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import typer
from rich.console import Console

from . import __version__

app = typer.Typer(
    name="tipsheets",
    help="Build branded, accessible tip sheets, desk aids and flyers from YAML content.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

#: exit codes: 0 all built / valid; 1 lint findings, or an output that could not be
#: written; 2 bad input (a content file or a project template); 3 internal error.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _version(value: bool) -> None:
    if value:
        console.print(f"tipsheets {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Build branded, accessible tip sheets, desk aids and flyers from YAML content."""


@app.command()
def validate(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD) to judge upcoming sessions and stale listings by."),
) -> None:
    """Check every content file without rendering anything."""
    from .catalog import load_catalog

    from .check import check_catalog

    catalog = load_catalog(project)
    problems = check_catalog(catalog, _as_of(as_of))
    errors = [e.format() for e in catalog.errors] + [p.format() for p in problems if p.level == "error"]
    _print_lines(errors, "red")
    _print_lines([p.format() for p in problems if p.level == "warning"], "yellow")
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    files = sum(1 for _ in catalog.sources())
    console.print(f"[green]✓[/] {files} files valid")


def _as_of(value: str | None) -> dt.date:
    """--as-of, else SOURCE_DATE_EPOCH, else today."""
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not a date like 2026-11-25") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError):
            raise typer.BadParameter(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    return dt.date.today()


def _print_lines(lines: list[str], style: str) -> None:
    for line in lines:
        err.print(line, style=style, markup=False, highlight=False)


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, sep, count = value.partition("/")
    if not (sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise typer.BadParameter(f"{value!r} is not a slice like 1/4 (I/N with 1 ≤ I ≤ N)", param_hint="--shard")
    return int(index), int(count)


def _build_options(project: Path, out: Path | None, formats: list[str], as_of: str | None, locale: list[str],
                   paths: list[Path] | None = None, jobs: int | None = None, force: bool = False,
                   shard: str | None = None):  # noqa: ANN202
    from .build import Options, cores

    for fmt in formats:
        if fmt not in ("pdf", "html"):
            raise typer.BadParameter(f"unknown format {fmt!r}; use pdf or html", param_hint="--format")
    if jobs is not None and jobs < 1:
        raise typer.BadParameter("give at least 1 worker", param_hint="--jobs")
    out_dir = out if out is not None else project / "output"
    return Options(project=project, out_dir=out_dir, formats=tuple(dict.fromkeys(formats)), as_of=_as_of(as_of),
                   locales=tuple(locale), only=tuple(str(p) for p in paths or ()), jobs=jobs or cores(),
                   force=force, shard=_shard(shard))


@app.command()
def build(
    paths: list[Path] = typer.Argument(None, help="Build only the handouts that read these content files."),
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default: output/ in the project)."),
    formats: list[str] = typer.Option(["pdf", "html"], "--format", "-f", help="pdf, html, or both (repeat the option)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Build date (YYYY-MM-DD) for 'upcoming' sessions; default: SOURCE_DATE_EPOCH or today."),
    locale: list[str] = typer.Option([], "--locale", "-l", help="Build only these locales (repeat the option)."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", help="Worker processes (default: one per core; 1 renders in this process)."),
    force: bool = typer.Option(False, "--force", help="Render every handout, even those whose inputs did not change."),
    shard: str | None = typer.Option(None, "--shard", metavar="I/N", help="Build only the I-th of N stable slices of the handouts (for a CI matrix)."),
    as_json: bool = typer.Option(False, "--json", help="Print a machine-readable summary on stdout, and nothing else."),
    office: list[str] = typer.Option([], "--office", help="Build only the desk aid of this office id (repeat the option)."),
    program: list[str] = typer.Option([], "--program", help="Build only the flyer of this program id (repeat the option)."),
    no_lint: bool = typer.Option(False, "--no-lint", help="Skip the wording gate (not for handouts you publish)."),
    print_shop: bool = typer.Option(False, "--print", help="Also write print-ready PDFs to output/print/: 1/8 in bleed, crop marks, PDF/A-2a."),
    gallery: bool = typer.Option(True, "--gallery/--no-gallery", help="Write output/index.html, a page with a thumbnail of every handout."),
) -> None:
    """Render the handouts whose inputs changed to PDF and HTML in the output folder.

    The wording gate runs first: a handout whose content has wording errors is not written.
    """
    from dataclasses import replace

    from .build import build as run_build

    options = _build_options(project, out, formats, as_of, locale, paths, jobs, force, shard)
    options = replace(options, offices=tuple(office), programs=tuple(program), lint=not no_lint,
                      print_shop=print_shop, gallery=gallery)
    if no_lint:
        err.print("[bold yellow]WARNING: --no-lint: the wording gate is OFF; these handouts have not been checked "
                  "for 'marriage education' and other wording errors.[/]")
    report = _Report(as_json)
    try:
        with report:
            result = run_build(options, on_event=report.event, on_start=report.start)
    except KeyboardInterrupt:
        err.print("[red]✗[/] interrupted; the next build finishes the job")
        raise typer.Exit(130) from None
    unknown = [f"--office {i}: no desk aid for an office with this id" for i in office
               if not any(o.target.kind == "desk-aid" and o.target.id == i for o in result.outcomes)]
    unknown += [f"--program {i}: no flyer for a program with this id" for i in program
                if not any(o.target.kind == "flyer" and o.target.id == i for o in result.outcomes)]
    if unknown:
        _print_lines(unknown, "red")
        raise typer.Exit(EXIT_BAD_INPUT)
    if as_json:
        import json

        typer.echo(json.dumps(summary_data(result, options), indent=2))
    else:
        _print_lines(result.errors, "red")
        _print_lines(result.warnings, "yellow")
        for code in dict.fromkeys(locale):
            if not any(o.target.locale == code for o in result.outcomes):
                _print_lines([f"--locale {code}: no handout has content in this locale"], "yellow")
    _exit_for(result, options, quiet=as_json)


def _exit_for(result, options, *, quiet: bool = False) -> None:  # noqa: ANN001
    line = summary_line(result)
    if result.errors or result.failed:
        if not quiet:
            err.print(f"[red]✗[/] {line}", highlight=False)
        if any(o.internal for o in result.failed):
            raise typer.Exit(EXIT_INTERNAL)
        bad_input = result.errors or any(o.bad_input for o in result.failed)
        raise typer.Exit(EXIT_BAD_INPUT if bad_input else EXIT_FINDINGS)
    if not quiet:
        console.print(f"[green]✓[/] {line} → {options.out_dir}", highlight=False)


def _label(file: str) -> str:
    return "print-shop pdf" if file.startswith("print/") else file.rsplit(".", 1)[1]


def summary_line(result) -> str:  # noqa: ANN001
    return (f"{len(result.built)} built, {len(result.skipped)} unchanged, {len(result.removed)} removed, "
            f"{len(result.failed)} failed in {result.seconds:.2f} s (-j {result.jobs})")


def summary_data(result, options) -> dict:  # noqa: ANN001
    """The --json summary."""
    def row(o) -> dict:  # noqa: ANN001
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
        "errors": result.errors,
        "warnings": result.warnings,
    }


class _Report:
    """Progress while building: a Rich bar on a terminal, plain lines otherwise, nothing but errors for --json."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.progress = None
        self.task = None
        self.bar = not as_json and err.is_terminal

    def __enter__(self) -> "_Report":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def start(self, todo, skipped: int) -> None:  # noqa: ANN001
        if not self.bar or not todo:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn)

        self.progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[current]}"),
                                 console=err, transient=True)
        self.task = self.progress.add_task("building", total=len(todo), current=todo[0].stem)
        self.progress.start()

    def event(self, outcome) -> None:  # noqa: ANN001
        if outcome.status == "skipped":
            return
        if self.progress is not None:
            self.progress.update(self.task, advance=1, current=outcome.target.stem)
        _report_outcome(outcome, quiet=self.as_json, to=self.progress.console if self.progress else None)


def _report_outcome(outcome, *, quiet: bool = False, to: Console | None = None) -> None:  # noqa: ANN001
    if outcome.status == "built":
        if quiet:
            return
        (to or console).print(
            f"  built  {outcome.target.stem} ({', '.join(_label(f) for f in outcome.files)}, "
            f"{outcome.pages} page{'s' if outcome.pages != 1 else ''}, {outcome.seconds:.2f} s)", highlight=False)
        for line in outcome.notes:
            err.print(f"    note: {line}", style="yellow", markup=False, highlight=False)
    elif outcome.status == "failed":
        err.print(f"  [red]failed[/] {outcome.target.stem}", highlight=False)
        for line in outcome.errors:
            err.print(f"    {line}", markup=False, highlight=False)


@app.command()
def watch(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default: output/ in the project)."),
    formats: list[str] = typer.Option(["pdf", "html"], "--format", "-f", help="pdf, html, or both (repeat the option)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Build date (YYYY-MM-DD); default: SOURCE_DATE_EPOCH or today."),
    locale: list[str] = typer.Option([], "--locale", "-l", help="Build only these locales (repeat the option)."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", help="Worker processes (default: one per core)."),
) -> None:
    """Build, then rebuild the affected handouts whenever a content file, template or setting is saved."""
    from .build import build as run_build
    from .watch import watch_changes, watch_loop, watched_paths

    options = _build_options(project, out, formats, as_of, locale, jobs=jobs)
    if not watched_paths(project):
        err.print(f"[red]✗[/] nothing to watch in {project}: no content/, templates/ or tipsheets.yaml")
        raise typer.Exit(EXIT_BAD_INPUT)

    def on_result(changes, result) -> None:  # noqa: ANN001
        if changes:
            names = ", ".join(sorted(_shown(p, project) for p in changes))
            console.print(f"[bold]changed[/] {names}", highlight=False)
        _print_lines(result.errors, "red")
        _print_lines(result.warnings, "yellow")
        style = "red" if result.failed or result.errors else "green"
        console.print(f"[{style}]{'✗' if style == 'red' else '✓'}[/] {summary_line(result)}", highlight=False)

    def on_error(changes, exc) -> None:  # noqa: ANN001
        err.print(f"[red]✗[/] rebuild failed: {type(exc).__name__}: {exc}", highlight=False)

    def batches():  # noqa: ANN202
        yield set()  # the first build, before any change
        console.print(f"watching {', '.join(_shown(p, project) for p in watched_paths(project))} "
                      "(Ctrl-C to stop)", highlight=False)
        yield from watch_changes(project, options.out_dir)

    def run(opts):  # noqa: ANN001, ANN202
        return run_build(opts, on_event=lambda o: _report_outcome(o))

    try:
        watch_loop(options, batches(), on_result=on_result, on_error=on_error, build_fn=run)
    except KeyboardInterrupt:
        console.print("stopped watching")


def _shown(path: Path, project: Path) -> str:
    from .catalog import relative

    return relative(path, project)


@app.command()
def clean(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default: output/ in the project)."),
) -> None:
    """Remove the files the last builds wrote (as the manifest and the gallery list them), and nothing else."""
    from .build import clean_output

    out_dir = out if out is not None else project / "output"
    removed = clean_output(out_dir)
    console.print(f"[green]✓[/] removed {removed} file{'s' if removed != 1 else ''} from {out_dir}", highlight=False)


@app.command("list")
def list_targets(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Build date (YYYY-MM-DD)."),
) -> None:
    """Show what would be built, and from which files."""
    from rich.table import Table

    from .catalog import load_catalog
    from .plan import listings, plan

    catalog = load_catalog(project)
    date = _as_of(as_of)
    table = Table("output", "kind", "locale", "reads", box=None)
    for target in plan(catalog, date):
        table.add_row(target.stem, target.kind, target.locale, ", ".join(target.inputs))
    console.print(table)
    desk_aids = listings(catalog, date)
    if desk_aids:
        aids = Table("desk aid", "lists these programs (upcoming sessions)", "co-branded with", box=None,
                     title=f"Desk aids as of {date.isoformat()}", title_justify="left")
        for listing in desk_aids:
            names = "\n".join(f"{pid} ({count})" for pid, _, count in listing.programs) or "(none: no program serves it)"
            aids.add_row(listing.stem, names, listing.cobrand or "-")
        console.print(aids)
    if catalog.errors:
        _print_lines([e.format() for e in catalog.errors], "red")
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def diff(
    edition: str = typer.Argument(..., help="The edition: its id (oconee-river-clarke) or its file."),
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
) -> None:
    """Show what an edition changes compared with its base tip sheet."""
    from .catalog import load_catalog, relative
    from .edition_diff import report
    from .source import ContentError

    catalog = load_catalog(project)
    wanted = Path(edition)
    shown = relative(wanted if wanted.is_absolute() else Path.cwd() / wanted, catalog.root) \
        if wanted.suffix in (".yaml", ".yml") else None
    entry = next((e for e in catalog.of("editions") if e.id == edition or e.path == shown
                  or (shown is None and e.path.endswith(f"/{edition}"))), None)
    if entry is None:
        failed = [e for e in catalog.errors if e.file == shown or e.file.endswith(f"/editions/{edition}.yaml")]
        if failed:
            _print_lines([e.format() for e in failed], "red")
            raise typer.Exit(EXIT_BAD_INPUT)
        known = ", ".join(e.id for e in catalog.of("editions")) or "none"
        err.print(f"[red]✗[/] no edition '{edition}' (editions: {known})", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        lines = report(catalog, entry, colour=console.is_terminal)
    except ContentError as exc:
        _print_lines([exc.format()], "red")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for line in lines:
        console.print(line, highlight=False)


@app.command()
def lint(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    format: str = typer.Option("human", "--format", "-f", help="Output: human, json or sarif."),
    fail_on: str = typer.Option(None, "--fail-on", help="Fail on findings at or above: error (default), warning or suggestion."),
    fix: bool = typer.Option(False, "--fix", help="Apply substitutions that have exactly one suggestion, in place."),
) -> None:
    """Check the wording and plain language of the content and templates."""
    from .catalog import load_catalog
    from .lint import report
    from .lint.config import settings_for
    from .lint.engine import at_or_above, default_template_dirs, lint_catalog
    from .lint.fix import apply_fixes
    from .source import ContentError

    if format not in ("human", "json", "sarif"):
        err.print(f"--format must be human, json or sarif, not {format!r}", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    if fail_on is not None and fail_on not in ("error", "warning", "suggestion"):
        err.print(f"--fail-on must be error, warning or suggestion, not {fail_on!r}", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    catalog = load_catalog(project)
    if catalog.errors:
        for error in catalog.errors:
            err.print(str(error), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        settings = settings_for(catalog)
        dirs = default_template_dirs(catalog.root)
        findings = lint_catalog(catalog, dirs, settings)
        fixed = []
        if fix:
            fixed, skipped = apply_fixes(findings, catalog.root, tuple(settings.rules.protected))
            for message in skipped:
                err.print(message, markup=False, highlight=False)
            if fixed:
                catalog = load_catalog(project)
                for error in catalog.errors:
                    err.print(str(error), markup=False, highlight=False)
                if catalog.errors:
                    raise typer.Exit(EXIT_BAD_INPUT)
                findings = lint_catalog(catalog, dirs, settings)
    except ContentError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if format == "json":
        print(report.to_json(findings, fixed=fixed))
    elif format == "sarif":
        print(report.to_sarif(findings, settings.rules))
    else:
        report.human(findings, console, catalog.root, fixed=fixed)
    if at_or_above(findings, fail_on or settings.config.fail_on):
        raise typer.Exit(EXIT_FINDINGS)


# --------------------------------------------------------------------------- editor support


@app.command()
def schema(
    kind: str | None = typer.Argument(None, help="Show the fields of one kind (tipsheet, program, office, ...) instead of writing files."),
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Where to write the schemas (default: schemas/ in the project)."),
    stamp: bool = typer.Option(False, "--stamp", help="Also give every content file the first-line comment that points editors at its schema."),
) -> None:
    """Write JSON Schema for every content type, so editors complete and check fields as you type."""
    from . import schema as schemas

    if kind is not None:
        _show_fields(kind)
        return
    out_dir = out if out is not None else project / "schemas"
    for path in schemas.write_schemas(out_dir):
        console.print(f"  wrote  {path}", highlight=False)
    if stamp:
        changed = [file for file, name in schemas.content_files(project) if schemas.stamp(file, name, out_dir)]
        console.print(f"  {len(changed)} content file{'s' if len(changed) != 1 else ''} given the schema comment")
    console.print("[green]✓[/] Editors with a YAML language server (such as VS Code's YAML extension) now "
                  "complete and check fields in files whose first line is "
                  f"'{schemas.MODELINE_PREFIX}<path to the schema>'.", highlight=False)


def _show_fields(kind: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from . import schema as schemas

    name = schemas.FOLDERS.get(kind, kind)
    if name not in schemas.SCHEMAS:
        raise typer.BadParameter(f"unknown kind {kind!r}; use one of: {', '.join(schemas.SCHEMAS)}", param_hint="KIND")
    doc = schemas.schema_for(name)
    required = set(doc.get("required", []))
    table = Table("field", "required", "type", "what it is", title=doc["title"], box=None)
    for field, prop in doc["properties"].items():
        table.add_row(field, "yes" if field in required else "", escape(schemas.type_name(prop, doc)),
                      escape(prop.get("description", "")))
    console.print(table)


# --------------------------------------------------------------------------- starting a project


@app.command()
def init(
    directory: Path = typer.Argument(..., help="The folder for the new project (created if missing)."),
    force: bool = typer.Option(False, "--force", help="Add the starter files even if the folder is not empty."),
) -> None:
    """Create a starter project that builds at once: settings, a brand, a program, an office, a tip sheet, CI."""
    from .scaffold import ScaffoldError, init_project

    try:
        files = init_project(directory, force=force)
    except ScaffoldError as exc:
        err.print(f"[red]✗[/] {exc}", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for file in files:
        console.print(f"  created  {file.as_posix()}", highlight=False)
    console.print(f"[green]✓[/] A new project in {directory}. Next steps:", highlight=False)
    console.print(f"  cd {directory}\n"
                  "  tipsheets build                  # the handouts, into output/ (open output/index.html)\n"
                  "  tipsheets new program NAME       # add a class; also: new office NAME, new tipsheet NAME\n"
                  "  Edit content/brands/ for your own name, colours and logo. Open the folder in an editor\n"
                  "  with a YAML extension to get field completion from schemas/.", highlight=False)


@app.command()
def new(
    kind: str = typer.Argument(..., help="tipsheet, program or office."),
    name: str = typer.Argument(..., help="The id, which is also the file name: lower-case words joined by hyphens."),
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
) -> None:
    """Add a commented skeleton content file that builds as it is; replace its REPLACE text."""
    from .scaffold import ScaffoldError, new_file

    try:
        path = new_file(project, kind, name)
    except ScaffoldError as exc:
        err.print(f"[red]✗[/] {exc}", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    console.print(f"[green]✓[/] created {path}: replace each REPLACE, then run tipsheets build", highlight=False)


@app.command()
def templates(
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
) -> None:
    """List the template files: built in, overridden by the project's templates/ folder, or the project's own."""
    from rich.table import Table

    from .theme import list_templates

    rows = list_templates(project)
    table = Table("template", "source", box=None)
    styles = {"overridden": "yellow", "project": "cyan", "built-in": ""}
    for name, source in rows:
        table.add_row(name, f"[{styles[source]}]{source}[/]" if styles[source] else source)
    console.print(table)
    overridden = sum(1 for _, source in rows if source == "overridden")
    console.print(f"{len(rows)} files; {overridden} overridden by {project / 'templates'}. "
                  "To change one, copy it there under the same name (see docs/templates.md).", highlight=False)


def main() -> None:
    """Run the command line. A bug prints one line and exits 3; bad input never gets here."""
    import sys

    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted", highlight=False)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last resort: never a traceback
        text = " ".join(str(exc).split())[:300]
        err.print(f"internal error: {type(exc).__name__}: {text} (please report)", markup=False, highlight=False)
        if os.environ.get("TIPSHEETS_DEBUG"):
            raise
        sys.exit(EXIT_INTERNAL)
