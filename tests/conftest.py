"""Shared helpers: small projects to build, and ways to read a PDF back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = "2026-11-25"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A copy of the one-tip-sheet test project, safe to change."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    return project


def pdf_text(path: Path) -> str:
    """All text of a PDF, page after page, as a reader would extract it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def squash(text: str) -> str:
    """Text with every run of white space (and soft hyphenation breaks) made one space."""
    return " ".join(text.replace("\r", " ").replace("\ufffe", "").split())
