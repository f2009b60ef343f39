"""Rendering handouts in worker processes, one handout at a time per worker.

Each worker loads the catalog, WeasyPrint, its fonts and the templates once
and renders handout after handout. The parent hands out the longest handouts
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
import multiprocessing
import multiprocessing.connection
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from tipsheets.build.handout import Renderer
from tipsheets.build.options import Options, Outcome
from tipsheets.core.catalog import Catalog
from tipsheets.core.target import Target
from tipsheets.handouts import kind_of
from tipsheets.project import load_project

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


def _worker(conn: multiprocessing.connection.Connection, options: Options, shared: str,
            catalog: Catalog | None) -> None:
    """A worker's life: load once, then render each handout it is sent until it is sent None."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    renderer = Renderer(catalog if catalog is not None else load_project(options.project), options, shared)
    renderer.warm()
    # What is loaded now (the catalog, WeasyPrint, fonts) lives as long as the worker: leave it out
    # of the garbage collector's full passes, which otherwise walk it again and again (about 5% of
    # render time, measured).
    gc.collect()
    gc.freeze()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
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


class Pool:
    """Worker processes for one build; each renders one handout at a time."""

    def __init__(self, jobs: int, catalog: Catalog, options: Options, shared: str) -> None:
        self.context = pool_context()
        self.catalog = catalog if self.context.get_start_method() == "fork" else None
        self.options = options
        self.shared = shared
        self.workers = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.options, self.shared, self.catalog),
                                       daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._start()

    def run(self, todo: list[Target], finished: Finished, known: dict[str, tuple[str, ...]],
            timeout: float) -> None:
        waiting = list(reversed(longest_first(todo)))  # popped from the end
        while waiting or any(w.job is not None for w in self.workers):
            for worker in self.workers:
                if worker.job is None and waiting:
                    target = waiting.pop()
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
                for worker in self.workers:
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
            outcome = Outcome(target, "failed", bad_input=False, errors=[
                f"{target.stem}: the worker process rendering it stopped unexpectedly: "
                f"{_why(worker.process.exitcode)}"])
            outcome.seconds = time.perf_counter() - worker.started
            worker.job = None
            self._replace(worker)
            finished(outcome)
            return
        worker.job = None
        finished(outcome)

    def close(self) -> None:
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


def render_in_pool(todo: list[Target], catalog: Catalog, options: Options, jobs: int, finished: Finished,
                   known: dict[str, tuple[str, ...]], shared: str, timeout: float) -> None:
    pool = Pool(jobs, catalog, options, shared)
    try:
        pool.run(todo, finished, known, timeout)
    finally:
        pool.close()
