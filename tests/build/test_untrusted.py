"""A shared project never runs code, reads outside itself, writes outside its output folder, or deletes
what tipsheets did not write; damaged state and odd names never crash a build or forge its report.

Each test attacks the mechanism with several variations, not one payload.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from hostile_project import make_project, run_cli, sheet
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.core.markdown import render_inline  # noqa: F401 - imported so a template could not reach it either
from tipsheets.handouts import plan, page_html
from tipsheets.project import load_project
from tipsheets.publish.manifest import MANIFEST_NAME, read_manifest
from tipsheets.publish.record import RECORD_NAME
from tipsheets.render.environment import make_environment
from tipsheets.render.plain import Record

AS_OF = dt.date(2026, 11, 25)


def options(project: Path, **kw: object) -> Options:
    return Options(project=project, out_dir=project / "output", formats=("html",), as_of=AS_OF, gallery=False,
                   lint=False, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- templates run no code

class _Pwn:
    """Unpickled, it writes a file: the proof that code ran."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (Path(self.path).write_text, ("ran",))


#: what a hostile template tries, with ``{proof}`` the file that must never appear
ATTEMPTS = [
    "{{ config.parse_raw(payload, proto='pickle', allow_pickle=True) }}",
    "{{ sheet.parse_raw(payload, proto='pickle', allow_pickle=True) }}",
    "{{ sheet.parse_file('/etc/passwd') }}",
    "{{ config.parse_file('/etc/hostname') }}",
    "{{ sheet.model_validate({}) }}",
    "{{ sheet.model_dump() }}",
    "{{ sheet.copy() }}",
    "{{ sheet.__class__.__mro__ }}",
    "{{ sheet.tips[0].__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ _.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ (sheet|attr('parse_raw'))(payload) }}",
    "{{ (config|attr('model_validate'))({}) }}",
    "{{ sheet.title.encode() }}",
    "{{ sheet.date.fromisoformat('2020-01-01') }}",
    "{{ as_of.today() }}",
    "{{ as_of.replace(year=2000) }}",
    "{{ brands[0].colours.items() }}",
    "{{ config.lint.get('x') }}",
    "{{ target.output('pdf') }}",
    "{{ '{0.__class__}'.format(sheet) }}",
    "{{ sheet.title.format_map(sheet) }}",
    "{% set x = sheet.tips.append(1) %}",
]


@pytest.mark.parametrize("attempt", ATTEMPTS)
@pytest.mark.parametrize("name", ["tipsheet.html.j2", "tipsheet/page.html.j2"])
def test_a_template_can_call_nothing_that_reads_parses_or_reaches_a_class(tmp_path: Path, attempt: str,
                                                                        name: str) -> None:
    project = make_project(tmp_path / "project")
    proof = tmp_path / "proof.txt"
    payload = pickle.dumps(_Pwn(str(proof)), protocol=0).decode("latin-1")
    template = project / "templates" / name
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text('{% extends "base/page.html.j2" %}{% block body %}' + "{% set payload = "
                        + json.dumps(payload) + " %}" + attempt + "{% endblock %}")
    result = build(options(project))
    assert not proof.exists(), "code ran during the build"
    (failed,) = result.failed
    (line,) = failed.errors
    assert line.startswith("templates/") and ("may not do" in line or "template error" in line), line
    assert not (project / "output" / "tipsheets" / "one.html").exists()


@pytest.mark.parametrize("allowed", ["{{ 'abc'.upper() }}", "{{ sheet.title|length }}", "{{ range(3)|list }}",
                                     "{% for t in sheet.tips %}{{ loop.cycle('a', 'b') }}{% endfor %}",
                                     "{{ as_of.isoformat() }}", "{{ sheet.title.split(' ')|join('-') }}",
                                     "{% set ns = namespace(n=1) %}{{ ns.n }}", "{{ brands[0].colours.primary }}",
                                     "{{ brands[0].colours['primary'] }}"])
def test_what_a_theme_needs_still_works(tmp_path: Path, allowed: str) -> None:
    project = make_project(tmp_path / "project")
    (project / "templates").mkdir()
    (project / "templates" / "tipsheet.html.j2").write_text(
        '{% extends "base/page.html.j2" %}{% block body %}<p>' + allowed + "</p>{% endblock %}")
    result = build(options(project))
    assert result.ok, [o.errors for o in result.failed]


def _inert(value: object, path: str = "") -> list[str]:
    """The places in ``value`` that are not plain, inert data."""
    if isinstance(value, (str, int, float, bool, type(None), dt.date, dt.time)):
        return []
    if isinstance(value, Record):
        return [p for key in value for p in _inert(value[key], f"{path}.{key}")]
    if isinstance(value, tuple):
        return [p for i, item in enumerate(value) for p in _inert(item, f"{path}[{i}]")]
    return [f"{path}: {type(value).__name__}"]


def test_every_template_receives_only_inert_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value every shipped handout's template receives, walked to the bottom."""
    from tipsheets.render import environment

    seen: list[dict] = []
    real = environment.plain
    monkeypatch.setattr(environment, "plain", lambda value: seen.append(real(value)) or seen[-1])
    catalog = load_project(Path(__file__).resolve().parents[2])
    envs: dict[str, object] = {}
    kinds = set()
    for target in plan(catalog, AS_OF):
        env = envs.setdefault(target.locale, make_environment(catalog.root, locale=target.locale))
        page_html(target, catalog, env, as_of=AS_OF, for_print=False)  # type: ignore[arg-type]
        kinds.add(target.kind)
    assert {"tipsheet", "desk-aid", "flyer", "cards", "edition"} <= kinds and seen
    problems = [p for value in seen for p in _inert(value)]
    assert problems == []


# --------------------------------------------------------------------------- paths stay inside the project

OUTSIDE_NAMES = ["/etc/hostname", "/etc/does-not-exist", "../outside.yaml", "../missing.yaml", "rules/../../x.yaml",
                 "link-out.yaml", "rules/link-dir/house.yaml"]


@pytest.mark.parametrize("name", OUTSIDE_NAMES)
def test_a_rule_file_outside_the_project_is_refused_unread_and_the_same_whether_it_exists(tmp_path: Path,
                                                                                         name: str) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret_key_name: 1\n" * 10)
    project = make_project(tmp_path / "project")
    (project / "link-out.yaml").symlink_to(outside)
    (project / "rules").mkdir()
    (project / "rules" / "link-dir").symlink_to(tmp_path)
    (project / "tipsheets.yaml").write_text(f"lint:\n  rule_files: [{json.dumps(name)}]\n")
    result = run_cli("lint", cwd=project)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tipsheets.yaml:2:16: lint.rule_files[0]: "), lines
    assert "must be inside the project" in lines[0]
    assert "secret_key_name" not in result.stdout + result.stderr
    assert "does not exist" not in lines[0] and "too large" not in lines[0]


@pytest.mark.parametrize("what", ["template file", "templates folder", "po file", "locale folder"])
def test_templates_and_translations_linked_out_of_the_project_are_refused(tmp_path: Path, what: str) -> None:
    project = make_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "es" / "LC_MESSAGES").mkdir(parents=True)
    (elsewhere / "secret.html.j2").write_text("SECRET-TEMPLATE {{ sheet.title }}")
    (elsewhere / "es" / "LC_MESSAGES" / "tipsheets.po").write_text('msgid "Tips"\nmsgstr "SECRET-PO"\n')
    if what == "template file":
        (project / "templates").mkdir()
        (project / "templates" / "tipsheet.html.j2").symlink_to(elsewhere / "secret.html.j2")
        shown = "templates/tipsheet.html.j2"
    elif what == "templates folder":
        (project / "templates").symlink_to(elsewhere)
        shown = "templates/"
    elif what == "po file":
        (project / "locale" / "es" / "LC_MESSAGES").mkdir(parents=True)
        (project / "locale" / "es" / "LC_MESSAGES" / "tipsheets.po").symlink_to(
            elsewhere / "es" / "LC_MESSAGES" / "tipsheets.po")
        shown = "locale/es/LC_MESSAGES/tipsheets.po"
    else:
        (project / "locale").symlink_to(elsewhere)
        shown = "locale/"
    result = run_cli("build", "--as-of", AS_OF.isoformat(), "-f", "html", cwd=project)
    assert result.returncode == 2, result.stderr
    assert f"{shown}:1:1: " in result.stderr and "outside the project" in result.stderr
    assert "SECRET" not in result.stdout + result.stderr
    html = project / "output" / "tipsheets" / "one.html"
    assert not html.exists() or "SECRET" not in html.read_text()


@pytest.mark.parametrize("out", ["..", "~", "/", "", ".", "./", "content", "templates/out", "link-out", "link-out/x"])
def test_an_output_folder_that_puts_the_project_at_risk_is_refused(tmp_path: Path, out: str) -> None:
    project = make_project(tmp_path / "deep" / "project")
    (tmp_path / "elsewhere").mkdir()
    (project / "link-out").symlink_to(tmp_path / "elsewhere")
    home = tmp_path / "deep"  # `~` is the folder above the project here
    src = str(Path(__file__).resolve().parents[2] / "src")
    result = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); "
                             "from tipsheets.cli import main; main()" % src,
                             "build", "-o", out, "-f", "html"], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "HOME": str(home)}, timeout=120)
    # a command-line option that cannot be used is a usage error (64), as every bad option is
    if out in ("link-out", "link-out/x"):  # through a link committed in the project
        assert result.returncode == 64 and "symbolic link" in result.stderr, result.stderr
    else:
        assert result.returncode == 64, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize("setting", ["..", "/tmp/x", "link-out", "content/out"])
def test_an_output_setting_must_name_a_folder_inside_the_project(tmp_path: Path, setting: str) -> None:
    project = make_project(tmp_path / "project")
    (tmp_path / "elsewhere").mkdir()
    (project / "link-out").symlink_to(tmp_path / "elsewhere")
    (project / "tipsheets.yaml").write_text(f"output: {json.dumps(setting)}\n")
    for command in ("build", "clean"):
        result = run_cli(command, cwd=project)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("✗ tipsheets.yaml:1:9: output: "), result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_committed_output_link_is_never_written_through_or_emptied(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "index.html").write_text("theirs")
    (victim / ".tipsheets-manifest.json").write_text("{}")
    (project / "output").symlink_to(victim)
    for command in (["build"], ["clean"]):
        result = run_cli(*command, cwd=project)
        assert result.returncode == 2 and "symbolic link" in result.stderr
    assert (victim / "index.html").read_text() == "theirs" and sorted(p.name for p in victim.iterdir()) == \
        [".tipsheets-manifest.json", "index.html"]


# --------------------------------------------------------------------------- deleting only what tipsheets wrote

def test_clean_leaves_files_tipsheets_did_not_write_or_that_changed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"one": sheet(), "two": sheet(title="Two")})
    out = project / "output"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert run_cli("build", "-f", "html", "--no-gallery", cwd=project).returncode == 0
    (out / "index.html").write_text("my own page")  # tipsheets did not write this one: no gallery
    (out / "thumbs").mkdir()
    (out / "thumbs" / "cache.json").write_text("{}")
    (out / "tipsheets" / "two.html").write_text("edited by hand")
    result = run_cli("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "kept tipsheets/two.html" in result.stderr
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert left == ["index.html", "notes.txt", "thumbs/cache.json", "tipsheets/two.html"]


# --------------------------------------------------------------------------- damaged state is absent state

DAMAGE = {
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "not JSON": "{not json",
    "NUL in a name": json.dumps({"version": 2, "tool": "x", "gallery": {}, "targets": {
        "tipsheets/one\x00x": {"kind": "tipsheet", "id": "one", "locale": "en", "source": "s", "files": {},
                               "rejected": []}}}),
    "wrong types": json.dumps({"version": 2, "tool": "x", "gallery": [], "targets": {"a": 1}}),
    "escaping name": json.dumps({"version": 2, "tool": "x", "gallery": {"../../etc/x": {
        "sha256": "0", "size": 1, "mtime_ns": 1, "digest": ""}}, "targets": {}}),
    "huge numbers": json.dumps({"version": 2, "tool": "x", "gallery": {"index.html": {
        "sha256": "0", "size": 10**400, "mtime_ns": -1, "digest": ""}}, "targets": {}}),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("state", [MANIFEST_NAME, RECORD_NAME, "folder"])
def test_damaged_state_means_a_full_build_said_in_one_line(tmp_path: Path, damage: str, state: str) -> None:
    project = make_project(tmp_path / "project")
    assert run_cli("build", "-f", "html", cwd=project).returncode == 0
    out = project / "output"
    if state == "folder":
        (out / MANIFEST_NAME).unlink()
        (out / MANIFEST_NAME).mkdir()
    else:
        (out / state).write_text(DAMAGE[damage])
    for command in (["build", "-f", "html"], ["clean"]):
        result = run_cli(*command, cwd=project)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        if state == "folder":  # not ours to remove: nothing can be recorded, and the build says so
            assert result.returncode == 1 and MANIFEST_NAME in result.stderr, result.stderr
            continue
        assert result.returncode == 0, result.stderr
        if command[0] == "build" and state == MANIFEST_NAME:
            assert "checking every handout again" in result.stderr and "1 built" in result.stdout
        elif command[0] == "build":  # the record is a shortcut only: the manifest still knows the page
            assert "checking every handout again" in result.stderr and "1 unchanged" in result.stdout


def test_a_record_with_edited_targets_is_not_trusted(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"one": sheet(), "two": sheet(title="Two")})
    assert run_cli("build", "-f", "html", cwd=project).returncode == 0
    record = project / "output" / RECORD_NAME
    data = json.loads(record.read_text())
    data["targets"] = data["targets"][:1]
    record.write_text(json.dumps(data))
    result = run_cli("build", "-f", "html", "--json", cwd=project)
    summary = json.loads(result.stdout)
    assert summary["counts"]["targets"] == 2  # never fewer handouts than there are
    assert any("does not match" in line for line in summary["notices"])


# --------------------------------------------------------------------------- messages cannot be forged

@pytest.mark.parametrize("name", ["\x1b[2K\x1b[1G✓ 9 built", "a\nb", "bell\x07", "rtl\u202eevil", "cr\rline"])
def test_control_characters_in_names_are_shown_escaped(tmp_path: Path, name: str) -> None:
    project = make_project(tmp_path / "project")
    (project / "content" / "tipsheets" / f"{name}.yaml").write_text(sheet())
    (project / "content" / "tipsheets" / "one.yaml").write_text(sheet() + f"{json.dumps(name)}: 1\n")
    result = run_cli("build", "-f", "html", cwd=project)
    for stream in (result.stdout, result.stderr):
        assert not any(ch in stream for ch in "\x1b\x07\u202e\r"), repr(stream)
    assert all(line.count("content/") <= 2 for line in result.stderr.splitlines())


# --------------------------------------------------------------------------- one build at a time

def test_two_builds_at_once_lose_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {f"sheet-{i}": sheet(title=f"Sheet {i}") for i in range(6)})
    results: list[subprocess.CompletedProcess[str]] = []

    def run() -> None:
        results.append(run_cli("build", "-f", "html", "-j", "1", "--force", cwd=project, timeout=300))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert len(read_manifest(project / "output").targets) == 6
    assert not list((project / "output").rglob("*.tmp"))


# --------------------------------------------------------------------------- a folder that cannot be changed

@pytest.fixture
def frozen() -> object:
    """Makes folders unchangeable: read-only for an ordinary user; immutable (chattr +i) for root, whom a
    read-only folder does not stop. Thawed again at the end."""
    folders: list[Path] = []

    def freeze(folder: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(folder)], check=True)
        else:
            folder.chmod(0o555)
        folders.append(folder)

    yield freeze
    for folder in folders:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        else:
            folder.chmod(0o755)


@pytest.mark.parametrize("command", ["clean", "build"])
def test_a_read_only_output_folder_is_exit_1_in_one_line(tmp_path: Path, command: str, frozen) -> None:  # noqa: ANN001
    project = make_project(tmp_path / "project", {"one": sheet(), "two": sheet(title="Two")})
    assert run_cli("build", "-f", "html", "--no-gallery", cwd=project).returncode == 0
    (project / "content" / "tipsheets" / "two.yaml").unlink()  # so the build must remove its page
    for folder in [project / "output", *(p for p in (project / "output").rglob("*") if p.is_dir())]:
        frozen(folder)
    args = ["-f", "html", "--no-gallery"] if command == "build" else []
    result = run_cli(command, *args, cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert sum("cannot" in line for line in result.stderr.splitlines()) == 1, result.stderr
