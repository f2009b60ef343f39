"""One handout: render its page, settle its layout, print it, check it, and write its files.

All of a handout's files are written, or none: a handout that fails leaves its
previous files as they were. :class:`Renderer` holds what one process needs to
render many handouts (the catalog, a Printer, one Jinja environment per
language) and never raises for a handout's sake.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import jinja2

from tipsheets.build.attribution import refused_where, template_error, text_from
from tipsheets.build.gate import finding_line
from tipsheets.build.options import Options, Outcome
from tipsheets.core.catalog import Catalog, relative
from tipsheets.core.errors import ContentError, one_line
from tipsheets.core.target import REGULAR, Layout, Target
from tipsheets.core.theme import builtin_theme, theme_dirs
from tipsheets.handouts import kind_of, page_html
from tipsheets.handouts.base import PageRules
from tipsheets.lint.config import settings_for
from tipsheets.lint.printed import PrintedJudge
from tipsheets.print.layout import DoesNotFit, settle
from tipsheets.print.printer import PRINT_SHOP_VARIANT, FetchRefused, Printer, text_out_of_its_box
from tipsheets.publish.gallery import render_thumbnail, thumbnail_name
from tipsheets.publish.manifest import record_of
from tipsheets.publish.output import OutputError, inside, write_atomic
from tipsheets.render.environment import make_environment
from tipsheets.render.fence import PageRefused, fence
from tipsheets.render.i18n import TranslationError


def font_base() -> str:
    """The ``file:`` URL of the theme's font folder, which the fenced fetcher serves."""
    return (builtin_theme() / "base" / "fonts").as_uri() + "/"


def page_rules(target: Target) -> PageRules:
    """How ``target``'s pages are laid out: its kind's rules, on as many pages as the target asks for."""
    rules = kind_of(target).page
    return replace(rules, one_page=False, pages=target.pages) if target.pages else rules


def does_not_fit(target: Target, failure: DoesNotFit) -> Outcome:
    tried = (f"; its other layouts still run {failure.fallback_overflow_mm:.0f} mm past it"
             if failure.fallback_overflow_mm is not None else "")
    if failure.limit == 1:
        return Outcome(target, "failed", errors=[
            f"{target.stem}: does not fit on one page: it runs to {failure.pages} pages, "
            f"{failure.overflow_mm:.0f} mm past the first{tried} (hint: list fewer programs or "
            f"sessions, or shorten the text)"])
    if target.kind != "brochure":
        return Outcome(target, "failed", errors=[
            f"{target.stem}: does not fit on {failure.limit} pages: it runs to {failure.pages} pages, "
            f"{failure.overflow_mm:.0f} mm past the last{tried} (hint: shorten the text)"])
    return Outcome(target, "failed", errors=[
        f"{target.stem}: does not fit on its {failure.limit} sides: it runs to {failure.pages} pages, "
        f"{failure.overflow_mm:.0f} mm past the last side{tried} (hint: a panel holds more than fits: "
        f"shorten its text, or move a block to a panel with room)"])


def render_target(target: Target, catalog: Catalog, env: jinja2.Environment, printer: Printer | None,
                  options: Options, *, rejected: frozenset[str] = frozenset(), shared: str = "",
                  judge: PrintedJudge | None = None) -> Outcome:
    """Render, print and publish one target; all of its files or none.

    ``rejected``: the keys of the layouts an earlier build of this handout
    rejected (see :mod:`tipsheets.print.layout`). ``judge``: the wording gate on
    printed text; a handout whose printed text has an error-level finding is not
    written.
    """
    files: dict[str, bytes] = {}
    pages = 0
    notes: list[str] = []
    met: list[str] = []
    layout: Layout = REGULAR
    printed: list[str] = []  # the HTML of every flavour written, for the wording gate
    base_url = catalog.root.as_uri() + "/"
    try:
        if "pdf" in options.formats:
            assert printer is not None
            fonts = font_base()

            tried: dict[Layout, str] = {}

            def pdf_html(attempt: Layout) -> str:
                tried[attempt] = page_html(target, catalog, env, as_of=options.as_of, layout=attempt,
                                           for_print=True, font_base=fonts)
                return tried[attempt]

            rules = page_rules(target)
            settled = settle(rules, pdf_html, printer, stem=target.stem, base_url=base_url,
                             identifier=f"{target.stem}|{target.locale}", rejected=rejected, shared=shared, met=met,
                             items=len(target.programs) if rules.cut_note else 0)
            if isinstance(settled, DoesNotFit):
                return does_not_fit(target, settled)
            out_of_box = text_out_of_its_box(settled.result.document)
            if out_of_box is not None:
                page, text = out_of_box
                shown = text if len(text) <= 40 else text[:40] + "…"
                return Outcome(target, "failed", errors=[
                    f"{text_from(text, target, catalog)}: on page {page} of {target.stem}, the text {shown!r} runs "
                    "out of its box and would be cut off (hint: a word that long cannot wrap: add spaces, or shorten "
                    "it)"])
            layout, pages = settled.layout, settled.result.pages
            if settled.note:
                notes.append(settled.note)
            if settled.layout.listed is not None and catalog.config.site_url is None:
                notes.append(f"{target.stem}: set site_url in tipsheets.yaml, and the printed page will point to its "
                             "web page, which lists every program, with a QR code and a short address")
            files[target.output("pdf")] = settled.result.pdf
            printed.append(tried.get(layout) or pdf_html(layout))
            if options.gallery:  # drawn here, in the worker that holds the PDF
                files.update(thumbnail(target, settled.result.pdf))
            if options.print_shop:
                html = page_html(target, catalog, env, as_of=options.as_of, layout=layout, for_print=True,
                                 font_base=fonts, print_shop=True)
                printed.append(html)
                files[f"print/{target.output('pdf')}"] = printer.print(
                    html, base_url=base_url, identifier=f"{target.stem}|{target.locale}|print",
                    variant=PRINT_SHOP_VARIANT).pdf
        if "html" in options.formats:
            # every listed item on the web page, also where the printed page had room for only some (its full list)
            html = page_html(target, catalog, env, as_of=options.as_of, layout=replace(layout, listed=None),
                             for_print=False)
            # the same fence as the PDF fetcher, for whoever opens the HTML: checked, and a policy the browser keeps
            files[target.output("html")] = fence(html).encode("utf-8")
            printed.append(html)
        if judge is not None:  # the wording gate on what is printed: nothing is written past it
            wording = judge.judge_target(target, catalog, env, printed)
            if wording:
                return Outcome(target, "failed", errors=[finding_line(f) for f in wording])
        attach = kind_of(target).attachments
        if attach is not None:
            files.update(attach(target, catalog, options.as_of))
    except (FetchRefused, PageRefused) as exc:
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
    written = {}
    try:
        paths = {name: inside(options.out_dir, name) for name in files}
        for name, data in files.items():
            write_atomic(paths[name], data, tag=options.tag)
            written[name] = record_of(paths[name], data, target.digest)
    except (OutputError, OSError) as exc:
        return Outcome(target, "failed", errors=[str(exc)], bad_input=False)
    return Outcome(target, "built", files=sorted(files), pages=pages, notes=notes, rejected=met,
                   written=dict(sorted(written.items())))


def thumbnail(target: Target, pdf: bytes) -> dict[str, bytes]:
    """The gallery's picture of the first page; none (and no failed handout) when pdfium cannot draw it."""
    try:
        return {thumbnail_name(target.stem): render_thumbnail(pdf)[0]}
    except Exception:  # noqa: BLE001 - the gallery then shows no picture; the handout is fine
        return {}


class Renderer:
    """What one process needs to render: the catalog, a Printer, one Jinja environment per locale."""

    def __init__(self, catalog: Catalog, options: Options, shared: str) -> None:
        self.catalog = catalog
        self.options = options
        #: the build's digest of everything all handouts share (tool, theme, fonts): see layout_key
        self.shared = shared
        self.printer: Printer | None = None
        self.envs: dict[str, jinja2.Environment | TranslationError] = {}
        #: the wording gate on printed text (None with --no-lint), or the error its settings gave
        self.judge: PrintedJudge | ContentError | None = None

    def renewed(self, catalog: Catalog, options: Options, shared: str) -> Renderer:
        """A renderer for the next build, keeping what that build would make again the same.

        The printer (fonts, parsed stylesheets) and the Jinja environments (compiled
        templates, translations) are kept while the project and ``shared`` are the
        same: ``shared`` digests the theme, the project's templates, translations
        and settings they are made from. The wording gate is made again: it reads
        the catalog's sources.
        """
        fresh = Renderer(catalog, options, shared)
        if shared == self.shared and catalog.root == self.catalog.root:
            fresh.printer, fresh.envs = self.printer, self.envs
        return fresh

    def warm(self) -> None:
        if self.printer is None and "pdf" in self.options.formats:
            self.printer = Printer([self.catalog.root, builtin_theme()])

    def printed_judge(self) -> PrintedJudge | ContentError | None:
        """The wording gate on printed text, made once per process (None when the build skips the gate)."""
        if self.judge is None and self.options.lint:
            try:
                self.judge = PrintedJudge(settings_for(self.catalog), self.catalog.root, theme_dirs(self.catalog.root))
            except ContentError as exc:
                self.judge = exc
        return self.judge

    def environment(self, locale: str) -> jinja2.Environment | TranslationError:
        if locale not in self.envs:
            try:
                self.envs[locale] = make_environment(self.catalog.root, locale=locale)
            except TranslationError as exc:
                self.envs[locale] = exc
        return self.envs[locale]

    def __call__(self, target: Target, rejected: tuple[str, ...] = ()) -> Outcome:
        self.warm()  # once per process: not part of this handout's time
        started = time.perf_counter()
        env = self.environment(target.locale)
        judge = self.printed_judge()
        if isinstance(env, TranslationError):
            outcome = Outcome(target, "failed", errors=[env.format(target.stem)])
        elif isinstance(judge, ContentError):
            outcome = Outcome(target, "failed", errors=[judge.format()])
        else:
            try:
                outcome = render_target(target, self.catalog, env, self.printer, self.options,
                                        rejected=frozenset(rejected), shared=self.shared, judge=judge)
            except Exception as exc:  # noqa: BLE001 - one document's bug must not stop the others
                outcome = Outcome(target, "failed", bad_input=False, internal=True, errors=[
                    f"{target.stem}: internal error: {type(exc).__name__}: {one_line(exc)[:300]} (please report)"])
        outcome.seconds = time.perf_counter() - started
        return outcome
