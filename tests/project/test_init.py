"""Starting a project: `tipsheets init` builds at once; `tipsheets new` skeletons validate as written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from tipsheets.project import schema as schemas
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.project import load_project
from tipsheets.project import check_project
from tipsheets.cli import app

from conftest import AS_OF

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "handouts"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    return target


def _errors(project: Path) -> list[str]:
    catalog = load_project(project)
    problems = check_project(catalog, dt.date.fromisoformat(AS_OF))
    return [e.format() for e in catalog.errors] + [p.format() for p in problems if p.level == "error"]


def test_init_writes_a_complete_project(project: Path) -> None:
    for rel in ("tipsheets.yaml", ".github/workflows/handouts.yml", "content/guidance/default.yaml",
                "content/areas/GA.yaml", "schemas/program.schema.json", ".gitignore"):
        assert (project / rel).is_file(), rel
    for kind in ("brands", "programs", "offices", "tipsheets"):
        assert list((project / "content" / kind).glob("*.yaml")), kind
    workflow = yaml.safe_load((project / ".github/workflows/handouts.yml").read_text())
    steps = " ".join(str(step.get("run", "")) for step in workflow["jobs"]["build"]["steps"])
    assert "tipsheets build" in steps and "@@" not in steps
    assert _errors(project) == []


def test_init_then_build_gives_pdfs(project: Path) -> None:
    result = build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF)))
    assert result.ok, result.errors + [e for o in result.failed for e in o.errors]
    pdfs = sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.pdf"))
    assert "tipsheets/working-together.pdf" in pdfs
    assert all((project / "output" / p).read_bytes().startswith(b"%PDF-") for p in pdfs)


def test_starter_files_carry_their_schema_and_match_it(project: Path) -> None:
    files = schemas.content_files(project)
    assert len(files) >= 7
    for path, name in files:
        first = path.read_text(encoding="utf-8").partition("\n")[0]
        assert first == schemas.modeline(name, path, project / "schemas"), path
        schema = json.loads((project / "schemas" / f"{name}.schema.json").read_text())
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        jsonschema.Draft202012Validator(schema).validate(data)


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 64  # the command cannot run as typed; the content is not at fault
    assert "not empty" in result.output
    assert not (tmp_path / "content").exists()
    result = runner.invoke(app, ["init", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "content" / "programs").is_dir()


@pytest.mark.parametrize("kind", ["tipsheet", "program", "office", "brand", "edition"])
def test_new_skeleton_validates_as_written(project: Path, kind: str) -> None:
    result = runner.invoke(app, ["new", kind, f"my-{kind}", "--project", str(project)])
    assert result.exit_code == 0, result.output
    path = project / "content" / f"{kind}s" / f"my-{kind}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n")
    assert "REPLACE" in text and "@@" not in text
    assert _errors(project) == []
    catalog = load_project(project)
    assert catalog.get(f"{kind}s", f"my-{kind}") is not None


def test_new_skeleton_tip_sheet_builds(project: Path) -> None:
    assert runner.invoke(app, ["new", "tipsheet", "draft", "--project", str(project)]).exit_code == 0
    result = build(Options(project=project, out_dir=project / "output", as_of=dt.date.fromisoformat(AS_OF),
                           only=("content/tipsheets/draft.yaml",)))
    assert result.ok
    assert (project / "output" / "tipsheets" / "draft.pdf").is_file()


def test_new_refuses_bad_names_existing_files_and_unknown_kinds(project: Path) -> None:
    bad = runner.invoke(app, ["new", "program", "My Program", "--project", str(project)])
    assert bad.exit_code == 64 and "not a valid id" in bad.output
    existing = runner.invoke(app, ["new", "program", "co-parenting-basics", "--project", str(project)])
    assert existing.exit_code == 64 and "already exists" in existing.output
    unknown = runner.invoke(app, ["new", "recipe", "soup", "--project", str(project)])
    assert unknown.exit_code == 64 and "recipe" in unknown.output and "tipsheet" in unknown.output
    nowhere = runner.invoke(app, ["new", "program", "x", "--project", str(project / "nope")])
    assert nowhere.exit_code == 64
