"""Build the shipped sample content and read the desk aids and flyers back from the PDFs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tipsheets.build.options import BuildResult, Options
from tipsheets.build.pipeline import build
from tipsheets.project import load_project
from tipsheets.core.contact import short_address
from conftest import pdf_pages, squash
from conftest import pdf_text as conftest_pdf_text

ROOT = Path(__file__).resolve().parents[2]
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
@pytest.mark.parametrize("document", ["desk-aids/clarke-county", "desk-aids/fulton-county",
                                      "desk-aids/lancaster-county", "flyers/parenting-apart-atlanta",
                                      "flyers/co-parenting-online-georgia"])
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


def _crowded_project(root: Path, programs: int, *, online: int = 0, statewide: int = 0, settings: str = "",
                     office: str = "", guidance: str = "", name: str = "", url: str = "") -> Path:
    """An office in Clarke County, GA with ``programs`` in-person classes in Clarke, ``statewide`` in-person classes
    that take parents from all of Georgia and ``online`` online ones; each has two sessions, their dates spread."""
    (root / "content" / "offices").mkdir(parents=True)
    (root / "content" / "programs").mkdir()
    (root / "content" / "guidance").mkdir()
    (root / "content" / "brands").mkdir()
    (root / "tipsheets.yaml").write_text("title: Test\nfictional_phone_numbers: allow\n" + settings)
    (root / "content" / "brands" / "agency.yaml").write_text("meta:\n  name: Test County Child Support\n")
    (root / "content" / "guidance" / "default.yaml").write_text(
        "title: When to refer\n"
        "when_to_refer: [Parents argue about parenting time.]\n" + guidance +
        "safety:\n  heading: Safety first\n  text: Do not refer a parent who fears the other parent.\n"
        "  hotline: {name: National Domestic Violence Hotline, phone: '1-800-799-7233'}\n")
    (root / "content" / "offices" / "big.yaml").write_text(
        "name: Test County Child Support\nbrand: agency\nserves: [{state: GA, counties: [Clarke]}]\n"
        "address: 1 Main Street, Athens, GA 30601\nphone: '(706) 555-0110'\n"
        "family_violence_contact: {name: Safety Team, phone: '(706) 555-0118'}\n" + office)
    kinds = [("in-person", "counties: [Clarke]")] * programs + [("in-person", "statewide: true")] * statewide \
        + [("online", "statewide: true")] * online
    for i, (format, where) in enumerate(kinds):
        provider = f"provider-{i % 7}"
        (root / "content" / "brands" / f"{provider}.yaml").write_text(f"meta:\n  name: Provider {i % 7}\n")
        start = dt.date(2027, 1, 4) + dt.timedelta(days=7 * ((i * 5) % 11))  # dates out of file order
        weekday = start.strftime("%A")
        location = ("location: {name: Hall, address: 1 Elm Street, city: Athens, state: GA, zip: '30601'}\n"
                    if format != "online" else "")
        (root / "content" / "programs" / f"class-{i:02d}.yaml").write_text(
            f"name: Class number {i}{name}\nprovider: {provider}\ndescription: A class.\n"
            f"audiences: [co-parents, separated-or-divorced-parents, never-married-parents]\nformat: {format}\n"
            "sessions:\n"
            f"  - {{start: {start}, weekday: {weekday}, time: '18:00-20:00', weeks: 6}}\n"
            f"  - {{start: {start + dt.timedelta(days=70)}, weekday: {weekday}, time: '18:00-20:00', weeks: 6}}\n"
            + location +
            f"registration: {{url: 'https://example.org/class-{i}{url}', phone: '(706) 555-01{i % 100:02d}'}}\n"
            f"serves: [{{state: GA, {where}}}]\nverified: 2026-11-01\n")
    return root


def _printed_classes(text: str) -> list[int]:
    """The class numbers a desk aid prints, in print order."""
    return [int(n) for n in re.findall(r"Class number (\d+)", text)]


def _expected_order(project: Path) -> list[int]:
    """Every class that serves the office, nearest first, then the soonest: as the desk aid must list them."""
    from tipsheets.core.areas import listed_for

    catalog = load_project(project)
    office = catalog.get("offices", "big").item
    return [int(p.name.rsplit(" ", 1)[1]) for p in listed_for(catalog, office, AS_OF)]


def test_thirty_programs_print_the_nearest_that_fit_and_point_to_the_full_list(tmp_path: Path) -> None:
    project = _crowded_project(tmp_path / "project", 12, statewide=9, online=9,
                               settings="site_url: https://handouts.example.org/clarke/\n")
    out = tmp_path / "out"
    result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf", "html"), offices=("big",)))
    outcome = next(o for o in result.outcomes if o.target.kind == "desk-aid")
    assert outcome.status == "built", outcome.errors
    pdf = out / "desk-aids/big.pdf"
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    printed = _printed_classes(text)
    expected = _expected_order(project)
    assert len(expected) == 30 and 2 <= len(printed) < 30
    assert printed == expected[:len(printed)]  # the first in print order: nothing nearer is left off
    # nearest first: every class in Clarke before every statewide one, then online; each group by its next session
    assert expected[:12] == sorted(range(12), key=lambda i: ((i * 5) % 11, i))
    assert set(expected[12:21]) == set(range(12, 21)) and set(expected[21:]) == set(range(21, 30))
    more = 30 - len(printed)
    assert f"{more} more programs serve this office" in text
    assert "30 programs" in text
    url = "https://handouts.example.org/clarke/desk-aids/big.html"
    assert short_address(url) in text
    assert url in decode_qr_codes(pdf)
    (note,) = [n for n in outcome.notes if "prints the nearest" in n]
    assert f"prints the nearest {len(printed)} of the 30 programs" in note
    # the web page is the full list
    html = (out / "desk-aids/big.html").read_text()
    assert sorted(_printed_classes(html)) == list(range(30)) and "more programs serve this office" not in html


def test_a_cut_desk_aid_without_a_site_says_where_the_full_list_is_and_how_to_print_its_address(tmp_path: Path) -> None:
    project = _crowded_project(tmp_path / "project", 20)
    out = tmp_path / "out"
    result = build(Options(project=project, out_dir=out, as_of=AS_OF, formats=("pdf", "html"), offices=("big",)))
    outcome = next(o for o in result.outcomes if o.target.kind == "desk-aid")
    assert outcome.status == "built", outcome.errors
    text = pdf_text(out / "desk-aids/big.pdf")
    printed = _printed_classes(text)
    assert 2 <= len(printed) < 20
    assert "The web version of this desk aid lists them all" in text
    assert not [c for c in decode_qr_codes(out / "desk-aids/big.pdf") if "desk-aids" in c]
    assert any("set site_url in tipsheets.yaml" in n for n in outcome.notes), outcome.notes


def test_an_office_may_ask_for_a_two_page_desk_aid(tmp_path: Path) -> None:
    one = _crowded_project(tmp_path / "one", 20)
    two = _crowded_project(tmp_path / "two", 20, office="desk_aid_pages: 2\n")
    for project in (one, two):
        build(Options(project=project, out_dir=project / "output", as_of=AS_OF, formats=("pdf",), offices=("big",)))
    one_pdf, two_pdf = one / "output/desk-aids/big.pdf", two / "output/desk-aids/big.pdf"
    assert pdf_pages(one_pdf) == 1 and pdf_pages(two_pdf) == 2
    on_one, on_two = _printed_classes(pdf_text(one_pdf)), _printed_classes(pdf_text(two_pdf))
    assert len(on_two) > len(on_one)
    assert on_two == _expected_order(two)[:len(on_two)]


def test_a_desk_aid_that_fits_all_its_programs_names_no_others(tmp_path: Path) -> None:
    project = _crowded_project(tmp_path / "project", 4)
    build(Options(project=project, out_dir=tmp_path / "out", as_of=AS_OF, formats=("pdf",), offices=("big",)))
    text = pdf_text(tmp_path / "out/desk-aids/big.pdf")
    assert sorted(_printed_classes(text)) == [0, 1, 2, 3]
    assert "more program" not in text and "web version" not in text


def test_a_desk_aid_whose_guidance_alone_overflows_fails_with_the_promised_message(tmp_path: Path) -> None:
    long = "".join(f"  - Point number {i}, a parent who says the other parent keeps changing the plan, again.\n"
                   for i in range(70))
    project = _crowded_project(tmp_path / "project", 8, guidance="how_to_refer:\n" + long)
    result = build(Options(project=project, out_dir=tmp_path / "out", as_of=AS_OF, formats=("pdf", "html"),
                           offices=("big",)))
    assert [o.target.stem for o in result.outcomes] == ["cards/big", "desk-aids/big"]  # what is made for the office
    outcome = result.outcomes[1]
    assert outcome.status == "failed"
    assert len(outcome.errors) == 1, outcome.errors
    (message,) = outcome.errors
    match = re.match(r"desk-aids/big: does not fit on one page: it runs to (\d+) pages, (\d+) mm past the first",
                     message)
    assert match, message
    assert int(match[1]) >= 2 and int(match[2]) > 50
    assert "other layouts" in message and "hint:" in message
    assert not (tmp_path / "out" / "desk-aids" / "big.pdf").exists()


@pytest.mark.parametrize("programs, points", [(30, 0), (7, 30), (4, 45)])
def test_each_smaller_layout_takes_no_more_room_than_the_one_before(tmp_path: Path, programs: int, points: int) -> None:
    """The layouts are tried in order, so each must run less far past the page than the one before: with many
    programs, and with few under a long checklist."""
    from tipsheets.build.handout import font_base
    from tipsheets.core.target import REGULAR
    from tipsheets.core.theme import builtin_theme
    from tipsheets.handouts import BY_NAME, page_html, plan
    from tipsheets.print.printer import Printer
    from tipsheets.render.environment import make_environment

    steps = "".join(f"  - Step {i}, in which the caseworker explains the class and writes the referral down.\n"
                    for i in range(points))
    project = _crowded_project(tmp_path / "project", programs, guidance="how_to_refer:\n" + steps if points else "",
                               name=" for parents who share the care of their children",
                               url="/relationship-education/co-parenting-classes")
    catalog = load_project(project)
    target = next(t for t in plan(catalog, AS_OF) if t.kind == "desk-aid")
    env = make_environment(project)
    printer = Printer([project, builtin_theme()])
    layouts = [REGULAR, *(f.layout for f in BY_NAME["desk-aid"].page.fallbacks)]
    past = []
    for layout in layouts:
        html = page_html(target, catalog, env, as_of=AS_OF, layout=layout, for_print=True, font_base=font_base())
        past.append(printer.print(html, base_url=str(project), identifier="x", write=False).overflow_past(1))
    assert past[0] > 0 and past == sorted(past, reverse=True), past


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
