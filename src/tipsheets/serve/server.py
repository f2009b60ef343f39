"""Running the preview: bind the address, build, serve with uvicorn, and stop cleanly.

The address is bound before the first build, so a port in use is said at
once. The first build runs in this thread before any other starts: the
workers are forked from a process with one thread, and Linux ends them when
this thread ends (see :mod:`tipsheets.build.pool`). Ctrl-C (or SIGTERM) makes
uvicorn stop accepting, ends every event stream, stops the build under way
and the workers, and waits for them: no worker outlives the server.
"""

from __future__ import annotations

import errno
import signal
import socket
from types import FrameType
from typing import Callable

import uvicorn

from tipsheets.serve.app import make_app
from tipsheets.serve.session import Session


class ServeError(Exception):
    """The address cannot be served (one line for the user)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"--host {host}: not an address of this computer ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use (hint: give another with --port, "
                             "or --port 0 for any free port)") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def address_of(sock: socket.socket) -> tuple[str, int]:
    host, port = sock.getsockname()[:2]
    return host, port


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class _Server(uvicorn.Server):
    """uvicorn's server, which also ends the event streams and the build under way on Ctrl-C or SIGTERM."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(session: Session, sock: socket.socket) -> None:
    """Serve ``session`` on ``sock`` (listening already: a browser may connect before this starts) until
    Ctrl-C or SIGTERM, raised here as KeyboardInterrupt, rebuilding on each save."""
    host, port = address_of(sock)
    app, preview = make_app(session, host=host, port=port)
    config = uvicorn.Config(app, http="h11", ws="none", lifespan="on", log_level="warning", access_log=False,
                            proxy_headers=False, server_header=False, timeout_graceful_shutdown=3)

    def on_exit() -> None:
        preview.close_streams()
        session.pool.stop()

    server = _Server(config, on_exit)
    interrupted: list[int] = []

    def stop_serving(signum: int, frame: FrameType | None) -> None:
        # while uvicorn runs, outside the few moments its own handlers are in place (starting, and after it
        # gives them back): a KeyboardInterrupt raised inside asyncio's start or shutdown leaves its loop unclosed
        interrupted.append(signum)
        if not server.should_exit:
            server.handle_exit(signum, frame)

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGTERM, _interrupt)  # while the first build runs: unwind, do not die
    try:
        session.start()
        for sig in previous:
            signal.signal(sig, stop_serving)
        server.run(sockets=[sock])
        if interrupted:
            raise KeyboardInterrupt
    finally:
        for sig, handler in previous.items():
            if handler is not None:  # None: set outside Python, and nothing here changed it
                signal.signal(sig, handler)

