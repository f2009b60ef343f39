"""Project rule patterns are matched in linear time, and a pattern that cannot be is refused in one line.

A pattern that backtracks catastrophically in Python's ``re`` must neither hang ``lint`` nor
``build``; each is run in a child process with a generous time limit, so that a hang fails the
test instead of stopping the suite (the limit is a guard, not a measurement).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.cli import app

from _lint_project import tipsheet, write_project

#: patterns that take exponential or high-polynomial time with a backtracking engine
BACKTRACKING = [
    "(?:a|aa)+c",
    "(a+)+c",
    "(a|a)*c",
    "(?:a*)*c",
    "(a|aa|aaa)+c",
    "(?:x+x+)+y",
    "(.*a){12}c",
    "(a?){25}a{25}c",
]
#: as long as a field may be, with room for a few words more: a backtracking engine needs far less to hang
LONG = "a" * 5_000


def _run(*args: str, cwd: Path, limit: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tipsheets", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=limit)


def _project(tmp_path: Path, rule: str, body: str = LONG, rule_file: bool = False) -> Path:
    rule = textwrap.indent(textwrap.dedent(rule).strip("\n"), "    ")
    if rule_file:
        files = {"content/tipsheets/a.yaml": tipsheet(body), "lint/house.yaml": "rules:\n" + rule + "\n"}
        return write_project(tmp_path, files, config="lint:\n  rule_files: [lint/house.yaml]\n")
    return write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet(body)},
                         config="lint:\n  add_rules:\n" + textwrap.indent(rule, "  ") + "\n")


def _existence(pattern: str, kind: str = "existence") -> str:
    quoted = pattern.replace("'", "''")
    if kind == "generic-pronoun":
        return (f"- id: slow\n  extends: generic-pronoun\n  level: error\n  message: m\n  note: n\n"
                f"  antecedents: ['{quoted}']\n  pronouns: {{he: they}}\n")
    return f"- id: slow\n  extends: existence\n  level: error\n  message: m\n  note: n\n  tokens: ['{quoted}']\n"


@pytest.mark.parametrize("pattern", BACKTRACKING)
@pytest.mark.parametrize("kind", ["existence", "generic-pronoun"])
def test_a_backtracking_pattern_does_not_hang_lint(tmp_path: Path, pattern: str, kind: str) -> None:
    project = _project(tmp_path, _existence(pattern, kind), body=LONG + " he " + "x" * 4_000)
    result = _run("lint", "--project", str(project), cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("pattern", BACKTRACKING[:3])
def test_a_backtracking_pattern_does_not_hang_build(tmp_path: Path, pattern: str) -> None:
    project = _project(tmp_path, _existence(pattern))
    result = _run("build", "--project", str(project), "-f", "html", "-j", "1", "--as-of", "2026-11-25",
                  "--no-gallery", cwd=tmp_path, limit=300)
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_linear_pattern_still_finds_its_words(tmp_path: Path) -> None:
    project = _project(tmp_path, _existence("(?:a|aa)+c"), body="We say aaac here, and aaa there.")
    result = _run("lint", "--project", str(project), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and '"text": "aaac"' in result.stdout


REFUSED = [
    ("(a)\\1", "backreference"),
    ("(?=a)b", "lookahead"),
    ("(?!a)b", "lookahead"),
    ("(?<=a)b", "lookbehind"),
    ("(?<!a)b", "lookbehind"),
    ("(?P<t0_0>x)", "named group"),
    ("(?P<s0_0>x)y", "named group"),
    ("(?P<mine>x)", "named group"),
    ("(unclosed", "missing )"),
    ("a{100000}", "repetition"),
    ("a{1000}{1000}", "repetition"),
    ("((a{100}){100}){100}", "repetition"),
    ("(?:a{999}){999}", "repetition"),
    ("[z-a]", "range"),
    ("*a", "repetition"),
]


@pytest.mark.parametrize(("pattern", "why"), REFUSED)
@pytest.mark.parametrize("where", ["add_rules", "rule_file"])
@pytest.mark.parametrize("command", ["lint", "build"])
def test_a_pattern_re2_cannot_take_is_exit_2_naming_the_rule(tmp_path: Path, pattern: str, why: str, where: str,
                                                              command: str) -> None:
    project = _project(tmp_path, _existence(pattern), body="Call us.", rule_file=where == "rule_file")
    args = ["--project", str(project)] + (["-f", "html", "-j", "1", "--no-gallery"] if command == "build" else [])
    result = CliRunner().invoke(app, [command, *args])  # refused as the rules load: nothing runs long
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "slow" in line]
    assert lines, result.stderr
    line = lines[0]
    expected = "lint/house.yaml:2:" if where == "rule_file" else "tipsheets.yaml:3:"
    assert expected in line and "rule 'slow'" in line, line
    if command == "lint":
        assert len(result.stderr.strip().splitlines()) == 1
