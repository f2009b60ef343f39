"""Small projects on disk for the lint tests."""

from __future__ import annotations

import textwrap
from pathlib import Path


def tipsheet(body: str = "Call us any time.", *, audience: str = "parents", title: str = "Talking with your co-parent",
             locale: str | None = None) -> str:
    """A valid tip sheet whose first tip's body is ``body`` (indented as a literal block)."""
    block = textwrap.indent(textwrap.dedent(body).strip("\n"), "      ")
    extra = f"locale: {locale}\n" if locale else ""
    return (
        f"title: {title}\n"
        f"audience: {audience}\n"
        f"{extra}"
        "date: 2024-05-01\n"
        "intro:\n"
        "  - id: why\n"
        "    heading: Why it matters\n"
        "    body: Short and plain.\n"
        "tips_heading: Tips\n"
        "tips:\n"
        "  - id: first\n"
        "    heading: First\n"
        "    body: |\n"
        f"{block}\n"
    )


def write_project(root: Path, files: dict[str, str], config: str | None = None) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if not text.startswith("title:") else text, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    if config is not None:
        (root / "tipsheets.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    return root
