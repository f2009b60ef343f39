"""Editor support: the written JSON Schemas match the models and accept the shipped content."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from tipsheets.project import schema as schemas
from tipsheets.cli import app

from conftest import REPO


def _plain(value):
    """YAML data as an editor's language server sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    written = schemas.write_schemas(tmp_path / "schemas")
    assert {p.name for p in written} == {f"{name}.schema.json" for name in schemas.schema_names()}
    for path in written:
        committed = REPO / "schemas" / path.name
        assert committed.is_file(), f"{committed} is missing: run `tipsheets schema`"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed.name} is out of date with the models: run `tipsheets schema` and commit it")


def test_every_description_names_a_real_field() -> None:
    from tipsheets.core import models as model

    for model_name, fields in schemas.DESCRIPTIONS.items():
        cls = getattr(model, model_name)
        assert set(fields) <= set(cls.model_fields), f"{model_name}: {set(fields) - set(cls.model_fields)}"


def _shipped() -> list[tuple[Path, str]]:
    return schemas.content_files(REPO)


@pytest.mark.parametrize("path,name", _shipped(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_shipped_content_validates_against_its_schema(path: Path, name: str) -> None:
    schema = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


@pytest.mark.parametrize("path,name", _shipped(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_shipped_content_points_editors_at_its_schema(path: Path, name: str) -> None:
    first = path.read_text(encoding="utf-8").partition("\n")[0]
    assert first == schemas.modeline(name, path, REPO / "schemas")
    target = (path.parent / first.removeprefix(schemas.MODELINE_PREFIX)).resolve()
    assert target.is_file()


def test_schema_catches_what_the_models_refuse() -> None:
    schema = schemas.schema_for("program")
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors({"name": "X", "provder": "y"}))
    messages = " ".join(e.message for e in errors)
    assert "'provder' was unexpected" in messages
    assert "'provider' is a required property" in messages
    assert "'id' is a required property" not in messages


def test_schema_command_writes_and_lists(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["schema", "--project", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(
        f"{n}.schema.json" for n in schemas.schema_names())
    result = runner.invoke(app, ["schema", "programs"])
    assert result.exit_code == 0, result.output
    assert "registration" in result.output and "verified" in result.output
    assert runner.invoke(app, ["schema", "recipes"]).exit_code != 0


def test_stamp_adds_and_corrects_the_comment(tmp_path: Path) -> None:
    file = tmp_path / "content" / "offices" / "x.yaml"
    file.parent.mkdir(parents=True)
    file.write_text("# An office\nname: X\n", encoding="utf-8")
    assert schemas.stamp(file, "office", tmp_path / "schemas")
    assert file.read_text().splitlines()[:2] == [
        "# yaml-language-server: $schema=../../schemas/office.schema.json", "# An office"]
    assert not schemas.stamp(file, "office", tmp_path / "schemas")
    assert schemas.stamp(file, "office", tmp_path / "elsewhere")
    assert file.read_text().count("yaml-language-server") == 1
