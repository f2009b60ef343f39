"""Build the shipped sample content and read the desk aids and flyers back from the PDFs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from tipsheets.build.options import BuildResult, Options
from tipsheets.build.pipeline import build
from tipsheets.project import load_project
from tipsheets.core.contact import short_address
from conftest import pdf_pages, squash
from conftest import pdf_text as conftest_pdf_text

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
AS_OF = dt.date(2026, 11, 25)

needs_content = pytest.mark.skipif(
    not (CONTENT / "offices").is_dir() or not (CONTENT / "programs").is_dir(),
    reason="the sample content (content/offices, content/programs) is not in this checkout",
)

#: office → the programs its desk aid must list, and some it must not
EXPECTED = {
    "clarke-county": ({"Together for Our Kids", "Stronger Together Workshop", "Co-Parenting Online: Georgia"},
                      {"Parenting Apart, Working Together", "Kids First Co-Parenting", "Young Parents Circle"}),
    "fulton-county": ({"Parenting Apart, Working Together", "Blended Family Basics", "Young Parents Circle",
                       "Co-Parenting Online: Georgia"},
                      {"Together for Our Kids", "Stronger Together Workshop", "Fathers Connect"}),
    "lancaster-county": ({"Kids First Co-Parenting", "Fathers Connect"},
                         {"Strong Families, Two Homes", "Co-Parenting Online: Georgia", "Together for Our Kids"}),
}


def pdf_text(path: Path) -> str:
    """The PDF's text with white space squashed, as the assertions below compare it."""
    return squash(conftest_pdf_text(path))


def decode_qr_codes(path: Path) -> list[str]:
    import pypdfium2 as pdfium
    import zxingcpp

    document = pdfium.PdfDocument(str(path))
    try:
        image = document[0].render(scale=4).to_pil()
    finally:
        document.close()
    return sorted(code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    if not (CONTENT / "offices").is_dir():
        pytest.skip("the sample content is not in this checkout")
    out = tmp_path_factory.mktemp("output")
    result = build(Options(project=ROOT, out_dir=out, as_of=AS_OF, formats=("pdf", "html")))
    return result, out


@needs_content
def test_sample_builds_without_failures(built: tuple[BuildResult, Path]) -> None:
    result, out = built
    assert not result.failed, [o.errors for o in result.failed]
    assert not result.errors
    stems = {o.target.stem for o in result.outcomes}
    for office in EXPECTED:
        assert f"desk-aids/{office}" in stems
        assert (out / f"desk-aids/{office}.pdf").is_file() and (out / f"desk-aids/{office}.html").is_file()
    for program in load_project(ROOT).of("programs"):
        assert (out / f"flyers/{program.id}.pdf").is_file() and (out / f"flyers/{program.id}.html").is_file()


@needs_content
@pytest.mark.parametrize("office", sorted(EXPECTED))
def test_desk_aid_lists_the_programs_that_serve_the_office(built: tuple[BuildResult, Path], office: str) -> None:
    _, out = built
    text = pdf_text(out / f"desk-aids/{office}.pdf")
    listed, absent = EXPECTED[office]
    for name in listed:
        assert name in text, f"{name} missing from {office}"
    for name in absent:
        assert name not in text, f"{name} should not be on {office}"


@needs_content
def test_every_desk_aid_and_flyer_is_exactly_one_page(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    pdfs = sorted((out / "desk-aids").glob("*.pdf")) + sorted((out / "flyers").glob("*.pdf"))
    assert len(pdfs) >= 12
    for pdf in pdfs:
        assert pdf_pages(pdf) == 1, pdf.name


def _weekday_date(day: dt.date) -> str:
    return f"{day.strftime('%a')}, {day.strftime('%b')} {day.day}"


@needs_content
def test_past_sessions_are_never_printed(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    catalog = load_project(ROOT)
    checked = 0
    for entry in catalog.of("programs"):
        program = entry.item
        files = [out / f"flyers/{program.id}.pdf"] + [out / f"desk-aids/{o}.pdf" for o, (listed, _) in
                                                      EXPECTED.items() if program.name in listed]
        for file in files:
            text = pdf_text(file)
            for session in program.sessions:
                printed = re.search(rf"\b{re.escape(_weekday_date(session.start))}\b", text) is not None
                if session.start < AS_OF:
                    assert not printed, f"past session {session.start} printed on {file.name}"
                    checked += 1
    assert checked >= 9
    # and the next one is there: Together for Our Kids starts again on Tuesday, January 12
    assert "Tue, Jan 12" in pdf_text(out / "desk-aids/clarke-county.pdf")


@needs_content
@pytest.mark.parametrize("document", ["desk-aids/clarke-county", "desk-aids/fulton-county", "desk-aids/lancaster-county",
                                      "flyers/parenting-apart-atlanta", "flyers/co-parenting-online-georgia"])
def test_each_qr_code_decodes_to_its_printed_address(built: tuple[BuildResult, Path], document: str) -> None:
    _, out = built
    pdf = out / f"{document}.pdf"
    decoded = decode_qr_codes(pdf)
    assert decoded, f"no QR code found on {document}"
    text = pdf_text(pdf)
    # registration addresses as printed: a host with a path (the hotline's bare host is not a QR address)
    printed = set(re.findall(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)+/[\w./-]*\w", text))
    assert all(url.startswith("https://") for url in decoded)
    assert sorted(f"https://{address}" for address in printed) == decoded


@needs_content
def test_desk_aid_prints_safety_contacts(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    text = pdf_text(out / "desk-aids/fulton-county.pdf")
    assert "Safety first" in text
    assert "(404) 555-0127" in text  # the office's family-violence contact
    assert "1-800-799-7233" in text  # the National Domestic Violence Hotline


@needs_content
def test_desk_aid_is_cobranded_with_a_dominant_provider(built: tuple[BuildResult, Path]) -> None:
    result, _ = built
    brands = {o.target.stem: o.target.brands for o in result.outcomes if o.target.kind == "desk-aid"}
    assert brands["desk-aids/fulton-county"] == ("fulton-county-cse", "peachtree-family-bridges")
    assert brands["desk-aids/lancaster-county"] == ("lancaster-county-cse", "prairie-hearth-family-center")


# --------------------------------------------------------------------------- an over-full desk aid


def _crowded_project(root: Path, programs: int) -> Path:
    (root / "content" / "offices").mkdir(parents=True)
    (root / "content" / "programs").mkdir()
    (root / "content" / "guidance").mkdir()
    (root / "content" / "brands").mkdir()
    (root / "content" / "brands" / "agency.yaml").write_text("meta:\n  name: Test County Child Support\n")
    (root / "content" / "guidance" / "default.yaml").write_text(
        "title: When to refer\n"
        "when_to_refer: [Parents argue about parenting time.]\n"
        "safety:\n  heading: Safety first\n  text: Do not refer a parent who fears the other parent.\n"
        "  hotline: {name: National Domestic Violence Hotline, phone: '1-800-799-7233'}\n")
    (root / "content" / "offices" / "big.yaml").write_text(
        "name: Test County Child Support\nbrand: agency\nserves: [{state: GA, counties: [Clarke]}]\n"
        "address: 1 Main Street, Athens, GA 30601\nphone: '(706) 555-0110'\n"
        "family_violence_contact: {name: Safety Team, phone: '(706) 555-0118'}\n")
    for i in range(programs):
        provider = f"provider-{i % 7}"
        (root / "content" / "brands" / f"{provider}.yaml").write_text(f"meta:\n  name: Provider {i % 7}\n")
        (root / "content" / "programs" / f"class-{i:02d}.yaml").write_text(
            f"name: Class number {i}\nprovider: {provider}\ndescription: A class.\n"
            "audiences: [co-parents, separated-or-divorced-parents, never-married-parents]\nformat: in-person\n"
            "sessions:\n"
            "  - {start: 2027-01-12, weekday: Tuesday, time: '18:00-20:00', weeks: 6}\n"
            "  - {start: 2027-03-02, weekday: Tuesday, time: '18:00-20:00', weeks: 6}\n"
            "location: {name: Hall, address: 1 Elm Street, city: Athens, state: GA, zip: '30601'}\n"
            f"registration: {{url: 'https://example.org/class-{i}', phone: '(706) 555-01{i:02d}'}}\n"
            "serves: [{state: GA, counties: [Clarke]}]\nverified: 2026-11-01\n")
    return root


def test_over_full_desk_aid_fails_with_the_promised_message(tmp_path: Path) -> None:
    project = _crowded_project(tmp_path / "project", 30)
    result = build(Options(project=project, out_dir=tmp_path / "out", as_of=AS_OF, formats=("pdf", "html"),
                           offices=("big",)))
    assert [o.target.stem for o in result.outcomes] == ["cards/big", "desk-aids/big"]  # what is made for the office
    outcome = result.outcomes[1]
    assert outcome.status == "failed"
    (message,) = outcome.errors
    match = re.match(r"desk-aids/big: does not fit on one page: it runs to (\d+) pages, (\d+) mm past the first", message)
    assert match, message
    pages, overflow = int(match[1]), int(match[2])
    assert pages >= 2
    # the measurement is of content, not of whole pages: a few full pages plus a partial one
    assert 50 < overflow < (pages - 1) * 260
    assert "fallbacks" in message and "hint:" in message
    assert not (tmp_path / "out" / "desk-aids" / "big.pdf").exists()


def test_desk_aid_that_fits_lists_every_program(tmp_path: Path) -> None:
    project = _crowded_project(tmp_path / "project", 6)
    out = tmp_path / "out"
    result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf",), offices=("big",)))
    assert [(o.target.kind, o.status) for o in result.outcomes] == [("cards", "built"), ("desk-aid", "built")], \
        [o.errors for o in result.outcomes]
    text = pdf_text(out / "desk-aids/big.pdf")
    for i in range(6):
        assert f"Class number {i}" in text
    assert pdf_pages(out / "desk-aids/big.pdf") == 1
