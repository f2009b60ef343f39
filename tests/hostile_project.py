"""A small project in a temporary folder, for the hostile-input and failure tests."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" width="40" height="20" role="img">'
    '<title>Logo</title><circle cx="10" cy="10" r="8" fill="#1D5C6B"/>'
    '<circle cx="22" cy="10" r="8" fill="#8A4B12"/></svg>\n'
)

BRAND = textwrap.dedent("""\
    meta:
      name:
        short: Family Partnership
        full: Family Partnership Resource Center
      link: https://familypartnershiprc.org
    logo:
      images:
        mark:
          path: logos/default.svg
          alt: "Two overlapping circles"
      medium: mark
    color:
      primary: "#1D5C6B"
      secondary: "#8A4B12"
      foreground: "#1A2530"
      background: "#FFFFFF"
      light: "#EAF3F4"
    """)

SHEET = textwrap.dedent("""\
    title: {title}
    audience: parents
    date: 2024-01-01
    intro:
      - id: start
        heading: Start here
        body: |
          {body}
    tips_heading: Tips
    tips:
      - id: one
        heading: Talk
        body: Talk with the other parent.
    """)


def sheet(title: str = "A tip sheet", body: str = "Plain words.") -> str:
    return SHEET.format(title=title, body=body)


def make_project(root: Path, sheets: dict[str, str] | None = None) -> Path:
    """A project with the default brand and the given tip sheets (id → YAML text)."""
    (root / "content" / "brands" / "logos").mkdir(parents=True)
    (root / "content" / "tipsheets").mkdir(parents=True)
    (root / "content" / "brands" / "default.yaml").write_text(BRAND)
    (root / "content" / "brands" / "logos" / "default.svg").write_text(LOGO)
    for id, text in (sheets if sheets is not None else {"one": sheet()}).items():
        (root / "content" / "tipsheets" / f"{id}.yaml").write_text(text)
    return root


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter, as CI does."""
    src = Path(__file__).resolve().parents[1] / "src"
    return subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(src)!r}); from tipsheets.cli import main; main()",
         *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
    )
