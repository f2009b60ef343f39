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
    thumbnails = {base64.b64encode(p.read_bytes()).decode("ascii") for p in (out / "thumbs").rglob("*.png")}
    for img in images:
        assert img["alt"].startswith("First page of ")
        # inlined: the page's security policy lets it load no file, not even one beside it
        assert img["src"].startswith("data:image/png;base64,iVBORw0KGgo")  # "\x89PNG\r\n\x1a\n"
        assert img["src"].removeprefix("data:image/png;base64,") in thumbnails
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and not attrs["href"].startswith("#")]
    for href in links:
        assert not href.startswith(("/", "file:", "http")), href  # relative: works opened from disk
        assert (out / href).is_file(), href
    assert any(h.endswith(".pdf") for h in links) and any(h.endswith(".html") for h in links)
    assert "Tip sheets" in " ".join(page.text)


def test_thumbnail_is_the_first_page(built: Path) -> None:
    from PIL import Image

    png = next((built / "output" / "thumbs").rglob("*.png"))
    with Image.open(png) as image:
        width, height = image.size
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
                                                     for p in (built / "output" / "thumbs").rglob("*.png")]]:
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
