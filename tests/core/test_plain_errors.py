"""Errors in plain words: each mistake a new user makes, and the one line `tipsheets validate` prints for it.

Each case starts from a valid project, changes one line of one file the way people do, and runs
the real command line. The message names the field and gives the fix in words the user can act on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, REPO

SRC = REPO / "src"

BRAND = """meta:
  name: Riverbend Family Partnership
color:
  palette:
    navy: "#1F3A5F"
  primary: navy
"""
GUIDANCE = """title: When to refer
when_to_refer: [Parents argue.]
safety:
  heading: Safety first
  text: Do not refer.
  hotline: {name: Hotline, phone: '1-800-799-7233'}
"""
AREAS = "state: GA\nname: Georgia\ncounties: [Clarke, Oconee]\n"
OFFICE = """name: Clarke County Child Support Services
brand: riverbend
serves: [{state: GA, counties: [Clarke]}]
address: 1 Main St, Athens, GA 30601
phone: '(706) 555-0110'
family_violence_contact: {name: Safety desk, phone: '(706) 555-0118'}
"""
PROGRAM = """name: Co-Parenting Basics
provider: riverbend
description: A class for parents who live apart.
audiences: [co-parents]
format: in-person
sessions:
  - start: 2027-01-12
    weekday: Tuesday
    time: "18:00-20:00"
    weeks: 6
location:
  name: Community room
  address: 100 Main Street
  city: Athens
  state: GA
  zip: "30601"
childcare: false
registration:
  url: https://example.org/classes
  phone: "(706) 555-0140"
serves:
  - state: GA
    counties: [Clarke]
verified: 2026-11-01
"""
SHEET = """title: Working together
audience: agency-staff
date: 2026-11-01
brands: [riverbend]
intro:
  - id: why
    heading: Why it matters
    body: Parents who get along pay more reliably.
tips_heading: Ways to work together
tips:
  - id: first
    heading: Meet each other
    body: Visit the class once.
"""
FILES = {"brands/riverbend.yaml": BRAND, "guidance/default.yaml": GUIDANCE, "areas/GA.yaml": AREAS,
         "offices/clarke.yaml": OFFICE, "programs/basics.yaml": PROGRAM, "tipsheets/together.yaml": SHEET}


def make_project(root: Path) -> Path:
    for name, text in FILES.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "tipsheets.yaml").write_text("fictional_phone_numbers: allow\n", encoding="utf-8")
    return root


def validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(SRC)!r}); "
                           "from tipsheets.cli import main; main()", "validate", "--as-of", AS_OF],
                          cwd=root, capture_output=True, text=True, timeout=300)


def test_the_starting_project_is_valid(tmp_path: Path) -> None:
    result = validate(make_project(tmp_path))
    assert result.returncode == 0 and result.stderr == "", result.stderr


# (name, file, the line as written, the line a new user writes, the exact message)
MISTAKES = [
    ("us-date", "programs/basics.yaml", "  - start: 2027-01-12", "  - start: 1/12/2027",
     "content/programs/basics.yaml:7:12: sessions[0].start: '1/12/2027' is not a date the tool reads "
     "(hint: write dates as 2027-01-12 (year-month-day))"),
    ("date-without-zeros", "programs/basics.yaml", "verified: 2026-11-01", "verified: 2026-11-1",
     "content/programs/basics.yaml:24:11: verified: '2026-11-1' is not a date the tool reads "
     "(hint: write dates as 2026-11-01 (year-month-day))"),
    ("unquoted-zip", "programs/basics.yaml", '  zip: "30601"', "  zip: 30601",
     "content/programs/basics.yaml:16:8: location.zip: YAML reads 30601 as a number, but a ZIP code is text "
     "(hint: put the ZIP code in quotes: \"30601\")"),
    ("zip-leading-zero", "programs/basics.yaml", '  zip: "30601"', "  zip: 02134",
     "content/programs/basics.yaml:16:8: location.zip: YAML reads 02134 as the number 1116 and loses the leading "
     "zero (hint: put the ZIP code in quotes: \"02134\")"),
    ("zip-lost-zero", "programs/basics.yaml", '  zip: "30601"', '  zip: "2134"',
     "content/programs/basics.yaml:16:8: location.zip: '2134' is not a five-digit ZIP code "
     "(hint: a ZIP code that starts with 0 keeps it: \"02134\")"),
    ("colour-comment", "brands/riverbend.yaml", '    navy: "#1F3A5F"', "    navy: #1F3A5F",
     "content/brands/riverbend.yaml:5:10: color.palette.navy: navy is empty: YAML reads '#1F3A5F' as a comment "
     "(hint: # starts a comment in YAML: put the colour in quotes: navy: \"#1F3A5F\")"),
    ("am-pm-time", "programs/basics.yaml", '    time: "18:00-20:00"', "    time: 6pm-8pm",
     "content/programs/basics.yaml:9:11: sessions[0].time: '6pm-8pm' is not a time range the tool reads "
     "(hint: write it as \"18:00-20:00\": start and end on the 24-hour clock, joined by a hyphen, in quotes)"),
    ("am-pm-time-with-minutes", "programs/basics.yaml", '    time: "18:00-20:00"', '    time: "6:30 PM - 8 PM"',
     "content/programs/basics.yaml:9:11: sessions[0].time: '6:30 PM - 8 PM' is not a time range the tool reads "
     "(hint: write it as \"18:30-20:00\": start and end on the 24-hour clock, joined by a hyphen, in quotes)"),
    ("time-as-number", "programs/basics.yaml", '    time: "18:00-20:00"', "    time: 18:00",
     "content/programs/basics.yaml:9:11: sessions[0].time: YAML reads 18:00 as the number 1080, not as a time "
     "(hint: put it in quotes: \"18:00\")"),
    ("boolean-word-as-text", "programs/basics.yaml", "    counties: [Clarke]", "    counties: [Clarke, no]",
     "content/programs/basics.yaml:23:24: serves[0].counties[1]: YAML reads no as false, not as the text 'no' "
     "(hint: put it in quotes: \"no\")"),
    ("boolean-word-for-a-name", "tipsheets/together.yaml", "title: Working together", "title: Yes",
     "content/tipsheets/together.yaml:1:8: title: YAML reads Yes as true, not as the text 'Yes' "
     "(hint: put it in quotes: \"Yes\")"),
    ("not-a-boolean", "programs/basics.yaml", "childcare: false", "childcare: sometimes",
     "content/programs/basics.yaml:17:12: childcare: 'sometimes' is not yes or no "
     "(hint: write true or false (yes and no work too))"),
    ("list-for-one-value", "programs/basics.yaml", "provider: riverbend", "provider: [riverbend, county]",
     "content/programs/basics.yaml:2:11: provider: provider takes one value, not a list "
     "(hint: remove the brackets (or the '- ' lines) and give one value)"),
    ("one-value-for-a-list", "programs/basics.yaml", "audiences: [co-parents]", "audiences: co-parents",
     "content/programs/basics.yaml:4:12: audiences: audiences is a list, but it holds one value "
     "(hint: write it as a list: audiences: [co-parents], or one item per line starting with '- ')"),
    ("missing-field", "tipsheets/together.yaml", "audience: agency-staff", "",
     "content/tipsheets/together.yaml:1:1: audience: required field 'audience' is missing "
     "(hint: add a line `audience: ...`; `tipsheets schema` lists the fields and what each holds)"),
    ("missing-nested-field", "programs/basics.yaml", "  city: Athens", "",
     "content/programs/basics.yaml:12:3: location.city: required field 'city' is missing "
     "(hint: add a line `city: ...` under 'location'; `tipsheets schema` lists the fields and what each holds)"),
    ("unknown-field-close-match", "tipsheets/together.yaml", "title: Working together",
     "title: Working together\nsubtitel: For staff",
     "content/tipsheets/together.yaml:2:1: subtitel: unknown field 'subtitel' (hint: did you mean 'subtitle'?)"),
    ("unknown-nested-field", "programs/basics.yaml", "  city: Athens", "  city: Athens\n  zipcode: \"30601\"",
     "content/programs/basics.yaml:15:3: location.zipcode: unknown field 'zipcode' (hint: did you mean 'zip'?)"),
    ("number-for-text", "tipsheets/together.yaml", "title: Working together", "title: 2027",
     "content/tipsheets/together.yaml:1:8: title: YAML reads 2027 as a number, but title is text "
     "(hint: put it in quotes: \"2027\")"),
    ("number-with-leading-zero", "tipsheets/together.yaml", "title: Working together",
     "title: Working together\nproduct_number: 037",
     "content/tipsheets/together.yaml:2:17: product_number: YAML reads 037 as the number 31 and loses the "
     "leading zero (hint: put it in quotes: \"037\")"),
    ("empty-value", "tipsheets/together.yaml", "title: Working together", "title:",
     "content/tipsheets/together.yaml:1:7: title: title is empty "
     "(hint: give it a value, or remove the line if the field is optional)"),
    ("empty-text", "tipsheets/together.yaml", "title: Working together", 'title: ""',
     "content/tipsheets/together.yaml:1:8: title: title is empty "
     "(hint: give it a value, or remove the line if the field is optional)"),
    ("empty-list", "tipsheets/together.yaml", "tips:\n  - id: first\n    heading: Meet each other\n"
     "    body: Visit the class once.", "tips: []",
     "content/tipsheets/together.yaml:10:7: tips: tips is empty; it needs at least 1 item "
     "(hint: write each item on its own line under tips:, starting with '- ')"),
    ("not-one-of-with-close-match", "tipsheets/together.yaml", "audience: agency-staff", "audience: parent",
     "content/tipsheets/together.yaml:2:11: audience: 'parent' is not one of: agency-staff, practitioners, parents "
     "(hint: did you mean 'parents'?)"),
    ("words-for-a-number", "programs/basics.yaml", "    weeks: 6", "    weeks: six",
     "content/programs/basics.yaml:10:12: sessions[0].weeks: 'six' is not a number (hint: write it in digits, "
     "such as 6)"),
    ("dollar-sign", "programs/basics.yaml", "childcare: false", "childcare: false\ncost:\n  amount: $25",
     "content/programs/basics.yaml:19:11: cost.amount: '$25' is not a number "
     "(hint: write the number alone, without $ or words: 25)"),
    ("lower-case-state", "programs/basics.yaml", "  state: GA\n  zip", "  state: ga\n  zip",
     "content/programs/basics.yaml:15:10: location.state: 'ga' is not a state code in capitals "
     "(hint: write it as 'GA')"),
    ("tab-indentation", "tipsheets/together.yaml", "  - id: why", "\t- id: why",
     "content/tipsheets/together.yaml:6:1: YAML syntax error: a tab character is used for indentation "
     "(hint: indent YAML with spaces, not tabs)"),
    ("fields-after-the-colon", "programs/basics.yaml", "location:\n  name: Community room\n  address: 100 Main "
     "Street\n  city: Athens\n  state: GA\n  zip: \"30601\"", "location: 100 Main Street, Athens",
     "content/programs/basics.yaml:11:11: location: location needs its fields on the lines below it, not a value "
     "after the colon (hint: write location: alone on its line and each field under it, indented; "
     "`tipsheets schema` lists them)"),
]


@pytest.mark.parametrize("name, file, before, after, message", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_common_mistake_gets_a_plain_message(tmp_path: Path, name: str, file: str, before: str, after: str,
                                               message: str) -> None:
    root = make_project(tmp_path)
    path = root / "content" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, before
    path.write_text(text.replace(before, after).replace("\n\n", "\n"), encoding="utf-8")
    result = validate(root)
    assert result.returncode == 2, result.stderr
    lines = [line.removeprefix("✗ ") for line in result.stderr.splitlines()]
    assert message in lines, "\n".join(lines)
    assert "Input should" not in result.stderr and "Value error" not in result.stderr


@pytest.mark.parametrize("before, after", [
    ("    weekday: Tuesday", "    weekday: tuesday"),
    ("    weekday: Tuesday", "    weekday: TUE"),
    ("    weekday: Tuesday", "    weekday: Tues"),
    ('    time: "18:00-20:00"', '    time: "18:00 - 20:00"'),
])
def test_a_mistake_whose_meaning_is_plain_is_accepted(tmp_path: Path, before: str, after: str) -> None:
    root = make_project(tmp_path)
    path = root / "content" / "programs" / "basics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    result = validate(root)
    assert result.returncode == 0 and result.stderr == "", result.stderr
