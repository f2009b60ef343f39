"""Orchestration: load → check → plan → render → print → publish.

:func:`build` never raises for bad content. A handout whose inputs have an
error is not written (its old files stay as they were) and its error is
reported; every other handout still builds.

One-page handouts (desk aids and flyers) must fit on one page. When the
regular layout runs past it, the build tries these fallbacks in order and says
which one it used:

1. fewer sessions per program: one upcoming session each on a desk aid, two
   on a flyer (the rest are still offered by phone and on the web page);
2. the same, in the compact layout (smaller type, three cards across).

No program is ever left out. If the compact layout still does not fit, the
handout fails with a message naming it and how far it runs past the page.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit
from pathlib import Path
from typing import Callable, Iterable

import jinja2
import jinja2.sandbox

from . import brand as brands
from .catalog import Catalog, load_catalog, relative
from .i18n import TranslationError
from .check import Problem, check_catalog
from .plan import Target, narrow, plan
from .publish import OutputError, inside, write_atomic
from .render import external_references, make_environment, render_html
from .source import ContentError, field_name
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
    #: things the user should know about a built handout, such as a fallback layout
    notes: list[str] = field(default_factory=list)
    #: True when the tool itself failed (a bug, not the content's fault)
    internal: bool = False


@dataclass
class BuildResult:
    catalog: Catalog
    problems: list[Problem]
    outcomes: list[Outcome]
    #: error-level wording findings, one line each
    lint_errors: list[str] = field(default_factory=list)
    #: output/index.html, when the gallery was written
    gallery: Path | None = None
    gallery_error: str | None = None

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
    offices: tuple[str, ...] = ()  # office ids: build only their desk aids (with ``programs``)
    programs: tuple[str, ...] = ()  # program ids: build only their flyers (with ``offices``)
    #: run the wording gate first and refuse handouts whose content has lint errors
    lint: bool = True
    gallery: bool = True  # write output/index.html with a thumbnail of every handout
    print_shop: bool = False  # also write output/print/<stem>.pdf: bleed, crop marks, PDF/A-2a


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
    targets = narrow(targets, offices=options.offices, programs=options.programs)
    clean_stale_temporaries(options.out_dir)
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
            env = envs.get(target.locale)
            if env is None:
                try:
                    env = envs[target.locale] = make_environment(options.project, locale=target.locale)
                except TranslationError as exc:
                    env = envs[target.locale] = exc
            if isinstance(env, TranslationError):
                outcome = Outcome(target, "failed", errors=[env.format(target.stem)])
            else:
                try:
                    outcome = render_target(target, catalog, env, printer, options)
                except Exception as exc:  # noqa: BLE001 - one document's bug must not stop the others
                    outcome = Outcome(target, "failed", bad_input=False, internal=True, errors=[
                        f"{target.stem}: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                        "(please report)"])
        outcome.seconds = time.perf_counter() - started
        outcomes.append(outcome)
        if on_event:
            on_event(outcome)
    lint_errors = [line for lines in lint_broken.values() for line in lines]
    result = BuildResult(catalog=catalog, problems=problems, outcomes=outcomes, lint_errors=lint_errors)
    if options.gallery and options.out_dir.is_dir():  # nothing built yet: leave no output folder behind
        from .gallery import publish_gallery

        try:
            result.gallery = publish_gallery(options.project, options.out_dir, catalog, all_targets,
                                             as_of=options.as_of)
        except OutputError as exc:
            result.gallery_error = str(exc)
    return result


def print_shop_pdf(target: Target, catalog: Catalog, env, printer, options: Options, font_base: str) -> bytes:  # noqa: ANN001
    """The print-ready PDF of one target: 1/8 in bleed, crop marks, bleed band, PDF/A-2a."""
    from .pdf import PRINT_SHOP_VARIANT

    html = render_html(target, catalog, env, as_of=options.as_of, for_print=True, font_base=font_base,
                       print_shop=True)
    return printer.print(html, base_url=options.project.resolve().as_uri() + "/",
                         identifier=f"{target.stem}|{target.locale}|print", variant=PRINT_SHOP_VARIANT).pdf


def fallbacks(target: Target, catalog: Catalog) -> list[tuple[dict, str]]:
    """The layouts to try for ``target``, in order, each with the note to print if it is the one used."""
    layouts: list[tuple[dict, str]] = [({}, "")]
    if not target.one_page or target.kind not in ("desk-aid", "flyer"):
        return layouts
    fewer = 1 if target.kind == "desk-aid" else 2
    what = f"the next {fewer} session{'s' if fewer > 1 else ''} of " + (
        "each program" if target.kind == "desk-aid" else "the program")
    layouts.append(({"sessions": fewer}, f"{target.stem}: to fit on one page, it lists only {what}"))
    layouts.append(({"sessions": fewer, "compact": True},
                    f"{target.stem}: to fit on one page, it lists only {what}, in the compact layout"))
    return layouts


def render_target(target: Target, catalog: Catalog, env, printer, options: Options) -> Outcome:  # noqa: ANN001
    """Render, print and publish one target; all of its files or none."""
    from .pdf import FetchRefused

    files: dict[str, bytes] = {}
    pages = 0
    notes: list[str] = []
    try:
        if "pdf" in options.formats:
            font_base = (builtin_theme() / "fonts").as_uri() + "/"
            layouts = fallbacks(target, catalog)
            for number, (layout, note) in enumerate(layouts):
                attempt = replace(target, extra={**target.extra, **layout})
                html = render_html(attempt, catalog, env, as_of=options.as_of, for_print=True, font_base=font_base)
                result = printer.print(html, base_url=options.project.resolve().as_uri() + "/",
                                       identifier=f"{target.stem}|{target.locale}")
                if not target.one_page or result.pages == 1:
                    break
                if number == 0:
                    first = result
            pages = result.pages
            if target.one_page and result.pages > 1:
                tried = (f"; the fallbacks (fewer sessions, compact layout) still run "
                         f"{result.overflow_mm:.0f} mm past it" if len(layouts) > 1 else "")
                return Outcome(target, "failed", errors=[
                    f"{target.stem}: does not fit on one page: it runs to {first.pages} pages, "
                    f"{first.overflow_mm:.0f} mm past the first{tried} (hint: list fewer programs or "
                    f"sessions, or shorten the text)"])
            if note:
                notes.append(note)
            target = attempt
            files[target.output("pdf")] = result.pdf
            if options.print_shop:
                files[f"print/{target.output('pdf')}"] = print_shop_pdf(target, catalog, env, printer, options, font_base)
        if "html" in options.formats:
            html = render_html(target, catalog, env, as_of=options.as_of, for_print=False)
            loads = external_references(html)
            if loads:  # the same fence as the PDF fetcher, for whoever opens the HTML
                raise FetchRefused(f"refused to publish HTML that loads {loads[0][:200]!r}: the page must be "
                                   "self-contained (inline images as data: URIs, no scripts)", loads[0])
            files[target.output("html")] = html.encode("utf-8")
    except FetchRefused as exc:
        return Outcome(target, "failed", errors=[f"{refused_where(exc.url, target, catalog, options.project)}: {exc}"])
    except ContentError as exc:
        return Outcome(target, "failed", errors=[exc.format()])
    except TranslationError as exc:
        return Outcome(target, "failed", errors=[exc.format(target.stem)])
    except jinja2.TemplateError as exc:
        return Outcome(target, "failed", errors=[template_error(exc, options.project)])
    except OSError as exc:  # an image that vanished or cannot be read between checking and rendering
        name = getattr(exc, "filename", None) or ""
        shown = relative(Path(name), options.project) if name else target.inputs[0]
        return Outcome(target, "failed", errors=[f"{shown}: cannot read: {exc.strerror or exc}"])
    try:
        paths = {name: inside(options.out_dir, name) for name in files}
        for name, data in files.items():
            write_atomic(paths[name], data)
    except OutputError as exc:
        return Outcome(target, "failed", errors=[str(exc)], bad_input=False)
    return Outcome(target, "built", files=sorted(files), pages=pages, notes=notes)


def clean_stale_temporaries(out_dir: Path) -> None:
    """Remove the temporary files a killed build may have left (``.<name>.<random>.tmp``).

    Only files of exactly that shape are touched; they are never a finished
    output, which is only ever put in place by an atomic rename.
    """
    if not out_dir.is_dir():
        return
    for tmp in out_dir.rglob(".*.tmp"):
        try:
            if tmp.is_file() and not tmp.is_symlink():
                tmp.unlink()
        except OSError:
            pass


def refused_where(url: str, target: Target, catalog: Catalog, project: Path) -> str:
    """The file (and field) that asked for a refused ``url``, as ``file:line:col: field`` where known.

    Looked for in the SVG logos of the target's brands, then the project's own
    templates, then the target's content files; else the first content file.
    """
    needles = _needles(url)
    entries = [e for kind in ("brands", "tipsheets") for e in catalog.of(kind) if e.path in target.inputs]
    for entry in entries:
        logo = brands.logo(entry.item) if entry.kind == "brands" else None
        if logo is None:
            continue
        try:
            data = brands.logo_file(project / entry.path, logo.path).read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if any(needle in data.lower() for needle in needles):
            mark = entry.source.positions.of(logo.field)
            return f"{entry.path}:{mark.line}:{mark.col}: {field_name(logo.field)}"
    own = project / "templates"
    if own.is_dir():
        for file in sorted(own.rglob("*")):
            try:
                text = file.read_text("utf-8", errors="replace").lower() if file.is_file() else ""
            except OSError:
                continue
            for needle in needles:
                if needle in text:
                    line = text[: text.index(needle)].count("\n") + 1
                    return f"{relative(file, project)}:{line}:1: template"
    for entry in entries:
        for path, text, scalar in entry.source.strings():
            if any(needle in text.lower() for needle in needles):
                return f"{entry.path}:{scalar.start.line}:{scalar.start.col}: {field_name(path)}"
    return f"{target.inputs[0]}: {target.stem}"


def _needles(url: str) -> list[str]:
    """What to look for in a source file to find who asked for ``url`` (lower case)."""
    if not url:
        return []
    if url.startswith("<"):  # "<script>", "<meta http-equiv=refresh>"
        return [url[1:].split()[0].rstrip(">").lower()]
    if url.endswith("="):  # an event handler attribute such as "onclick="
        return [url[:-1].lower()]
    needles = [url.lower()]
    tail = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    if url.lower().startswith("file:") and tail:
        needles.append(tail.lower())  # a relative path the renderer made absolute
    return needles


def template_error(exc: jinja2.TemplateError, project: Path) -> str:
    """One line for a template that cannot be read or does something not allowed."""
    message = " ".join(str(exc.message or exc).split())[:300]
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "template"
        return f"{relative(Path(name), project)}:{exc.lineno}:1: template syntax error: {message}"
    where = _template_frame(exc, project)
    if isinstance(exc, jinja2.TemplateNotFound):
        detail = "" if message == exc.name else f": {message}"
        return f"{where}: template {exc.name!r} not found or not allowed{detail}"
    if isinstance(exc, jinja2.sandbox.SecurityError):
        return f"{where}: the template tried something templates may not do: {message}"
    return f"{where}: template error: {message}"


def _template_frame(exc: BaseException, project: Path) -> str:
    """``templates/x.html.j2:12:1`` for the innermost template line in the traceback, else ``templates``."""
    where = "templates"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or "/templates/" in name:
            where = f"{relative(Path(name), project)}:{tb.tb_lineno}:1"
        tb = tb.tb_next
    return where
