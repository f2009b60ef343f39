"""Rendering handouts in worker processes, one handout at a time per worker.

Each worker loads WeasyPrint, its fonts and the templates once and renders
handout after handout. A build that is given no :class:`Pool` makes one for
itself and closes it when it ends; a caller that builds again and again
(``tipsheets serve``) keeps one open, so its workers stay warm from build to
build: each build sends a worker only what it renders with (:class:`Work`: the
catalog, the options and the digest of what all handouts share), and a worker
keeps its printer and compiled templates while that digest is the same. The parent hands out the longest handouts
first and waits on the workers themselves, never on the list of handouts still
to do, so the bookkeeping costs the same per handout at any size.

A worker that dies (out of memory, killed) takes only the handout it was
rendering with it: that handout fails with a message naming it and the likely
cause, and a fresh worker takes the rest. A handout that renders for longer
than the time limit fails on its own; its worker is stopped and replaced.
With one job, handouts render in this process under the same time limit.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import multiprocessing
import multiprocessing.connection
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Any, Callable, Iterator

from tipsheets.build.handout import Renderer
from tipsheets.build.options import Options, Outcome
from tipsheets.core.catalog import Catalog
from tipsheets.core.target import Target
from tipsheets.handouts import kind_of

Finished = Callable[[Outcome], None]


def longest_first(todo: list[Target]) -> list[Target]:
    """The handouts in the order to start them: the kinds that take longest first, plan order within a kind."""
    return sorted(todo, key=lambda t: -kind_of(t).cost)


def timed_out(target: Target, seconds: float) -> Outcome:
    return Outcome(target, "failed", errors=[
        f"{target.stem}: stopped after {seconds:g} s of rendering (hint: shorten the text that takes so long "
        "to lay out, or raise render_timeout in tipsheets.yaml)"])


class _Timeout(BaseException):
    """Raised in the rendering thread when its time is up; not an Exception, so nothing on the way catches it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_Timeout` in this thread after ``seconds`` (main thread only; elsewhere no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_here(todo: list[Target], catalog: Catalog, options: Options, finished: Finished,
                known: dict[str, tuple[str, ...]], shared: str, timeout: float) -> None:
    """Render every handout in this process, one after another."""
    renderer = Renderer(catalog, options, shared)
    if todo:
        renderer.warm()
    gc.collect()
    gc.freeze()  # see _worker; thawed again, as this process may go on (tipsheets watch, serve)
    try:
        for target in todo:
            started = time.perf_counter()
            try:
                with _time_limit(timeout):
                    outcome = renderer(target, known.get(target.stem, ()))
            except _Timeout:
                outcome = timed_out(target, timeout)
                outcome.seconds = time.perf_counter() - started
            finished(outcome)
    finally:
        gc.unfreeze()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the build that started it ends, even by SIGKILL,
    so that no orphaned worker goes on writing into the output folder."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass(frozen=True)
class Work:
    """What every handout of one build is rendered with."""

    catalog: Catalog
    options: Options
    #: the build's digest of everything all handouts share (see :func:`~tipsheets.build.digests.environment_digest`)
    shared: str


def _settle() -> None:
    """Leave what is loaded now (the catalog, WeasyPrint, fonts) out of the garbage collector's full
    passes, which otherwise walk it again and again (about 5% of render time, measured)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _worker(conn: multiprocessing.connection.Connection, work: Work | None) -> None:
    """A worker's life: warm up once, then take a build's :class:`Work` and render each handout it is
    sent, build after build, until it is sent None."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    renderer = Renderer(work.catalog, work.options, work.shared) if work is not None else None
    if renderer is not None:
        renderer.warm()
    else:
        import weasyprint  # noqa: F401 - the slow part of warming up, before the first build says what to render
    _settle()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        if isinstance(job, Work):
            renderer = (renderer.renewed(job.catalog, job.options, job.shared) if renderer is not None
                        else Renderer(job.catalog, job.options, job.shared))
            renderer.warm()
            # the new catalog joins what the collector leaves alone; a full collection here would cost a
            # tenth of a second on every save (the old catalog is freed as it is dropped: it holds no cycles)
            gc.freeze()
            continue
        assert renderer is not None, "a handout was sent before its build's Work"
        target, rejected = job
        conn.send(renderer(target, rejected))


def pool_context() -> Any:
    """'fork' on Linux while this process has not loaded WeasyPrint's native libraries, else 'spawn'.

    Forking is the fast way (the worker inherits the loaded catalog and modules);
    it is safe only before Pango and Fontconfig have been initialised here.
    """
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


@dataclass
class _Worker:
    process: Any
    conn: multiprocessing.connection.Connection
    #: the number of the build whose Work this worker holds (0: none yet)
    build: int = 0
    #: the handout it is rendering, and since when
    job: Target | None = None
    started: float = 0.0


def _why(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            return f"it was killed ({name}), most likely because the machine ran out of memory"
        return f"it was stopped by {name}"
    return f"it exited with code {exitcode}"


class Interrupted(Exception):
    """The pool was stopped (:meth:`Pool.stop`) while a build was rendering with it."""


class Pool:
    """Worker processes that render handouts, each one at a time; reusable from one build to the next.

    ``with Pool(jobs) as pool: build(options, pool=pool)`` and again: the
    workers start with the first build and stay until :meth:`close`. Workers
    are started by forking while this process has not loaded WeasyPrint (see
    :func:`pool_context`); start them before this process starts threads of
    its own, with :meth:`start`.
    """

    def __init__(self, jobs: int) -> None:
        self.size = max(1, jobs)
        self.workers: list[_Worker] = []
        self._builds = itertools.count(1)
        self._build = 0
        self._work: Work | None = None
        self._stopped = False

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, work: Work | None = None) -> None:
        """Start the workers that are not running yet; forked ones begin with ``work`` already loaded."""
        if work is not None and work is not self._work:
            self._work, self._build = work, next(self._builds)
        while len(self.workers) < self.size and not self._stopped:
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        context = pool_context()
        # a forked worker inherits the Work as it is; a spawned one is sent it, pickled, with its first handout
        inherited = self._work if context.get_start_method() == "fork" else None
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, inherited), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent, build=self._build if inherited is not None else 0)

    def _replace(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        index = self.workers.index(worker)
        if self._stopped:
            del self.workers[index]
        else:
            self.workers[index] = self._start()

    def run(self, todo: list[Target], work: Work, finished: Finished, known: dict[str, tuple[str, ...]],
            timeout: float) -> None:
        """Render ``todo`` with ``work``, calling ``finished`` with each outcome as it comes.

        Raises :class:`Interrupted` when :meth:`stop` was called; the handouts
        not yet finished are left as they were.
        """
        self.start(work)
        waiting = list(reversed(longest_first(todo)))  # popped from the end
        sent: bytes | None = None  # the Work, pickled once for every worker that needs it
        while waiting or any(w.job is not None for w in self.workers):
            if self._stopped:
                raise Interrupted("the build was stopped")
            for worker in self.workers:
                if worker.job is None and waiting:
                    target = waiting.pop()
                    if worker.build != self._build:
                        sent = sent if sent is not None else bytes(ForkingPickler.dumps(work))
                        worker.conn.send_bytes(sent)  # received as the Work itself
                        worker.build = self._build
                    worker.conn.send((target, known.get(target.stem, ())))
                    worker.job, worker.started = target, time.perf_counter()
            busy = [w for w in self.workers if w.job is not None]
            deadline = min(w.started for w in busy) + timeout if timeout > 0 else None
            wait_for = None if deadline is None else max(0.0, deadline - time.perf_counter())
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                                                    timeout=wait_for)
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._collect(worker, finished)
            if timeout > 0:
                now = time.perf_counter()
                for worker in list(self.workers):
                    if worker.job is not None and now - worker.started >= timeout:
                        outcome = timed_out(worker.job, timeout)
                        outcome.seconds = now - worker.started
                        worker.job = None
                        self._replace(worker)
                        finished(outcome)

    def _collect(self, worker: _Worker, finished: Finished) -> None:
        target = worker.job
        assert target is not None
        try:
            outcome: Outcome = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            worker.job = None
            if self._stopped:
                raise Interrupted("the build was stopped") from None
            outcome = Outcome(target, "failed", bad_input=False, errors=[
                f"{target.stem}: the worker process rendering it stopped unexpectedly: "
                f"{_why(worker.process.exitcode)}"])
            outcome.seconds = time.perf_counter() - worker.started
            self._replace(worker)
            finished(outcome)
            return
        worker.job = None
        finished(outcome)

    def stop(self) -> None:
        """End every worker now, from any thread: a build rendering with this pool raises :class:`Interrupted`
        (what it finished is kept, as after Ctrl-C). The pool starts no worker after this."""
        self._stopped = True
        for worker in list(self.workers):
            if worker.process.is_alive():
                worker.process.kill()

    def close(self) -> None:
        """Let each worker finish what it renders, end it, and wait for it (ended by force after 5 s)."""
        self._stopped = True
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers = []
