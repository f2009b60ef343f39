"""Phone numbers as printed and dialled, judged by the phonenumbers package, in a real flyer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


#: the international prefix and codes starting 0 or 1, toll-free, premium, fictional and N11 codes, Canada and the
#: Caribbean and the territories: where types differ
AREAS_OF_NOTE = [11, 1, 0,
                 800, 833, 844, 855, 866, 877, 888, 900, 976, 555, 911, 211, 212, 706, 684, 671, 787, 939, 340, 670,
                 264, 268, 242, 246, 441, 284, 345, 767, 809, 829, 849, 473, 876, 664, 869, 758, 784, 868, 649, 721,
                 204, 236, 250, 306, 403, 416, 418, 438, 506, 514, 604, 613, 647, 709, 867, 902, 905]


@settings(max_examples=3000, deadline=None)
@given(area=st.one_of(st.sampled_from(AREAS_OF_NOTE), st.integers(0, 999)),
       exchange=st.one_of(st.sampled_from([555, 200, 911, 976, 100]), st.integers(0, 999)), line=st.integers(0, 9999),
       style=st.sampled_from(["({a}) {e}-{l}", "{a}-{e}-{l}", "1{a}{e}{l}", "+1 {a} {e} {l}"]))
def test_a_number_is_taken_exactly_when_libphonenumber_calls_it_valid(area: int, exchange: int, line: int,
                                                                      style: str) -> None:
    """The quick path for plain digits agrees with libphonenumber's own parse and validity, type and all."""
    written = style.format(a=f"{area:03d}", e=f"{exchange:03d}", l=f"{line:04d}")
    try:
        expected = phonenumbers.parse(f"{area:03d}{exchange:03d}{line:04d}", "US")
    except phonenumbers.NumberParseException:  # such as 011, the international prefix: no number at all
        expected = None
    valid = expected is not None and expected.country_code == 1 and phonenumbers.is_valid_number(expected)
    phone = parse_phone(written)
    assert (phone is not None) == valid
    if phone is not None:
        assert expected is not None
        kind = phonenumbers.number_type(expected)
        assert phone.toll_free == (kind in (phonenumbers.PhoneNumberType.TOLL_FREE,
                                            phonenumbers.PhoneNumberType.PREMIUM_RATE))
        assert (phone.area, phone.exchange, phone.line) == (f"{area:03d}", f"{exchange:03d}", f"{line:04d}")


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
