"""Customised editions: an overlay file merged with its base tip sheet."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.core import editions
from tipsheets.handouts.edition import classes_programs
from tipsheets.project import load_project
from tipsheets.project import check_project
from tipsheets.cli import app
from tipsheets.handouts import plan
from tipsheets.core.source import ContentError
from conftest import AS_OF, REPO

runner = CliRunner()

EDITION = """\
# A local edition of the demo tip sheet
base: demo
brands: [default]
contact:
  heading: Call us
  phone: "(706) 555-0140"
changes:
  - replace: two
    body: Train caseworkers in short sessions over lunch, twice a year.
  - remove: common-ground
  - insert_after: one
    id: local
    heading: Meet our local team
    body: Our team visits the office every month.
"""


def write(project: Path, name: str, text: str) -> Path:
    path = project / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def merged(project: Path, edition_id: str = "local-demo"):
    catalog = load_project(project)
    assert not catalog.errors, [e.format() for e in catalog.errors]
    entry = catalog.get("editions", edition_id)
    base = editions.find_base(catalog, entry)
    return catalog, entry, base


def build(project: Path, *args: str):
    return runner.invoke(app, ["build", "--project", str(project), "--as-of", AS_OF, "-f", "html", *args])


@pytest.fixture
def project(minimal: Path) -> Path:
    write(minimal, "editions/local-demo.yaml", EDITION)
    return minimal


def test_replaced_tip_shows_the_new_text_and_not_the_old(project: Path) -> None:
    _, entry, base = merged(project)
    sheet, _ = editions.merge(base, entry)
    tip = next(t for t in sheet.tips if t.id == "two")
    assert tip.body == "Train caseworkers in short sessions over lunch, twice a year."
    assert tip.heading == "Train staff"  # a field the edition does not give stays the base's
    result = build(project)
    assert result.exit_code == 0, result.output
    html = (project / "output" / "editions" / "local-demo.html").read_text()
    assert "short sessions over lunch" in html
    assert "Train them well" not in html


def test_removed_section_is_absent(project: Path) -> None:
    _, entry, base = merged(project)
    sheet, _ = editions.merge(base, entry)
    assert [s.id for s in sheet.intro] == ["outcomes"]
    assert build(project).exit_code == 0
    html = (project / "output" / "editions" / "local-demo.html").read_text()
    assert "Common ground" not in html and "share one goal" not in html
    assert "Better outcomes for children" in html


def test_inserted_item_lands_after_its_anchor(project: Path) -> None:
    _, entry, base = merged(project)
    sheet, origins = editions.merge(base, entry)
    assert [t.id for t in sheet.tips] == ["one", "local", "two"]
    assert origins.file_of(("tips", 1, "body")) == "content/editions/local-demo.yaml"


def test_a_change_to_the_base_reaches_the_edition(project: Path) -> None:
    assert build(project).exit_code == 0
    out = project / "output" / "editions" / "local-demo.html"
    assert "Know what the agency wants." in out.read_text()
    base = project / "content" / "tipsheets" / "demo.yaml"
    base.write_text(base.read_text().replace("Know what the agency wants.", "Learn what the agency needs."))
    assert build(project).exit_code == 0
    html = out.read_text()
    assert "Learn what the agency needs." in html
    assert "Know what the agency wants." not in html


def test_an_edition_depends_on_its_base_brands_and_programs() -> None:
    catalog = load_project(REPO)
    target = next(t for t in plan(catalog, dt.date.fromisoformat(AS_OF)) if t.id == "oconee-river-clarke")
    assert target.inputs[:2] == ("content/editions/oconee-river-clarke.yaml", "content/tipsheets/win-win-agencies.yaml")
    assert "content/brands/clarke-county-cse.yaml" in target.inputs
    assert "content/brands/oconee-river-relationship-education.yaml" in target.inputs
    assert "content/programs/together-for-our-kids-athens.yaml" in target.inputs
    assert "content/programs/parenting-apart-atlanta.yaml" not in target.inputs


def _errors(project: Path) -> list[str]:
    catalog = load_project(project)
    return [e.format() for e in catalog.errors] + [p.format() for p in check_project(catalog) if p.level == "error"]


def test_unknown_id_is_an_error_at_its_line(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION.replace("replace: two", "replace: tow"))
    errors = _errors(project)
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/editions/local-demo.yaml:8:14: changes[0].replace: ")
    assert "no section, sidebar or tip with id 'tow'" in errors[0]
    assert "did you mean 'two'?" in errors[0]
    result = build(project)
    assert result.exit_code == 2
    assert not (project / "output" / "editions" / "local-demo.html").exists()


def test_two_changes_to_one_tip_are_an_error(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION + "  - remove: two\n")
    errors = _errors(project)
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/editions/local-demo.yaml:15:13: changes[3].remove: ")
    assert "'two' is already changed on line 8" in errors[0]


def test_inserting_next_to_a_removed_item_is_an_error(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION + """\
  - insert_before: common-ground
    id: before-it
    heading: Before
    body: Text.
""")
    errors = _errors(project)
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/editions/local-demo.yaml:15:20: changes[3].insert_before: ")
    assert "'common-ground' is removed (line 10)" in errors[0]


def test_missing_base_is_an_error(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION.replace("base: demo", "base: dmeo"))
    errors = _errors(project)
    assert errors == ["content/editions/local-demo.yaml:2:7: base: there is no tip sheet 'dmeo' "
                      "(content/tipsheets/dmeo.yaml does not exist) (hint: did you mean 'demo'?)"]


def test_errors_in_overlay_text_point_at_the_edition_and_in_base_text_at_the_base(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION.replace("twice a year.", "twice a year.[^9]"))
    errors = _errors(project)
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/editions/local-demo.yaml:9:11: changes[0].body: citation [^9]")
    _, entry, base = merged(project)
    _, origins = editions.merge(base, entry)
    # the replaced body comes from the edition; the kept heading and the untouched tip from the base
    error = origins.error(("tips", 2, "body"), "x")
    assert (error.file, error.line, error.col) == ("content/editions/local-demo.yaml", 9, 11)
    error = origins.error(("tips", 2, "heading"), "x")
    assert (error.file, error.line) == ("content/tipsheets/demo.yaml", 41)
    error = origins.error(("tips", 0, "bullets", 1), "x")
    assert (error.file, error.line, error.field) == ("content/tipsheets/demo.yaml", 39, "tips[0].bullets[1]")
    assert origins.file_of(("contact", "phone")) == "content/editions/local-demo.yaml"
    assert origins.file_of(("references", 0, "text")) == "content/tipsheets/demo.yaml"


def test_an_option_the_merged_sheet_cannot_do_without_is_an_error_at_the_edition(project: Path) -> None:
    # the base has tips, so taking its tips heading away leaves the merged sheet without one
    write(project, "editions/local-demo.yaml", EDITION.replace("brands: [default]\n",
                                                                "brands: [default]\ntips_heading: null\n"))
    errors = _errors(project)
    assert errors == ["content/editions/local-demo.yaml:2:1: tips_heading: required field 'tips_heading' is missing "
                      "(hint: add a line `tips_heading: ...`; `tipsheets schema` lists the fields and what each "
                      "holds)"]


def test_a_misspelt_field_in_a_change_points_at_the_edition(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION.replace("    body: Train", "    bdy: Train"))
    errors = _errors(project)
    assert len(errors) == 1
    assert errors[0].startswith("content/editions/local-demo.yaml:9:5: changes[0].bdy: unknown field")


def test_merge_raises_the_first_error(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION.replace("insert_after: one", "insert_after: none"))
    catalog = load_project(project)
    entry = catalog.get("editions", "local-demo")
    with pytest.raises(ContentError) as caught:
        editions.merge(editions.find_base(catalog, entry), entry)
    assert (caught.value.line, caught.value.col) == (11, 19)


def test_diff_shows_the_replaced_tips_old_and_new_words(project: Path) -> None:
    result = runner.invoke(app, ["diff", "local-demo", "--project", str(project)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "tip two replaced" in out
    assert "body: Train [-them well. Duis" in out
    assert "{+caseworkers+}" in out and "{+short sessions over lunch, twice a year.+}" in out
    assert "section common-ground removed" in out
    assert "tip local added after one" in out
    assert "Contact box: replaced" in out
    by_path = runner.invoke(app, ["diff", str(project / "content/editions/local-demo.yaml"), "--project", str(project)])
    assert by_path.exit_code == 0 and by_path.output == out


def test_classes_box_lists_exactly_the_programs_serving_the_area() -> None:
    catalog = load_project(REPO)
    entry = catalog.get("editions", "oconee-river-clarke")
    listed = {p.id for p in classes_programs(catalog, entry.item)}
    # Clarke and Oconee counties: the two Athens classes and the statewide online class, nothing from Atlanta
    assert listed == {"together-for-our-kids-athens", "stronger-together-athens", "co-parenting-online-georgia"}


def test_classes_box_by_area_and_by_id(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(REPO / "content", project / "content")
    write(project, "editions/fulton.yaml", """\
        base: win-win-practitioners
        classes:
          programs: [kids-first-lincoln]
          area: {state: GA, counties: [Fulton]}
        """)
    catalog = load_project(project)
    entry = catalog.get("editions", "fulton")
    listed = [p.id for p in classes_programs(catalog, entry.item)]
    assert listed[0] == "kids-first-lincoln"  # named programs first, in the order given
    assert set(listed[1:]) == {"blended-family-basics", "parenting-apart-atlanta", "young-parents-circle",
                               "co-parenting-online-georgia"}
    assert listed[-1] == "co-parenting-online-georgia"  # online classes after those that meet in person
    result = build(project, "content/editions/fulton.yaml")
    assert result.exit_code == 0, result.output
    html = (project / "output" / "editions" / "fulton.html").read_text()
    for program in listed:
        name = catalog.get("programs", program).item.name
        assert name.replace("&", "&amp;") in html
    assert "Together for Our Kids" not in html
    # each class's phone number dials: the link is the program's tel: address, once
    assert 'href="tel:+1-404-555-0150"' in html and "tel:tel:" not in html


def test_shipped_editions_are_valid_and_listed() -> None:
    catalog = load_project(REPO)
    problems = [p.format() for p in check_project(catalog) if p.level == "error"]
    assert not catalog.errors and not problems, problems
    stems = {t.stem for t in plan(catalog, dt.date.fromisoformat(AS_OF)) if t.kind == "edition"}
    assert "editions/oconee-river-clarke" in stems


# --------------------------------------------------------------------------- the wording gate


def test_wording_findings_in_overlay_text_point_at_the_edition(project: Path) -> None:
    from tipsheets.lint import lint_catalog

    write(project, "editions/local-demo.yaml", EDITION.replace("over lunch", "of marriage education over lunch"))
    findings = [f for f in lint_catalog(load_project(project)) if f.rule == "marriage-education"]
    assert [(f.file, f.line, f.col, f.field) for f in findings] == [
        ("content/editions/local-demo.yaml", 9, 50, "changes[0].body")]
    result = build(project)
    assert result.exit_code != 0
    assert "content/editions/local-demo.yaml:9:50: changes[0].body: Say 'relationship education'" in result.output
    assert not (project / "output" / "editions" / "local-demo.html").exists()
    assert (project / "output" / "tipsheets" / "demo.html").exists()  # the base is fine


def test_an_edition_for_parents_is_checked_with_parents_rules_even_in_base_text(project: Path) -> None:
    from tipsheets.lint import audience_of, gate, lint_catalog

    base = project / "content" / "tipsheets" / "demo.yaml"
    base.write_text(base.read_text().replace("Know what the agency wants.", "Know what MRE offers."))
    write(project, "editions/local-demo.yaml", EDITION.replace("base: demo", "base: demo\naudience: parents"))
    catalog = load_project(project)
    assert audience_of(catalog.get("editions", "local-demo"), catalog) == "parents"
    findings = [f for f in lint_catalog(catalog) if f.rule == "mre-acronym"]
    # the agency-staff base may say MRE; the parents' edition that keeps that text may not
    assert len(findings) == 1, findings
    finding = findings[0]
    assert (finding.file, finding.line, finding.field) == ("content/tipsheets/demo.yaml", 38, "tips[0].body")
    assert finding.audience == "parents" and finding.edition == "content/editions/local-demo.yaml"
    assert "in edition 'local-demo'" in finding.message
    assert set(gate(catalog)) == {"content/editions/local-demo.yaml"}
    result = build(project)
    assert not (project / "output" / "editions" / "local-demo.html").exists()
    assert (project / "output" / "tipsheets" / "demo.html").exists()  # the base itself still builds
    assert "content/tipsheets/demo.yaml:38:" in result.output


def test_removed_base_text_is_not_checked_for_the_edition(project: Path) -> None:
    from tipsheets.lint import lint_catalog

    base = project / "content" / "tipsheets" / "demo.yaml"
    base.write_text(base.read_text().replace("Child support and relationship education share one goal.",
                                             "Child support and MRE share one goal."))
    write(project, "editions/local-demo.yaml", EDITION.replace("base: demo", "base: demo\naudience: parents"))
    assert not [f for f in lint_catalog(load_project(project)) if f.rule == "mre-acronym"]


def test_inserts_at_one_place_keep_their_written_order_and_append_goes_last(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION + """\
  - insert_after: one
    id: local-two
    heading: And a second
    body: Written second, printed second.
  - append: closing
    id: thanks
    heading: Thank you
    body: For reading.
""")
    _, entry, base = merged(project)
    sheet, origins = editions.merge(base, entry)
    assert [t.id for t in sheet.tips] == ["one", "local", "local-two", "two"]
    assert [s.id for s in sheet.closing] == ["thanks"]
    error = origins.error(("closing", 0, "heading"), "x")
    assert (error.file, error.line) == ("content/editions/local-demo.yaml", 21)


def test_a_field_the_item_does_not_have_is_an_error(project: Path) -> None:
    write(project, "editions/local-demo.yaml", EDITION.replace("  - remove: common-ground\n",
                                                               "  - replace: common-ground\n    bullets: [x]\n"))
    errors = _errors(project)
    assert len(errors) == 1 and errors[0].startswith("content/editions/local-demo.yaml:11:5: changes[1].bullets: "
                                                     "a section has no field 'bullets'"), errors
