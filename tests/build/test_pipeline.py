"""Build real tip sheets and read them back: text, structure, metadata, fonts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from tipsheets.cli import app
from conftest import AS_OF, REPO, pdf_text, squash

runner = CliRunner()


def build(project: Path, *args: str):
    return runner.invoke(app, ["build", "--project", str(project), "--as-of", AS_OF, *args])


@pytest.fixture
def built(minimal: Path) -> Path:
    result = build(minimal)
    assert result.exit_code == 0, result.output
    return minimal / "output" / "tipsheets"


def test_pdf_text_has_headings_and_facts_in_order(built: Path) -> None:
    text = squash(pdf_text(built / "demo.pdf"))
    order = ["A Win-Win Partnership", "Better outcomes for children", "17.5 million children",
             "Common ground", "Four tips", "Understand the goals", "Train staff", "A case example", "References"]
    positions = [text.find(item) for item in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)


def test_pdf_is_tagged_ua_with_title_language_and_embedded_fonts(built: Path) -> None:
    with pikepdf.open(built / "demo.pdf") as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en"
        assert root.ViewerPreferences.DisplayDocTitle is True
        with pdf.open_metadata() as meta:
            assert meta.get("dc:title", "").startswith("A Win-Win Partnership")
            assert meta.get("pdfuaid:part") == "1"
        assert str(pdf.docinfo["/Author"]) == "Dr. Renay Bradley"
        assert "relationship education" in str(pdf.docinfo["/Subject"])
        fonts = {}
        for page in pdf.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                fonts[str(font.BaseFont)] = font
        assert fonts, "no fonts found"
        for base, font in fonts.items():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{base} not embedded"
            assert "Lato" in base, f"unexpected font {base}: the theme's fonts must be used"


def test_logo_is_a_figure_with_alt_text(built: Path) -> None:
    with pikepdf.open(built / "demo.pdf") as pdf:
        alts = []

        def walk(node):  # noqa: ANN001
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                if kids is not None:
                    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                        walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert alts and all(alts), alts
    assert "Test Partnership Center logo, two circles" in alts


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):  # noqa: ANN001
        self.text.append(data)


def test_html_is_self_contained_with_lang_and_title(built: Path) -> None:
    html = (built / "demo.html").read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(html)
    tags = parser.tags
    assert tags[0] == ("html", {"lang": "en"})
    assert any(tag == "title" for tag, _ in tags)
    for tag, attrs in tags:
        if tag == "img":
            assert attrs.get("alt"), attrs
            assert attrs["src"].startswith("data:image/"), "images must be inlined"
        assert tag not in {"script", "link", "iframe"}
    assert "file:" not in html and "/tmp/" not in html
    text = " ".join(parser.text)
    assert "17.5 million children" in text
    # citations are superscript links to the reference list
    assert re.search(r'<sup class="cite"><a href="#ref-1"', html)
    assert 'id="ref-1"' in html


def test_same_inputs_give_identical_bytes(minimal: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(minimal, "--out", str(first)).exit_code == 0
    assert build(minimal, "--out", str(second)).exit_code == 0
    for name in ("tipsheets/demo.pdf", "tipsheets/demo.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a4_on_request(minimal: Path) -> None:
    config = minimal / "tipsheets.yaml"
    config.write_text("paper: a4\n", encoding="utf-8")
    assert build(minimal).exit_code == 0
    with pikepdf.open(minimal / "output" / "tipsheets" / "demo.pdf") as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
    assert round(box[2]) == 595 and round(box[3]) == 842


def test_markdown_in_content_is_safe(minimal: Path) -> None:
    sheet = minimal / "content" / "tipsheets" / "demo.yaml"
    text = sheet.read_text(encoding="utf-8").replace(
        "Know what the agency wants.",
        "Know <script>alert(1)</script> {{ 7*7 }} [x](javascript:alert(1)) what the agency wants.")
    sheet.write_text(text, encoding="utf-8")
    assert build(minimal, "--format", "html").exit_code == 0
    html = (minimal / "output" / "tipsheets" / "demo.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-5:]
    assert 'href="javascript:' not in html


SHIPPED = REPO / "content" / "tipsheets"


@pytest.mark.skipif(not (SHIPPED / "win-win-agencies.yaml").exists(), reason="shipped content not present")
def test_shipped_tipsheets_build_and_read_back(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--project", str(REPO), "--out", str(tmp_path), "--as-of", AS_OF,
                                 "--locale", "en", "content/tipsheets/win-win-agencies.yaml",
                                 "content/tipsheets/win-win-practitioners.yaml"])
    assert result.exit_code == 0, result.output
    agencies = squash(pdf_text(tmp_path / "tipsheets" / "win-win-agencies.pdf"))
    for fact in ("17.5 million", "58", "one in four"):
        assert fact in agencies, fact
    unprotected = agencies.replace("Healthy Relationship and Marriage Education Training", "")
    assert "marriage education" not in unprotected.lower()
    numbers = [m for m in re.findall(r"(?m)^\s*([1-5])\s", pdf_text(tmp_path / "tipsheets" / "win-win-agencies.pdf"))]
    practitioners = squash(pdf_text(tmp_path / "tipsheets" / "win-win-practitioners.pdf"))
    assert "Child Support" in practitioners or "child support" in practitioners
    assert numbers  # tip numbers are printed


def test_build_refuses_a_handout_with_wording_errors(minimal: Path) -> None:
    sheet = minimal / "content" / "tipsheets" / "demo.yaml"
    text = sheet.read_text(encoding="utf-8").replace("Train them well.", "Offer marriage education classes.")
    sheet.write_text(text, encoding="utf-8")
    result = build(minimal)
    assert result.exit_code == 2, result.output
    assert re.search(r"content/tipsheets/demo.yaml:\d+:\d+: tips\[1\]\.body: .*\[marriage-education\]", result.output)
    assert not (minimal / "output" / "tipsheets" / "demo.pdf").exists()
    loud = build(minimal, "--no-lint")
    assert loud.exit_code == 0, loud.output
    assert "wording gate is OFF" in loud.output
    assert (minimal / "output" / "tipsheets" / "demo.pdf").exists()
