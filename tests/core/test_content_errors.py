"""Bad content: each case gives one line naming file:line:col and the field, exit code 2,
no traceback, no file written for that handout, and the other handouts still build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.cli import app
from conftest import AS_OF

runner = CliRunner()
SHEET = "content/tipsheets/demo.yaml"
BRAND = "content/brands/default.yaml"


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (description, file, old text, new text, expected "file:line:col: field: message" prefix)
CASES = [
    ("yaml syntax", SHEET, "title: A Win-Win Partnership", "title: [A Win-Win",
     f"{SHEET}:3:9: YAML syntax error"),
    ("unknown field", SHEET, "subtitle: How", "subtitel: How",
     f"{SHEET}:3:1: subtitel: unknown field 'subtitel'"),
    ("missing field", SHEET, "tips_heading: Four tips\n", "",
     f"{SHEET}:2:1: tips_heading: required field 'tips_heading' is missing"),
    ("wrong type", SHEET, "date: 2012-05-01", "date: someday",
     f"{SHEET}:6:7: date: 'someday' is not a date (hint: write dates as year-month-day, such as 2027-01-12)"),
    ("bad audience", SHEET, "audience: agency-staff", "audience: everyone",
     f"{SHEET}:4:11: audience: 'everyone' is not one of: agency-staff, practitioners, parents"),
    ("bad id", SHEET, "  - id: outcomes", "  - id: Outcomes!",
     f"{SHEET}:12:9: intro[0].id: 'Outcomes!' is not in the expected form"),
    ("unknown brand", SHEET, "date: 2012-05-01", "date: 2012-05-01\nbrands: [acme]",
     f"{SHEET}:7:10: brands[0]: unknown brand 'acme'"),
    ("citation without reference", SHEET, "reliably.[^2]", "reliably.[^9]",
     f"{SHEET}:14:11: intro[0].body: citation [^9] has no reference 9"),
    ("missing logo file", BRAND, "path: logos/mark.svg", "path: logos/nothing.svg",
     f"{BRAND}:10:13: logo.images.mark.path: image file 'logos/nothing.svg' does not exist"),
    ("a colour that is markup", BRAND, 'light: "#EAF3F4"', 'light: "</style><script>"',
     f"{BRAND}:20:10: color.light: '</style><script>' is not a colour"),
    ("low contrast", BRAND, 'foreground: "#1A2530"', 'foreground: "#BBBBBB"',
     f"{BRAND}:18:15: color.foreground: foreground #bbbbbb (body text) on background #ffffff has contrast 1.92:1"),
    ("unknown palette name", BRAND, "primary: teal", "primary: tael",
     f"{BRAND}:16:12: color.primary: 'tael' is not a colour"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_line(minimal: Path, case: tuple[str, str, str, str, str]) -> None:
    _, name, old, new, expected = case
    edit(minimal, name, old, new)
    result = runner.invoke(app, ["build", "--project", str(minimal), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line.strip() for line in result.output.splitlines() if line.strip().startswith("content/")]
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    assert not (minimal / "output" / "tipsheets" / "demo.pdf").exists()
    assert not (minimal / "output" / "tipsheets" / "demo.html").exists()


def test_other_documents_still_build(minimal: Path) -> None:
    sheets = minimal / "content" / "tipsheets"
    (sheets / "second.yaml").write_text((sheets / "demo.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    edit(minimal, SHEET, "subtitle: How", "subtitel: How")
    result = runner.invoke(app, ["build", "--project", str(minimal), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert (minimal / "output" / "tipsheets" / "second.pdf").exists()
    assert not (minimal / "output" / "tipsheets" / "demo.pdf").exists()


def test_a_broken_brand_fails_only_the_documents_that_use_it(minimal: Path) -> None:
    brands = minimal / "content" / "brands"
    (brands / "other.yaml").write_text((brands / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    sheets = minimal / "content" / "tipsheets"
    text = (sheets / "demo.yaml").read_text(encoding="utf-8").replace("date: 2012-05-01",
                                                                      "date: 2012-05-01\nbrands: [other]")
    (sheets / "second.yaml").write_text(text, encoding="utf-8")
    edit(minimal, BRAND, "primary: teal", "primary: 42")
    result = runner.invoke(app, ["build", "--project", str(minimal), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert (minimal / "output" / "tipsheets" / "second.pdf").exists()
    assert not (minimal / "output" / "tipsheets" / "demo.pdf").exists()


def test_unknown_folder_and_stray_file_are_reported(minimal: Path) -> None:
    (minimal / "content" / "recipes").mkdir()
    (minimal / "content" / "recipes" / "soup.yaml").write_text("name: soup\n", encoding="utf-8")
    (minimal / "content" / "loose.yml").write_text("a: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--project", str(minimal)])
    assert result.exit_code == 2
    assert re.search(r"content/recipes/soup.yaml:1:1: the tool does not know what files in the folder 'recipes/' are",
                     result.output)
    assert "content/loose.yml:1:1:" in result.output


def test_validate_passes_on_good_content(minimal: Path) -> None:
    result = runner.invoke(app, ["validate", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_a_project_inside_a_hidden_folder_is_read(minimal: Path, tmp_path: Path) -> None:
    """Only names below content/ that start with "." are hidden files; the folders above do not count."""
    import shutil

    hidden = tmp_path / ".work" / "project"
    shutil.copytree(minimal, hidden)
    (hidden / "content" / "tipsheets" / ".draft.yaml").write_text("not: read\n", encoding="utf-8")
    here = runner.invoke(app, ["validate", "--project", str(minimal)])
    there = runner.invoke(app, ["validate", "--project", str(hidden)])
    assert there.exit_code == 0, there.output
    counted = re.search(r"(\d+) files? valid", there.output)
    assert counted and int(counted.group(1)) > 0
    assert counted.group(0) in here.output


def test_text_cut_by_a_glued_comment_is_a_warning(minimal: Path) -> None:
    edit(minimal, SHEET, "  body: Tell us how it helped.", "  body: Tell us how it helped. Mention Product #037.")
    edit(minimal, SHEET, "  email: info@example.org", "  email: info@example.org  # a comment meant as one")
    result = runner.invoke(app, ["validate", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{SHEET}:53:9: warning: contact.body: the text stops before '#037.'")
