"""One build at a time in an output folder.

A build holds an exclusive lock on ``output/.tipsheets-lock`` while it writes.
A second build into the same folder waits for it (and says so). The lock file
also names the build that holds it (its tag), so that the next build can sweep
away the temporary files of a build that was killed, and only those.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import Callable

from tipsheets.publish.output import TAG, OutputError

LOCK_NAME = ".tipsheets-lock"


class OutputLock:
    """``with OutputLock(out_dir) as lock:`` — ``lock.tag`` names this build; ``lock.stale`` the killed ones."""

    def __init__(self, out_dir: Path, *, on_wait: Callable[[str], None] | None = None) -> None:
        self.out_dir = out_dir
        self.on_wait = on_wait
        self.tag = secrets.token_hex(6)
        #: tags of builds that held the lock and did not finish (killed): their temporary files may go
        self.stale: set[str] = set()
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise OutputError(f"cannot write to {self.out_dir}: it is a file, not a folder")
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot write to {self.out_dir}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.on_wait is not None:
                self.on_wait(f"another build is writing to {self.out_dir}; waiting for it to finish")
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        previous = os.read(self._fd, 256).decode("ascii", "replace").strip()
        if TAG.match(previous):  # written by a build that never finished: it was killed
            self.stale.add(previous)
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{self.tag}\n".encode())
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)  # finished: nothing of this build is left to sweep
        except OSError:
            pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

