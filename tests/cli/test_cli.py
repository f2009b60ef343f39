"""The habits of the command line: -h everywhere, completion, --quiet and --verbose, --json,
tables that are not cut when piped, and exit codes that tell a usage error from bad content."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from conftest import AS_OF, FIXTURES, REPO

SRC = REPO / "src"


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh interpreter, its stdout a pipe (as in CI or `| less`)."""
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(SRC)!r}); "
                           "from tipsheets.cli import main; main()", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "80", **(env or {})})


def commands() -> list[str]:
    from tipsheets.cli import app

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    return root


# --------------------------------------------------------------------------- help, choices, completion


def test_every_command_answers_dash_h(tmp_path: Path) -> None:
    names = commands()
    assert {"build", "validate", "list", "lint", "init", "new"} <= set(names)
    for args in [[], *([name] for name in names)]:
        result = run_cli(*args, "-h", cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "Usage: tipsheets" in result.stdout and "--help" in result.stdout, args


def test_help_lists_every_exit_code_and_the_readme_agrees(tmp_path: Path) -> None:
    from tipsheets.cli.common import EXIT_CODES

    shown = " ".join(run_cli("--help", cwd=tmp_path, env={"COLUMNS": "200"}).stdout.split())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", readme, re.MULTILINE))
    assert sorted(table, key=int) == [str(code) for code, _ in EXIT_CODES]
    for code, meaning in EXIT_CODES:
        assert f"{code} {meaning}" in shown, code


def test_format_options_show_their_choices(tmp_path: Path) -> None:
    build = run_cli("build", "-h", cwd=tmp_path, env={"COLUMNS": "200"}).stdout
    assert re.search(r"--format\s+-f\s+pdf\|html", build)
    lint = run_cli("lint", "-h", cwd=tmp_path, env={"COLUMNS": "200"}).stdout
    assert re.search(r"--format\s+-f\s+\S*human\|json\|sarif", lint)


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completes_commands_and_kinds(tmp_path: Path) -> None:
    """Typer's completion, switched on: the script `--show-completion` prints, run by a real bash."""
    shim = tmp_path / "bin" / "tipsheets"
    shim.parent.mkdir()
    shim.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(SRC)!r})\n"
                    "from tipsheets.cli import main\nmain()\n")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}"}
    script = run_cli("--show-completion", "bash", cwd=tmp_path, env={"PATH": env["PATH"]}).stdout
    assert "complete" in script and "_tipsheets_completion" in script

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{w}'" for w in words)
        result = subprocess.run(["bash", "-c", f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
                                 "_tipsheets_completion tipsheets; printf '%s\\n' \"${COMPREPLY[@]}\""],
                                capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
        return result.stdout.split()

    assert complete("tipsheets", "bu") == ["build"]
    assert complete("tipsheets", "new", "") == ["tipsheet", "program", "office", "brand", "edition", "brochure"]


def test_new_offers_every_kind_with_a_skeleton() -> None:
    from tipsheets.cli.init import NewKind
    from tipsheets.project.scaffold import new_kinds

    assert sorted(k.value for k in NewKind) == sorted(new_kinds())


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize("args", [
    ["buidl"],
    ["build", "--nope"],
    ["build", "--as-of", "1/12/2027"],
    ["build", "--format", "docx"],
    ["build", "--office", "nowhere", "--format", "html"],
    ["build", "--out", "/"],
    ["lint", "--format", "xml"],
    ["list", "--quiet", "--verbose"],
    ["new", "recipe", "soup"],
    ["diff", "no-such-edition"],
    [],
])
def test_a_command_line_that_cannot_run_exits_64(project: Path, args: list[str]) -> None:
    result = run_cli(*args, cwd=project)
    assert result.returncode == 64, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr


def test_bad_content_still_exits_2(project: Path) -> None:
    sheet = project / "content" / "tipsheets" / "demo.yaml"
    sheet.write_text(sheet.read_text().replace("audience:", "audiense:"))
    for args in (["validate"], ["list"], ["build", "--format", "html"]):
        assert run_cli(*args, cwd=project).returncode == 2, args


# --------------------------------------------------------------------------- --quiet and --verbose


def test_quiet_prints_nothing_for_a_clean_run_and_verbose_says_more(project: Path) -> None:
    assert run_cli("validate", "--quiet", cwd=project).stdout == ""
    assert run_cli("-q", "validate", cwd=project).stdout == ""  # before the command too
    assert run_cli("validate", cwd=project).stdout.startswith("✓ ")
    verbose = run_cli("validate", "--verbose", cwd=project)
    assert "read  content/tipsheets/demo.yaml" in verbose.stderr

    first = run_cli("build", "-q", "--format", "html", "--as-of", AS_OF, cwd=project)
    assert first.returncode == 0 and first.stdout == "", first.stdout
    again = run_cli("build", "-v", "--format", "html", "--as-of", AS_OF, "--force", cwd=project)
    assert "built  tipsheets/demo" in again.stdout
    third = run_cli("build", "--verbose", "--format", "html", "--as-of", AS_OF, cwd=project)
    assert "unchanged  tipsheets/demo" in third.stderr


def test_quiet_still_prints_warnings_and_errors(project: Path) -> None:
    sheet = project / "content" / "tipsheets" / "demo.yaml"
    sheet.write_text(sheet.read_text().replace("title:", "title: REPLACE", 1))
    result = run_cli("validate", "-q", cwd=project)
    assert result.returncode == 0 and result.stdout == ""
    assert "warning: title: placeholder text left in" in result.stderr


# --------------------------------------------------------------------------- --json and piped tables


def test_validate_json_shape(project: Path) -> None:
    result = run_cli("validate", "--json", "--as-of", AS_OF, cwd=project)
    data = json.loads(result.stdout)
    assert data == {"schema": "tipsheets-validate/1", "ok": True, "as_of": AS_OF, "files": 2, "errors": [],
                    "warnings": []}
    sheet = project / "content" / "tipsheets" / "demo.yaml"
    sheet.write_text(sheet.read_text() + "subtitel: A misspelt field\n")
    result = run_cli("validate", "--json", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    (error,) = data["errors"]
    assert set(error) == {"file", "line", "col", "field", "message", "hint", "text"}
    assert error["file"] == "content/tipsheets/demo.yaml" and error["field"] == "subtitel"
    assert error["text"].startswith(f"content/tipsheets/demo.yaml:{error['line']}:{error['col']}: subtitel: ")


def test_list_json_shape() -> None:
    result = run_cli("list", "--json", "--as-of", AS_OF, cwd=REPO)
    data = json.loads(result.stdout)
    assert data["schema"] == "tipsheets-list/1" and data["as_of"] == AS_OF and data["errors"] == []
    target = next(t for t in data["targets"] if t["output"] == "desk-aids/clarke-county")
    assert target["kind"] == "desk-aid" and target["locale"] == "en"
    assert "content/offices/clarke-county.yaml" in target["reads"]
    aid = next(d for d in data["desk_aids"] if d["desk_aid"] == "desk-aids/clarke-county")
    assert aid["office"] == "clarke-county" and aid["programs"]
    assert set(aid["programs"][0]) == {"id", "provider", "upcoming"}


def test_list_is_not_cut_to_80_columns_when_piped() -> None:
    result = run_cli("list", "--as-of", AS_OF, cwd=REPO)
    assert result.returncode == 0
    row = next(line for line in result.stdout.splitlines() if line.lstrip().startswith("desk-aids/clarke-county "))
    assert len(row) > 80
    assert "content/offices/clarke-county.yaml, content/guidance/default.yaml" in row
    assert "…" not in result.stdout
