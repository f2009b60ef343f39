"""Print-shop output (bleed, crop marks, PDF/A-2a) and the referral-card sheet."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.handouts.cards import fill
from tipsheets.core.areas import serves
from tipsheets.core.contact import short_address
from tipsheets.project import load_project

from conftest import AS_OF, REPO, squash

BLEED_PT = 72 / 8  # 1/8 in
LETTER = (612.0, 792.0)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, built with --print."""
    project = tmp_path_factory.mktemp("print") / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    if (REPO / "tipsheets.yaml").exists():
        shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    result = build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF),
                           print_shop=True))
    assert result.ok, result.errors + [e for o in result.failed for e in o.errors]
    return project / "output"


def _box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(v) for v in page.obj[name]]


def test_print_pdf_is_trim_plus_bleed_with_boxes(shipped: Path) -> None:
    path = shipped / "print" / "tipsheets" / "win-win-agencies.pdf"
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            media, trim, bleed = _box(page, "/MediaBox"), _box(page, "/TrimBox"), _box(page, "/BleedBox")
            assert trim[2] - trim[0] == pytest.approx(LETTER[0]) and trim[3] - trim[1] == pytest.approx(LETTER[1])
            assert media[2] - media[0] == pytest.approx(LETTER[0] + 2 * BLEED_PT, abs=0.01)
            assert media[3] - media[1] == pytest.approx(LETTER[1] + 2 * BLEED_PT, abs=0.01)
            assert bleed == pytest.approx(media)


def test_print_pdf_claims_pdfa_and_normal_pdf_keeps_pdfua(shipped: Path) -> None:
    with pikepdf.open(shipped / "print" / "tipsheets" / "win-win-agencies.pdf") as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")
        assert re.search(r"pdfaid:part[^0-9]{1,3}2", xmp) and re.search(r"pdfaid:conformance[^A-Z]{1,3}A", xmp)
        assert "/OutputIntents" in pdf.Root and "/StructTreeRoot" in pdf.Root
    with pikepdf.open(shipped / "tipsheets" / "win-win-agencies.pdf") as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")
        assert re.search(r"pdfuaid:part[^0-9]{1,3}1", xmp)
        assert "/TrimBox" not in pdf.pages[0].obj or _box(pdf.pages[0], "/TrimBox") == _box(pdf.pages[0], "/MediaBox")


def test_print_text_stays_inside_the_safe_margin_and_band_runs_into_the_bleed(shipped: Path) -> None:
    document = pdfium.PdfDocument(str(shipped / "print" / "tipsheets" / "win-win-agencies.pdf"))
    try:
        for page in document:
            left, bottom, right, top = page.get_mediabox()
            trim = (left + BLEED_PT, bottom + BLEED_PT, right - BLEED_PT, top - BLEED_PT)
            safe = (trim[0] + BLEED_PT, trim[1] + BLEED_PT, trim[2] - BLEED_PT, trim[3] - BLEED_PT)
            text = page.get_textpage()
            for i in range(text.count_chars()):
                if text.get_text_range(i, 1).isspace():
                    continue
                x0, y0, x1, y1 = text.get_charbox(i)
                if x1 <= x0 or y1 <= y0:
                    continue
                assert safe[0] <= x0 and x1 <= safe[2] and safe[1] <= y0 and y1 <= safe[3], (i, (x0, y0, x1, y1))
            # the colour band covers the top bleed, edge to edge
            image = page.render(scale=1).to_pil().convert("RGB")
            for x in (1, image.width // 2, image.width - 2):
                assert image.getpixel((x, 2)) != (255, 255, 255)
    finally:
        document.close()


def test_print_pdf_has_crop_marks_in_the_bleed(shipped: Path) -> None:
    document = pdfium.PdfDocument(str(shipped / "print" / "tipsheets" / "win-win-agencies.pdf"))
    try:
        image = document[0].render(scale=4).to_pil().convert("L")
    finally:
        document.close()
    scale = 4
    bleed = int(BLEED_PT * scale)
    # bottom-left corner: a dark line on the trim's left edge, inside the bleed below the page
    column = [image.getpixel((bleed + dx, image.height - 2 - dy)) for dx in range(-2, 3) for dy in range(0, bleed - 4)]
    assert min(column) < 80


# --------------------------------------------------------------------------- referral cards


def test_cards_sheet_is_one_letter_page_with_ten_qr_codes_that_open_the_printed_address(shipped: Path) -> None:
    import zxingcpp

    path = shipped / "cards" / "fulton-county.pdf"
    document = pdfium.PdfDocument(str(path))
    try:
        assert len(document) == 1
        page = document[0]
        assert page.get_size() == pytest.approx(LETTER)
        text = squash(page.get_textpage().get_text_range())
        image = page.render(scale=3).to_pil()
    finally:
        document.close()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 10
    for code in codes:
        assert code.text.startswith("https://")
        assert short_address(code.text) in text  # the printed address is the one the code opens
    catalog = load_project(REPO)
    office = catalog.get("offices", "fulton-county").item
    names = {p.name for p in catalog.items("programs") if serves(p, office)}
    assert names and all(name in text for name in names)
    assert "Next class:" in text


def test_cards_have_alt_text_and_cut_marks(shipped: Path) -> None:
    html = (shipped / "cards" / "fulton-county.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img class="qr" src="data:image/svg\+xml[^"]+" alt="QR code: opens ([^"]+)"', html)
    assert len(alts) == 10
    assert html.count('class="mark v"') == 6 and html.count('class="mark h"') == 12


def test_a_bilingual_office_gets_spanish_cards_for_its_classes_taught_in_spanish(shipped: Path) -> None:
    import zxingcpp

    catalog = load_project(REPO)
    office = catalog.get("offices", "clarke-county").item
    assert office.bilingual
    serving = [p for p in catalog.items("programs") if serves(p, office)]
    in_spanish = [p for p in serving if "es" in p.languages]
    assert in_spanish and len(in_spanish) < len(serving)  # the sample has both kinds
    with pikepdf.open(shipped / "cards" / "clarke-county.es.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es" and str(pdf.open_metadata().get("dc:title", "")).startswith("Tarjetas")
    document = pdfium.PdfDocument(str(shipped / "cards" / "clarke-county.es.pdf"))
    try:
        assert len(document) == 1
        text = squash(document[0].get_textpage().get_text_range())
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    assert "Próxima clase:" in text and "Escanee para inscribirse" in text and "Next class" not in text
    for program in serving:
        name = (program.translations.get("es").name if program.translations.get("es") else None) or program.name
        assert (name in text) == (program in in_spanish), name
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 10 and {c.text for c in codes} == {p.registration.url for p in in_spanish}
    assert not (shipped / "cards" / "fulton-county.es.pdf").exists()  # not a bilingual office


def test_fill_repeats_programs_in_turn_and_splits_many() -> None:
    assert fill(["a", "b", "c"]) == [["a", "b", "c", "a", "b", "c", "a", "b", "c", "a"]]  # type: ignore[list-item]
    many = [str(i) for i in range(13)]
    assert fill(many) == [many[:10], many[10:]]  # type: ignore[arg-type]
    assert fill([]) == []


def test_print_shop_pdfs_keep_each_page_where_its_own_margins_put_it(shipped: Path) -> None:
    """The bleed is added around the page; nothing on the page moves. A desk aid or flyer has margins
    of its own (9 and 11 mm at the top), which the print-shop stylesheet once replaced with 14 mm,
    pushing the page down and its foot off the sheet."""
    from _pdf import chars

    for stem in ("desk-aids/clarke-county", "flyers/kids-first-lincoln", "tipsheets/win-win-agencies"):
        normal = [(c.page, c.text, round(c.x0, 1), round(c.y0, 1)) for c in chars(shipped / f"{stem}.pdf")]
        printed = [(c.page, c.text, round(c.x0 - BLEED_PT, 1), round(c.y0 - BLEED_PT, 1))
                   for c in chars(shipped / "print" / f"{stem}.pdf")]
        assert len(normal) == len(printed), stem
        moved = [(a, b) for a, b in zip(normal, printed, strict=True)
                 if abs(a[2] - b[2]) > 0.2 or abs(a[3] - b[3]) > 0.2]
        assert not moved, f"{stem}: text moved in the print-shop PDF: {moved[:3]}"
