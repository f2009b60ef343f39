"""The build engine: incremental, parallel, reproducible, interruptible, sliceable, watchable."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from tipsheets.build import steps as build_module
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.project import load_project
from tipsheets.cli import app
from tipsheets.build.digests import with_digests
from tipsheets.build.select import shard
from tipsheets.core.target import Target
from tipsheets.handouts import plan
from tipsheets.publish.manifest import read_manifest
from tipsheets.publish.record import RECORD_NAME
from tipsheets.serve.watch import watch_loop

SRC = Path(__file__).resolve().parents[2] / "src"
AS_OF = dt.date(2026, 3, 2)

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 60" width="60" height="60">'
        '<circle cx="30" cy="30" r="24" fill="{colour}"/></svg>\n')

BRAND = """\
meta:
  name: {name}
logo:
  images:
    mark: {{path: logos/{id}.svg, alt: "{name} logo"}}
  medium: mark
color:
  primary: "{colour}"
  foreground: "#1a2530"
  background: "#ffffff"
"""

SHEET = """\
title: {title}
audience: parents
date: 2025-01-15
brands: [{brand}]
intro:
  - id: why
    heading: Why this matters
    body: Parents who talk things over help their children. {extra}
tips_heading: Three tips
tips:
  - id: listen
    heading: Listen first
    body: Hear the other parent out before you answer.
  - id: plan
    heading: Plan ahead
    body: Agree on pick-up times a week ahead.
"""


def make_project(root: Path, sheets: dict[str, str] | None = None) -> Path:
    """A small project: two brands with logos and a few tip sheets (id → brand)."""
    sheets = sheets if sheets is not None else {"alpha": "north", "beta": "north", "gamma": "south"}
    (root / "content" / "brands" / "logos").mkdir(parents=True)
    (root / "content" / "tipsheets").mkdir(parents=True)
    for brand, colour in (("north", "#1d4e89"), ("south", "#7a2e0e")):
        (root / "content" / "brands" / f"{brand}.yaml").write_text(
            BRAND.format(id=brand, name=f"{brand.title()} Family Center", colour=colour))
        (root / "content" / "brands" / "logos" / f"{brand}.svg").write_text(LOGO.format(colour=colour))
    for sheet, brand in sheets.items():
        write_sheet(root, sheet, brand)
    return root


def write_sheet(root: Path, sheet: str, brand: str, extra: str = "") -> None:
    (root / "content" / "tipsheets" / f"{sheet}.yaml").write_text(
        SHEET.format(title=f"Tips {sheet.title()}", brand=brand, extra=extra))


def options(project: Path, **kw) -> Options:  # noqa: ANN003
    return Options(project=project, out_dir=kw.pop("out_dir", project / "output"), as_of=AS_OF,
                   jobs=kw.pop("jobs", 1), **kw)


def stems(outcomes) -> set[str]:  # noqa: ANN001
    return {o.target.stem for o in outcomes}


def output_files(out: Path) -> dict[str, bytes]:
    """The handouts and the gallery (not the build's own state: manifest, record, lock)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".tipsheets-")}


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "tipsheets", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once; tests copy it so they start from a complete output folder."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    result = build(options(project))
    assert result.ok, result.errors + [e for o in result.failed for e in o.errors]
    return project


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built_project, copy)
    return copy


# --------------------------------------------------------------------------- incremental builds


def test_unchanged_inputs_skip_everything(project: Path) -> None:
    before = output_files(project / "output")
    result = build(options(project))
    assert result.ok
    assert not result.built and stems(result.skipped) == {"tipsheets/alpha", "tipsheets/beta", "tipsheets/gamma"}
    assert output_files(project / "output") == before


def test_changing_one_file_rebuilds_exactly_the_targets_that_read_it(project: Path) -> None:
    brand = project / "content" / "brands" / "south.yaml"
    brand.write_text(brand.read_text().replace("#7a2e0e", "#5a1e0e"))
    result = build(options(project))
    assert stems(result.built) == {"tipsheets/gamma"}
    assert stems(result.skipped) == {"tipsheets/alpha", "tipsheets/beta"}

    logo = project / "content" / "brands" / "logos" / "north.svg"
    logo.write_text(logo.read_text().replace("r=\"24\"", "r=\"20\""))
    result = build(options(project))
    assert stems(result.built) == {"tipsheets/alpha", "tipsheets/beta"}

    write_sheet(project, "beta", "north", extra="Small changes add up.")
    result = build(options(project))
    assert stems(result.built) == {"tipsheets/beta"}
    assert not build(options(project)).built


def test_program_change_rebuilds_only_the_handouts_that_list_it(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "content"
    if not (sample / "programs").is_dir():
        pytest.skip("no sample programs in this checkout")
    project = tmp_path / "project"
    shutil.copytree(sample, project / "content")
    opts = options(project, formats=("html",))
    first = build(opts)
    targets = plan(load_project(project), AS_OF)
    readers: dict[str, set[str]] = {}
    for t in targets:
        for f in t.inputs:
            readers.setdefault(f, set()).add(t.stem)
    programs = sorted(f for f in readers if f.startswith("content/programs/"))
    assert programs, "no handout lists a program"
    changed = programs[0]
    path = project / changed
    path.write_text(path.read_text() + "\n# edited\n")
    again = build(opts)
    assert stems(again.built) == readers[changed]
    assert stems(again.skipped) == stems(first.built) - readers[changed]


def test_force_rebuilds_everything(project: Path) -> None:
    result = build(options(project, force=True))
    assert len(result.built) == 3 and not result.skipped


def test_a_missing_or_altered_output_is_rebuilt(project: Path) -> None:
    out = project / "output"
    (out / "tipsheets" / "alpha.pdf").unlink()
    (out / "tipsheets" / "gamma.html").write_text("edited by hand")
    result = build(options(project))
    assert stems(result.built) == {"tipsheets/alpha", "tipsheets/gamma"}
    assert (out / "tipsheets" / "gamma.html").read_text(encoding="utf-8-sig").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("content_changed", [False, True])
def test_an_output_changed_at_the_same_size_is_caught_by_its_time(project: Path, content_changed: bool) -> None:
    """Size and time are trusted as make trusts them; a file of the same size with a new time is hashed, and
    rebuilt when its bytes are not the ones written, whether or not anything else changed (the no-op's check)."""
    out = project / "output"
    page = out / "tipsheets" / "gamma.html"
    data = page.read_bytes()
    stamp = page.stat().st_mtime_ns
    altered = data.replace(b"<title>", b"<TITLE>", 1)
    assert altered != data and len(altered) == len(data)
    page.write_bytes(altered)
    os.utime(page, ns=(stamp + 5_000_000_000, stamp + 5_000_000_000))
    if content_changed:
        write_sheet(project, "alpha", "north", extra="Saved again.")
    result = build(options(project))
    assert "tipsheets/gamma" in stems(result.built)
    assert page.read_bytes() == data


def test_removed_document_loses_its_outputs_and_nothing_else(project: Path) -> None:
    out = project / "output"
    (out / "notes.txt").write_text("mine")
    (out / "tipsheets" / "extra.pdf").write_bytes(b"not ours")
    (project / "content" / "tipsheets" / "beta.yaml").unlink()
    result = build(options(project))
    assert sorted(result.removed) == ["thumbs/tipsheets/beta.webp", "tipsheets/beta.html", "tipsheets/beta.pdf"]
    assert not (out / "tipsheets" / "beta.pdf").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "tipsheets" / "extra.pdf").read_bytes() == b"not ours"
    assert set(read_manifest(out).targets) == {"tipsheets/alpha", "tipsheets/gamma"}


def test_a_folder_without_content_leaves_the_output_folder_alone(project: Path, tmp_path: Path) -> None:
    """`tipsheets build -o output` run from the wrong folder must not take the handouts for deleted."""
    before = output_files(project / "output")
    elsewhere = tmp_path / "not-a-project"
    elsewhere.mkdir()
    res = CliRunner().invoke(app, ["build", "--project", str(elsewhere), "-o", str(project / "output"),
                                   "--as-of", "2026-03-02", "-j", "1"])
    assert res.exit_code == 2
    assert "no content folder here" in res.output
    assert output_files(project / "output") == before


def test_a_typo_does_not_delete_the_handout(project: Path) -> None:
    sheet = project / "content" / "tipsheets" / "beta.yaml"
    sheet.write_text(sheet.read_text() + "  - this is: [not valid\n")
    result = build(options(project))
    assert not result.ok and not result.removed
    assert (project / "output" / "tipsheets" / "beta.pdf").exists()


def test_one_failing_document_does_not_stop_the_others(project: Path) -> None:
    write_sheet(project, "delta", "missing-brand")
    runner = CliRunner()
    res = runner.invoke(app, ["build", "--project", str(project), "--as-of", "2026-03-02", "-j", "1", "--json"])
    assert res.exit_code != 0
    data = json.loads(res.stdout)
    assert [f["target"] for f in data["failed"]] == ["tipsheets/delta"]
    assert data["counts"]["skipped"] == 3


def test_a_narrower_build_keeps_the_files_it_was_not_asked_for(project: Path) -> None:
    """`-f pdf` after a full build: the web pages stay, listed, and nothing is reported removed."""
    sheet = project / "content" / "tipsheets" / "alpha.yaml"
    sheet.write_text(sheet.read_text().replace("Three tips", "Three good tips"))
    html_before = (project / "output" / "tipsheets" / "alpha.html").read_bytes()
    result = build(options(project, formats=("pdf",), only=("content/tipsheets/alpha.yaml",)))
    assert stems(result.built) == {"tipsheets/alpha"} and result.removed == []
    assert (project / "output" / "tipsheets" / "alpha.html").read_bytes() == html_before
    files = read_manifest(project / "output").targets["tipsheets/alpha"].files
    assert {"tipsheets/alpha.pdf", "tipsheets/alpha.html"} <= files.keys()
    again = build(options(project))  # the full build knows the web page was made from the old words
    assert stems(again.built) == {"tipsheets/alpha"}
    assert b"Three good tips" in (project / "output" / "tipsheets" / "alpha.html").read_bytes()


def test_clean_removes_exactly_what_the_manifest_lists(project: Path) -> None:
    out = project / "output"
    (out / "keep.txt").write_text("mine")
    res = CliRunner().invoke(app, ["clean", "--project", str(project)])
    assert res.exit_code == 0, res.output
    assert output_files(out) == {"keep.txt": b"mine"}


# --------------------------------------------------------------------------- the record of the last clean build

ALL = {"tipsheets/alpha", "tipsheets/beta", "tipsheets/gamma"}


def test_a_build_with_nothing_changed_does_not_parse_the_content(project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert build(options(project)).ok
    assert (project / "output" / RECORD_NAME).is_file()

    def parse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the content was parsed")

    monkeypatch.setattr(build_module, "load_project", parse)
    result = build(options(project))
    assert result.ok and result.catalog is None
    assert stems(result.skipped) == ALL and not result.built
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--as-of", "2026-03-02", "--json"])
    assert res.exit_code == 0, res.output
    assert sorted(json.loads(res.stdout)["skipped"]) == sorted(ALL)


@pytest.mark.parametrize("change", ["logo", "new file", "stray yaml", "output", "date", "formats"])
def test_any_change_since_the_last_clean_build_means_a_full_build(project: Path, change: str) -> None:
    assert build(options(project)).ok
    opts = options(project)
    if change == "logo":  # not YAML, but read by the handouts of its brand
        logo = project / "content" / "brands" / "logos" / "south.svg"
        logo.write_text(logo.read_text().replace('r="24"', 'r="22"'))
    elif change == "new file":
        write_sheet(project, "delta", "south")
    elif change == "stray yaml":
        (project / "content" / "stray").mkdir()
        (project / "content" / "stray" / "x.yaml").write_text("a: 1\n")
    elif change == "output":
        (project / "output" / "tipsheets" / "beta.pdf").write_bytes(b"%PDF-1.7 edited")
    elif change == "date":
        opts = replace(opts, as_of=AS_OF + dt.timedelta(days=1))
    elif change == "formats":
        opts = replace(opts, formats=("html",))
    result = build(opts)
    assert result.catalog is not None
    expected = {"logo": {"tipsheets/gamma"}, "new file": {"tipsheets/delta"}, "stray yaml": set(),
                "output": {"tipsheets/beta"}, "date": set(), "formats": set()}[change]  # the web pages are there
    assert stems(result.built) == expected
    if change == "stray yaml":
        assert any("content/stray/x.yaml" in line for line in result.errors)


HOUSE_RULE = """\
rules:
  - id: house-word
    extends: substitution
    level: error
    message: "Say '{{suggestion}}'."
    note: Our own wording.
    swap: {{{word}: something else}}
"""


@pytest.mark.parametrize("change", ["rule file", "translation"])
def test_project_rules_and_translations_are_inputs_of_every_target(project: Path, change: str) -> None:
    if change == "rule file":
        (project / "house-rules.yaml").write_text(HOUSE_RULE.format(word="obligor"))
        (project / "tipsheets.yaml").write_text("lint:\n  rule_files: [house-rules.yaml]\n")
    else:
        folder = project / "locale" / "en" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "tipsheets.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    first = build(options(project))
    before = {o.target.stem: o.target.digest for o in first.outcomes}
    if change == "rule file":
        assert first.ok, first.errors
        (project / "house-rules.yaml").write_text(HOUSE_RULE.format(word="pick-up"))  # in every sheet
    else:
        (folder / "tipsheets.po").write_text((folder / "tipsheets.po").read_text() + "\n# a comment\n")
    again = build(options(project))
    assert again.catalog is not None
    if change == "rule file":  # the changed rule now flags every sheet: the gate must have run again
        assert again.lint_errors and not again.built
    else:
        assert all(o.target.digest != before[o.target.stem] for o in again.outcomes)


def test_errors_and_warnings_are_reported_again_on_every_build(project: Path) -> None:
    write_sheet(project, "delta", "missing-brand")
    sheet = project / "content" / "tipsheets" / "alpha.yaml"
    sheet.write_text(sheet.read_text().replace("Hear the other parent out", "Ask about form #12 Hear them out"))
    first = build(options(project))
    assert not (project / "output" / RECORD_NAME).exists()
    again = build(options(project))
    assert again.catalog is not None
    assert [o.errors for o in again.failed] == [o.errors for o in first.failed] and again.failed
    assert again.warnings == first.warnings and again.warnings


def sample_project(tmp_path: Path, needs: str) -> Path:
    """A project holding a copy of the shipped sample content (skips when ``needs`` is not in it)."""
    sample = Path(__file__).resolve().parents[2] / "content"
    if not (sample / needs).is_file():
        pytest.skip(f"no {needs} in this checkout's sample content")
    project = tmp_path / "project"
    shutil.copytree(sample, project / "content")
    return project


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(handout, pages) of every layout the printer makes in this process, in order."""
    from tipsheets.print import printer as pdf

    calls: list[tuple[str, int]] = []
    real = pdf.Printer.print

    def counted(self, html, **kw):  # noqa: ANN001, ANN003, ANN202
        result = real(self, html, **kw)
        calls.append((kw["identifier"].split("|")[0], result.pages))
        return result

    monkeypatch.setattr(pdf.Printer, "print", counted)
    return calls


def test_a_forced_rebuild_lays_out_a_one_page_handout_once(tmp_path: Path, printed: list[tuple[str, int]]) -> None:
    """The layouts that ran past the page are remembered by the hash of their HTML, not laid out again."""
    project = sample_project(tmp_path, "offices/clarke-county.yaml")
    opts = options(project, formats=("pdf",), offices=("clarke-county",), gallery=False)
    first = build(opts)
    bilingual = next(o for o in first.built if o.target.stem == "desk-aids/clarke-county.bilingual")
    assert "in smaller type" in bilingual.notes[0]
    laid_out = len(printed)
    assert laid_out > len(first.built)  # the Spanish and bilingual desk aids needed more than one layout
    before = output_files(project / "output")
    printed.clear()
    again = build(replace(opts, force=True))
    assert len(printed) == len(again.built) and [pages for _, pages in printed] == [1] * len(printed)
    assert [o.notes for o in again.built] == [o.notes for o in first.built]
    assert output_files(project / "output") == before

    printed.clear()  # another theme: what was known no longer holds, so each layout is tried again
    (project / "templates").mkdir()
    shipped = Path(__file__).resolve().parents[2] / "templates" / "desk-aid" / "style.css.j2"
    (project / "templates" / "desk-aid.css.j2").write_text(shipped.read_text() + "\n/* edited */\n")
    build(opts)
    assert len(printed) == laid_out


def test_a_nearly_empty_last_page_is_saved_by_the_tighter_setting(tmp_path: Path,
                                                                    printed: list[tuple[str, int]]) -> None:
    """The Spanish tip sheet would end with a few lines on page 4; set at 10 pt it ends on page 3."""
    project = sample_project(tmp_path, "tipsheets/win-win-agencies.es.yaml")

    def laid_out(stem: str) -> list[int]:
        return [pages for name, pages in printed if name == stem]

    opts = options(project,
                   only=("content/tipsheets/win-win-agencies.es.yaml", "content/tipsheets/win-win-agencies.yaml"),
                   gallery=False)
    first = build(opts)
    by_stem = {o.target.stem: o for o in first.built}
    spanish, english = by_stem["tipsheets/win-win-agencies.es"], by_stem["tipsheets/win-win-agencies"]
    assert spanish.pages == 3 and "tighter" in spanish.notes[0]
    assert english.pages == 3 and not english.notes  # its last page is well filled: never tried tighter
    assert laid_out("tipsheets/win-win-agencies") == [3]  # once
    assert laid_out("tipsheets/win-win-agencies.es") == [4, 3]  # regular, then tighter
    with pikepdf.open(project / "output" / "tipsheets" / "win-win-agencies.es.pdf") as doc:
        assert len(doc.pages) == 3
    html = (project / "output" / "tipsheets" / "win-win-agencies.es.html").read_text()
    assert "@media print {" in html  # the tighter setting is for paper; the web page reads as before

    printed.clear()
    again = build(replace(opts, force=True))
    assert laid_out("tipsheets/win-win-agencies.es") == [3]  # its regular layout is known to end nearly empty
    assert [o.notes for o in again.built] == [o.notes for o in first.built]


# --------------------------------------------------------------------------- reproducibility


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """Different project folders, output folders, working directories and worker counts: same bytes."""
    a = make_project(tmp_path / "a" / "project")
    b = make_project(tmp_path / "elsewhere" / "deeper" / "copy")
    env = {**os.environ, "PYTHONPATH": str(SRC), "SOURCE_DATE_EPOCH": "1767225600"}
    for project, jobs, cwd in ((a, "1", tmp_path), (b, "2", b)):
        done = subprocess.run([sys.executable, "-m", "tipsheets", "build", "--project", str(project), "-j", jobs],
                              cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    files_a, files_b = output_files(a / "output"), output_files(b / "output")
    # 3 × (pdf, html, thumbnail) + the gallery's index.html
    assert files_a.keys() == files_b.keys() and len(files_a) == 10
    for name in files_a:
        assert files_a[name] == files_b[name], name
    for name, data in files_a.items():
        if name.endswith(".png"):  # pixels: no text to leak, and short byte runs match by chance
            continue
        text = data
        if name.endswith(".html"):  # inlined images: base64, where short byte runs match by chance
            text = re.sub(rb"data:image/[^\"')\s]*", b"data:image/", data)
        if name.endswith(".pdf"):
            with pikepdf.open(a / "output" / name) as pdf:
                text = b"".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream)) + data
        for leak in (str(a).encode(), str(tmp_path).encode(), str(SRC.parent).encode(), b"file:",
                     os.uname().nodename.encode()):
            assert leak not in text, (name, leak)


# --------------------------------------------------------------------------- interrupted builds


def _worker_pids(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wait_for_first_pdf(out: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if any(out.rglob("*.pdf")):
            return
        time.sleep(0.005)
    pytest.fail("the build ended before it wrote its first PDF")


def _assert_no_partial_files(out: Path) -> None:
    assert not list(out.rglob("*.tmp"))
    for pdf in out.rglob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), pdf
        with pikepdf.open(pdf) as doc:
            assert len(doc.pages) >= 1
    manifest = read_manifest(out)
    for entry in manifest.targets.values():
        for name in entry.files:
            assert (out / name).is_file(), f"the manifest claims {name}, which is not there"


def _many(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {f"sheet-{i:02d}": ("north", "south")[i % 2] for i in range(10)})


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
def test_killing_a_worker_leaves_no_partial_file_and_the_next_build_repairs(tmp_path: Path) -> None:
    project = _many(tmp_path)
    out = project / "output"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "tipsheets", "build", "--project", str(project), "-j", "2",
                             "--as-of", "2026-03-02"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for_first_pdf(out, proc)
    workers = _worker_pids(proc.pid)
    assert workers, "no worker processes found"
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode != 0
    assert b"stopped unexpectedly" in stderr
    _assert_no_partial_files(out)
    built_before = len(read_manifest(out).targets)
    assert built_before < 10

    repair = run_cli("build", "--project", str(project), "--as-of", "2026-03-02", "--json")
    assert repair.returncode == 0, repair.stderr
    summary = json.loads(repair.stdout)
    assert summary["counts"]["built"] == 10 - summary["counts"]["skipped"]
    assert summary["counts"]["built"] >= 10 - built_before
    assert len(read_manifest(out).targets) == 10
    _assert_no_partial_files(out)


def test_killing_the_whole_build_is_repaired_by_the_next(tmp_path: Path) -> None:
    project = _many(tmp_path)
    out = project / "output"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "tipsheets", "build", "--project", str(project), "-j", "1",
                             "--as-of", "2026-03-02"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_first_pdf(out, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    # what a kill in the middle of a write leaves: a temporary file next to the PDF, named for the build
    tag = (out / ".tipsheets-lock").read_text().strip()
    assert tag, "the killed build did not say who it was"
    (out / "tipsheets" / f".sheet-09.pdf.{tag}.abc123xy.tmp").write_bytes(b"%PDF-1.7 trunc")
    repair = run_cli("build", "--project", str(project), "--as-of", "2026-03-02")
    assert repair.returncode == 0, repair.stderr
    assert len(read_manifest(out).targets) == 10
    _assert_no_partial_files(out)


# --------------------------------------------------------------------------- shards


def _targets(n: int) -> list[Target]:
    return [Target(kind="tipsheet", id=f"doc-{i}", locale="en", template="t", stem=f"tipsheets/doc-{i}", inputs=())
            for i in range(n)]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_shards_cover_every_target_exactly_once(count: int) -> None:
    targets = _targets(200)
    slices = [shard(targets, i, count) for i in range(1, count + 1)]
    seen = [t.stem for s in slices for t in s]
    assert sorted(seen) == sorted(t.stem for t in targets)
    assert len(seen) == len(set(seen))
    # stable: adding a target moves no other target to another slice
    more = _targets(201)
    for i in range(1, count + 1):
        assert {t.stem for t in shard(targets, i, count)} <= {t.stem for t in shard(more, i, count)}


def test_shard_builds_cover_the_project(project: Path, tmp_path: Path) -> None:
    seen: list[str] = []
    for i in (1, 2):
        result = build(options(project, out_dir=tmp_path / f"out{i}", shard=(i, 2), formats=("html",)))
        assert result.ok
        seen += [o.target.stem for o in result.outcomes]
    assert sorted(seen) == ["tipsheets/alpha", "tipsheets/beta", "tipsheets/gamma"]


@pytest.mark.parametrize("bad", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_bad_shard_is_refused(project: Path, bad: str) -> None:
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--shard", bad])
    assert res.exit_code == 64  # a usage error: the command line, not the content


# --------------------------------------------------------------------------- reporting


def test_json_summary_shape(project: Path) -> None:
    (project / "content" / "tipsheets" / "beta.yaml").unlink()
    write_sheet(project, "gamma", "south", extra="New words.")
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--as-of", "2026-03-02", "-j", "1", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {"ok", "built", "skipped", "removed", "failed", "counts", "seconds", "jobs", "errors"}
    assert data["ok"] is True
    assert data["counts"] == {"targets": 2, "built": 1, "skipped": 1, "removed": 3, "failed": 0}
    (row,) = data["built"]
    assert row["target"] == "tipsheets/gamma"
    assert row["files"] == ["thumbs/tipsheets/gamma.webp", "tipsheets/gamma.html", "tipsheets/gamma.pdf"]
    assert row["seconds"] > 0 and row["pages"] == 1
    assert data["skipped"] == ["tipsheets/alpha"]
    assert data["removed"] == ["thumbs/tipsheets/beta.webp", "tipsheets/beta.html", "tipsheets/beta.pdf"]


def test_no_gallery_writes_only_the_handouts(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "bare"
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--as-of", "2026-03-02", "-j", "1",
                                   "--no-gallery", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "tipsheets" / "alpha.pdf").is_file()
    assert not (out / "index.html").exists() and not (out / "thumbs").exists()


def test_plain_lines_when_not_on_a_terminal(project: Path) -> None:
    write_sheet(project, "alpha", "north", extra="Edited.")
    res = CliRunner().invoke(app, ["build", "--project", str(project), "--as-of", "2026-03-02", "-j", "1"])
    assert res.exit_code == 0, res.output
    assert "built  tipsheets/alpha" in res.stdout
    assert "1 built, 2 unchanged, 0 removed, 0 failed" in res.stdout


# --------------------------------------------------------------------------- watch


def test_watch_loop_rebuilds_what_a_save_affects_and_survives_errors(project: Path) -> None:
    results: list[tuple[set, object]] = []
    errors: list[BaseException] = []
    sheet = project / "content" / "tipsheets" / "gamma.yaml"

    def batches():  # noqa: ANN202
        yield set()
        write_sheet(project, "gamma", "south", extra="Saved again.")
        yield {sheet}
        yield {"boom"}
        yield {sheet}

    def build_fn(opts: Options):  # noqa: ANN202
        if results and len(results) == 2 and not errors:
            raise RuntimeError("disk on fire")
        return build(opts)

    handled = watch_loop(options(project), batches(), on_result=lambda c, r: results.append((c, r)),
                         on_error=lambda c, e: errors.append(e), build_fn=build_fn)
    assert handled == 4
    assert not results[0][1].built
    assert stems(results[1][1].built) == {"tipsheets/gamma"}
    assert [str(e) for e in errors] == ["disk on fire"]
    assert not results[2][1].built and len(results) == 3


class _Cycle:
    """Garbage only the cyclic collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def test_a_watch_that_builds_again_and_again_frees_the_garbage_each_build_froze(project: Path) -> None:
    """A build holds the collector off and moves what exists out of its passes; a long-running watch must not keep
    the garbage that was frozen with it for the rest of its life."""
    import gc
    import weakref

    gc.collect()
    refs = []

    def build_fn(opts: Options):  # noqa: ANN202
        cycle = _Cycle()
        refs.append(weakref.ref(cycle))
        del cycle  # garbage, waiting for a pass when the build freezes what exists
        return build(opts)

    watch_loop(options(project), iter([set(), set()]), on_result=lambda c, r: None, on_error=lambda c, e: None,
               build_fn=build_fn)
    gc.collect()
    assert len(refs) == 2 and all(ref() is None for ref in refs)


def test_digest_depends_on_date_only_for_dated_kinds(project: Path) -> None:
    catalog = load_project(project)
    one = with_digests(plan(catalog, AS_OF), project, AS_OF)
    two = with_digests(plan(catalog, AS_OF), project, AS_OF + dt.timedelta(days=40))
    for a, b in zip(one, two, strict=True):
        assert (a.digest == b.digest) == (a.kind == "tipsheet")
    again = with_digests(plan(catalog, AS_OF), project, AS_OF)  # formats are not in it: each file records its own
    assert [a.digest for a in one] == [b.digest for b in again]
