"""``tipsheets lint --fix``: substitutions applied in place, comments and formatting kept."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tipsheets.project import load_project
from tipsheets.cli import app
from tipsheets.lint import lint_catalog
from tipsheets.lint.fix import apply_fixes

from _lint_project import write_project

BEFORE = """\
# A tip sheet for parents.   (a comment that must survive)
title: "Marriage Education for Co-Parents"   # the title
audience: parents
date: 2024-05-01
intro:
  - id: why
    heading: Why MARRIAGE EDUCATION helps
    body: |
      Our marriage education classes are free.
      Ask if he or she wants to join; his or her time matters.
tips_heading: Tips
tips:
  - id: first
    heading: 'Marriage education, then more'
    body: >
      Absent parents are welcome at
      every Marriage Education class.
    # tipsheets: ignore marriage-education
    bullets:
      - marriage education stays here
"""

AFTER = """\
# A tip sheet for parents.   (a comment that must survive)
title: "Relationship Education for Co-Parents"   # the title
audience: parents
date: 2024-05-01
intro:
  - id: why
    heading: Why RELATIONSHIP EDUCATION helps
    body: |
      Our relationship education classes are free.
      Ask if he or she wants to join; their time matters.
tips_heading: Tips
tips:
  - id: first
    heading: 'Relationship education, then more'
    body: >
      Non-custodial parents are welcome at
      every Relationship Education class.
    # tipsheets: ignore marriage-education
    bullets:
      - marriage education stays here
"""


def test_fix_round_trip_keeps_comments_formatting_and_capitals(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": BEFORE})
    findings = lint_catalog(load_project(root), [])
    fixes, skipped = apply_fixes(findings, root)
    assert skipped == []
    assert (root / "content/tipsheets/a.yaml").read_text(encoding="utf-8") == AFTER
    assert sorted((f.old, f.new) for f in fixes) == sorted([
        ("Marriage Education", "Relationship Education"),
        ("MARRIAGE EDUCATION", "RELATIONSHIP EDUCATION"),
        ("marriage education", "relationship education"),
        ("his or her", "their"),
        ("Marriage education", "Relationship education"),
        ("Absent parents", "Non-custodial parents"),
        ("Marriage Education", "Relationship Education"),
    ])
    # what is left needs a person: "he or she" has two suggestions
    left = lint_catalog(load_project(root), [])
    assert [(f.rule, f.text) for f in left] == [("gendered-pronouns", "he or she")]
    # a second run changes nothing
    assert apply_fixes(left, root) == ([], [])


def test_fix_keeps_crlf_line_endings_and_a_bom(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    path = root / "content/programs/p.yaml"
    path.parent.mkdir(parents=True)
    text = (
        "name: Family class\r\nprovider: family-center\r\n"
        "description: A marriage education class.\r\naudiences: [co-parents]\r\nformat: online\r\n"
        "registration: {url: \"https://example.org\"}\r\nserves: [{state: GA, statewide: true}]\r\n"
        "verified: 2024-05-01\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    catalog = load_project(root)
    assert not catalog.errors, catalog.errors
    fixes, _ = apply_fixes(lint_catalog(catalog, []), root)
    assert len(fixes) == 1
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.replace("marriage education", "relationship education").encode()


def test_fix_leaves_a_file_that_changed_since_it_was_checked(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": BEFORE})
    findings = lint_catalog(load_project(root), [])
    path = root / "content/tipsheets/a.yaml"
    path.write_text("# moved\n" + BEFORE, encoding="utf-8")
    fixes, skipped = apply_fixes(findings, root)
    assert fixes == [] and skipped
    assert path.read_text(encoding="utf-8") == "# moved\n" + BEFORE


def test_cli_fix_reports_changes_and_exits_on_what_is_left(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": BEFORE})
    result = CliRunner().invoke(app, ["lint", "--project", str(root), "--fix", "--format", "json"])
    data = json.loads(result.stdout)
    assert len(data["fixed"]) == 7
    assert data["summary"]["error"] == 0
    assert result.exit_code == 0
    result = CliRunner().invoke(app, ["lint", "--project", str(root), "--fix"])
    assert result.exit_code == 0 and "fixed" not in result.stdout
