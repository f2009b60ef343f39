"""Running ``tipsheets serve`` for the tests: a real process on a free port, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = "2026-11-25"
#: how long the first build of the small project may take on a busy machine (a wait, not a measurement)
START_SECONDS = 240


def small_project(root: Path) -> Path:
    """A copy of the one-tip-sheet test project."""
    project = root / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    return project


class Served:
    """``tipsheets serve`` running in its own process; its output, address and worker processes."""

    def __init__(self, project: Path, *args: str) -> None:
        self.project = project
        command = [sys.executable, "-c",
                   f"import sys; sys.path.insert(0, {str(SRC)!r}); from tipsheets.cli import main; main()",
                   "serve", "--project", str(project), "--as-of", AS_OF, "--port", "0", *args]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = self._wait_for_address()
        match = re.match(r"http://([^/]+):(\d+)/", self.url)
        assert match
        self.host, self.port = match.group(1), int(match.group(2))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.search(r"serving (http://\S+/)", line)
                if match:
                    return match.group(1)
            if self.process.poll() is not None:
                time.sleep(0.2)
                raise AssertionError(f"tipsheets serve ended ({self.process.returncode}):\n{self.output}")
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"tipsheets serve did not start:\n{self.output}")

    def wait_for_line(self, pattern: str, after: int = 0, timeout: float = 120) -> str:
        """The first output line from index ``after`` on that matches ``pattern``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if re.search(pattern, line):
                    return line
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r}:\n{self.output}")

    def workers(self) -> list[int]:
        """The processes this one started (the build's workers), from every thread."""
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
        return pids

    def stop(self, sig: int = signal.SIGINT, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._reader.join(timeout=5)
        return code

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def request(port: int, target: str, *, host: str | None = None, headers: str | None = None,
            source: str = "127.0.0.1", method: str = "GET") -> tuple[int, bytes]:
    """Send one raw HTTP/1.1 request to 127.0.0.1:``port`` from ``source``; the status and body.

    Raw bytes, so the request target reaches the server exactly as written (no client tidies ``..``).
    """
    lines = f"{method} {target} HTTP/1.1\r\n"
    if headers is None:
        lines += f"Host: {host if host is not None else f'127.0.0.1:{port}'}\r\n"
    else:
        lines += headers
    lines += "Connection: close\r\n\r\n"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(lines.encode("latin-1"))
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


def response_headers(port: int, target: str) -> dict[str, str]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        response.read()
        return {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()

