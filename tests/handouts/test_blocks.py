"""The block vocabulary and document options: each block printed, read back from the PDF and the web page."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.cli import app
from tipsheets.core.theme import builtin_theme
from tipsheets.project import check_project, load_project

from _pdf import POINTS_PER_INCH, find, lines, reading_order, rows
from conftest import AS_OF, pdf_text, squash

runner = CliRunner()

HEAD = """\
title: Blocks at Work
subtitle: Every block type on one sheet
audience: parents
date: 2026-10-01
"""

#: a sheet that uses every block type (the classes block prints nothing outside an edition)
EVERY_BLOCK = HEAD + """\
authors:
  - name: Pat Writer
    note: "*"
blocks:
  - type: lead
    text: A lead paragraph with no heading above it.
  - type: box
    id: did-you-know
    place: beside
    heading: Did you know?
    facts:
      - The first fact.[^1]
      - The second fact.
  - type: section
    id: why
    heading: Why it matters
    body: Parents who talk things over help their children.[^1][^2][^3]
  - type: tips
    id: habits
    heading: Habits that help
    style: lead-in
    groups:
      - heading: Talk
        tips:
          - heading: Keep to one topic
            body: Talk about the pick-up time, not the past.
      - heading: Plan
        tips:
          - heading: Share a calendar
            body: Write every visit down where you both can see it.
  - type: tips
    style: bullets
    tips:
      - body: A plain bullet with no lead-in.
  - type: tips
    heading: Numbered ones
    tips:
      - id: first-numbered
        heading: A numbered tip
        body: With a body.
  - type: box
    heading: Resource spotlight
    body: A box where it stands, after the tips.
  - type: case
    title: A case example
    story: A father began to pay after a class.
  - type: quote
    text: Things started to change.
    by: A father
  - type: quote
    style: tagline
    text: Two homes, one team.
  - type: reading
    items:
      - text: A further reading item nobody cites.
  - type: contact
    heading: Call the office
    phone: 1-877-4DAD411
  - type: classes
  - type: notice
    text: Open to every parent.
references:
  - text: First reference.
  - text: Second reference.
  - text: Third reference.
footnotes:
  - marker: "*"
    text: Pat writes for the project.
"""


def project_with(tmp_path: Path, minimal: Path, sheets: dict[str, str]) -> Path:
    folder = minimal / "content" / "tipsheets"
    for old in folder.glob("*.yaml"):
        old.unlink()
    for name, text in sheets.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return minimal


def built(project: Path, *, print_shop: bool = False) -> Path:
    result = build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF),
                           print_shop=print_shop))
    assert result.ok, result.errors + [e for o in result.failed for e in o.errors]
    return project / "output"


def problems(project: Path) -> list[str]:
    catalog = load_project(project)
    return [e.format() for e in catalog.errors] + [p.format() for p in check_project(catalog, dt.date(2026, 11, 25))]


@pytest.fixture(scope="module")
def every_block(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil
    from conftest import FIXTURES

    project = tmp_path_factory.mktemp("blocks") / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    project_with(project, project, {"every": EVERY_BLOCK})
    return built(project) / "tipsheets"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


# --------------------------------------------------------------------------- every block type


def test_every_block_type_has_a_partial_and_is_used_by_the_shipped_content() -> None:
    from tipsheets.core.blocks import BLOCK_TYPES  # inside: the rest of the module runs against older code
    from conftest import REPO

    shipped = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*.yaml"))
    for block_type in BLOCK_TYPES:
        assert (builtin_theme() / block_type.partial).is_file(), block_type.partial
        if block_type.name != "classes":  # an edition's classes box: every edition places one
            assert f"type: {block_type.name}" in shipped, f"no shipped content uses the {block_type.name} block"


def test_every_block_prints_in_order_in_the_pdf(every_block: Path) -> None:
    text = squash(pdf_text(every_block / "every.pdf"))
    order = ["A lead paragraph", "Why it matters", "Habits that help", "Talk", "Keep to one topic.",
             "Plan", "Share a calendar.", "A plain bullet", "Numbered ones", "1 A numbered tip",
             "Resource spotlight", "A case example", "Things started to change", "Two homes, one team",
             "Further reading", "A further reading item", "Call the office", "Open to every parent",
             "References"]
    positions = [text.find(item) for item in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    assert "Did you know?" in text and "The first fact." in text


def test_every_block_prints_as_its_elements_in_the_web_page(every_block: Path) -> None:
    found = tags(every_block / "every.html")
    classes = [a.get("class", "") for _, a in found]
    assert "lead" in classes and "sidebar facts-box" in classes and "box" in classes
    assert any(t == "ol" and a.get("class") == "facts" for t, a in found)
    assert any(t == "ul" and a.get("class") == "tip-list lead-in" for t, a in found)
    assert any(t == "ul" and a.get("class") == "tip-list bullets" for t, a in found)
    assert any(t == "section" and a.get("class") == "tip-group" for t, a in found)
    assert any(t == "figure" and a.get("class") == "pull-quote" for t, a in found)
    assert any(t == "p" and a.get("class") == "tagline" for t, a in found)
    assert any(t == "section" and a.get("class") == "reading" for t, a in found)
    assert any(t == "div" and a.get("class") == "notice" for t, a in found)
    ids = [a["id"] for _, a in found if "id" in a]
    assert len(ids) == len(set(ids)), f"an id is used twice: {sorted(i for i in ids if ids.count(i) > 1)}"
    labelled = {a["aria-labelledby"] for _, a in found if "aria-labelledby" in a}
    assert labelled <= set(ids), labelled - set(ids)


def test_tags_follow_the_order_of_the_blocks(every_block: Path) -> None:
    order = reading_order(every_block / "every.pdf")
    items = ["Blocks at Work", "A lead paragraph", "Did you know?", "Why it matters", "Habits that help",
             "Keep to one topic", "A plain bullet", "Numbered ones", "Resource spotlight", "A case example",
             "Things started to change", "Further reading", "Call the office", "Open to every parent", "References"]
    positions = [order.find(item) for item in items]
    assert -1 not in positions, dict(zip(items, positions, strict=True))
    assert positions == sorted(positions), dict(zip(items, positions, strict=True))


def test_grouped_numbered_tips_number_on_from_group_to_group(tmp_path: Path, minimal: Path) -> None:
    sheet = HEAD + textwrap.dedent("""\
        blocks:
          - type: tips
            heading: Tips in groups
            groups:
              - heading: First group
                tips:
                  - {heading: Alpha tip, body: One.}
                  - {heading: Beta tip, body: Two.}
              - heading: Second group
                tips:
                  - {heading: Gamma tip, body: Three.}
        """)
    out = built(project_with(tmp_path, minimal, {"groups": sheet})) / "tipsheets"
    text = squash(pdf_text(out / "groups.pdf"))
    assert "1 Alpha tip" in text and "2 Beta tip" in text and "3 Gamma tip" in text


# --------------------------------------------------------------------------- citations and footnotes


def test_a_run_of_citations_prints_as_a_range_not_as_one_number(every_block: Path) -> None:
    text = squash(pdf_text(every_block / "every.pdf"))
    assert "their children.1–3" in text and "children.123" not in text
    html = (every_block / "every.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="#ref-1" aria-label="references 1–3">1–3</a>', html)


@pytest.mark.parametrize("written,printed", [("[^1][^2]", "1,2"), ("[^1][^3]", "1,3"), ("[^2][^3][^1]", "2,3,1"),
                                            ("[^1][^2][^3][^5]", "1–3,5")])
def test_citation_runs_print_apart(written: str, printed: str) -> None:
    from tipsheets.core.markdown import render_inline

    html = render_inline(f"Text.{written}")
    shown = re.sub(r"<[^>]+>", "", str(html)).replace("\u2060", "")
    assert shown == f"Text.{printed}"
    assert html.count("<sup") == 1


def _at_foot(path: Path, note: str, page: int) -> None:
    """``note`` is printed on ``page``, below every line of the page's body text, above its footer."""
    places = find(path, note)
    assert places, f"{note!r} is not printed"
    assert {c.page for c in places[0]} == {page}, f"{note!r} is on page {places[0][0].page + 1}, not {page + 1}"
    top = max(c.y1 for c in places[0])
    page_lines = lines(path, page)
    footer = page_lines[-1][0]
    body = [y for y, text in page_lines if y > top + 1 and "".join(note.split())[:12] not in text]
    assert body, "nothing above the note"
    assert top < min(body), f"{note!r} is not below the body text of its page"
    assert top < 2.5 * POINTS_PER_INCH and top > footer, f"{note!r} is not at the foot of the page"


def test_footnotes_print_at_the_foot_of_the_page_that_cites_them(tmp_path: Path, minimal: Path) -> None:
    filler = " ".join(["Parents who talk things over help their children, and caseworkers see it every day."] * 9)
    sections = "\n".join(f"  - type: section\n    heading: Part {i}\n    body: {filler}" for i in range(6))
    sheet = HEAD + "authors:\n  - name: Pat Writer\n    note: \"*\"\nblocks:\n" + sections + textwrap.dedent("""
          - type: section
            heading: Late in the sheet
            body: A review[^†] checks whether an order still fits.
        footnotes:
          - marker: "*"
            text: Pat writes for the project and its partners.
          - marker: "†"
            text: A review looks again at the amount of an order.
        """)
    out = built(project_with(tmp_path, minimal, {"notes": sheet})) / "tipsheets"
    pdf = out / "notes.pdf"
    cited = find(pdf, "Late in the sheet")[0][0].page
    assert cited >= 1, "the test needs the second note cited after page 1"
    _at_foot(pdf, "Pat writes for the project", 0)
    _at_foot(pdf, "A review looks again", cited)
    html = (out / "notes.html").read_text(encoding="utf-8")
    assert 'href="#fn-2"' in html and 'id="fn-2"' in html and "A review looks again" in html
    assert "float: footnote" not in html  # paged-media CSS stays out of the web page


def test_footnote_problems_are_reported_at_their_lines(tmp_path: Path, minimal: Path) -> None:
    sheet = HEAD + textwrap.dedent("""\
        blocks:
          - type: section
            heading: One
            body: Marked once.[^*] And a mark with no note.[^‡]
          - type: section
            heading: Two
            body: Marked again.[^*]
        footnotes:
          - marker: "*"
            text: The note.
          - marker: "§"
            text: Never cited.
        """)
    found = problems(project_with(tmp_path, minimal, {"notes": sheet}))
    file = "content/tipsheets/notes.yaml"
    assert any(p.startswith(f"{file}:8:11: blocks[0].body: [^‡] marks a footnote that the sheet does not have")
               for p in found), found
    assert any(p.startswith(f"{file}:11:11: blocks[1].body: footnote * is already cited at blocks[0].body")
               for p in found), found
    assert any(f"{file}:15:5: warning: footnotes[1]: footnote § is never cited" in p for p in found), found


def test_a_reading_list_is_not_cited_and_draws_no_warning(every_block: Path) -> None:
    project = every_block.parent.parent
    found = problems(project)
    assert not [p for p in found if "never cited" in p or "reading" in p], found


# --------------------------------------------------------------------------- document options


OPTIONS = HEAD + """\
kicker: Fact sheet
series:
  name: Partnership Fact Sheet Series
  number: 13
agency:
  - Office of Partnership Programs
  - Family Services Division
footer:
  text: Office of Partnership Programs · example.org
  page_number: number
header:
  text: Blocks at Work
  first_page: false
blocks:
""" + "\n".join(f"  - type: section\n    heading: Part {i}\n    body: " + " ".join(
    ["Child support and relationship education share one goal, better outcomes for children."] * 10)
    for i in range(8))


def test_series_kicker_and_agency_print_in_the_masthead(tmp_path: Path, minimal: Path) -> None:
    out = built(project_with(tmp_path, minimal, {"opts": OPTIONS})) / "tipsheets"
    first = [text for _, text in lines(out / "opts.pdf", 0)][:8]
    joined = " ".join(first)
    assert "PARTNERSHIPFACTSHEETSERIES" in joined.replace(" ", "") and "NUMBER13" in joined.replace(" ", "")
    assert "FACTSHEET" in joined.replace(" ", "") and "ATIPSHEETFORPARENTS" not in joined.replace(" ", "")
    assert "OfficeofPartnershipPrograms" in joined and "FamilyServicesDivision" in joined


def test_running_footer_and_header_carry_the_right_page_number(tmp_path: Path, minimal: Path) -> None:
    out = built(project_with(tmp_path, minimal, {"opts": OPTIONS})) / "tipsheets"
    pdf = out / "opts.pdf"
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    assert count >= 2
    for page in range(count):
        page_lines = lines(pdf, page)
        foot = page_lines[-1][1]
        assert foot.startswith(f"{page + 1}|OfficeofPartnershipPrograms"), (page, foot)
        assert "Page" not in foot
        head = page_lines[0][1]
        if page == 0:
            assert "BlocksatWork" not in head or "PARTNERSHIP" in head.upper()
        else:
            assert head == "BlocksatWork", (page, head)


def test_default_footer_keeps_brand_product_and_page_of_pages(minimal: Path) -> None:
    out = built(minimal) / "tipsheets"
    pdf = out / "demo.pdf"
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    for page in range(count):
        foot = lines(pdf, page)[-1][1]
        assert foot == f"TestPartnership·Product#037Page{page + 1}of{count}", foot


@pytest.mark.parametrize("paper,orientation,size", [
    ("legal", "portrait", (612, 1008)), ("a4", "landscape", (842, 595)), ("letter", "landscape", (792, 612))])
def test_paper_and_orientation_set_the_page_size(tmp_path: Path, minimal: Path, paper: str, orientation: str,
                                                 size: tuple[int, int]) -> None:
    sheet = HEAD + f"paper: {paper}\norientation: {orientation}\nblocks:\n  - type: lead\n    text: Short.\n"
    out = built(project_with(tmp_path, minimal, {"paper": sheet})) / "tipsheets"
    with pikepdf.open(out / "paper.pdf") as document:
        box = [float(v) for v in document.pages[0].MediaBox]
    assert (round(box[2] - box[0]), round(box[3] - box[1])) == size


def test_two_columns_put_text_on_both_halves_of_the_page(tmp_path: Path, minimal: Path) -> None:
    body = OPTIONS.replace("kicker: Fact sheet", "kicker: Fact sheet\ncolumns: 2")
    out = built(project_with(tmp_path, minimal, {"one": OPTIONS, "two": body})) / "tipsheets"

    def split_rows(name: str) -> int:
        """Rows of page 1's body (below the masthead) with a gap of 5 mm or more across the middle."""
        middle = 612 / 2
        count = 0
        for top, row in rows(out / f"{name}.pdf", 0):
            if top > 560:  # the masthead: the series banner and the brand bar have their own columns
                continue
            for a, b in zip(row, row[1:], strict=False):
                if a.x1 < middle < b.x0 and b.x0 - a.x1 > 14:
                    count += 1
                    break
        return count

    assert split_rows("two") > 20, "the second column is not filled"
    assert split_rows("one") == 0


def test_a_layout_gives_one_document_its_own_look(tmp_path: Path, minimal: Path) -> None:
    layouts = minimal / "templates" / "layouts" / "shouty"
    layouts.mkdir(parents=True)
    (layouts / "style.css.j2").write_text("h1 { text-transform: uppercase; }\n", encoding="utf-8")
    page = minimal / "templates" / "layouts" / "stamped"
    page.mkdir(parents=True)
    (page / "page.html.j2").write_text(
        '{% extends "tipsheet/page.html.j2" %}{% block body %}<p>Draft for review.</p>{{ super() }}{% endblock %}\n',
        encoding="utf-8")
    plain = HEAD + "blocks:\n  - type: lead\n    text: Short.\n"
    sheets = {"plain": plain, "loud": plain + "layout: shouty\n", "stamped": plain + "layout: stamped\n"}
    out = built(project_with(tmp_path, minimal, sheets)) / "tipsheets"
    assert "BLOCKS AT WORK" in pdf_text(out / "loud.pdf")
    assert "Blocks at Work" in pdf_text(out / "plain.pdf") and "BLOCKS AT WORK" not in pdf_text(out / "plain.pdf")
    stamped = squash(pdf_text(out / "stamped.pdf"))
    assert "Draft for review." in stamped and stamped.index("Draft for review.") < stamped.index("Blocks at Work")
    assert "Draft for review." not in pdf_text(out / "plain.pdf")


def test_an_unknown_layout_is_an_error_at_its_line(tmp_path: Path, minimal: Path) -> None:
    sheet = HEAD + "layout: nowhere\nblocks:\n  - type: lead\n    text: Short.\n"
    found = problems(project_with(tmp_path, minimal, {"lost": sheet}))
    assert any(p.startswith("content/tipsheets/lost.yaml:5:9: layout: there is no layout 'nowhere' (hint: add "
                            "templates/layouts/nowhere/style.css.j2") for p in found), found


# --------------------------------------------------------------------------- fixes


def test_a_title_ending_in_a_colon_is_not_doubled(minimal: Path) -> None:
    path = minimal / "content" / "tipsheets" / "demo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: A Win-Win Partnership", 'title: "Co-Parenting:"').replace(
        "subtitle: How child support agencies gain from relationship education", "subtitle: Working together"),
        encoding="utf-8")
    out = built(minimal) / "tipsheets"
    with pikepdf.open(out / "demo.pdf") as document:
        title = str(document.docinfo["/Title"])
    assert title == "Co-Parenting: Working together"
    assert "<title>Co-Parenting: Working together</title>" in (out / "demo.html").read_text(encoding="utf-8")


def test_a_vanity_number_dials_its_digits_and_prints_its_letters(tmp_path: Path, minimal: Path) -> None:
    text = (minimal / "content" / "tipsheets" / "demo.yaml").read_text(encoding="utf-8")
    text = text.replace("  email: info@example.org\n", "  email: info@example.org\n  phone: 1-877-4DAD411\n")
    (minimal / "content" / "tipsheets" / "demo.yaml").write_text(text, encoding="utf-8")
    out = built(minimal) / "tipsheets"
    html = (out / "demo.html").read_text(encoding="utf-8")
    assert '<a href="tel:+1-877-432-3411">1-877-4DAD411</a>' in html
    assert 'href=""' not in html
    with pikepdf.open(out / "demo.pdf") as document:
        links = [str(a.A.URI) for page in document.pages for a in page.get("/Annots", [])
                 if "/A" in a and "/URI" in a.A]
    assert "tel:+1-877-432-3411" in links and "" not in links
    assert "1-877-4DAD411" in pdf_text(out / "demo.pdf")


def test_a_contact_number_that_cannot_be_dialled_is_refused_at_its_field(minimal: Path) -> None:
    path = minimal / "content" / "tipsheets" / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  email: info@example.org\n",
                                 "  email: info@example.org\n  phone: ask at the desk\n"), encoding="utf-8")
    found = problems(minimal)
    assert any(": contact.phone: 'ask at the desk' is not a phone number" in p for p in found), found


@pytest.mark.parametrize("field,old,new,expected", [
    ("brands", "date: 2012-05-01", "date: 2012-05-01\nbrands: []",
     "brands: brands is empty; it needs at least 1 item"),
    ("items", "    items:\n      - term: Locating parents",
     "    items: []\n    unused:\n      - term: Locating parents",
     "sidebars[0].items: items is empty; it needs at least 1 item"),
])
def test_short_lists_are_reported_in_plain_words(minimal: Path, field: str, old: str, new: str, expected: str) -> None:
    path = minimal / "content" / "tipsheets" / "demo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    found = problems(minimal)
    assert any(expected in p for p in found), found
    assert not any("List should have" in p for p in found)


def test_an_unknown_block_type_is_named_at_its_line(tmp_path: Path, minimal: Path) -> None:
    sheet = HEAD + "blocks:\n  - type: lead\n    text: Fine.\n  - type: tipz\n    tips: []\n"
    found = problems(project_with(tmp_path, minimal, {"bad": sheet}))
    assert any(p.startswith("content/tipsheets/bad.yaml:8:11: blocks[1].type: unknown block type 'tipz' "
                            "(hint: did you mean 'tips'?") for p in found), found


def test_a_block_error_points_at_the_block(tmp_path: Path, minimal: Path) -> None:
    sheet = HEAD + "blocks:\n  - type: tips\n    tips:\n      - body: No heading here.\n"
    found = problems(project_with(tmp_path, minimal, {"bad": sheet}))
    assert any(p.startswith("content/tipsheets/bad.yaml:6:5: blocks[0]: tip 1 has no heading; numbered tips need one")
               for p in found), found


def test_blocks_and_the_shorthand_together_are_an_error(tmp_path: Path, minimal: Path) -> None:
    text = (minimal / "content" / "tipsheets" / "demo.yaml").read_text(encoding="utf-8")
    (minimal / "content" / "tipsheets" / "demo.yaml").write_text(
        text + "blocks:\n  - type: lead\n    text: Also a lead.\n", encoding="utf-8")
    found = problems(minimal)
    assert any("the body is written twice: as blocks and as intro" in p for p in found), found


def test_the_wording_gate_reads_block_text_and_skips_block_choices(tmp_path: Path, minimal: Path) -> None:
    from tipsheets.lint import lint_catalog

    sheet = HEAD + textwrap.dedent("""\
        blocks:
          - type: box
            place: beside
            heading: About classes
            facts:
              - Try a marriage education class.
        """)
    project = project_with(tmp_path, minimal, {"words": sheet})
    findings = lint_catalog(load_project(project))
    hits = [f for f in findings if f.file == "content/tipsheets/words.yaml" and f.level == "error"]
    assert [(f.line, f.field) for f in hits] == [(10, "blocks[0].facts[0]")], findings


# --------------------------------------------------------------------------- the schema command


def test_schema_shows_the_types_inside_a_tip_sheet() -> None:
    result = runner.invoke(app, ["schema", "tipsheet"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    titles = {line.strip() for line in result.output.splitlines()}
    for nested in ("Section", "Tip", "Sidebar", "SidebarItem", "Author", "Reference", "tips block", "box block",
                   "TipGroup", "Footnote", "RunningLine"):
        assert nested in titles, nested
    program = runner.invoke(app, ["schema", "program"], env={"COLUMNS": "200"})
    assert "Session" in {line.strip() for line in program.output.splitlines()}


def test_schema_area_is_the_area_served_and_a_nested_type_can_be_shown_alone() -> None:
    result = runner.invoke(app, ["schema", "area"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "statewide" in result.output and "zips" in result.output
    assert "The counties of one state" not in result.output
    areas = runner.invoke(app, ["schema", "areas"], env={"COLUMNS": "200"})
    assert "County list" in areas.output
    tip = runner.invoke(app, ["schema", "tip"], env={"COLUMNS": "200"})
    assert tip.exit_code == 0 and "bullets" in tip.output
    assert runner.invoke(app, ["schema", "nonsense"]).exit_code != 0


def test_a_css_escape_keeps_the_space_after_it(minimal: Path) -> None:
    """The running footer is a CSS string: "n.º 037" escapes the "º", and CSS reads one space after an
    escape as part of it, so the footer printed "n.º037" until each escape carried its own space."""
    import shutil
    from conftest import FIXTURES

    shutil.copy(FIXTURES / "spanish" / "demo.es.yaml", minimal / "content" / "tipsheets" / "demo.es.yaml")
    pdf = built(minimal) / "tipsheets" / "demo.es.pdf"
    foot = [text for _, text in lines(pdf, 0)][-1]
    assert "Producton.º037" in foot  # the characters, without spaces
    words = squash(pdf_text(pdf))
    assert "Producto n.º 037" in words and "n.º037" not in words


def test_a_projects_copy_of_the_macros_without_the_new_ones_still_builds(minimal: Path) -> None:
    """Projects copy macros.html.j2 to change it; the built-in pages must not need a macro such a copy lacks."""
    own = minimal / "templates"
    own.mkdir()
    (own / "macros.html.j2").write_text(textwrap.dedent("""\
        {% macro brand_bar(brands, label) -%}
        <div class="brands">{% for b in brands %}<span class="brand-name">{{ b.name }}</span>{% endfor %}
        {% if label %}<p class="kicker">{{ label }}</p>{% endif %}</div>
        {%- endmacro %}
        """), encoding="utf-8")
    out = built(minimal) / "tipsheets"
    assert "Test Partnership Center" in pdf_text(out / "demo.pdf")


def test_a_projects_copy_of_the_page_from_before_blocks_prints_as_it_did(minimal: Path) -> None:
    import shutil
    from conftest import FIXTURES

    built_in = squash(pdf_text(built(minimal) / "tipsheets" / "demo.pdf"))
    (minimal / "templates").mkdir()
    shutil.copy(FIXTURES / "overrides" / "tipsheet.html.j2", minimal / "templates" / "tipsheet.html.j2")
    (minimal / "output").rename(minimal / "output-built-in")
    assert squash(pdf_text(built(minimal) / "tipsheets" / "demo.pdf")) == built_in


@pytest.mark.parametrize("name", ["../../etc", "shared/../x", "/abs", "Fact-Sheet", "a b"])
def test_a_layout_name_is_an_id_and_cannot_name_a_path(tmp_path: Path, minimal: Path, name: str) -> None:
    sheet = HEAD + f"layout: {name!r}\nblocks:\n  - type: lead\n    text: Short.\n"
    found = problems(project_with(tmp_path, minimal, {"lost": sheet}))
    assert any(p.startswith("content/tipsheets/lost.yaml:5:9: layout: ") and "is not in the expected form" in p
               for p in found), found


def test_a_layout_linked_to_a_file_outside_the_project_is_not_read(tmp_path: Path, minimal: Path) -> None:
    secret = tmp_path / "outside.css.j2"
    secret.write_text("h1::after { content: 'SECRET-OUTSIDE'; }\n", encoding="utf-8")
    folder = minimal / "templates" / "layouts" / "linked"
    folder.mkdir(parents=True)
    (folder / "style.css.j2").symlink_to(secret)
    sheet = HEAD + "layout: linked\nblocks:\n  - type: lead\n    text: Short.\n"
    project = project_with(tmp_path, minimal, {"linked": sheet})
    result = build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF)))
    assert not result.ok
    said = result.errors + [e for o in result.failed for e in o.errors]
    assert any("content/tipsheets/linked.yaml:5:9: layout: layout 'linked' is a link to a file outside the "
               "template folders" in e for e in said), said
    assert not (project / "output" / "tipsheets" / "linked.pdf").exists()
    # and were the check ever passed, the page itself would refuse to read it
    from tipsheets.handouts import page_html, plan
    from tipsheets.render.environment import make_environment
    import jinja2

    catalog = load_project(project)
    target = next(t for t in plan(catalog, dt.date(2026, 11, 25)) if t.id == "linked")
    with pytest.raises(jinja2.TemplateNotFound, match="outside the template folders"):
        page_html(target, catalog, make_environment(project), as_of=dt.date(2026, 11, 25), for_print=True)
