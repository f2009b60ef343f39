"""The preview server as an ASGI application (Starlette): what it answers, and whom.

Whom: a request is answered only when its ``Host`` header names the address
being served (a page on another site that has its own name point at
127.0.0.1, DNS rebinding, is refused) and, when the server listens on the
loopback address, only when it comes from 127.0.0.1 (:class:`Guard`). Only GET
(and HEAD) are answered.

What:

- ``/`` and every other path: a file under the output folder, found by
  :func:`output_file`, never a folder listing. A page the build wrote is
  served with the reload script (:mod:`tipsheets.serve.pages`).
- ``/_tipsheets/preview/<stem>``: a handout's preview page.
- ``/_tipsheets/pages/<sha256>/<n>.png``: a picture of page n of the PDF with that digest.
- ``/_tipsheets/events``: the event stream that tells an open page to reload (server-sent events).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import secrets
import stat
from concurrent.futures import Future
from pathlib import Path
from typing import Any, AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from tipsheets.publish.gallery import INDEX
from tipsheets.publish.output import sha256
from tipsheets.serve.pages import (PageLink, header_policy, inject, not_found_page, page_links, picture_url,
                                   render_preview, script_config, served_policy)
from tipsheets.serve.pictures import PAGE_WIDTH, digest
from tipsheets.serve.session import PREFIX, DrawnPages, Session, Update, handout_page, preview_page

#: what the server says each kind of output file is; anything else is offered as a download
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".ics": "text/calendar; charset=utf-8",
}
#: the largest output file the server reads to send (a PDF of many pages weighs a few MB)
MAX_FILE_BYTES = 256 * 1024 * 1024
#: seconds between keep-alive comments on an idle event stream (they find a closed connection)
KEEPALIVE_SECONDS = 15.0
#: a page's size on the preview before its picture is drawn: Letter
LETTER = (PAGE_WIDTH, round(PAGE_WIDTH * 11 / 8.5))

_COMMON_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",  # no other site may load these files into its pages
}


# --------------------------------------------------------------------------- whom


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values that name the served address (lower case)."""
    literal = f"[{host}]" if ":" in host and not host.startswith("[") else host
    names = {f"{literal.lower()}:{port}"}
    if is_loopback(host):
        names |= {f"localhost:{port}", f"127.0.0.1:{port}"}
    return frozenset(names)


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return False


class Guard:
    """Refuses a request that does not name the served address in its ``Host`` header or, when the server
    listens on loopback, that does not come from 127.0.0.1; answers only GET and HEAD."""

    def __init__(self, app: ASGIApp, *, host: str, port: int) -> None:
        self.app = app
        self.host, self.port = host, port
        self.hosts = allowed_hosts(host, port)
        #: listening on every address (0.0.0.0, ::): any address of this machine may be named, but no name
        self.any_address = host in ("0.0.0.0", "::")
        self.clients = frozenset({"127.0.0.1", "::1"}) if is_loopback(host) else None

    def host_allowed(self, value: str) -> bool:
        value = value.lower()
        if value in self.hosts:
            return True
        if self.any_address:
            name, _, port = value.rpartition(":")
            return port == str(self.port) and _is_ip_literal(name)
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})
            return
        client = scope.get("client")
        if self.clients is not None and (client is None or client[0] not in self.clients):
            await _refuse(scope, receive, send, 403, "refused: this preview answers only this computer (127.0.0.1)")
            return
        hosts = [value.decode("latin-1") for name, value in scope["headers"] if name == b"host"]
        if len(hosts) != 1 or not self.host_allowed(hosts[0]):
            await _refuse(scope, receive, send, 403, "refused: the Host header does not name this preview's address")
            return
        if scope["method"] not in ("GET", "HEAD"):
            await _refuse(scope, receive, send, 405, "only GET and HEAD are answered", {"Allow": "GET, HEAD"})
            return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, text: str,
                  headers: dict[str, str] | None = None) -> None:
    response = PlainTextResponse(text + "\n", status_code=status,
                                 headers={**_COMMON_HEADERS, **(headers or {}),
                                          "Content-Security-Policy": header_policy(served_policy(None))})
    await response(scope, receive, send)


# --------------------------------------------------------------------------- what


def output_file(root: Path, path: str) -> Path | None:
    """The regular file under ``root`` (the output folder, resolved) that the URL path ``path`` (percent-decoded)
    names, or None: for a folder, a name that starts with a dot (``..``, the build's own records, temporary
    files), an empty segment (``//``), a backslash or NUL, or any symbolic link on the way."""
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    relative = path[1:] or INDEX
    parts = relative.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None
    current = root
    try:
        for part in parts:
            current = current / part
            mode = os.lstat(current).st_mode
            if stat.S_ISLNK(mode):
                return None
    except (OSError, ValueError):
        return None
    return current if stat.S_ISREG(mode) else None


def read_file(path: Path) -> bytes | None:
    """The bytes of a regular file, opened without following a link; None when that is not what it is."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        return handle.read(MAX_FILE_BYTES + 1)


def _response(body: bytes, content_type: str, policy: str | None, status: int = 200,
              extra: dict[str, str] | None = None) -> Response:
    headers = dict(_COMMON_HEADERS)
    if policy is not None:
        headers["Content-Security-Policy"] = header_policy(policy)
    headers.update(extra or {})
    return Response(body, status_code=status, media_type=content_type, headers=headers)


def _not_found(message: str = "Nothing is served at this address.") -> Response:
    return _response(not_found_page(message), "text/html; charset=utf-8", served_policy(None), status=404)


class Preview:
    """The routes, over one :class:`Session` and its output folder."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.root = session.options.out_dir.resolve()
        self.streams: set[asyncio.Queue[Update | None]] = set()
        #: the pictures being drawn, by the PDF's digest, for the picture addresses a preview page sent
        self.drawing: dict[str, Future[DrawnPages]] = {}
        #: each handout's page size on its preview page, as last drawn
        self.sizes: dict[str, tuple[int, int]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Any = None

    # ---- the event stream

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.loop = asyncio.get_running_loop()
        self._unsubscribe = self.session.subscribe(self._from_session)
        try:
            yield
        finally:
            self.close_streams()

    def _from_session(self, update: Update) -> None:  # in the session's thread
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._deliver, update)

    def _deliver(self, update: Update | None) -> None:
        for stream in list(self.streams):
            stream.put_nowait(update)

    def close_streams(self) -> None:
        """End every event stream (the server is stopping); safe from a signal handler."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._deliver, None)

    async def events(self, request: Request) -> Response:
        page = request.query_params.get("page", "")
        try:
            since = int(request.query_params.get("since", "0"))
        except ValueError:
            since = 0
        stale = request.query_params.get("session") != self.session.id or self.session.changed_since(page, since)
        stream: asyncio.Queue[Update | None] = asyncio.Queue()
        self.streams.add(stream)
        closed = self.session.opened(page)

        def message(reload: bool) -> str:
            data = {"reload": reload, "errors": [] if reload else self.session.banner(page)}
            return f"data: {json.dumps(data)}\n\n"

        async def messages() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n\n" + message(stale)
                while True:
                    try:
                        update = await asyncio.wait_for(stream.get(), KEEPALIVE_SECONDS)
                    except asyncio.TimeoutError:
                        yield ": still here\n\n"
                        continue
                    if update is None:
                        return
                    yield message(page in update.pages)
            finally:
                self.streams.discard(stream)
                closed()

        headers = {**_COMMON_HEADERS, "X-Accel-Buffering": "no",
                   "Content-Security-Policy": header_policy(served_policy(None))}
        return StreamingResponse(messages(), media_type="text/event-stream", headers=headers)

    # ---- pages and files

    def _config(self, **kwargs: Any) -> dict[str, Any]:
        return script_config(session=self.session.id, generation=self.session.generation, **kwargs)

    async def file(self, request: Request) -> Response:
        path = request.scope["path"]
        found = output_file(self.root, path)
        data = read_file(found) if found is not None else None
        if found is None or data is None:
            return _not_found()
        suffix = found.suffix.lower()
        content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
        if suffix == ".pdf":  # shown by the browser's own viewer, which a page's policy would stop
            return _response(data, content_type, None, extra={"Content-Disposition": "inline"})
        if suffix != ".html":
            extra = {} if suffix in CONTENT_TYPES else {"Content-Disposition": "attachment"}
            return _response(data, content_type, served_policy(None), extra=extra)
        name = found.relative_to(self.root).as_posix()
        previews = [v.stem for v in self.session.views()] if name == INDEX else None
        nonce = secrets.token_urlsafe(18)
        written = self.session.written(name, sha256(data))
        served = inject(data, nonce, self._config(previews=previews)) if written else None
        if served is None:  # not a page the build wrote and fenced: served as it is, and nothing in it may run
            return _response(data, content_type, served_policy(None))
        return _response(served, content_type, served_policy(nonce))

    async def preview(self, request: Request) -> Response:
        stem = request.path_params["stem"]
        view = self.session.view(stem)
        if view is None:
            return _not_found(f"No handout is built as {stem!r} now.")
        pdf_path = output_file(self.root, f"/{stem}.pdf")
        html_path = output_file(self.root, handout_page(stem))
        pdf = read_file(pdf_path) if pdf_path is not None else None
        pages: list[PageLink] = []
        error = None
        if pdf is not None:
            sha = digest(pdf)
            drawing = self.session.pictures(pdf)
            self.drawing[sha] = drawing
            while len(self.drawing) > 64:
                self.drawing.pop(next(iter(self.drawing)))
            if not drawing.done() and view.file(f"{stem}.pdf") == sha and view.pages:
                # a build is under way: send the page now, its pictures as they are drawn
                width, height = self.sizes.get(stem, LETTER)
                pages = [PageLink(picture_url(sha, i), width, height, i + 1) for i in range(view.pages)]
            else:
                try:
                    sha, pictures = await asyncio.wrap_future(drawing)
                    pages = page_links(sha, pictures)
                    if pages:
                        self.sizes[stem] = (pages[0].width, pages[0].height)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a PDF pdfium cannot read: say so on the page
                    error = f"The PDF could not be shown as pictures: {type(exc).__name__}: {exc}"
        nonce = secrets.token_urlsafe(18)
        body = render_preview(view, stem=stem, nonce=nonce, config=self._config(preview=True),
                              has_html=html_path is not None, has_pdf=pdf is not None, pages=pages,
                              pictures_error=error)
        return _response(body, "text/html; charset=utf-8", served_policy(nonce, preview=True))

    async def picture(self, request: Request) -> Response:
        sha, number = request.path_params["sha"], request.path_params["number"]
        pictures = self.session.page_pictures.get(sha)
        drawing = self.drawing.get(sha)
        while pictures is None and drawing is not None and not drawing.done():
            # drawn either by its job, after the build under way, or by the build itself as the preview reloads
            await asyncio.sleep(0.02)
            pictures = self.session.page_pictures.get(sha)
        if pictures is None and drawing is not None:
            with contextlib.suppress(Exception):
                pictures = (await asyncio.wrap_future(drawing))[1]
        if pictures is None or not 1 <= number <= len(pictures):
            return _response(b"no such picture\n", "text/plain; charset=utf-8", served_policy(None), status=404)
        # the address names the PDF's bytes: what it shows never changes
        return _response(pictures[number - 1].png, "image/png", served_policy(None),
                         extra={"Cache-Control": "private, max-age=86400, immutable"})


def make_app(session: Session, *, host: str, port: int) -> tuple[ASGIApp, Preview]:
    """The application serving ``session`` at ``host:port``, and its routes (to end its streams on exit)."""
    preview = Preview(session)
    routes = [
        Route(f"{PREFIX}/events", preview.events, methods=["GET"]),
        Route(f"{PREFIX}/preview/{{stem:path}}", preview.preview, methods=["GET"]),
        Route(f"{PREFIX}/pages/{{sha:str}}/{{number:int}}.png", preview.picture, methods=["GET"]),
        Route("/", preview.file, methods=["GET"]),
        Route("/{path:path}", preview.file, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=preview.lifespan)
    app.router.redirect_slashes = False
    return Guard(app, host=host, port=port), preview


__all__ = ["Guard", "Preview", "allowed_hosts", "is_loopback", "make_app", "output_file", "preview_page"]
