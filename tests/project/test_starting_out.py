"""Starting out: placeholder text left in a new file is a warning at build time and in the gallery,
and every kind `tipsheets new` offers builds as written."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import AS_OF, REPO

SRC = REPO / "src"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(SRC)!r}); "
                           "from tipsheets.cli import main; main()", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


class _Statuses(HTMLParser):
    """The gallery's handouts: each one's name (its stem) and its status lines."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, list[str]] = {}
        self._stem = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "p" and "meta" in classes:
            self._in = "meta"
        elif tag == "p" and "status" in classes:
            self._in = "status"
            self.items.setdefault(self._stem, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "meta":
            self._stem = data.strip()
        elif self._in == "status":
            self.items[self._stem][-1] += data


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A starter project with a new office and a new edition, built to HTML."""
    project = tmp_path_factory.mktemp("start") / "handouts"
    assert run_cli("init", str(project), "--source", "tipsheets==0.1.0", cwd=project.parent).returncode == 0
    for kind, name in (("office", "oconee-county"), ("edition", "our-edition")):
        result = run_cli("new", kind, name, cwd=project)
        assert result.returncode == 0, result.stderr
    build = run_cli("build", "--format", "html", "--as-of", AS_OF, cwd=project)
    return project, build


def test_placeholder_text_is_a_warning_at_build_time(started: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, build = started
    assert build.returncode == 0, build.stderr  # it still builds: the warning says what to replace
    assert ("content/offices/oconee-county.yaml:4:7: warning: name: placeholder text left in: "
            "'REPLACE with the office's name' (hint: write your own words in place of it; until then it is printed "
            "on the handout)") in build.stderr.splitlines()
    assert ("content/editions/our-edition.yaml:8:12: warning: contact.heading: placeholder text left in: "
            "'REPLACE with a heading, such as Questions? Call us' (hint: write your own words in place of it; until "
            "then it is printed on the handout)") in build.stderr.splitlines()
    desk_aid = (project / "output" / "desk-aids" / "oconee-county.html").read_text(encoding="utf-8")
    assert "REPLACE with the office" in desk_aid  # what the warning is about: it is on the page


def test_placeholder_text_shows_in_the_gallery(started: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, _ = started
    page = _Statuses()
    page.feed((project / "output" / "index.html").read_text(encoding="utf-8"))
    statuses = page.items["desk-aids/oconee-county"]
    assert statuses[0] == "Wording: no problems"
    assert any(s.startswith("Content: ") and "placeholder text left in" in s for s in statuses), statuses
    assert any("placeholder text left in" in s for s in page.items["editions/our-edition"])


def test_the_gallery_counts_every_content_warning_a_handout_reads(
        started: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, build = started
    page = _Statuses()
    page.feed((project / "output" / "index.html").read_text(encoding="utf-8"))
    # the starter tip sheet reads its own file (a fictional number) and the starter brand (a placeholder)
    warned = [line for line in build.stderr.splitlines() if ": warning: " in line
              and line.startswith(("content/tipsheets/working-together.yaml", "content/brands/riverbend"))]
    assert len(warned) == 2
    assert page.items["tipsheets/working-together"][1].startswith("Content: 2 warnings, such as ")


@pytest.mark.parametrize("written, found", [
    ('name: REPLACE with the name', True),
    ('name: "RE\\x50LACE with the name"', True),  # written with an escape: the text of the file does not hold it
    ('name: "RE\\\n  PLACE with the name"', True),  # a line break escaped away inside double quotes
    ("name: Replace the filter\n# REPLACE in a comment is not printed", False),
    ('name: "Office \\u00e9"', False),
])
def test_the_placeholder_is_found_in_the_value_however_it_is_written(tmp_path: Path, written: str,
                                                                       found: bool) -> None:
    from tipsheets.check.text import check_placeholders
    from tipsheets.core.catalog import Entry
    from tipsheets.core.source import load_yaml_text

    source = load_yaml_text(written + "\n", "content/offices/x.yaml")
    entry = Entry(kind="office", id="x", locale=None, item=None, source=source)
    problems = list(check_placeholders(entry))
    assert bool(problems) == found, problems
    if found:
        assert "name: placeholder text left in" in str(problems[0].error)
