"""Tri-fold brochures: panels that fold true, text clear of the folds, the print-shop PDF on the same folds,
reading panel by panel, both forms (a program's, and one of blocks), in English and Spanish."""

from __future__ import annotations

import ctypes
import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from typer.testing import CliRunner

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.cli import app

from _pdf import POINTS_PER_INCH, Char, chars, find, reading_order
from conftest import AS_OF, REPO, pdf_text, squash

runner = CliRunner()

BLEED = POINTS_PER_INCH / 8
#: the panels of each side, left to right, as (name, width in inches): the panel that folds in is narrowest
OUTSIDE = (("flap", 3.625), ("back", 3.6875), ("cover", 3.6875))
INSIDE = (("inside_left", 3.6875), ("inside_middle", 3.6875), ("inside_right", 3.625))
CLEAR = POINTS_PER_INCH / 8  # text stays this far from a fold and from the trim

SHIPPED = ("together-for-our-kids", "together-for-our-kids.es", "working-together-for-children",
           "working-together-for-children.es")


def edges(side: tuple[tuple[str, float], ...]) -> list[tuple[str, float, float]]:
    """Each panel with its left and right edge, in points from the trim's left edge."""
    out, x = [], 0.0
    for name, width in side:
        out.append((name, x, x + width * POINTS_PER_INCH))
        x += width * POINTS_PER_INCH
    return out


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped brochures, built with --print."""
    project = tmp_path_factory.mktemp("brochures") / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    only = tuple(f"content/brochures/{p.name}" for p in (project / "content" / "brochures").glob("*.yaml"))
    result = build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF),
                           print_shop=True, only=only, gallery=False))
    assert result.ok, result.errors + [e for o in result.failed for e in o.errors]
    assert sorted(o.target.stem for o in result.built) == sorted(f"brochures/{name}" for name in SHIPPED)
    return project / "output"


def _panel_of(c: Char, offset: float) -> tuple[str, float, float] | None:
    side = OUTSIDE if c.page == 0 else INSIDE
    for name, left, right in edges(side):
        if left <= (c.x0 + c.x1) / 2 - offset < right:
            return name, left, right
    return None


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("flavour", ["normal", "print"])
def test_every_character_lies_inside_its_panel_clear_of_the_folds(shipped: Path, name: str, flavour: str) -> None:
    path = shipped / ("print/brochures" if flavour == "print" else "brochures") / f"{name}.pdf"
    offset = BLEED if flavour == "print" else 0.0
    every = chars(path)
    assert {c.page for c in every} == {0, 1}
    for c in every:
        panel = _panel_of(c, offset)
        assert panel is not None, f"{c.text!r} on page {c.page + 1} is outside the sheet"
        panel_name, left, right = panel
        x0, x1 = c.x0 - offset, c.x1 - offset
        assert x0 >= left + CLEAR - 0.01 and x1 <= right - CLEAR + 0.01, (
            f"{c.text!r} in the {panel_name} panel on page {c.page + 1} is within 1/8 in of a fold or edge: "
            f"{x0 / 72:.3f}-{x1 / 72:.3f} in, panel {left / 72:.4f}-{right / 72:.4f} in")
        y0, y1 = c.y0 - offset, c.y1 - offset
        assert y0 >= CLEAR and y1 <= 8.5 * POINTS_PER_INCH - CLEAR, f"{c.text!r} is within 1/8 in of the trim"


HEADINGS = {
    "together-for-our-kids": {"cover": "Together for Our Kids", "flap": "Save your seat", "back": "Details checked",
                              "inside_left": "What you will get", "inside_middle": "Upcoming classes",
                              "inside_right": "Good to know"},
    "together-for-our-kids.es": {"cover": "Juntos por Nuestros Hijos", "inside_left": "Qué le ofrece esta clase",
                                 "inside_middle": "Próximas clases"},
    "working-together-for-children": {"cover": "Working Together", "flap": "Did you know?",
                                      "back": "Call or write to us", "inside_left": "What is relationship education?",
                                      "inside_middle": "Five habits that help",
                                      "inside_right": "What child support can do"},
    "working-together-for-children.es": {"cover": "Juntos por sus hijos", "inside_middle": "Cinco hábitos que ayudan"},
}


@pytest.mark.parametrize("name", SHIPPED)
def test_each_panel_prints_on_its_own_panel_and_side(shipped: Path, name: str) -> None:
    for flavour, offset in (("brochures", 0.0), ("print/brochures", BLEED)):
        path = shipped / flavour / f"{name}.pdf"
        for panel, heading in HEADINGS[name].items():
            places = find(path, heading)
            assert places, f"{heading!r} is not printed in {path.name}"
            found = {(_panel_of(c, offset) or ("nowhere",))[0] for c in places[0]}
            assert found == {panel}, f"{heading!r} prints on {found} in {flavour}, not on the {panel} panel"


@pytest.mark.parametrize("name", SHIPPED)
def test_the_print_shop_pdf_keeps_each_panel_on_its_folds(shipped: Path, name: str) -> None:
    normal = [(c.page, c.text, round(c.x0, 1), round(c.y0, 1)) for c in chars(shipped / "brochures" / f"{name}.pdf")]
    printed = [(c.page, c.text, round(c.x0 - BLEED, 1), round(c.y0 - BLEED, 1))
               for c in chars(shipped / "print" / "brochures" / f"{name}.pdf")]
    assert len(normal) == len(printed)
    moved = [(a, b) for a, b in zip(normal, printed, strict=True) if abs(a[2] - b[2]) > 0.2 or abs(a[3] - b[3]) > 0.2]
    assert not moved, f"text moved in the print-shop PDF: {moved[:5]}"
    with pikepdf.open(shipped / "print" / "brochures" / f"{name}.pdf") as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            media = [float(v) for v in page.MediaBox]
            assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((792, 612))
            assert (media[2] - media[0], media[3] - media[1]) == pytest.approx((792 + 2 * BLEED, 612 + 2 * BLEED))
    with pikepdf.open(shipped / "brochures" / f"{name}.pdf") as pdf:
        assert [tuple(round(float(v)) for v in p.MediaBox) for p in pdf.pages] == [(0, 0, 792, 612)] * 2


def _paths(path: Path, page_number: int) -> list[tuple[float, float, float, float]]:
    """The bounds (left, bottom, right, top, in points from the media box) of the drawn paths of a page."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[page_number]
        left, bottom, _, _ = page.get_mediabox()
        out = []
        for j in range(raw.FPDFPage_CountObjects(page)):
            obj = raw.FPDFPage_GetObject(page, j)
            if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
                continue
            lo, b, r, t = (ctypes.c_float() for _ in range(4))
            raw.FPDFPageObj_GetBounds(obj, lo, b, r, t)
            out.append((lo.value - left, b.value - bottom, r.value - left, t.value - bottom))
        return out
    finally:
        document.close()


@pytest.mark.parametrize("page,side", [(0, OUTSIDE), (1, INSIDE)])
def test_fold_marks_sit_in_the_bleed_above_and_below_each_fold(shipped: Path, page: int, side: tuple) -> None:
    path = shipped / "print" / "brochures" / "working-together-for-children.pdf"
    paths = _paths(path, page)
    for _, _, fold in edges(side)[:-1]:
        x = fold + BLEED
        above = [p for p in paths if abs(p[0] - x) < 1.5 and abs(p[2] - x) < 1.5 and p[1] >= 612 + BLEED - 0.5]
        below = [p for p in paths if abs(p[0] - x) < 1.5 and abs(p[2] - x) < 1.5 and p[3] <= BLEED + 0.5]
        assert above and below, f"no fold mark at {fold / 72:.4f} in on page {page + 1}"


def test_the_cover_colour_runs_into_the_bleed(shipped: Path) -> None:
    document = pdfium.PdfDocument(str(shipped / "print" / "brochures" / "working-together-for-children.pdf"))
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    width, height = image.size
    cover = image.getpixel((int(width - 40), int(height / 2)))
    for x, y in ((width - 2, height / 2), (width - 40, 2), (width - 40, height - 2)):
        assert image.getpixel((int(x), int(y))) == cover, (x, y)
    assert cover != (255, 255, 255)
    assert image.getpixel((2, int(height / 2))) == (255, 255, 255)  # the flap's edge stays white


@pytest.mark.parametrize("name,order", [
    ("together-for-our-kids", ["Together for Our Kids", "Save your seat", "Details checked", "What you will get",
                               "Upcoming classes", "Good to know"]),
    ("working-together-for-children", ["Working Together", "Parents who get along", "Did you know?",
                                       "Call or write to us", "What is relationship education?",
                                       "Five habits that help", "What child support can do", "Where to start"]),
])
def test_tags_read_panel_by_panel(shipped: Path, name: str, order: list[str]) -> None:
    text = reading_order(shipped / "brochures" / f"{name}.pdf")
    positions = [text.find(item) for item in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))


def test_the_web_page_reads_cover_inside_flap_back(shipped: Path) -> None:
    html = (shipped / "brochures" / "working-together-for-children.html").read_text(encoding="utf-8")
    order = ["Working Together", "What is relationship education?", "Five habits that help",
             "What child support can do", "Parents who get along", "Call or write to us"]
    positions = [html.find(item) for item in order]
    assert -1 not in positions and positions == sorted(positions), dict(zip(order, positions, strict=True))


def test_a_spanish_program_brochure_speaks_spanish(shipped: Path) -> None:
    path = shipped / "brochures" / "together-for-our-kids.es.pdf"
    text = squash(pdf_text(path))
    assert "Juntos por Nuestros Hijos" in text and "Próximas clases" in text and "Together for Our Kids" not in text
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"


def test_a_vanity_number_on_a_brochure_dials_its_digits(shipped: Path) -> None:
    html = (shipped / "brochures" / "working-together-for-children.html").read_text(encoding="utf-8")
    assert '<a href="tel:+1-877-432-3411">1-877-4DAD411</a>' in html and 'href=""' not in html


# --------------------------------------------------------------------------- a brochure of one's own


@pytest.fixture
def project(minimal: Path) -> Path:
    (minimal / "content" / "brochures").mkdir()
    return minimal


def write(project: Path, name: str, text: str) -> None:
    (project / "content" / "brochures" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def build_cli(project: Path, *args: str):
    return runner.invoke(app, ["build", "--project", str(project), "--as-of", AS_OF, "--no-gallery", *args])


def test_a_brochure_that_runs_past_its_panels_fails_and_says_so(project: Path) -> None:
    long = " ".join(["A sentence that goes on, as sentences in a brochure should not."] * 60)
    write(project, "wordy", f"""\
        title: Far Too Many Words
        panels:
          inside_left:
            - type: section
              heading: Everything at once
              body: {long}
        """)
    result = build_cli(project)
    assert result.exit_code == 2, result.output
    assert "brochures/wordy: does not fit on its 2 sides" in result.output
    assert not (project / "output" / "brochures" / "wordy.pdf").exists()


def test_new_brochure_writes_a_file_that_builds(project: Path) -> None:
    result = runner.invoke(app, ["new", "brochure", "open-house", "--project", str(project)])
    assert result.exit_code == 0, result.output
    text = (project / "content" / "brochures" / "open-house.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=") and "REPLACE" in text
    result = build_cli(project)
    assert result.exit_code == 0, result.output
    assert (project / "output" / "brochures" / "open-house.pdf").is_file()


@pytest.mark.parametrize("text,expected", [
    ("program: no-such-program\n", "content/brochures/bad.yaml:1:10: program: unknown program 'no-such-program'"),
    ("title: Cited\npanels:\n  flap:\n    - type: lead\n      text: A fact.[^1]\n",
     "content/brochures/bad.yaml:5:13: panels.flap[0].text: citation [^1] has nothing to point to"),
    ("title: Empty\n", "content/brochures/bad.yaml:1:1: a brochure needs something in its panels"),
    ("program: x\npanels:\n  inside_centre: []\n",
     "content/brochures/bad.yaml:3:3: panels.inside_centre: unknown field"),
])
def test_brochure_errors_point_at_their_line(project: Path, text: str, expected: str) -> None:
    write(project, "bad", text)
    result = build_cli(project)
    assert result.exit_code == 2
    assert any(line.strip().startswith(expected) for line in result.output.splitlines()), result.output


def test_building_for_a_program_builds_its_brochures(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    result = runner.invoke(app, ["build", "--project", str(project), "--as-of", AS_OF, "-f", "html", "--no-gallery",
                                 "--program", "together-for-our-kids-athens"])
    assert result.exit_code == 0, result.output
    built = sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.html"))
    assert built == ["brochures/together-for-our-kids.es.html", "brochures/together-for-our-kids.html",
                     "flyers/together-for-our-kids-athens.es.html", "flyers/together-for-our-kids-athens.html"]
