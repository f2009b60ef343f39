"""CI that works on a real runner: the workflows against the maintained GitHub workflow schema,
the install line `init` pins, SARIF against the official 2.1.0 schema, and the pre-commit hook
driven by the real pre-commit."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from packaging.requirements import Requirement

from conftest import FIXTURES, REPO

SRC = REPO / "src"
BIN = Path(sys.executable).parent
STARTER_WORKFLOW = SRC / "tipsheets" / "starter" / "github" / "workflows" / "handouts.yml"
OWN_WORKFLOW = REPO / ".github" / "workflows" / "handouts.yml"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(SRC)!r}); "
                           "from tipsheets.cli import main; main()", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema, the program, with the GitHub workflow schema it keeps up to date."""
    program = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    assert program, "check-jsonschema is a test dependency (pip install '.[test]')"
    return subprocess.run([program, "--builtin-schema", "vendor.github-workflows", *map(str, files)],
                          capture_output=True, text=True, timeout=300)


def code_scanning_recipe() -> str:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- code-scanning-workflow -->\n```yaml\n(.*?)```", text, re.DOTALL)
    assert match, "docs/ci.md has the code-scanning workflow under <!-- code-scanning-workflow -->"
    return match[1]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("ci") / "handouts"
    result = run_cli("init", str(project), "--source",
                     "tipsheets @ git+https://github.com/acme/tipsheets@0123456789abcdef0123456789abcdef01234567",
                     cwd=project.parent)
    assert result.returncode == 0, result.stderr
    return project


# --------------------------------------------------------------------------- the workflows


def test_workflows_match_the_github_workflow_schema(initialised: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "wording-scan.yml"
    recipe.write_text(code_scanning_recipe(), encoding="utf-8")
    written = initialised / ".github" / "workflows" / "handouts.yml"
    result = check_jsonschema(OWN_WORKFLOW, written, recipe)
    assert result.returncode == 0, result.stdout + result.stderr

    broken = tmp_path / "broken.yml"  # the check can fail: a step with neither `run` nor `uses`
    broken.write_text(OWN_WORKFLOW.read_text().replace("timeout-minutes: 30", "timeout-minutes: soon"))
    assert check_jsonschema(broken).returncode == 1


def test_the_repository_workflow_is_the_starter_with_its_own_source() -> None:
    starter = STARTER_WORKFLOW.read_text(encoding="utf-8")
    assert starter.count('TIPSHEETS_SOURCE: "@@SOURCE@@"') == 1
    assert starter.replace('TIPSHEETS_SOURCE: "@@SOURCE@@"', 'TIPSHEETS_SOURCE: "."') == \
        OWN_WORKFLOW.read_text(encoding="utf-8")


def test_the_workflow_is_safe_cached_and_reproducible(initialised: Path) -> None:
    workflow = yaml.safe_load((initialised / ".github" / "workflows" / "handouts.yml").read_text())
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    for event in ("push", "pull_request"):
        assert {"content/**", "templates/**", "locale/**", "lint/**", "tipsheets.yaml"} <= set(on[event]["paths"])
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    job = workflow["jobs"]["build"]
    assert 0 < job["timeout-minutes"] <= 60
    steps = job["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert 'echo "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" >> "$GITHUB_ENV"' in runs
    assert 'python -m pip install "$TIPSHEETS_SOURCE"' in runs
    assert "tipsheets validate" in runs and "tipsheets lint" in runs and "tipsheets build" in runs
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "output"
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert ".github/workflows/handouts.yml" in setup["with"]["cache-dependency-path"]
    names = [step.get("uses", step.get("name")) for step in steps]
    assert names.index("Set the build date") < names.index("Check the content") < names.index("Build")


def test_init_pins_the_source_it_was_given(initialised: Path) -> None:
    workflow = yaml.safe_load((initialised / ".github" / "workflows" / "handouts.yml").read_text())
    source = workflow["env"]["TIPSHEETS_SOURCE"]
    assert source == "tipsheets @ git+https://github.com/acme/tipsheets@0123456789abcdef0123456789abcdef01234567"
    requirement = Requirement(source)  # as pip reads it
    assert requirement.name == "tipsheets" and requirement.url.startswith("git+https://")


@pytest.mark.parametrize("source", ["tipsheets\nrm -rf /", "tipsheets @ git+https://x/${{ secrets.TOKEN }}", " "])
def test_init_refuses_a_source_that_cannot_be_one_line(tmp_path: Path, source: str) -> None:
    result = run_cli("init", str(tmp_path / "p"), "--source", source, cwd=tmp_path)
    assert result.returncode == 64
    assert not (tmp_path / "p").exists()


def test_the_source_comes_from_pip_metadata_or_the_checkout(tmp_path: Path) -> None:
    from tipsheets.project.scaffold import fetchable_url, source_from_checkout, source_from_direct_url

    commit = "c" * 40
    vcs = json.dumps({"url": "https://github.com/acme/tipsheets", "vcs_info": {"vcs": "git", "commit_id": commit}})
    assert source_from_direct_url(vcs) == f"tipsheets @ git+https://github.com/acme/tipsheets@{commit}"
    assert source_from_direct_url(json.dumps({"url": "file:///tmp/t.whl", "archive_info": {}})) is None

    checkout = tmp_path / "tool"
    checkout.mkdir()
    git = ["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    (checkout / "README").write_text("tool\n")
    subprocess.run([*git, "add", "README"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert source_from_checkout(checkout) is None  # no remote a runner could fetch from
    subprocess.run([*git, "remote", "add", "origin", "git@github.com:acme/tipsheets.git"], check=True)
    assert source_from_checkout(checkout) == f"tipsheets @ git+https://github.com/acme/tipsheets.git@{head}"
    editable = json.dumps({"url": checkout.as_uri(), "dir_info": {"editable": True}})
    assert source_from_direct_url(editable) == f"tipsheets @ git+https://github.com/acme/tipsheets.git@{head}"
    assert fetchable_url("/srv/git/tipsheets") == ""
    assert fetchable_url("ssh://git@example.org:2222/acme/t.git") == "https://example.org/acme/t.git"


# --------------------------------------------------------------------------- SARIF


def _sarif_project(root: Path) -> Path:
    """A project in a subfolder whose own rule fires in its content and in the built-in theme."""
    project = root / "handouts"
    shutil.copytree(FIXTURES / "minimal", project)
    (project / "tipsheets.yaml").write_text(
        "lint:\n  add_rules:\n    - id: no-preview\n      extends: existence\n      level: warning\n"
        "      message: \"Avoid '{match}'.\"\n      note: A rule for the test.\n      tokens: [preview, Nothing]\n")
    sheet = project / "content" / "tipsheets" / "demo.yaml"
    sheet.write_text(sheet.read_text().replace("title: A Win-Win Partnership",
                                               "title: \"😀 Marriage education and nothing else\""))
    return project


def test_sarif_is_valid_relative_and_counts_code_points(tmp_path: Path) -> None:
    project = _sarif_project(tmp_path)
    result = run_cli("lint", "--project", "handouts", "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # the marriage-education error
    log = json.loads(result.stdout)
    schema = json.loads((REPO / "tests" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    uris = [loc["artifactLocation"] for loc in locations]
    for uri in uris:
        assert not uri["uri"].startswith(("/", "file:")) and ":" not in uri["uri"], uri
        assert "site-packages" not in uri["uri"] and str(REPO) not in uri["uri"]
        assert uri["uriBaseId"] in run["originalUriBaseIds"]
    assert {"uri": "gallery/page.html.j2", "uriBaseId": "TIPSHEETS_THEME"} in uris
    assert {"uri": "handouts/content/tipsheets/demo.yaml", "uriBaseId": "%SRCROOT%"} in uris
    sheet_lines = (project / "content" / "tipsheets" / "demo.yaml").read_text().splitlines()
    line_no = next(i for i, line in enumerate(sheet_lines, 1) if line.startswith("title:"))
    error = next(loc for r, loc in zip(run["results"], locations, strict=True) if r["ruleId"] == "marriage-education")
    column = sheet_lines[line_no - 1].index("Marriage") + 1  # in code points: the emoji is one, not two in UTF-16
    assert (error["region"]["startLine"], error["region"]["startColumn"]) == (line_no, column)
    assert error["region"]["endColumn"] - error["region"]["startColumn"] == len("Marriage education")


def test_the_sarif_check_can_fail() -> None:
    schema = json.loads((REPO / "tests" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "columnKind": "utf8"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(bad)


# --------------------------------------------------------------------------- pre-commit


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PRE_COMMIT_HOME": str(REPO / "tests" / ".cache" / "pre-commit"),
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="the hook is taken from this checkout's git history")
def test_pre_commit_hook_fails_a_commit_with_a_wording_error(tmp_path: Path) -> None:
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    repo = tmp_path / "content-repo"
    shutil.copytree(FIXTURES / "minimal", repo / "handouts")
    shutil.copytree(FIXTURES / "minimal" / "content", repo / "content")
    hook = f"  - repo: {REPO}\n    rev: {head}\n    hooks:\n      - id: tipsheets-lint\n"
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n" + hook + "        alias: root\n" + hook +
        "        alias: sub\n        args: [--project, handouts]\n"
        "        files: ^handouts/(content/.*\\.ya?ml|templates/.*|locale/.*|lint/.*\\.ya?ml|tipsheets\\.yaml)$\n")
    assert _git(repo, "init", "-q").returncode == 0
    installed = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, capture_output=True, text=True,
                               env={**os.environ, "PRE_COMMIT_HOME": str(REPO / "tests" / ".cache" / "pre-commit")})
    assert installed.returncode == 0, installed.stderr
    _git(repo, "add", "-A")
    first = _git(repo, "commit", "-qm", "clean content")
    assert first.returncode == 0, first.stdout + first.stderr

    for sheet in (repo / "content" / "tipsheets" / "demo.yaml",
                  repo / "handouts" / "content" / "tipsheets" / "demo.yaml"):
        clean = sheet.read_text()
        sheet.write_text(clean.replace("title: A Win-Win Partnership", "title: Offer marriage education to parents"))
        _git(repo, "add", "-A")
        refused = _git(repo, "commit", "-qm", "a wording error")
        output = refused.stdout + refused.stderr
        assert refused.returncode != 0, output
        assert "tipsheets lint" in output and "Failed" in output and "marriage-education" in output
        assert _git(repo, "log", "--format=%s").stdout.split("\n")[0] == "clean content"
        if "handouts" in sheet.parts:  # the hook with the default `files` never sees a project in a subfolder
            assert "(no files to check)Skipped" in output
        sheet.write_text(clean)
        _git(repo, "add", "-A")
