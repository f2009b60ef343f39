"""Phone numbers as printed and dialled, judged by the phonenumbers package, in a real flyer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, REPO, pdf_text, squash
from test_plain_errors import make_project

from tipsheets.core.contact import parse_phone

SRC = REPO / "src"


@pytest.mark.parametrize("written, printed, dialled", [
    ("(706) 548-2000", "(706) 548-2000", "tel:+1-706-548-2000"),
    ("706.548.2000", "(706) 548-2000", "tel:+1-706-548-2000"),
    ("+1 706 548 2000 x12", "(706) 548-2000 ext. 12", "tel:+1-706-548-2000;ext=12"),
    ("1-800-799-7233", "1-800-799-7233", "tel:+1-800-799-7233"),
    ("(888) 373-7888", "1-888-373-7888", "tel:+1-888-373-7888"),
    ("1-800-FLOWERS", "1-800-FLOWERS", "tel:+1-800-356-9377"),
    ("1 (800) flowers", "1-800-FLOWERS", "tel:+1-800-356-9377"),
    ("1-800-555-HELP", "1-800-555-HELP", "tel:+1-800-555-4357"),
])
def test_numbers_print_in_the_house_form_and_dial_by_digits(written: str, printed: str, dialled: str) -> None:
    phone = parse_phone(written)
    assert phone is not None and (phone.display, phone.tel) == (printed, dialled)


@pytest.mark.parametrize("written", ["(911) 555-0110", "(555) 555-0100", "(706) 055-0110", "555-0110",
                                     "+44 20 7946 0958", "1-800-FLOWERSNOW", "call the office"])
def test_numbers_no_one_can_dial_are_refused(written: str) -> None:
    assert parse_phone(written) is None


def test_a_vanity_number_prints_its_letters_and_links_its_digits(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    program = root / "content" / "programs" / "basics.yaml"
    program.write_text(program.read_text().replace('phone: "(706) 555-0140"', "phone: 1-800-FLOWERS"))
    result = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(SRC)!r}); "
                             "from tipsheets.cli import main; main()", "build", "--program", "basics",
                             "--as-of", AS_OF, "--no-gallery"],
                            cwd=root, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    html = (root / "output" / "flyers" / "basics.html").read_text(encoding="utf-8")
    assert re.search(r'href="tel:\+1-800-356-9377"[^>]*>\s*1-800-FLOWERS\s*<', html), html
    assert "1-800-FLOWERS" in squash(pdf_text(root / "output" / "flyers" / "basics.pdf"))
