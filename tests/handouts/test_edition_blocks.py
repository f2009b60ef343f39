"""Editions of a tip sheet written as blocks, and editions that change any field or document option."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.core import editions
from tipsheets.project import check_project, load_project

from _pdf import lines
from conftest import AS_OF, pdf_text, squash

BASE = """\
title: Two Homes
audience: parents
date: 2026-10-01
product_number: "041"
authors:
  - name: Pat Writer
blocks:
  - type: lead
    id: opening
    text: Children do best when their parents work together.
  - type: tips
    id: habits
    heading: Habits that help
    style: lead-in
    groups:
      - id: talk
        heading: Talk
        tips:
          - id: one-topic
            heading: Keep to one topic
            body: Talk about the pick-up time, not the past.
      - id: plan
        heading: Plan
        tips:
          - id: calendar
            heading: Share a calendar
            body: Write every visit down.
  - type: box
    id: spotlight
    heading: Resource spotlight
    body: Classes are often free.
"""


def write(project: Path, name: str, text: str) -> None:
    path = project / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def project(minimal: Path) -> Path:
    write(minimal, "tipsheets/two-homes.yaml", BASE)
    return minimal


def problems(project: Path) -> list[str]:
    catalog = load_project(project)
    return [e.format() for e in catalog.errors] + [
        p.format() for p in check_project(catalog, dt.date(2026, 11, 25)) if p.level == "error"]


def built(project: Path) -> Path:
    result = build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF),
                           gallery=False))
    assert result.ok, result.errors + [e for o in result.failed for e in o.errors]
    return project / "output" / "editions"


def test_an_edition_changes_blocks_tips_and_groups_by_id(project: Path) -> None:
    write(project, "editions/ours.yaml", """\
        base: two-homes
        changes:
          - replace: opening
            text: In Athens, children do best when their parents work together.
          - remove: spotlight
          - append: talk
            id: calm-moment
            heading: Pick a calm moment
            body: Hard talks go better when neither of you is rushed.
          - replace: calendar
            body: Write every visit down where you both can see it.
          - insert_after: habits
            id: local-box
            type: box
            heading: Classes in Athens
            facts: [Six weeks, free, with childcare.]
        """)
    text = squash(pdf_text(built(project) / "ours.pdf"))
    assert "In Athens, children do best" in text
    assert "Resource spotlight" not in text
    assert text.index("Keep to one topic") < text.index("Pick a calm moment") < text.index("Plan")
    assert "Write every visit down where you both can see it." in text
    assert text.index("Share a calendar") < text.index("Classes in Athens")


def test_an_edition_can_take_away_the_product_number_and_the_authors(project: Path) -> None:
    write(project, "editions/ours.yaml", """\
        base: two-homes
        product_number: null
        authors: []
        kicker: For parents in Athens
        footer:
          text: Oconee River Relationship Education
          page_number: number
        """)
    pdf = built(project) / "ours.pdf"
    text = squash(pdf_text(pdf))
    assert "041" not in text and "Pat Writer" not in text and "By " not in text
    assert "FOR PARENTS IN ATHENS" in text
    assert lines(pdf, 0)[-1][1] == "1|OconeeRiverRelationshipEducation"
    base = squash(pdf_text(project / "output" / "tipsheets" / "two-homes.pdf"))
    assert "Product #041" in base and "Pat Writer" in base


def test_every_document_option_can_be_changed_by_an_edition() -> None:
    from tipsheets.core.models import DocumentOptions, Edition, TipSheet

    kept = {"id", "locale", "intro", "sidebars", "tips", "closing", "case_example", "blocks"}
    assert set(DocumentOptions.model_fields) <= set(Edition.model_fields)
    assert set(TipSheet.model_fields) - kept <= set(Edition.model_fields) | {"tips_heading"}
    assert set(editions.OVERRIDES) >= set(TipSheet.model_fields) - kept


@pytest.mark.parametrize("change,expected", [
    ("  - replace: opening\n    heading: A heading\n",
     "content/editions/ours.yaml:4:5: changes[0].heading: a lead block has no field 'heading'"),
    ("  - replace: opening\n    txet: Typo.\n",
     "content/editions/ours.yaml:4:5: changes[0].txet: unknown field 'txet'"),
    ("  - replace: spotlight\n    type: lead\n",
     "content/editions/ours.yaml:4:11: changes[0].type: a replaced block keeps its type (box)"),
    ("  - append: opening\n    id: x\n    body: Text.\n",
     "content/editions/ours.yaml:3:13: changes[0].append: there is no list of tips called 'opening'"),
    ("  - append: habits\n    id: x\n    heading: H\n    body: Text.\n",
     "content/editions/ours.yaml:3:13: changes[0].append: there is no list of tips called 'habits' to append to "
     "(hint: append to one of its groups"),
    ("  - insert_after: opening\n    id: new-box\n    type: box\n    heading: Empty box\n",
     "content/editions/ours.yaml:3:5: changes[0]: a box needs something in it"),
    ("  - append: intro\n    id: x\n    heading: H\n    body: B.\n",
     "content/editions/ours.yaml:3:13: changes[0].append: the base tip sheet is written as blocks"),
    ("  - replace: one-topik\n    body: B.\n",
     "content/editions/ours.yaml:3:14: changes[0].replace: the base tip sheet has no block, group or tip with id "
     "'one-topik' (hint: did you mean 'one-topic'?)"),
    ("  - replace: calendar\n    body: A citation.[^4]\n",
     "content/editions/ours.yaml:4:11: changes[0].body: citation [^4] has no reference 4"),
    # a value the block refuses, and a field the new block needs, are told at the edition, in plain words
    ("  - replace: habits\n    style: nope\n",
     "content/editions/ours.yaml:4:12: changes[0].style: 'nope' is not one of: numbered, bullets, lead-in"),
    ("  - insert_after: opening\n    id: more\n    type: lead\n",
     "content/editions/ours.yaml:3:5: changes[0].text: required field 'text' is missing"),
])
def test_errors_in_changes_to_blocks_point_at_the_edition(project: Path, change: str, expected: str) -> None:
    write(project, "editions/ours.yaml", "base: two-homes\nchanges:\n" + change)
    found = problems(project)
    assert any(p.startswith(expected) for p in found), found


def test_errors_in_kept_text_point_at_the_base_and_in_new_text_at_the_edition(project: Path) -> None:
    write(project, "editions/ours.yaml", """\
        base: two-homes
        changes:
          - replace: calendar
            body: Written by the edition.
        """)
    catalog = load_project(project)
    entry = catalog.get("editions", "ours")
    sheet, origins = editions.merge(editions.find_base(catalog, entry), entry)
    assert sheet.blocks[1].groups[1].tips[0].body == "Written by the edition."
    body = origins.error(("blocks", 1, "groups", 1, "tips", 0, "body"), "x")
    assert (body.file, body.line, body.col) == ("content/editions/ours.yaml", 4, 11)
    heading = origins.error(("blocks", 1, "groups", 1, "tips", 0, "heading"), "x")
    assert (heading.file, heading.line) == ("content/tipsheets/two-homes.yaml", 26)
    kept = origins.error(("blocks", 1, "groups", 0, "tips", 0, "body"), "x")
    assert (kept.file, kept.line, kept.field) == ("content/tipsheets/two-homes.yaml", 21,
                                                  "blocks[1].groups[0].tips[0].body")


def test_the_wording_gate_reads_an_editions_new_blocks_at_the_edition(project: Path) -> None:
    from tipsheets.lint import lint_catalog

    write(project, "editions/ours.yaml", """\
        base: two-homes
        changes:
          - insert_after: opening
            id: words
            type: lead
            text: Join a marriage education class.
        """)
    hits = [f for f in lint_catalog(load_project(project)) if f.level == "error"]
    assert [(f.file, f.line) for f in hits] == [("content/editions/ours.yaml", 6)], hits


def test_diff_shows_changed_options_and_blocks(project: Path) -> None:
    from typer.testing import CliRunner

    from tipsheets.cli import app

    write(project, "editions/ours.yaml", """\
        base: two-homes
        product_number: null
        kicker: For parents in Athens
        changes:
          - remove: spotlight
          - append: talk
            id: calm-moment
            heading: Pick a calm moment
            body: Hard talks go better when neither of you is rushed.
        """)
    result = CliRunner().invoke(app, ["diff", "ours", "--project", str(project)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Product number: [-041-] → {+(none)+}" in out
    assert "Kicker: [-(none)-] → {+For parents in Athens+}" in out
    assert "- block spotlight removed: [-Resource spotlight-]" in out
    assert "+ tip calm-moment added at the end of talk" in out
