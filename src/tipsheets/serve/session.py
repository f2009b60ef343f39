"""A project being previewed: its builds, what each handout's preview shows, and who to tell of a change.

A :class:`Session` builds in one thread of its own, one build at a time, with
a :class:`~tipsheets.build.pool.Pool` kept open from build to build (its
workers stay warm) and the content files it parsed last time
(:class:`~tipsheets.core.catalog.KeptEntries`). Saves that arrive while it
builds are gathered into the next build. The build's digests decide what is
rendered again.

For each handout the session keeps a :class:`HandoutView`: what its preview
page shows besides its files (its build errors, its wording findings, its
notes). As a build goes, each handout's new view is compared with the last
one, and the pages that changed are told at once, before the build moves on
to the gallery: an :class:`Update` names the address of every page whose
content changed, so each open page knows whether to reload.

pdfium may not run in two threads at once, and the build uses it for the
gallery's thumbnails, so the preview's page pictures are rendered in the
session's thread too, between builds (:meth:`Session.pictures`).
"""

from __future__ import annotations

import queue
import secrets
import threading
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping

from tipsheets.build.gate import broken_files, finding_line
from tipsheets.build.options import BuildResult, Checked, Options, Outcome
from tipsheets.build.pipeline import build
from tipsheets.core.collector import thaw
from tipsheets.build.pool import Interrupted, Pool
from tipsheets.core.catalog import KeptEntries
from tipsheets.core.target import Target
from tipsheets.publish import record
from tipsheets.publish.gallery import INDEX
from tipsheets.publish.output import sha256
from tipsheets.serve.pictures import PagePictures, Picture, digest
from tipsheets.serve.watch import watch_changes

#: every address the server answers itself starts with this; no output file can (names start with a letter)
PREFIX = "/_tipsheets"
#: the gallery, the first page
GALLERY_PAGES = frozenset({"/", f"/{INDEX}"})
#: error lines a page's banner shows at most
BANNER_LINES = 30


def preview_page(stem: str) -> str:
    """The address of a handout's preview page."""
    return f"{PREFIX}/preview/{stem}"


def handout_page(stem: str) -> str:
    """The address of a handout's web version."""
    return f"/{stem}.html"


@dataclass(frozen=True)
class HandoutView:
    """What a handout's preview page shows besides its files, as of the last build."""

    stem: str
    title: str
    kind: str
    locale: str
    #: False when the last build could not make it (its last good files stay on view)
    ok: bool
    #: why it was not built: its own errors and those of the files it reads, one line each
    errors: tuple[str, ...] = ()
    #: (level, line) of each wording finding in the files it reads, each line ``file:line:col: ...``
    findings: tuple[tuple[str, str], ...] = ()
    #: cross-file warnings about the files it reads, one line each
    warnings: tuple[str, ...] = ()
    #: what the build noted about it, such as a fallback layout
    notes: tuple[str, ...] = ()
    #: pages in its PDF, when the build said (0: not known)
    pages: int = 0
    #: (output file, sha256) of each file of its last good build
    files: tuple[tuple[str, str], ...] = ()
    #: the content files it reads
    inputs: tuple[str, ...] = ()

    def file(self, name: str) -> str | None:
        """The sha256 of the output file ``name`` (relative to the output folder), when it has one."""
        return dict(self.files).get(name)


@dataclass(frozen=True)
class Update:
    """A change the session tells every open page of: the pages whose content changed."""

    generation: int
    pages: frozenset[str]


@dataclass
class _Progress:
    """What the current build has found out so far."""

    checked: Checked | None = None
    broken: dict[str, list[str]] | None = None
    #: stems that had an outcome in this build, or whose source file no longer loads
    seen: set[str] | None = None


#: a PDF's sha256 and the pictures of its pages
DrawnPages = tuple[str, list[Picture]]


@dataclass(frozen=True)
class _PictureJob:
    pdf: bytes
    future: Future[DrawnPages]


Listener = Callable[[Update], None]
OnResult = Callable[[set[Path], BuildResult], None]
OnOutcome = Callable[[Outcome], None]
OnError = Callable[[set[Path], BaseException], None]


class Session:
    """A project being previewed: builds with warm workers, keeps each handout's view, tells pages what changed."""

    def __init__(self, options: Options, jobs: int) -> None:
        # what a preview shows: PDF and web version, the wording gate on, the gallery
        self.options = replace(options, formats=("pdf", "html"), only=(), lint=True, gallery=True, jobs=jobs,
                               print_shop=False, force=False, shard=None)
        self.id = secrets.token_hex(8)
        self.pool = Pool(jobs)
        self.parsed = KeptEntries()
        self.page_pictures = PagePictures()
        self._views: dict[str, HandoutView] = {}
        self._targets: dict[str, Target] = {}
        self._errors: list[str] = []
        self._gallery = ""
        self._generation = 0
        self._changed_at: dict[str, int] = {}
        self._listeners: list[Listener] = []
        #: the pages that have an event stream open, and how many (a page may be open in several tabs)
        self._open: dict[str, int] = {}
        self._lock = threading.Lock()
        self._jobs: queue.Queue[set[Path] | _PictureJob | None] = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        #: called (in the session's thread) with the files a save changed, before the rebuild they cause
        self.on_changes: Callable[[set[Path]], None] | None = None
        self.on_outcome: OnOutcome | None = None
        self.on_result: OnResult | None = None
        self.on_error: OnError | None = None

    # ------------------------------------------------------------------ building

    def build_now(self, changes: set[Path] | None = None) -> BuildResult:
        """Build in this thread. The first build: start the workers here, before any thread of the server."""
        if not self._threads:
            record.forget(self.options.out_dir)  # the full build: the preview needs the checks' findings
            # the workers first, forked while this is the only thread; then the watcher, so that a save
            # made during the first build is built next
            self.pool.start()
            watcher = threading.Thread(target=self._watch, name="tipsheets-watcher", daemon=True)
            self._threads.append(watcher)
            watcher.start()
        return self._build(changes or set())

    def start(self) -> None:
        """Start the thread that rebuilds on each save (and watching, if the first build did not)."""
        if not self._threads:
            watcher = threading.Thread(target=self._watch, name="tipsheets-watcher", daemon=True)
            self._threads.append(watcher)
            watcher.start()
        builder = threading.Thread(target=self._run, name="tipsheets-builder", daemon=True)
        self._threads.append(builder)
        builder.start()

    def changed(self, paths: set[Path]) -> None:
        """Ask for a rebuild after these files changed (the watcher calls this on each save)."""
        self._jobs.put(set(paths))

    def close(self) -> None:
        """Stop watching and building, end the workers (a build under way stops, keeping what it finished)."""
        self._stop.set()
        self.pool.stop()
        self._jobs.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        self.pool.close()
        while True:  # nobody will render these now
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if isinstance(job, _PictureJob):
                job.future.cancel()
        with self._lock:
            self._listeners.clear()

    def _watch(self) -> None:
        try:
            for batch in watch_changes(self.options.project, self.options.out_dir, stop=self._stop):
                self._jobs.put(batch)
        except Exception as exc:  # noqa: BLE001 - say so; the server goes on with what it has
            if self.on_error:
                self.on_error(set(), exc)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if isinstance(job, _PictureJob):
                self._draw(job)
                continue
            changes = set(job)
            stop = False
            while True:  # saves that came while the last build ran: one build for all of them
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                elif isinstance(more, _PictureJob):
                    self._draw(more)
                else:
                    changes |= more
            if stop or self._stop.is_set():
                return
            try:
                if self.on_changes:
                    self.on_changes(changes)
                self._build(changes)
            except Interrupted:
                return
            except Exception as exc:  # noqa: BLE001 - one bad save must not end the preview
                with self._lock:
                    self._errors = [f"rebuild failed: {type(exc).__name__}: {exc}"]
                self._publish({}, set(), always=True)
                if self.on_error:
                    self.on_error(changes, exc)

    def _build(self, changes: set[Path]) -> BuildResult:
        progress = _Progress()
        try:
            result = build(self.options, on_event=lambda o: self._finished(o, progress),
                           on_checked=lambda c: self._checked(c, progress), pool=self.pool, parsed=self.parsed)
        finally:
            thaw()  # builds again and again: nothing frozen may outlive its build
        if progress.checked is not None:  # else nothing had changed since the last clean build
            assert progress.seen is not None
            gone = {stem: None for stem in self._views if stem not in progress.seen}
            self._publish(gone, set())
            for stem in gone:
                self._targets.pop(stem, None)
        errors = list(result.errors) + [line for o in result.failed for line in o.errors]
        errors += [result.gallery_error] if result.gallery_error else []
        gallery = self._gallery_digest()
        pages = set(GALLERY_PAGES) if gallery != self._gallery else set()
        with self._lock:
            self._errors = list(dict.fromkeys(errors))
            self._gallery = gallery
        self._publish({}, pages, always=True)  # the banners read the errors: every page hears of each build
        if self.on_result:
            self.on_result(changes, result)
        return result

    def _gallery_digest(self) -> str:
        try:
            return sha256((self.options.out_dir / INDEX).read_bytes())
        except OSError:
            return ""

    def _checked(self, checked: Checked, progress: _Progress) -> None:
        progress.checked = checked
        progress.broken = broken_files(checked.catalog, checked.problems)
        progress.seen = set()
        # a handout whose own file no longer loads is not planned, so no outcome comes for it: it failed
        planned = {t.stem for t in checked.targets}
        failed = {}
        for stem, target in self._targets.items():
            if stem not in planned and target.inputs and target.inputs[0] in checked.catalog.failed:
                failed[stem] = self._view(target, "failed", [], [], [], progress)
                progress.seen.add(stem)
        self._publish(failed, set())

    def _finished(self, outcome: Outcome, progress: _Progress) -> None:
        if self.on_outcome:
            self.on_outcome(outcome)
        if progress.checked is None or progress.seen is None:  # nothing changed: the outcomes are the record's
            return
        target = outcome.target
        progress.seen.add(target.stem)
        self._targets[target.stem] = target
        written = sorted((name, file.sha256) for name, file in outcome.written.items())
        view = self._view(target, outcome.status, outcome.errors, outcome.notes, written, progress, pages=outcome.pages)
        self._publish({target.stem: view}, set())
        if outcome.status == "built" and self.is_open(preview_page(target.stem)):
            self._draw_now(target.stem)  # its preview is reloading now: its pictures next, before the gallery

    def _draw_now(self, stem: str) -> None:
        try:
            pdf = (self.options.out_dir / f"{stem}.pdf").read_bytes()
        except OSError:
            return
        try:
            self.page_pictures.render(pdf)
        except Exception:  # noqa: BLE001 - the preview page says so when it asks for them
            pass

    def _view(self, target: Target, status: str, errors: list[str], notes: list[str],
              files: list[tuple[str, str]], progress: _Progress, pages: int = 0) -> HandoutView:
        """The view of ``target`` after an outcome with this status, errors, notes and files."""
        checked, broken = progress.checked, progress.broken
        assert checked is not None and broken is not None
        inputs = set(target.inputs)
        lines = list(errors) + [line for file in target.inputs for line in broken.get(file, [])]
        findings = [(f.level, finding_line(f)) for f in checked.findings or () if f.file in inputs]
        warnings = [p.format() for p in checked.problems if p.level == "warning" and p.file in inputs]
        previous = self._views.get(target.stem)
        if status == "failed":  # the last good files stay on view, with what was noted about them
            files = list(previous.files) if previous else []
            notes = list(previous.notes) if previous else []
            pages = previous.pages if previous else 0
        elif status == "skipped":  # the same files as last time: the same notes
            same = previous is not None and list(previous.files) == files
            notes = list(previous.notes) if same and previous else []
            pages = previous.pages if same and previous else 0
        return HandoutView(
            stem=target.stem, title=target.title or target.id, kind=target.kind, locale=target.locale,
            ok=status != "failed", errors=tuple(dict.fromkeys(lines)), findings=tuple(findings),
            warnings=tuple(warnings), notes=tuple(notes), pages=pages, files=tuple(files), inputs=target.inputs)

    def _publish(self, views: Mapping[str, HandoutView | None], pages: set[str], *, always: bool = False) -> None:
        """Keep ``views`` and tell every listener which pages changed, when any did (or ``always``)."""
        changed = set(pages)
        with self._lock:
            for stem, view in views.items():
                old = self._views.get(stem)
                if view == old:
                    continue
                changed.add(preview_page(stem))
                html = f"{stem}.html"
                if (old.file(html) if old else None) != (view.file(html) if view else None):
                    changed.add(handout_page(stem))
                if view is None:
                    self._views.pop(stem, None)
                else:
                    self._views[stem] = view
            if not changed and not always:
                return
            self._generation += 1
            for page in changed:
                self._changed_at[page] = self._generation
            update = Update(self._generation, frozenset(changed))
            listeners = list(self._listeners)
        for listener in listeners:
            listener(update)

    # ------------------------------------------------------------------ what pages read

    @property
    def generation(self) -> int:
        with self._lock:
            return self._generation

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` (from the session's thread) with every :class:`Update`; returns how to stop."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def opened(self, page: str) -> Callable[[], None]:
        """Note that ``page`` has an event stream open; returns how to note that it closed."""
        with self._lock:
            self._open[page] = self._open.get(page, 0) + 1

        def closed() -> None:
            with self._lock:
                self._open[page] -= 1
                if not self._open[page]:
                    del self._open[page]

        return closed

    def is_open(self, page: str) -> bool:
        with self._lock:
            return page in self._open

    def view(self, stem: str) -> HandoutView | None:
        with self._lock:
            return self._views.get(stem)

    def views(self) -> list[HandoutView]:
        with self._lock:
            return [self._views[stem] for stem in sorted(self._views)]

    def written(self, name: str, sha: str) -> bool:
        """Whether the output file ``name`` (relative) with this sha256 is a page the build wrote: a handout's web
        page as its build recorded it, or the gallery as the last build left it. Only those were fenced."""
        with self._lock:
            if name == INDEX:
                return bool(sha) and sha == self._gallery
            view = self._views.get(name.removesuffix(".html")) if name.endswith(".html") else None
            return view is not None and view.file(name) == sha

    def changed_since(self, page: str, generation: int) -> bool:
        """Whether ``page`` changed after the update numbered ``generation``."""
        with self._lock:
            return self._changed_at.get(page, 0) > generation

    def banner(self, page: str) -> list[str]:
        """The error lines to show over a page the build wrote: the gallery shows every error of the last
        build, a handout's web version its own (a preview page shows them itself)."""
        with self._lock:
            if page in GALLERY_PAGES:
                return self._errors[:BANNER_LINES]
            if page.endswith(".html"):
                view = self._views.get(page[1:-len(".html")])
                if view is not None and not view.ok:
                    return list(view.errors[:BANNER_LINES])
            return []

    def pictures(self, pdf: bytes) -> Future[DrawnPages]:
        """A future of (sha256, pictures of the pages) of ``pdf``: at once when kept, else drawn in the
        session's thread after the build under way."""
        future: Future[DrawnPages] = Future()
        sha = digest(pdf)
        kept = self.page_pictures.get(sha)
        if kept is not None:
            future.set_result((sha, kept))
        elif self._stop.is_set():
            future.cancel()
        else:
            self._jobs.put(_PictureJob(pdf, future))
        return future

    def _draw(self, job: _PictureJob) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            job.future.set_result(self.page_pictures.render(job.pdf))
        except Exception as exc:  # noqa: BLE001 - a PDF pdfium cannot read: the page says so
            job.future.set_exception(exc)


__all__ = ["GALLERY_PAGES", "HandoutView", "PREFIX", "Picture", "Session", "Update", "handout_page", "preview_page"]
