"""``tipsheets watch``: rebuild what a saved file affects, report, and keep watching.

The loop is separate from the file events so it can be driven by any source of
change batches: :func:`watch_changes` yields real ones from watchfiles, a test
can pass a list. Each batch runs an incremental build — the target digests
decide which handouts a change affects — and an error while building one batch
is reported without ending the watch.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from tipsheets.build.options import BuildResult, Options
from tipsheets.build.pipeline import build
from tipsheets.core.collector import thaw
from tipsheets.core.catalog import CONFIG_NAME

#: what a project's handouts are made from
WATCHED = ("content", "templates", "locale", CONFIG_NAME)


def watched_paths(project: Path) -> list[Path]:
    return [project / name for name in WATCHED if (project / name).exists()]


def relevant(path: str | Path, project: Path, out_dir: Path) -> bool:
    """A change worth a rebuild: not in the output folder, not an editor's or build's temporary file."""
    p = Path(path)
    name = p.name
    if name.startswith((".", "#")) or name.endswith(("~", ".tmp", ".swp", ".swx")):
        return False
    try:
        if p.resolve().is_relative_to(out_dir.resolve()):
            return False
    except OSError:
        return False
    return True


def watch_changes(project: Path, out_dir: Path, *, debounce_ms: int = 200,
                  stop: threading.Event | None = None) -> Iterator[set[Path]]:
    """Batches of changed files under the project's content, templates and settings."""
    from watchfiles import watch  # imported when first needed: slow to import, and not every command needs it

    paths = watched_paths(project)
    if not paths:
        return
    for changes in watch(*paths, debounce=debounce_ms, stop_event=stop, raise_interrupt=True,
                         watch_filter=lambda _change, path: relevant(path, project, out_dir)):
        yield {Path(path) for _change, path in changes}


def watch_loop(options: Options, batches: Iterable[set[Path]], *,
               on_result: Callable[[set[Path], BuildResult], None],
               on_error: Callable[[set[Path], BaseException], None],
               build_fn: Callable[[Options], BuildResult] = build) -> int:
    """Rebuild once per batch of changes; returns how many batches were handled.

    Bad content is reported by the build itself; any other error while building
    one batch goes to ``on_error`` and the loop goes on with the next batch.
    """
    handled = 0
    for changes in batches:
        handled += 1
        try:
            result = build_fn(replace(options, only=()))
        except Exception as exc:  # noqa: BLE001 - one bad save must not end the watch
            on_error(changes, exc)
            continue
        finally:
            thaw()  # builds again and again: nothing frozen may outlive its build
        on_result(changes, result)
    return handled
