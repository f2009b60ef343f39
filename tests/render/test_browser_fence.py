"""Published pages opened in real headless Chromium fetch nothing and run nothing.

A bait server on 127.0.0.1 records every connection and request. Hostile
pages aim at it and try to run a script that sets ``window.__ran`` and logs
``__ran__``. Each trick is first shown to work in Chromium without any fence
(so these tests can fail), then:

- with only the policy inserted, and no check, the browser stops it (all but
  ``<meta http-equiv=refresh>``, which no policy stops: the check refuses it);
- a project whose own templates try every trick publishes nothing that fires,
  and the gallery page it would write is refused;
- with the check switched off, every page the same project publishes (the
  handouts and the gallery) still fetches and runs nothing: the policy alone.

This needs Debian's ``chromium`` and the Python ``playwright`` package
(``pip install -e '.[test]'``); Playwright cannot download a browser here and
is never asked to. A missing browser fails the test, it does not skip it.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from _browser import CHROMIUM, CHROMIUM_ARGS
from hostile_pages import PAGE, RUN, TRICKS, Trick
from hostile_project import make_project, run_cli, sheet
from tipsheets.render import fence as htmlfence
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.render.fence import BYTE_ORDER_MARK, external_references, url_scheme, with_policy

#: how long a page may go on after its load event before it is judged (a wait, not a measurement)
SETTLE_MS = 300
#: how long a page without a fence is given to show its trick works
FIRE_WITHIN_MS = 4000
AS_OF = "2024-06-01"


# --------------------------------------------------------------------------- the bait and the browser


class Bait(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that records every connection and every request."""

    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.connections = 0
        super().__init__(("127.0.0.1", 0), _Recorder)

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def verify_request(self, request: Any, client_address: Any) -> bool:  # every accepted connection
        self.connections += 1
        return True


class _Recorder(BaseHTTPRequestHandler):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # GET, POST, HEAD, OPTIONS, PUT...: every method is recorded
            return self._record
        raise AttributeError(name)

    def _record(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass


def _serve() -> Iterator[Bait]:
    server = Bait()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def bait() -> Iterator[Bait]:
    """The server fenced pages aim at."""
    yield from _serve()


@pytest.fixture(scope="module")
def control_bait() -> Iterator[Bait]:
    """A second server, for pages shown to fire without a fence: a browser may open a spare connection late."""
    yield from _serve()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser fence test needs Playwright for Python: pip install -e '.[test]' "
                    "(or pip install playwright)")
    if not CHROMIUM.exists():
        pytest.fail(f"the browser fence test needs Debian's Chromium at {CHROMIUM}: "
                    "sudo apt-get install chromium (Playwright cannot download its own browser here)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium.new_context()  # one profile: each page is opened in a fresh tab of it
        finally:
            chromium.close()


@dataclass
class Visit:
    """What opening one page did: requests the bait saw, connections to it, and signs that a script ran."""

    requests: list[str]
    connections: int
    ran: list[str]

    @property
    def quiet(self) -> bool:
        return not self.requests and not self.connections and not self.ran


def visit(browser: Any, bait: Bait, *files: Path, expect_fire: bool = False) -> Visit:
    """Open each file in a tab of its own, all at once, follow their script links, and report what
    reached the bait or ran (a script that ran is named by its page's file name)."""
    requests, connections = len(bait.requests), bait.connections
    pages: list[Any] = []
    ran: list[str] = []
    try:
        for file in files:
            page = browser.new_page()
            pages.append(page)
            page.on("console", lambda message, name=file.name:
                    ran.append(f"{name}: console.log") if message.text == "__ran__" else None)
            page.on("dialog", lambda dialog, name=file.name:
                    (ran.append(f"{name}: dialog {dialog.message}"), dialog.dismiss()))
            page.goto(file.as_uri(), wait_until="load")
        pages[-1].wait_for_timeout(100)  # animations start on the document's timeline, after load
        if any([_follow_script_links(page) for page in pages]):
            pages[-1].wait_for_timeout(200)
        if expect_fire:
            waited = 0
            while waited < FIRE_WITHIN_MS and not (bait.requests[requests:] or ran or any(map(_flag, pages))):
                pages[-1].wait_for_timeout(100)
                waited += 100
        else:
            pages[-1].wait_for_timeout(SETTLE_MS)
        ran += [f"{file.name}: window.__ran" for file, page in zip(files, pages, strict=True) if _flag(page)]
    finally:
        for page in pages:
            page.close()
    return Visit(bait.requests[requests:], bait.connections - connections, ran)


def _flag(page: Any) -> bool:
    for frame in page.frames:
        try:
            if frame.evaluate("() => window.__ran === 1"):
                return True
        except Exception:  # noqa: BLE001 - a frame that navigated away or closed holds no flag
            continue
    return False


def _follow_script_links(page: Any) -> bool:
    """Click every link that would not leave for a web, mail, phone or file address (a reader might);
    say whether there was one."""
    clicked = False
    for link in page.locator("a, area").all():
        try:
            href = link.get_attribute("href") or link.get_attribute("xlink:href") or ""
        except Exception:  # noqa: BLE001 - the page went away under a previous click
            return clicked
        if url_scheme(href) in ("http", "https", "mailto", "tel", "file") or \
                (url_scheme(href) is None and not href.strip().startswith("#")):
            continue
        try:
            link.dispatch_event("click", timeout=2000)
            clicked = True
        except Exception:  # noqa: BLE001 - a link the page removed, or a page that navigated away
            continue
    return clicked


def _write(folder: Path, name: str, html: str) -> Path:
    file = folder / f"{name}.html"
    file.write_bytes(html.encode("utf-8"))
    return file


# --------------------------------------------------------------------------- the policy alone


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_the_policy_alone_stops_each_trick_that_works_in_chromium(browser: Any, bait: Bait, control_bait: Bait,
                                                                 tmp_path: Path, trick: Trick) -> None:
    raw = trick.page(bait.address)
    assert external_references(raw)  # the check refuses every one; here it is switched off
    if trick.fires:
        control = trick.page(control_bait.address)
        unfenced = visit(browser, control_bait, _write(tmp_path, "raw", control), expect_fire=True)
        assert not unfenced.quiet, f"{trick.name} did nothing even without a fence: the test could not fail"
    fenced = visit(browser, bait, _write(tmp_path, "fenced", with_policy(raw)))
    assert behind_policy(trick, fenced), f"{trick.name} got past the policy: {fenced}"


def behind_policy(trick: Trick, seen: Visit) -> bool:
    """What the policy alone lets through: nothing, but for the two things no policy can stop."""
    if trick.beyond_policy == "request":  # a meta refresh navigates whatever the policy says
        return bool(seen.requests) and not seen.ran
    if trick.beyond_policy == "connection":  # Chromium connects for an <iframe src>, then the policy blocks it
        return not seen.requests and not seen.ran
    return seen.quiet


def test_a_declared_encoding_cannot_turn_the_policy_into_text(browser: Any, bait: Bait, control_bait: Bait,
                                                             tmp_path: Path) -> None:
    """Without the byte order mark, an ISO-2022-JP escape opened before <head> swallows the policy."""
    trick = next(t for t in TRICKS if t.name == "declared-encoding")
    without_mark = with_policy(trick.page(control_bait.address)).removeprefix(BYTE_ORDER_MARK)
    assert not visit(browser, control_bait, _write(tmp_path, "no-mark", without_mark), expect_fire=True).quiet
    assert visit(browser, bait, _write(tmp_path, "mark", with_policy(trick.page(bait.address)))).quiet


# --------------------------------------------------------------------------- a hostile project


def _raw(html: str) -> str:
    return "{% raw %}" + html + "{% endraw %}"


def hostile_project(root: Path, bait: Bait, tricks: list[Trick]) -> Path:
    """A project with a tip sheet per trick (``t00``, ``t01``... in order), its own tip sheet template
    trying each, and its own gallery page trying a few."""
    ids = {trick.name: f"t{number:02d}" for number, trick in enumerate(tricks)}
    project = make_project(root, {"plain": sheet(title="Plain"),
                                  **{ids[t.name]: sheet(title=t.name) for t in tricks}})
    branches = "".join(f'{{% {"if" if n == 0 else "elif"} target.id == "{ids[t.name]}" %}}{_raw(t.page(bait.address))}'
                       for n, t in enumerate(tricks))
    plain = PAGE.format(title="{{ sheet.title }}", head="", body="<p>{{ sheet.title }}</p>")
    templates = project / "templates"
    templates.mkdir()
    (templates / "tipsheet.html.j2").write_text(branches + "{% else %}" + plain + "{% endif %}", encoding="utf-8")
    gallery_body = (
        "{% for section in sections %}{% for group in section.groups %}{% for item in group.items %}"
        '<p><a href="{{ item.html }}">{{ item.title }}</a></p>{% endfor %}{% endfor %}{% endfor %}'
        + _raw(f'<select><img src="{bait.address}/gallery-select" alt=""></select>'
               f'<svg width="40" height="20"><a xlink:href="javascript:{RUN}"><text y="15">go</text></a>'
               f"</svg><div style=\"width:9px;height:9px;background-image:image-set('{bait.address}/gallery-image-set'"
               " 1x)\"></div><iframe srcdoc=\"<script>" + RUN + "</script>\"></iframe>"))
    (templates / "gallery.html.j2").write_text(PAGE.format(title="Gallery", head="", body=gallery_body),
                                               encoding="utf-8")
    return project


def _published(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_a_project_whose_templates_try_every_trick_publishes_nothing_that_fires(browser: Any, bait: Bait,
                                                                               tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "project", bait, TRICKS)
    result = run_cli("build", "--format", "html", "--as-of", AS_OF, "--json", cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    failed = {row["target"]: row["errors"] for row in summary["failed"]}
    assert sorted(failed) == sorted(f"tipsheets/t{n:02d}" for n in range(len(TRICKS)))
    for errors in failed.values():
        assert len(errors) == 1 and "\n" not in errors[0] and "refused to publish HTML" in errors[0], errors
    [gallery] = [line for line in summary["errors"] if "gallery" in line]
    assert gallery.startswith("templates/gallery.html.j2:") and "index.html) was not written" in gallery
    assert "\n" not in gallery
    out = project / "output"
    assert not (out / "index.html").exists()
    published = _published(out)
    assert [p.relative_to(out).as_posix() for p in published] == ["tipsheets/plain.html"]
    assert visit(browser, bait, *published).quiet


def test_with_the_check_off_every_published_page_is_still_quiet(browser: Any, bait: Bait, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The policy alone, through the real build: every trick is published, and none fires."""
    stoppable = [t for t in TRICKS if t.beyond_policy != "request"]
    project = hostile_project(tmp_path / "project", bait, stoppable)
    tricks = {f"t{number:02d}.html": trick for number, trick in enumerate(stoppable)}
    check = htmlfence._found
    monkeypatch.setattr(htmlfence, "_found", lambda documents, depth=0: [])
    result = build(Options(project=project, out_dir=project / "output", formats=("html",),
                           as_of=dt.date.fromisoformat(AS_OF), jobs=1))
    assert result.ok, [e for o in result.failed for e in o.errors] + result.errors
    out = project / "output"
    published = _published(out)
    gallery_pages = [p for p in published if p == out / "index.html" or out / "gallery" in p.parents]
    assert out / "index.html" in gallery_pages and len(published) - len(gallery_pages) == len(stoppable) + 1
    for file in published:
        text = file.read_text(encoding="utf-8")
        assert text.startswith(BYTE_ORDER_MARK) and htmlfence.POLICY_ELEMENT in text, file
        if file.name != "plain.html":  # published although the check would refuse it
            assert check(htmlfence._parse(text)), file
    seen = visit(browser, bait, *published)
    assert not seen.requests and not seen.ran, seen
    # the one thing left: Chromium connects (and sends nothing) for an <iframe src> the policy then blocks
    assert seen.connections <= sum(trick.beyond_policy == "connection" for trick in tricks.values()), seen
