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

Builds are incremental. Every target carries a digest of everything it reads
(:func:`tipsheets.plan.with_digests`); the manifest in the output folder
records, per target, the digest it was built from and the files written with
their sha256. A target is rendered again only when its digest changed or one
of its files is missing or altered. Outputs of targets that no longer exist are
removed — only files the manifest lists, nothing else in the folder.

Renders run in a pool of worker processes; each worker loads the catalog,
WeasyPrint, its fonts and the templates once and reuses them for every job.
Each file is written atomically by the worker that rendered it; the manifest
is written after the files it lists, so an interrupted build never claims a
file it does not hold, and the next build repairs whatever is missing.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import time
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit
from pathlib import Path
from typing import Callable, Iterable

import jinja2
import jinja2.sandbox

from . import brand as brands
from . import record
from .catalog import Catalog, load_catalog, relative
from .i18n import TranslationError
from .check import Problem, check_catalog
from .plan import Target, environment_digest, in_locales, narrow, plan, shard, with_digests
from .publish import (OutputError, inside, intact, read_manifest, remove_output, sha256, sweep_temporary,
                      write_atomic, write_manifest)
from .render import external_references, make_environment, render_html
from .source import ContentError, field_name
from .theme import builtin_theme, theme_dirs

FORMATS = ("pdf", "html")

#: seconds between manifest checkpoints during a long build, so an interrupted build keeps its progress
CHECKPOINT_SECONDS = 5.0


@dataclass
class Outcome:
    target: Target
    status: str  # "built" | "skipped" | "failed"
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0
    #: False when the content was fine but the output could not be written
    bad_input: bool = True
    #: sha256 of each file written (relative path → hex digest)
    hashes: dict[str, str] = field(default_factory=dict)
    #: things the user should know about a built handout, such as a fallback layout
    notes: list[str] = field(default_factory=list)
    #: True when the tool itself failed (a bug, not the content's fault)
    internal: bool = False
    #: keys of the layouts this build rejected: run past one page, or ending on a nearly empty page
    #: that the tighter setting saves (see :func:`choose_layout`)
    rejected: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    #: None when nothing had changed since the last clean build, so the content was not parsed
    catalog: Catalog | None
    problems: list[Problem]
    outcomes: list[Outcome]
    #: output files removed because their target no longer exists (relative paths)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1
    #: error-level wording findings, one line each
    lint_errors: list[str] = field(default_factory=list)
    #: output/index.html, when the gallery was written
    gallery: Path | None = None
    gallery_error: str | None = None

    def having(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def built(self) -> list[Outcome]:
        return self.having("built")

    @property
    def skipped(self) -> list[Outcome]:
        return self.having("skipped")

    @property
    def failed(self) -> list[Outcome]:
        return self.having("failed")

    @property
    def errors(self) -> list[str]:
        """Every error line: files that did not load, cross-file errors."""
        lines = [e.format() for e in self.catalog.errors] if self.catalog is not None else []
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
    #: worker processes; 1 renders in this process, 0 means one per core
    jobs: int = 1
    #: render every selected target, changed or not
    force: bool = False
    #: (index, count): build only the index-th (1-based) of count stable slices
    shard: tuple[int, int] | None = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


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


def wording_gate(catalog: Catalog, project: Path) -> tuple[list, dict[str, list[str]]]:
    """Every wording finding, and file (as shown) → its error-level findings, one line each."""
    from .lint import lint_catalog
    from .lint.engine import blocking

    try:
        findings = lint_catalog(catalog, theme_dirs(project))
    except ContentError as exc:  # the lint settings in tipsheets.yaml are wrong
        return [], {exc.file: [exc.format()]}
    return findings, {file: [finding_line(f) for f in found] for file, found in blocking(findings).items()}


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
    wanted = {Path(p).as_posix().removeprefix("./") for p in only}
    return [t for t in targets if wanted & set(t.inputs) or t.stem in wanted or t.id in wanted]


def digest_formats(options: Options) -> tuple[str, ...]:
    """What a target's outputs are, as part of its digest: the formats, and the print-shop PDF if asked for."""
    return options.formats + (("print",) if options.print_shop else ())


def selected(targets: list[Target], options: Options) -> list[Target]:
    """The targets this build is asked for: locales, named files, shard."""
    if options.locales:
        targets = [t for t in targets if in_locales(t, options.locales)]
    targets = select(targets, options.only)
    targets = narrow(targets, offices=options.offices, programs=options.programs)
    if options.shard:
        targets = shard(targets, *options.shard)
    return targets


def build(options: Options, *, on_event: Callable[[Outcome], None] | None = None,
          on_start: Callable[[list[Target], int], None] | None = None) -> BuildResult:
    """Build the handouts of the project that changed; report, never raise, for bad content.

    ``on_start(to_render, skipped)`` is called once the work is known, ``on_event``
    once per target (built, skipped or failed) as it finishes.
    """
    started = time.perf_counter()
    shared = environment_digest(options.project.resolve())  # once: the fingerprint, digests and layouts use it
    print_ = record.fingerprint(options, shared)
    if not options.force:
        last = record.unchanged(options.out_dir, print_, gallery=options.gallery)
        if last is not None:
            return _nothing_to_do(options, last, started, on_event=on_event, on_start=on_start)
    catalog = load_catalog(options.project)
    if not catalog.has_content:  # the wrong folder, most likely: leave the output folder exactly as it is
        return BuildResult(catalog=catalog, problems=[], outcomes=[], seconds=time.perf_counter() - started)
    record.forget(options.out_dir)
    problems = check_catalog(catalog, options.as_of)
    broken = broken_files(catalog, problems)
    findings, lint_broken = wording_gate(catalog, options.project) if options.lint else (None, {})
    # every target there is (the project's locales), so outputs of targets that no longer exist can go
    everything = with_digests(plan(catalog, options.as_of), catalog.root, options.as_of, digest_formats(options),
                              shared=shared)
    main_templates = {t.template for t in everything}
    targets = selected(everything, options)
    out_dir = options.out_dir
    sweep_temporary(out_dir)
    old = read_manifest(out_dir)
    manifest = dict(old)

    outcomes: list[Outcome] = []
    todo: list[Target] = []
    for target in targets:
        reasons = [f"not built: {file} has an error" for file in target.inputs if file in broken]
        reasons += [f"not built: {file} has wording errors" for file in target.inputs
                    if file in lint_broken and file not in broken]
        reasons += [f"not built: {file} has wording errors"
                    for file in blocked_by_templates(target, lint_broken, main_templates)]
        if "tipsheets.yaml" in lint_broken:
            reasons.append("not built: the lint settings in tipsheets.yaml have an error")
        missing = [f"not built: {file} does not exist" for file in target.inputs
                   if file.endswith((".yaml", ".yml")) and file not in broken and not (catalog.root / file).is_file()]
        entry = old.get(target.stem)
        if reasons or missing:
            outcomes.append(Outcome(target, "failed", errors=reasons + missing))
        elif (not options.force and entry and entry["digest"] == target.digest
              and intact(out_dir, entry["files"])):
            outcomes.append(Outcome(target, "skipped", files=sorted(entry["files"]), hashes=entry["files"]))
        else:
            todo.append(target)
    if on_start:
        on_start(todo, sum(o.status == "skipped" for o in outcomes))
    for outcome in outcomes:
        if on_event:
            on_event(outcome)

    jobs = min(options.jobs or cores(), len(todo)) or 1
    known = {stem: tuple(entry.get("rejected", ())) for stem, entry in old.items()}
    last_checkpoint = time.monotonic()

    def finished(outcome: Outcome) -> None:
        nonlocal last_checkpoint
        outcomes.append(outcome)
        if outcome.status == "built":
            _record(manifest, out_dir, outcome)
            if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
                write_manifest(out_dir, manifest)
                last_checkpoint = time.monotonic()
        if on_event:
            on_event(outcome)

    try:
        if jobs <= 1:
            _render_here(todo, catalog, options, finished, known, shared)
        else:
            _render_in_pool(todo, catalog, options, jobs, finished, known, shared)
    finally:
        # an interrupted build keeps what it finished; a worker killed mid-write leaves its temporary file
        sweep_temporary(out_dir)
        if manifest != old:
            write_manifest(out_dir, manifest)

    removed = _remove_stale(out_dir, manifest, everything, catalog)
    if removed or manifest != old:
        write_manifest(out_dir, manifest)
    order = {t.stem: i for i, t in enumerate(targets)}
    outcomes.sort(key=lambda o: order.get(o.target.stem, len(order)))
    lint_errors = [line for lines in lint_broken.values() for line in lines]
    result = BuildResult(catalog=catalog, problems=problems, outcomes=outcomes, removed=removed,
                         seconds=time.perf_counter() - started, jobs=jobs, lint_errors=lint_errors)
    if options.gallery and out_dir.is_dir():  # nothing built yet: leave no output folder behind
        from .gallery import publish_gallery

        try:
            known = {name: digest for entry in manifest.values() for name, digest in entry["files"].items()}
            result.gallery = publish_gallery(options.project, out_dir, catalog, everything, findings,
                                             as_of=options.as_of, known=known)
        except OutputError as exc:
            result.gallery_error = str(exc)
    if result.ok and not result.warnings and not result.gallery_error and out_dir.is_dir():
        record.remember(out_dir, print_, [record.Recorded(o.target.stem, o.target.kind, o.target.id, o.target.locale)
                                          for o in result.outcomes])
    return result


def _nothing_to_do(options: Options, last: list[record.Recorded], started: float, *,
                   on_event: Callable[[Outcome], None] | None,
                   on_start: Callable[[list[Target], int], None] | None) -> BuildResult:
    """The result of a build whose inputs are those of the last clean build: every target unchanged."""
    manifest = read_manifest(options.out_dir)
    outcomes = [Outcome(Target(kind=t.kind, id=t.id, locale=t.locale, template="", stem=t.stem, inputs=()),
                        "skipped", files=sorted(manifest[t.stem]["files"]), hashes=manifest[t.stem]["files"])
                for t in last]
    if on_start:
        on_start([], len(outcomes))
    for outcome in outcomes:
        if on_event:
            on_event(outcome)
    gallery = options.out_dir / "index.html" if options.gallery else None
    return BuildResult(catalog=None, problems=[], outcomes=outcomes, seconds=time.perf_counter() - started,
                       jobs=1, gallery=gallery)


def clean_output(out_dir: Path) -> int:
    """Remove every file the manifest and the gallery say a build wrote, and the manifest; return how many."""
    from .gallery import written_files
    from .publish import MANIFEST_NAME

    removed = 0
    for entry in read_manifest(out_dir).values():
        for name in entry["files"]:
            removed += remove_output(out_dir, name)
    for name in written_files(out_dir):
        removed += remove_output(out_dir, name)
    sweep_temporary(out_dir)
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    record.forget(out_dir)
    return removed


def print_shop_pdf(target: Target, catalog: Catalog, env, printer, options: Options, font_base: str) -> bytes:  # noqa: ANN001
    """The print-ready PDF of one target: 1/8 in bleed, crop marks, bleed band, PDF/A-2a."""
    from .pdf import PRINT_SHOP_VARIANT

    html = render_html(target, catalog, env, as_of=options.as_of, for_print=True, font_base=font_base,
                       print_shop=True)
    return printer.print(html, base_url=options.project.resolve().as_uri() + "/",
                         identifier=f"{target.stem}|{target.locale}|print", variant=PRINT_SHOP_VARIANT).pdf


def _record(manifest: dict[str, dict], out_dir: Path, outcome: Outcome) -> None:
    """Note a built target in the manifest; drop files its previous build wrote and this one did not."""
    target = outcome.target
    previous = manifest.get(target.stem)
    if previous:
        for name in set(previous["files"]) - set(outcome.hashes):
            remove_output(out_dir, name)
    manifest[target.stem] = {"digest": target.digest, "source": target.inputs[0] if target.inputs else "",
                             "files": dict(sorted(outcome.hashes.items()))}
    if outcome.rejected:
        manifest[target.stem]["rejected"] = sorted(set(outcome.rejected))


def _remove_stale(out_dir: Path, manifest: dict[str, dict], everything: list[Target], catalog: Catalog) -> list[str]:
    """Remove the files of targets that no longer exist.

    A target whose source file is still there but failed to load is not gone:
    a typo must not delete a handout. Its entry and files stay until it loads.
    """
    planned = {t.stem for t in everything}
    removed = []
    for stem in sorted(set(manifest) - planned):
        source = manifest[stem].get("source", "")
        if source and source in catalog.failed and (catalog.root / source).exists():
            continue
        for name in sorted(manifest[stem]["files"]):
            if remove_output(out_dir, name):
                removed.append(name)
        del manifest[stem]
    return removed


# --------------------------------------------------------------------------- rendering


class Renderer:
    """What one process needs to render: the catalog, a Printer, one Jinja environment per locale."""

    def __init__(self, catalog: Catalog, options: Options, shared: str) -> None:
        self.catalog = catalog
        self.options = options
        #: the build's digest of everything all handouts share (tool, theme, fonts): see layout_key
        self.shared = shared
        self.printer = None
        self.envs: dict[str, object] = {}
        #: the wording gate on printed text (None with --no-lint), or the error that its settings gave
        self.judge: object = None

    def warm(self) -> None:
        if self.printer is None and "pdf" in self.options.formats:
            from .pdf import Printer

            self.printer = Printer([self.catalog.root, builtin_theme()])

    def printed_judge(self):  # noqa: ANN201
        """The wording gate on printed text, made once per process (None when the build skips the gate)."""
        if self.judge is None and self.options.lint:
            from .lint.config import settings_for
            from .lint.printed import PrintedJudge

            try:
                self.judge = PrintedJudge(settings_for(self.catalog), self.catalog.root, theme_dirs(self.catalog.root))
            except ContentError as exc:
                self.judge = exc
        return self.judge

    def __call__(self, target: Target, rejected: tuple[str, ...] = ()) -> Outcome:
        self.warm()  # once per process: not part of this handout's time
        started = time.perf_counter()
        env = self.envs.get(target.locale)
        if env is None:
            try:
                env = self.envs[target.locale] = make_environment(self.catalog.root, locale=target.locale)
            except TranslationError as exc:
                env = self.envs[target.locale] = exc
        if isinstance(env, TranslationError):
            outcome = Outcome(target, "failed", errors=[env.format(target.stem)])
        else:
            judge = self.printed_judge()
            try:
                if isinstance(judge, ContentError):
                    outcome = Outcome(target, "failed", errors=[judge.format()])
                else:
                    outcome = render_target(target, self.catalog, env, self.printer, self.options,
                                            rejected=frozenset(rejected), shared=self.shared, judge=judge)
            except Exception as exc:  # noqa: BLE001 - one document's bug must not stop the others
                outcome = Outcome(target, "failed", bad_input=False, internal=True, errors=[
                    f"{target.stem}: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                    "(please report)"])
        outcome.seconds = time.perf_counter() - started
        return outcome


def _render_here(todo: list[Target], catalog: Catalog, options: Options, finished: Callable[[Outcome], None],
                 known: dict[str, tuple[str, ...]], shared: str) -> None:
    renderer = Renderer(catalog, options, shared)
    if todo:
        renderer.warm()
    gc.collect()
    gc.freeze()  # see _start_worker; thawed again, as this process may go on (tipsheets watch)
    try:
        for target in todo:
            finished(renderer(target, known.get(target.stem, ())))
    finally:
        gc.unfreeze()


#: the renderer of this worker process
_WORKER: Renderer | None = None
#: the catalog a forked worker inherits from the parent, so it need not load it again
_INHERIT: Catalog | None = None


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the build that started it ends, even by SIGKILL,
    so that no orphaned worker goes on writing into the output folder."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start_worker(options: Options, shared: str) -> None:
    global _WORKER
    _die_with_parent()
    catalog = _INHERIT if _INHERIT is not None else load_catalog(options.project)
    _WORKER = Renderer(catalog, options, shared)
    _WORKER.warm()
    # What is loaded now (the catalog, WeasyPrint, fonts) lives as long as the worker: leave it out
    # of the garbage collector's full passes, which otherwise walk it again and again (about 5% of
    # render time, measured).
    gc.collect()
    gc.freeze()


def _work(target: Target, rejected: tuple[str, ...] = ()) -> Outcome:
    assert _WORKER is not None
    return _WORKER(target, rejected)


def pool_context():  # noqa: ANN201
    """'fork' on Linux while this process has not loaded WeasyPrint's native libraries, else 'spawn'.

    Forking is the fast way (the worker inherits the loaded catalog and modules);
    it is safe only before Pango and Fontconfig have been initialised here.
    """
    import multiprocessing

    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


#: about how long each kind takes to render, relative to a flyer (measured: docs/ci.md). The pool
#: hands out the longest first, so that no long tip sheet is left running alone at the end.
RELATIVE_COST = {"tipsheet": 4, "edition": 4, "desk-aid": 2, "cards": 2, "flyer": 1}


def _render_in_pool(todo: list[Target], catalog: Catalog, options: Options, jobs: int,
                    finished: Callable[[Outcome], None], known: dict[str, tuple[str, ...]], shared: str) -> None:
    global _INHERIT
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = pool_context()
    _INHERIT = catalog if context.get_start_method() == "fork" else None
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                                   initargs=(options, shared))
    try:
        longest_first = sorted(todo, key=lambda t: -RELATIVE_COST.get(t.kind, 1))  # stable: plan order within a kind
        pending = {executor.submit(_work, target, known.get(target.stem, ())): target for target in longest_first}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                target = pending.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    outcome = Outcome(target, "failed", bad_input=False, errors=[
                        f"{target.stem}: the worker process rendering it stopped unexpectedly"])
                except Exception as exc:  # noqa: BLE001
                    outcome = Outcome(target, "failed", bad_input=False,
                                      errors=[f"{target.stem}: {type(exc).__name__}: {exc}"])
                finished(outcome)
    finally:
        _INHERIT = None
        executor.shutdown(wait=True, cancel_futures=True)


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


#: a handout of several pages whose last page is filled less than this is set tighter, if that saves the page
SPARSE_LAST_PAGE = 1 / 3
#: kinds of several pages that may be set tighter (the theme's ``.tight`` class: 10 pt type, less space)
TIGHTENED_KINDS = frozenset({"tipsheet", "edition"})


def tighter(target: Target) -> tuple[dict, str] | None:
    """The tighter setting for a handout of several pages, with its note; None for the other kinds."""
    if target.one_page or target.kind not in TIGHTENED_KINDS:
        return None
    return {"tight": True}, (f"{target.stem}: set slightly tighter (10 pt type) so that it does not end "
                             f"on a nearly empty page")


def layout_key(html: str, shared: str) -> str:
    """What decides how a page lays out: its HTML and the shared theme, fonts and tool (``shared``)."""
    return sha256(f"{shared}\0{html}".encode())[:32]


def choose_layout(target: Target, catalog: Catalog, env, printer, options: Options, font_base: str,  # noqa: ANN001
                  rejected: frozenset[str], shared: str, met: list[str]):  # noqa: ANN201
    """Print ``target`` in the first of its layouts that suits it: ``(result, target as printed, note)``,
    or a failed Outcome for a one-page handout that fits in none.

    A one-page handout tries its fallbacks in order until one fits. A handout of
    several pages that ends on a nearly empty page is tried in the tighter
    setting, kept if that saves a page. ``rejected`` holds the keys of the
    layouts an earlier build rejected (same HTML, same theme: same result), which
    are not laid out again; ``met`` collects this build's.
    """
    from .pdf import last_page_fill

    base_url = catalog.root.as_uri() + "/"
    identifier = f"{target.stem}|{target.locale}"

    def html_of(attempt: Target) -> tuple[str, str]:
        html = render_html(attempt, catalog, env, as_of=options.as_of, for_print=True, font_base=font_base)
        return html, (layout_key(html, shared) if shared else "")

    if not target.one_page:
        html, key = html_of(target)
        tight = tighter(target)
        result = None
        if tight is None or not key or key not in rejected:  # else: known to end nearly empty, saved by tight
            result = printer.print(html, base_url=base_url, identifier=identifier, write=tight is None)
            if tight is None or result.pages < 2 or last_page_fill(result) >= SPARSE_LAST_PAGE:
                return printer.finish(result), target, ""
        tight_target = replace(target, extra={**target.extra, **tight[0]})
        tight_html, tight_key = html_of(tight_target)
        if result is not None and tight_key and tight_key in rejected:  # known not to save a page
            met.append(tight_key)
            return printer.finish(result), target, ""
        tried = printer.print(tight_html, base_url=base_url, identifier=identifier)
        if result is None or tried.pages < result.pages:
            if key:
                met.append(key)
            return tried, tight_target, tight[1]
        if tight_key:
            met.append(tight_key)
        return printer.finish(result), target, ""

    layouts = fallbacks(target, catalog)
    first = None
    for number, (layout, note) in enumerate(layouts):
        attempt = replace(target, extra={**target.extra, **layout})
        html, key = html_of(attempt)
        if key and key in rejected and number < len(layouts) - 1:
            met.append(key)
            continue
        result = printer.print(html, base_url=base_url, identifier=identifier, max_pages=1)
        if result.pages == 1:
            return result, attempt, note
        if key:
            met.append(key)
        if number == 0:
            first = result
    tried = (f"; the fallbacks (fewer sessions, compact layout) still run {result.overflow_mm:.0f} mm past it"
             if len(layouts) > 1 else "")
    if first is None:  # the regular layout was skipped as known to overflow: measure it for the message
        first = printer.print(html_of(target)[0], base_url=base_url, identifier=identifier, max_pages=1)
    return Outcome(target, "failed", errors=[
        f"{target.stem}: does not fit on one page: it runs to {first.pages} pages, "
        f"{first.overflow_mm:.0f} mm past the first{tried} (hint: list fewer programs or "
        f"sessions, or shorten the text)"])


def render_target(target: Target, catalog: Catalog, env, printer, options: Options, *,  # noqa: ANN001
                  rejected: frozenset[str] = frozenset(), shared: str = "", judge=None) -> Outcome:  # noqa: ANN001
    """Render, print and publish one target; all of its files or none.

    ``rejected``: the keys of the layouts an earlier build of this handout
    rejected (see :func:`choose_layout`). ``judge``: a
    :class:`~tipsheets.lint.printed.PrintedJudge`; a handout whose printed text
    has an error-level wording finding is not written.
    """
    from .pdf import FetchRefused

    files: dict[str, bytes] = {}
    pages = 0
    notes: list[str] = []
    met: list[str] = []
    printed: list[str] = []  # the HTML of every flavour written, for the wording gate
    try:
        if "pdf" in options.formats:
            font_base = (builtin_theme() / "fonts").as_uri() + "/"
            chosen = choose_layout(target, catalog, env, printer, options, font_base, rejected, shared, met)
            if isinstance(chosen, Outcome):
                return chosen
            result, target, note = chosen
            pages = result.pages
            if note:
                notes.append(note)
            files[target.output("pdf")] = result.pdf
            if judge is not None:
                printed.append(render_html(target, catalog, env, as_of=options.as_of, for_print=True,
                                           font_base=font_base))
            if options.print_shop:
                files[f"print/{target.output('pdf')}"] = print_shop_pdf(target, catalog, env, printer, options, font_base)
                if judge is not None:
                    printed.append(render_html(target, catalog, env, as_of=options.as_of, for_print=True,
                                               font_base=font_base, print_shop=True))
        if "html" in options.formats:
            html = render_html(target, catalog, env, as_of=options.as_of, for_print=False)
            loads = external_references(html)
            if loads:  # the same fence as the PDF fetcher, for whoever opens the HTML
                raise FetchRefused(f"refused to publish HTML that loads {loads[0][:200]!r}: the page must be "
                                   "self-contained (inline images as data: URIs, no scripts)", loads[0])
            files[target.output("html")] = html.encode("utf-8")
            printed.append(html)
        if judge is not None:  # the wording gate on what is printed: nothing is written past it
            wording = judge.judge_target(target, catalog, env, printed)
            if wording:
                return Outcome(target, "failed", errors=[finding_line(f) for f in wording])
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
    return Outcome(target, "built", files=sorted(files), pages=pages, notes=notes, rejected=met,
                   hashes={name: sha256(data) for name, data in sorted(files.items())})


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
