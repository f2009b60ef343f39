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


@app.command()
def build(
    paths: list[Path] = typer.Argument(None, help="Build only the handouts that read these content files."),
    project: Path = typer.Option(Path("."), "--project", "-p", help="The project folder (holds content/)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default: output/ in the project)."),
    formats: list[str] = typer.Option(["pdf", "html"], "--format", "-f", help="pdf, html, or both (repeat the option)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Build date (YYYY-MM-DD) for 'upcoming' sessions; default: SOURCE_DATE_EPOCH or today."),
    locale: list[str] = typer.Option([], "--locale", "-l", help="Build only these locales (repeat the option)."),
    office: list[str] = typer.Option([], "--office", help="Build only the desk aid of this office id (repeat the option)."),
    program: list[str] = typer.Option([], "--program", help="Build only the flyer of this program id (repeat the option)."),
    no_lint: bool = typer.Option(False, "--no-lint", help="Skip the wording gate (not for handouts you publish)."),
) -> None:
    """Render every handout to PDF and HTML in the output folder.

    The wording gate runs first: a handout whose content has wording errors is not written.
    """
    from .build import Options, build as run_build

    for fmt in formats:
        if fmt not in ("pdf", "html"):
            raise typer.BadParameter(f"unknown format {fmt!r}; use pdf or html", param_hint="--format")
    out_dir = out if out is not None else project / "output"
    options = Options(project=project, out_dir=out_dir, formats=tuple(dict.fromkeys(formats)), as_of=_as_of(as_of),
                      locales=tuple(locale), only=tuple(str(p) for p in paths or ()),
                      offices=tuple(office), programs=tuple(program), lint=not no_lint)
    if no_lint:
        err.print("[bold yellow]WARNING: --no-lint: the wording gate is OFF; these handouts have not been checked "
                  "for 'marriage education' and other wording errors.[/]")
    result = run_build(options, on_event=_report_outcome)
    unknown = [f"--office {i}: no desk aid for an office with this id" for i in office
               if not any(o.target.kind == "desk-aid" and o.target.id == i for o in result.outcomes)]
    unknown += [f"--program {i}: no flyer for a program with this id" for i in program
                if not any(o.target.kind == "flyer" and o.target.id == i for o in result.outcomes)]
    if unknown:
        _print_lines(unknown, "red")
        raise typer.Exit(EXIT_BAD_INPUT)
    _print_lines(result.errors, "red")
    _print_lines(result.warnings, "yellow")
    built = [o for o in result.outcomes if o.status == "built"]
    summary = f"{len(built)} built, {len(result.failed)} failed"
    if result.errors or result.failed:
        err.print(f"[red]✗[/] {summary}")
        if any(o.internal for o in result.failed):
            raise typer.Exit(EXIT_INTERNAL)
        bad_input = result.errors or any(o.bad_input for o in result.failed)
        raise typer.Exit(EXIT_BAD_INPUT if bad_input else EXIT_FINDINGS)
    console.print(f"[green]✓[/] {summary} → {out_dir}")


def _report_outcome(outcome) -> None:  # noqa: ANN001
    if outcome.status == "built":
        console.print(f"  built  {outcome.target.stem} ({', '.join(f.rsplit('.', 1)[1] for f in outcome.files)}, "
                  f"{outcome.pages} page{'s' if outcome.pages != 1 else ''}, {outcome.seconds:.2f} s)", highlight=False)
        for line in outcome.notes:
            err.print(f"    note: {line}", style="yellow", markup=False, highlight=False)
    else:
        err.print(f"  [red]failed[/] {outcome.target.stem}", highlight=False)
        for line in outcome.errors:
            err.print(f"    {line}", markup=False, highlight=False)


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
            fixed, skipped = apply_fixes(findings, catalog.root)
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
