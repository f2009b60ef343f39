"""Orchestration: load → check → plan → render → print → publish.

:func:`build` never raises for bad content. A handout whose inputs have an
error is not written (its old files stay as they were) and its error is
reported; every other handout still builds.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .catalog import Catalog, load_catalog
from .check import Problem, check_catalog
from .plan import Target, plan
from .publish import OutputError, inside, write_atomic
from .render import make_environment, render_html
from .source import ContentError
from .theme import builtin_theme, theme_dirs

FORMATS = ("pdf", "html")


@dataclass
class Outcome:
    target: Target
    status: str  # "built" | "failed"
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0
    #: False when the content was fine but the output could not be written
    bad_input: bool = True


@dataclass
class BuildResult:
    catalog: Catalog
    problems: list[Problem]
    outcomes: list[Outcome]
    #: error-level wording findings, one line each
    lint_errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def errors(self) -> list[str]:
        """Every error line: files that did not load, cross-file errors."""
        lines = [e.format() for e in self.catalog.errors]
        lines += [p.format() for p in self.problems if p.level == "error"]
        return lines + self.lint_errors

    @property
    def warnings(self) -> list[str]:
        return [p.format() for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


@dataclass(frozen=True)
class Options:
    project: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    as_of: dt.date = field(default_factory=dt.date.today)
    locales: tuple[str, ...] = ()
    only: tuple[str, ...] = ()  # content files (as shown) to restrict the build to
    #: run the wording gate first and refuse handouts whose content has lint errors
    lint: bool = True


def broken_files(catalog: Catalog, problems: Iterable[Problem]) -> dict[str, list[str]]:
    """File (as shown) → its error lines, for every file with an error."""
    broken: dict[str, list[str]] = {}
    for error in catalog.errors:
        broken.setdefault(error.file, []).append(error.format())
    for problem in problems:
        if problem.level == "error":
            broken.setdefault(problem.file, []).append(problem.format())
    return broken


def finding_line(finding) -> str:  # noqa: ANN001
    """One wording finding as ``file:line:col: field: message [rule] (hint: ...)``."""
    where = f"{finding.file}:{finding.line}:{finding.col}: "
    text = where + (f"{finding.field}: " if finding.field else "") + f"{finding.message} [{finding.rule}]"
    return text + (f" (hint: use '{finding.suggestion}')" if finding.suggestion else "")


def wording_gate(catalog: Catalog, project: Path) -> dict[str, list[str]]:
    """File (as shown) → its error-level wording findings, one line each."""
    from .lint import gate

    try:
        blocking = gate(catalog, theme_dirs(project))
    except ContentError as exc:  # the lint settings in tipsheets.yaml are wrong
        return {exc.file: [exc.format()]}
    return {file: [finding_line(f) for f in findings] for file, findings in blocking.items()}


def blocked_by_templates(target: Target, lint_broken: dict[str, list[str]], main_templates: set[str]) -> list[str]:
    """Template files with wording errors that this target renders: its own template, or a shared partial."""
    hits = []
    for file in lint_broken:
        name = Path(file).name
        if file.startswith("content/") or file == "tipsheets.yaml":
            continue
        if name == target.template or name not in main_templates:
            hits.append(file)
    return hits


def select(targets: list[Target], only: tuple[str, ...]) -> list[Target]:
    if not only:
        return targets
    wanted = {Path(p).as_posix().lstrip("./") for p in only}
    return [t for t in targets if wanted & set(t.inputs) or t.stem in wanted or t.id in wanted]


def build(options: Options, *, on_event: Callable[[Outcome], None] | None = None) -> BuildResult:
    """Build every handout of the project; report, never raise, for bad content."""
    catalog = load_catalog(options.project)
    problems = check_catalog(catalog, options.as_of)
    broken = broken_files(catalog, problems)
    lint_broken = wording_gate(catalog, options.project) if options.lint else {}
    all_targets = plan(catalog, options.as_of, locales=list(options.locales))
    main_templates = {t.template for t in all_targets}
    targets = select(all_targets, options.only)
    outcomes: list[Outcome] = []
    printer = None
    envs: dict[str, object] = {}
    for target in targets:
        started = time.perf_counter()
        reasons = [f"not built: {file} has an error" for file in target.inputs if file in broken]
        reasons += [f"not built: {file} has wording errors" for file in target.inputs
                    if file in lint_broken and file not in broken]
        reasons += [f"not built: {file} has wording errors"
                    for file in blocked_by_templates(target, lint_broken, main_templates)]
        if "tipsheets.yaml" in lint_broken:
            reasons.append("not built: the lint settings in tipsheets.yaml have an error")
        missing = [f"not built: {file} does not exist" for file in target.inputs
                   if file not in broken and not (options.project / file).exists()]
        if reasons or missing:
            outcome = Outcome(target, "failed", errors=reasons + missing)
        else:
            if printer is None and "pdf" in options.formats:
                from .pdf import Printer

                printer = Printer([options.project, builtin_theme()])
            env = envs.get(target.locale) or envs.setdefault(target.locale, make_environment(options.project, locale=target.locale))
            outcome = render_target(target, catalog, env, printer, options)
        outcome.seconds = time.perf_counter() - started
        outcomes.append(outcome)
        if on_event:
            on_event(outcome)
    lint_errors = [line for lines in lint_broken.values() for line in lines]
    return BuildResult(catalog=catalog, problems=problems, outcomes=outcomes, lint_errors=lint_errors)


def render_target(target: Target, catalog: Catalog, env, printer, options: Options) -> Outcome:  # noqa: ANN001
    """Render, print and publish one target; all of its files or none."""
    from .pdf import FetchRefused

    files: dict[str, bytes] = {}
    pages = 0
    try:
        if "html" in options.formats:
            html = render_html(target, catalog, env, as_of=options.as_of, for_print=False)
            files[target.output("html")] = html.encode("utf-8")
        if "pdf" in options.formats:
            font_base = (builtin_theme() / "fonts").as_uri() + "/"
            html = render_html(target, catalog, env, as_of=options.as_of, for_print=True, font_base=font_base)
            result = printer.print(html, base_url=options.project.resolve().as_uri() + "/",
                                   identifier=f"{target.stem}|{target.locale}")
            pages = result.pages
            if target.one_page and result.pages > 1:
                return Outcome(target, "failed", errors=[
                    f"{target.stem}: does not fit on one page: it runs to {result.pages} pages, "
                    f"{result.overflow_mm:.0f} mm past the first (hint: list fewer sessions or shorten the text)"])
            files[target.output("pdf")] = result.pdf
    except FetchRefused as exc:
        return Outcome(target, "failed", errors=[f"{target.inputs[0]}: {target.stem}: {exc}"])
    except ContentError as exc:
        return Outcome(target, "failed", errors=[exc.format()])
    try:
        paths = {name: inside(options.out_dir, name) for name in files}
        for name, data in files.items():
            write_atomic(paths[name], data)
    except OutputError as exc:
        return Outcome(target, "failed", errors=[str(exc)], bad_input=False)
    return Outcome(target, "built", files=sorted(files), pages=pages)
