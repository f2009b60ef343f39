"""Protected names stay protected however they are written, and ``--fix`` never rewrites inside one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.project import load_project
from tipsheets.cli import app
from tipsheets.lint import Finding, lint_catalog, lint_text
from tipsheets.lint.fix import apply_fixes

from _lint_project import tipsheet, write_project

NAMES = ["National Resource Center for Healthy Marriage and Families",
         "Healthy Relationship and Marriage Education Training"]


def _writings(name: str) -> list[str]:
    """The name with "and" written every way, in several cases, over a line break, in Markdown."""
    out = []
    for joiner in (" and ", " & ", "&", " AND ", " &  ", " and\n"):
        written = name.replace(" and ", joiner)
        out += [written, written.upper(), written.lower(), f"*{written}*"]
    out.append(name.replace(" ", "\n", 2))
    out.append(name.replace("Marriage", "M\u0430rriage").replace(" and ", " & "))
    return out


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("audience", ["parents", "agency-staff", "practitioners"])
def test_every_writing_of_a_protected_name_is_left_alone(name: str, audience: str) -> None:
    for written in _writings(name):
        assert lint_text(f"Ask the {written} for help.", audience=audience) == [], written


def test_a_project_protected_name_with_an_ampersand_also_covers_and(tmp_path: Path) -> None:
    body = ("The Healthy Marriage and Relationship Education Grant Program funds us. "
            "So does the Healthy Marriage & Relationship Education Grant Program.")
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet(body)}, config="""\
    lint:
      protected:
        - Healthy Marriage & Relationship Education Grant Program
    """)
    assert [f.rule for f in lint_catalog(load_project(root), []) if f.rule == "marriage-education"] == []


def test_outside_the_name_the_phrase_is_still_found() -> None:
    text = "Healthy Relationship & Marriage Education Training is not our marriage education class."
    found = [f.text for f in lint_text(text) if f.rule == "marriage-education"]
    assert found == ["marriage education"]


FIX_BEFORE = """\
title: Training for staff
audience: agency-staff
date: 2024-05-01
intro:
  - id: why
    heading: Why it matters
    body: |
      Try the Healthy Relationship & Marriage Education Training from Extension.
      Or the Healthy Relationship &amp; Marriage Education Training, as some sites write it.
      The National Resource Center for Healthy Marriage & Families can help.
      Our marriage education class is free.
tips_heading: Tips
tips:
  - id: first
    heading: First
    body: "HEALTHY RELATIONSHIP AND MARRIAGE EDUCATION TRAINING, and Marriage Education."
"""


def test_fix_never_rewrites_inside_a_protected_name(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": FIX_BEFORE})
    result = CliRunner().invoke(app, ["lint", "--project", str(root), "--fix", "--format", "json"])
    after = (root / "content/tipsheets/a.yaml").read_text(encoding="utf-8")
    assert "Healthy Relationship & Marriage Education Training from Extension" in after
    assert "National Resource Center for Healthy Marriage & Families" in after
    assert "HEALTHY RELATIONSHIP AND MARRIAGE EDUCATION TRAINING" in after
    assert "Our relationship education class is free." in after
    assert "TRAINING, and Relationship Education." in after
    # "&amp;" is printed as written ("&amp;"), so that line is not the name: it is fixed, and said so
    fixed = json.loads(result.stdout)["fixed"]
    assert {f["old"] for f in fixed} == {"Marriage Education", "marriage education"}


def test_apply_fixes_refuses_a_finding_that_lies_in_a_protected_name(tmp_path: Path) -> None:
    text = "title: Healthy Relationship & Marriage Education Training\n"
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": text})
    for col, matched in ((31, "Marriage Education"), (31, "Marriage"), (40, "Education Training")):
        finding = Finding(file="content/tipsheets/a.yaml", line=1, col=col, field="title",
                          rule="marriage-education", level="error", message="m",
                          suggestion="Relationship Education", note="n", locale="en", text=matched,
                          suggestions=("Relationship Education",), exact=True)
        fixes, skipped = apply_fixes([finding], root, ("Healthy Relationship and Marriage Education Training",))
        assert fixes == [] and "protected name" in skipped[0]
    assert (root / "content/tipsheets/a.yaml").read_text(encoding="utf-8") == text
