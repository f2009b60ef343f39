"""Small inputs that would cost minutes: refused where they are written, or stopped on their own.

- Markdown that would cost the square of its length to lay out (many pieces of formatting, formatting
  inside one word) or that is simply far too long is refused at the field, at load time.
- A word too long to wrap runs out of its box; the handout fails and names the field, not "1 page".
- A handout that renders for longer than ``render_timeout`` fails on its own, in this process or in a worker.
- A worker that dies takes only the handout it was rendering with it; the others are built.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.core.markdown import MAX_CHARS, MAX_MARKS, MAX_MARKS_IN_A_WORD, markdown_problem
from tipsheets.project import load_project

SRC = Path(__file__).resolve().parents[2] / "src"
AS_OF = dt.date(2026, 11, 25)


def set_tip_body(project: Path, body: str) -> None:
    sheet = project / "content" / "tipsheets" / "demo.yaml"
    data = yaml.safe_load(sheet.read_text(encoding="utf-8"))
    data["tips"][0]["body"] = body
    sheet.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("unit", ["*a* ", "_a_ ", "**a** ", "[a](https://e.org) ", "`a` ", "`a "])
def test_too_much_formatting_in_one_field_is_refused(unit: str) -> None:
    marks = 1 if unit != "`a " else 0.5  # "`a `a" is one code span for two units
    text = unit * int((MAX_MARKS + 10) / marks)
    assert len(text) <= MAX_CHARS
    assert f"a field holds at most {MAX_MARKS}" in markdown_problem(text)


@pytest.mark.parametrize("piece", ["a*b*", "a`b`", "a[b](https://e.org)", "a**b**", "`a`b"])
def test_formatting_chopping_one_word_is_refused(piece: str) -> None:
    word = piece * (MAX_MARKS_IN_A_WORD + 2) + " and more words " * 30
    assert "inside one word" in markdown_problem(word)
    # the same marks with spaces between them are ordinary text
    spaced = (piece + " ") * (MAX_MARKS_IN_A_WORD + 2) + " and more words " * 30
    assert markdown_problem(spaced) == ""


def test_ordinary_long_text_is_fine() -> None:
    paragraph = "Parents who get along **co-parent better** and *pay support more reliably*. " * 100
    assert len(paragraph) < MAX_CHARS and markdown_problem(paragraph) == ""
    assert "characters long" in markdown_problem("word " * (MAX_CHARS // 5 + 1))


def test_a_field_that_is_too_costly_is_an_error_at_its_line(minimal: Path) -> None:
    set_tip_body(minimal, "`a " * 5000)
    catalog = load_project(minimal)
    (error,) = catalog.errors
    assert error.file == "content/tipsheets/demo.yaml" and error.field == "tips[0].body" and error.line > 1
    assert "characters long" in error.message or "pieces of formatting" in error.message


@pytest.mark.parametrize("where", ["tip", "title"])
def test_a_word_too_long_to_wrap_fails_the_handout_and_names_the_field(minimal: Path, where: str) -> None:
    word = "x" * 3000
    if where == "tip":
        set_tip_body(minimal, f"A sentence with a very long word in it: {word}")
    else:
        sheet = minimal / "content" / "tipsheets" / "demo.yaml"
        data = yaml.safe_load(sheet.read_text(encoding="utf-8"))
        data["title"] = f"Title {word}"
        sheet.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = build(Options(project=minimal, out_dir=minimal / "output", formats=("pdf",), as_of=AS_OF,
                           gallery=False, lint=False))
    (failed,) = result.failed
    (line,) = failed.errors
    assert line.startswith("content/tipsheets/demo.yaml:") and "runs out of its box" in line, line
    assert not (minimal / "output" / "tipsheets" / "demo.pdf").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_handout_that_renders_too_long_fails_on_its_own(minimal: Path, jobs: int) -> None:
    (minimal / "tipsheets.yaml").write_text("render_timeout: 0.05\n", encoding="utf-8")
    for n in range(3):
        sheet = minimal / "content" / "tipsheets" / f"copy-{n}.yaml"
        sheet.write_text((minimal / "content" / "tipsheets" / "demo.yaml").read_text(), encoding="utf-8")
    result = build(Options(project=minimal, out_dir=minimal / "output", formats=("pdf",), as_of=AS_OF,
                           gallery=False, lint=False, jobs=jobs))
    assert len(result.failed) == 4 and not result.built
    for outcome in result.failed:
        (line,) = outcome.errors
        assert f"{outcome.target.stem}: stopped after 0.05 s of rendering" in line and "render_timeout" in line


def _worker_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
def test_a_worker_that_dies_fails_only_its_own_handout(minimal: Path) -> None:
    """Kill one worker while it renders: that handout fails and says why; every other one is built."""
    for n in range(7):
        (minimal / "content" / "tipsheets" / f"copy-{n}.yaml").write_text(
            (minimal / "content" / "tipsheets" / "demo.yaml").read_text(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "tipsheets", "build", "--project", str(minimal), "-j", "2",
                             "--as-of", AS_OF.isoformat(), "-f", "pdf", "--no-gallery", "--no-lint"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _worker_pids(proc.pid)
        time.sleep(0.01)
    assert workers, "no worker processes found"
    time.sleep(0.3)  # both are rendering by now
    os.kill(workers[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert err.count("the worker process rendering it stopped unexpectedly") == 1, err
    assert "killed (SIGKILL)" in err
    assert "7 built" in out + err and "1 failed" in out + err
