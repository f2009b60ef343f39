"""``tipsheets serve`` as a client meets it: what it serves, to whom, with which policy, and how it stops.

The server runs as a real process (``tipsheets serve --port 0``); requests are
sent as raw bytes over a socket, so a request target reaches it exactly as an
attacker would write it. The browser tests are in ``test_serve_browser.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import time
from pathlib import Path
from typing import Iterator

import pytest
from justhtml import JustHTML

from serve_helpers import AS_OF, Served, request, response_headers, small_project
from hostile_project import run_cli
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.build.pool import Pool
from tipsheets.core.catalog import KeptEntries
from tipsheets.render.fence import POLICY, POLICY_ELEMENT

SECRET = "TOP-SECRET-7f3a9"
SHEET = Path("content/tipsheets/demo.yaml")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server over the small project, with a secret beside the project and links planted in the output."""
    root = tmp_path_factory.mktemp("serve")
    project = small_project(root)
    (root / "secret.txt").write_text(SECRET)
    (root / "outside").mkdir()
    (root / "outside" / "secret.txt").write_text(SECRET)
    with Served(project) as server:
        out = project / "output"
        (out / "escape.txt").symlink_to(root / "secret.txt")
        (out / "linked").symlink_to(root / "outside", target_is_directory=True)
        (out / "inside.html").symlink_to(out / "tipsheets" / "demo.html")
        (out / "tipsheets" / "notes.txt").write_text("a file the build did not write")
        # a page the build did not write: its policy text sits in an attribute, not first in <head>
        (out / "tipsheets" / "hand.html").write_text(
            f'<!DOCTYPE html><html data-x=\'<head>\n{POLICY_ELEMENT}\'><head><title>x</title></head>'
            '<body><script>window.ran = 1</script></body></html>')
        yield server


# --------------------------------------------------------------------------- what is served


def test_the_first_page_is_the_gallery_and_handouts_are_served(served: Served) -> None:
    status, body = request(served.port, "/")
    assert status == 200 and b"all handouts" in body
    status, body = request(served.port, "/tipsheets/demo.pdf")
    assert status == 200 and body.startswith(b"%PDF-")
    status, body = request(served.port, "/_tipsheets/preview/tipsheets/demo")
    assert status == 200 and b"A Win-Win Partnership" in body


def _traversals(served: Served) -> list[str]:
    root = served.project.parent
    absolute = (root / "secret.txt").as_posix()
    return [
        "/../secret.txt", "/../../secret.txt", "/tipsheets/../../secret.txt", "/./../secret.txt",
        "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/tipsheets%2f..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/..%252fsecret.txt",
        "/..\\secret.txt", "/..%5csecret.txt", "/tipsheets\\..\\..\\secret.txt", "/%5c..%5c..%5csecret.txt",
        "//" + absolute.lstrip("/"), "/" + absolute, "/%2f" + absolute.lstrip("/"), "//../secret.txt",
        f"http://127.0.0.1:{served.port}/../secret.txt", "/..;/secret.txt", "/%00/../secret.txt",
        "/secret.txt%00.html", "/.%2e/secret.txt", "/%c0%ae%c0%ae/secret.txt", "/..%c0%afsecret.txt",
        "/escape.txt", "/linked/secret.txt", "/linked/../secret.txt", "/linked%2fsecret.txt", "/inside.html",
    ]


def test_nothing_outside_the_output_folder_is_served(served: Served) -> None:
    assert request(served.port, "/tipsheets/notes.txt")[0] == 200  # a plain file inside is served: the test can fail
    for target in _traversals(served):
        status, body = request(served.port, target)
        assert status in (400, 404), (target, status)
        assert SECRET.encode() not in body, target


def test_no_folder_listings_and_no_build_records(served: Served) -> None:
    for target in ("/tipsheets", "/tipsheets/", "/thumbs/", "/linked/", "//", "/_tipsheets/", "/_tipsheets/preview/",
                   "/.tipsheets-manifest.json", "/.tipsheets-last-build.json", "/thumbs/cache.json/.."):
        status, body = request(served.port, target)
        assert status == 404, (target, status)
        assert b"demo.pdf" not in body and b"demo.html" not in body, target


def test_a_request_not_from_127_0_0_1_is_refused(served: Served) -> None:
    for target in ("/", "/tipsheets/demo.pdf", "/_tipsheets/preview/tipsheets/demo", "/_tipsheets/events?page=/"):
        status, body = request(served.port, target, source="127.0.0.2")
        assert status == 403, target
        assert b"%PDF" not in body and b"Win-Win" not in body
    assert request(served.port, "/", source="127.0.0.1")[0] == 200


@pytest.mark.parametrize("host", [
    "evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost.evil.example:{port}",
    "attacker.localhost.example:{port}",
    "127.0.0.1:{other}", "127.0.0.1", "localhost", "evil.example", "127.0.0.1:{port}.evil.example",
    "127.0.0.1:{port}@evil.example", "[::1]:{port}", "0.0.0.0:{port}", "127.0.0.2:{port}", "",
])
def test_a_request_with_a_foreign_host_is_refused(served: Served, host: str) -> None:
    value = host.format(port=served.port, other=served.port + 1)
    for target in ("/", "/tipsheets/demo.html", "/_tipsheets/events?page=/"):
        status, body = request(served.port, target, host=value)
        assert status in (400, 403), (value, target, status)
        assert b"Win-Win" not in body


def test_the_host_is_checked_once_and_in_any_letter_case(served: Served) -> None:
    port = served.port
    assert request(served.port, "/", host=f"LocalHost:{port}")[0] == 200
    assert request(served.port, "/", headers="")[0] in (400, 403)  # no Host at all
    two = f"Host: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\n"
    assert request(served.port, "/", headers=two)[0] in (400, 403)


def test_only_get_is_answered(served: Served) -> None:
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        assert request(served.port, "/", method=method)[0] == 405


# --------------------------------------------------------------------------- the policy


def _directives(policy: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
            for part in policy.split(";") if part.strip()}


def _meta_policy(page: bytes) -> str:
    document = JustHTML(page.decode("utf-8").lstrip("\ufeff"), sanitize=False)
    metas = [m for m in document.query("meta")
             if (m.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(metas) == 1
    return metas[0].attrs["content"]


def test_served_pages_carry_the_built_policy_plus_only_the_reload_channel(served: Served) -> None:
    built = _directives(POLICY)
    for target in ("/", "/tipsheets/demo.html"):
        headers = response_headers(served.port, target)
        _, page = request(served.port, target)
        for policy in (headers["content-security-policy"], _meta_policy(page)):
            served_policy = _directives(policy)
            nonce = re.fullmatch(r"'nonce-([A-Za-z0-9_-]{16,})'", served_policy.pop("script-src"))
            assert nonce, policy
            assert served_policy.pop("connect-src") == "'self'"
            served_policy.pop("frame-ancestors", None)  # header only: who may frame it, no more than itself
            assert served_policy == {k: v for k, v in built.items() if k not in ("script-src", "connect-src")}
        scripts = JustHTML(page.decode("utf-8").lstrip("\ufeff"), sanitize=False).query("script")
        assert len(scripts) == 1 and scripts[0].attrs.get("nonce") == nonce.group(1)


def test_each_served_page_gets_a_new_nonce(served: Served) -> None:
    nonces = {response_headers(served.port, "/tipsheets/demo.html")["content-security-policy"] for _ in range(3)}
    assert len(nonces) == 3


def test_files_that_are_not_pages_run_nothing(served: Served) -> None:
    for target in ("/thumbs/tipsheets/demo.png", "/tipsheets/notes.txt"):
        headers = response_headers(served.port, target)
        assert _directives(headers["content-security-policy"])["script-src"] == "'none'"
        assert headers["x-content-type-options"] == "nosniff"
    assert response_headers(served.port, "/tipsheets/notes.txt")["content-disposition"] == "attachment"


def test_a_page_the_build_did_not_write_is_served_as_it_is_and_runs_nothing(served: Served) -> None:
    status, body = request(served.port, "/tipsheets/hand.html")
    assert status == 200
    assert body == (served.project / "output" / "tipsheets" / "hand.html").read_bytes()
    policy = _directives(response_headers(served.port, "/tipsheets/hand.html")["content-security-policy"])
    assert policy["script-src"] == "'none'" and policy["connect-src"] == "'none'"


def test_another_host_is_served_only_with_a_warning_and_still_checks_the_host(tmp_path: Path) -> None:
    with Served(small_project(tmp_path), "--host", "0.0.0.0") as server:
        assert "warning: serving on 0.0.0.0" in server.output
        port = server.port
        assert request(port, "/", host=f"127.0.0.2:{port}", source="127.0.0.2")[0] == 200
        for host in (f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", f"127.0.0.1:{port + 1}"):
            assert request(port, "/", host=host, source="127.0.0.2")[0] == 403, host


def test_the_preview_shows_its_findings_with_file_and_line(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    sheet = project / SHEET
    text = sheet.read_text()
    sheet.write_text(text.replace("heading: Common ground", "heading: Common ground in marriage education"))
    line = next(i for i, row in enumerate(sheet.read_text().splitlines(), 1) if "marriage education" in row)
    with Served(project) as server:
        status, body = request(server.port, "/_tipsheets/preview/tipsheets/demo")
        assert status == 200
        page = JustHTML(body.decode("utf-8"), sanitize=False)
        findings = [li.to_text() for li in page.query(".findings li")]
        assert any(f"content/tipsheets/demo.yaml:{line}:" in f and "error" in f for f in findings), findings
        errors = [li.to_text() for li in page.query(".errors li")]
        assert any("content/tipsheets/demo.yaml" in e for e in errors), errors


# --------------------------------------------------------------------------- built files stay plain


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _handout_files(out: Path) -> dict[str, bytes]:
    """The files a build wrote, without tipsheets' own records (which hold the times files were written)."""
    return {name: data for name, data in _files(out).items() if not name.startswith(".")}


def test_built_files_are_byte_identical_to_a_plain_build_and_hold_no_reload_script(tmp_path: Path) -> None:
    served_project = small_project(tmp_path / "a")
    plain_project = small_project(tmp_path / "b")
    with Served(served_project) as server:
        mark = len(server.lines)
        sheet = served_project / SHEET
        sheet.write_text(sheet.read_text().replace("Four tips", "Four tips for partners"))
        server.wait_for_line(r"changed .*demo\.yaml", after=mark)
        server.wait_for_line(r"✓ 1 built", after=mark)
        # the served page has the script; the file the build wrote does not
        _, page = request(server.port, "/tipsheets/demo.html")
        assert b"EventSource" in page and b"Four tips for partners" in page
    # the same two builds, without the server
    assert run_cli("build", "--project", str(plain_project), "--as-of", AS_OF, cwd=tmp_path).returncode == 0
    sheet = plain_project / SHEET
    sheet.write_text(sheet.read_text().replace("Four tips", "Four tips for partners"))
    assert run_cli("build", "--project", str(plain_project), "--as-of", AS_OF, cwd=tmp_path).returncode == 0
    served_files, plain_files = _files(served_project / "output"), _files(plain_project / "output")
    assert served_files.keys() == plain_files.keys()
    for name, data in served_files.items():
        if not name.startswith("."):  # tipsheets' own records hold the times files were written
            assert data == plain_files[name], name
        for sign in (b"EventSource", b"_tipsheets", b"nonce-", b"<script"):
            assert sign not in data, (name, sign)


# --------------------------------------------------------------------------- stopping


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("when", ["idle", "while rebuilding"])
def test_ctrl_c_stops_cleanly_with_no_worker_left(tmp_path: Path, when: str) -> None:
    project = small_project(tmp_path)
    server = Served(project)
    try:
        workers = server.workers()
        assert workers, "the workers start with the first build and stay warm"
        if when == "while rebuilding":
            mark = len(server.lines)
            sheet = project / SHEET
            sheet.write_text(sheet.read_text().replace("Four tips", "Four good tips"))
            server.wait_for_line(r"changed .*demo\.yaml", after=mark)
            workers = sorted(set(workers) | set(server.workers()))
    finally:
        code = server.stop(signal.SIGINT)
    assert code == 0, server.output
    assert "stopped serving" in server.output
    assert "Traceback" not in server.output
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)], server.output
    assert not list((project / "output").rglob("*.tmp"))


def test_sigterm_stops_as_cleanly_as_ctrl_c(tmp_path: Path) -> None:
    """A service manager or CI stops the preview with SIGTERM: the same clean stop, no worker left behind."""
    server = Served(small_project(tmp_path))
    try:
        workers = server.workers()
        assert workers
    finally:
        code = server.stop(signal.SIGTERM)
    assert code == 0, server.output
    assert "stopped serving" in server.output and "Traceback" not in server.output, server.output
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)], server.output


# --------------------------------------------------------------------------- warm workers


def _options(project: Path) -> Options:
    return Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF), jobs=2)


def test_a_reused_pool_keeps_its_workers_and_builds_what_a_fresh_build_does(tmp_path: Path) -> None:
    warm_project, cold_project = small_project(tmp_path / "warm"), small_project(tmp_path / "cold")
    parsed = KeptEntries()
    with Pool(2) as pool:
        assert build(_options(warm_project), pool=pool, parsed=parsed).ok
        pids = sorted(w.process.pid for w in pool.workers)
        assert len(pids) == 2 and parsed.parsed == 2
        for project in (warm_project, cold_project):
            sheet = project / SHEET
            sheet.write_text(sheet.read_text().replace("Four tips", "Four warm tips"))
        result = build(_options(warm_project), pool=pool, parsed=parsed)
        assert result.ok and [o.target.stem for o in result.built] == ["tipsheets/demo"]
        assert sorted(w.process.pid for w in pool.workers) == pids  # the same processes: nothing loaded again
        assert (parsed.parsed, parsed.reused) == (1, 1)  # only the saved file was parsed
    assert all(not w.process.is_alive() for w in pool.workers) and not pool.workers
    assert build(_options(cold_project)).ok
    assert _handout_files(warm_project / "output") == _handout_files(cold_project / "output")


def test_parsed_files_never_outlive_their_file(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    parsed = KeptEntries()
    from tipsheets.project import load_project

    first = load_project(project, parsed)
    brand = project / "content" / "brands" / "default.yaml"
    data = brand.read_bytes()
    brand.unlink()
    second = load_project(project, parsed)
    assert second.get("brands", "default") is None
    brand.write_bytes(data.replace(b"name:", b"name:", 1))
    third = load_project(project, parsed)
    assert parsed.parsed == 1  # read again from disk, not remembered from before it was removed
    assert third.get("brands", "default") is not None
    assert third.get("tipsheets", "demo", None) is first.get("tipsheets", "demo", None)
    (project / SHEET).write_text((project / SHEET).read_text() + "\nbroken: [\n")
    fourth = load_project(project, parsed)
    assert fourth.get("tipsheets", "demo") is None and "content/tipsheets/demo.yaml" in fourth.failed
