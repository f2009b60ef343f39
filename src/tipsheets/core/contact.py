"""Phone numbers and web addresses as printed and dialled.

:func:`parse_phone` reads North American (NANP) numbers only: ten digits,
optionally after a leading 1 or +1, in any of the usual punctuations, with an
optional extension ("ext. 12", "x12"). The area code and exchange must start
with 2-9.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


def is_web_address(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host and no spaces."""
    return bool(re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", url.strip(), re.IGNORECASE))


def short_address(url: str) -> str:
    """The address to print: without ``https://`` (or ``http://``) and a trailing slash."""
    text = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE)
    return text[:-1] if text.endswith("/") and text.count("/") == 1 else text


@dataclass(frozen=True)
class Phone:
    """A North American phone number, as printed and as dialled.

    ``letters`` holds the part after the area code as written when it spells a
    word (``FLOWERS`` of 1-800-FLOWERS): it is printed, and the digits are dialled.
    """

    area: str
    exchange: str
    line: str
    extension: str = ""
    toll_free: bool = False
    letters: str = ""

    @property
    def display(self) -> str:
        """``(706) 555-0110``; toll-free as ``1-800-799-7233`` (``1-800-FLOWERS``); with ``ext. N`` if any."""
        rest = self.letters or f"{self.exchange}-{self.line}"
        text = f"1-{self.area}-{rest}" if self.toll_free else f"({self.area}) {rest}"
        return f"{text} ext. {self.extension}" if self.extension else text

    @property
    def tel(self) -> str:
        """A ``tel:`` link target (RFC 3966), always in digits."""
        ext = f";ext={self.extension}" if self.extension else ""
        return f"tel:+1-{self.area}-{self.exchange}-{self.line}{ext}"

    @property
    def fictional(self) -> bool:
        """555-0100 to 555-0199: numbers set aside for fiction and examples, answered by no one."""
        return self.exchange == "555" and self.line.startswith("01")


_EXTENSION = re.compile(r"\s*(?:,|;|ext\.?|extension|x)\s*(\d{1,6})\s*$", re.IGNORECASE)
#: what a written number may hold: digits, letters (a vanity number), + at the start, and punctuation
_WRITTEN = re.compile(r"\+?[0-9A-Za-z\s().\-]+")


def _split(text: str) -> tuple[str, str]:
    """``text`` without its extension, and the extension."""
    text = text.strip()
    match = _EXTENSION.search(text)
    if match and any(ch.isdigit() for ch in text[: match.start()]):
        return text[: match.start()].strip(), match[1]
    return text, ""


def _national(number: str) -> str:
    """The characters after the country code, letters kept: ``1-800-FLOWERS`` → ``800FLOWERS``."""
    chars = re.sub(r"[^0-9A-Za-z]", "", number).upper()
    if len(chars) == 11 and chars[0] == "1":
        return chars[1:]
    return chars


#: what :func:`parse_phone` made of each text: the answers of a pure function, asked again for every handout
#: that prints a number, and kept from one build to the next (:mod:`tipsheets.publish.caches`) while
#: :func:`phone_rules` is the same
_ANSWERS: dict[str, Phone | None] = {}
#: at most this many answers are kept (a national project has about 11,000 numbers)
MAX_ANSWERS = 1 << 17


def parse_phone(text: str) -> Phone | None:
    """Read a North American phone number that is in service, or return None if ``text`` is not one
    (see :func:`read_phone`); each text is read once."""
    try:
        return _ANSWERS[text]
    except KeyError:
        pass
    phone = read_phone(text)
    if len(_ANSWERS) < MAX_ANSWERS:
        _ANSWERS[text] = phone
    return phone


def phone_answers() -> dict[str, Phone | None]:
    """Every answer :func:`parse_phone` has given or been told (:func:`learn_phone_answers`), by text."""
    return dict(_ANSWERS)


def learn_phone_answers(answers: Mapping[str, Phone | None]) -> None:
    """Take ``answers`` as :func:`parse_phone`'s, so those texts are not read again: answers it gave before,
    under the same :func:`phone_rules`."""
    for text, phone in answers.items():
        if len(_ANSWERS) >= MAX_ANSWERS:
            break
        _ANSWERS.setdefault(text, phone)


def dialled_digits(text: str) -> tuple[str, str]:
    """The digits after the country code and the extension that ``text`` dials, letters as on a keypad: what a
    number :func:`read_phone` accepts holds in ``area + exchange + line`` and ``extension``."""
    number, extension = _split(text)
    return _national(keypad_digits(number)), extension


def phone_rules() -> str:
    """What decides :func:`parse_phone`'s answers: this module's code and the phonenumbers metadata."""
    import phonenumbers

    h = hashlib.sha256(f"phones 1 phonenumbers {phonenumbers.__version__}\0".encode())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def read_phone(text: str) -> Phone | None:
    """Read a North American phone number that is in service, or return None if ``text`` is not one.

    Accepts ``(706) 555-0110``, ``706-555-0110``, ``706.555.0110``, ``+1 706 555 0110``,
    ``1-800-799-7233``, a number that spells a word (``1-800-FLOWERS``, dialled as
    1-800-356-9377) and an extension such as ``ext. 12``. Whether the area code and
    exchange exist is judged by the ``phonenumbers`` package (Google's libphonenumber
    metadata), so ``(911) 555-0110`` and ``(555) 555-0100`` are refused.
    """
    import phonenumbers

    number, extension = _split(text)
    if not _WRITTEN.fullmatch(number) or (number.startswith("+") and not re.match(r"\+\s*1\b|\+1", number)):
        return None
    national = _national(number)
    if len(national) != 10 or not national[:3].isdigit():
        return None
    if national.isdigit() and national[0] not in "01":  # the common case, without the parser's regexes
        parsed = phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
    else:
        try:
            parsed = phonenumbers.parse(national, "US")
        except phonenumbers.NumberParseException:
            return None
    # a number is valid when its type is known: one look-up of its region instead of is_valid_number's two
    kind = phonenumbers.number_type(parsed)
    if parsed.country_code != 1 or kind == phonenumbers.PhoneNumberType.UNKNOWN:
        return None
    digits = f"{parsed.national_number:010d}"
    letters = ""
    if any(ch.isalpha() for ch in national):
        letters = _letters_as_written(number)
    toll_free = kind in (phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE)
    return Phone(digits[:3], digits[3:6], digits[6:], extension, toll_free, letters)


def _letters_as_written(number: str) -> str:
    """The part after the area code of a number that spells a word, upper-case, its groups joined by hyphens."""
    groups = [g.upper() for g in re.split(r"[\s().\-]+", number.strip().lstrip("+")) if g]
    chars = 0
    while groups and chars < 3:  # drop the country code and the area code, however they were grouped
        head = groups.pop(0)
        if chars == 0 and head == "1":
            continue
        if chars == 0 and head.startswith("1") and len(head) > 3:
            head = head[1:]
        take = min(3 - chars, len(head))
        chars += take
        if take < len(head):
            groups.insert(0, head[take:])
    return "-".join(groups)


def phone_problem(text: str) -> tuple[str, str]:
    """Why ``text`` is not a number that can be dialled, in plain words, and the hint that fixes it."""
    import phonenumbers

    number, _ = _split(text)
    example = "write a ten-digit number such as (706) 555-0110, or a toll-free one such as 1-800-799-7233"
    if not _WRITTEN.fullmatch(number) or not any(ch.isdigit() for ch in number):
        return f"'{text}' is not a phone number", example
    if number.startswith("+") and not re.match(r"\+\s*1\b|\+1", number):
        return (f"'{text}' is not a North American number",
                "handouts print numbers parents in the US can dial; " + example)
    national = _national(number)
    if len(national) < 10:
        return (f"'{text}' has {len(national)} digits; a phone number needs 10, with the area code",
                "add the three-digit area code, such as (706) 555-0110")
    if len(national) > 10:
        return f"'{text}' has {len(national)} digits and letters; a phone number has 10 after the 1", example
    area = national[:3]
    try:
        parsed = phonenumbers.parse(national, "US")
        area_ok = any(phonenumbers.is_valid_number(phonenumbers.parse(area + rest, "US"))
                      for rest in ("2345678", "5550123", "7654321", "3569377"))
    except phonenumbers.NumberParseException:
        return f"'{text}' is not a phone number", example
    if not area.isdigit() or not area_ok:
        return (f"'{text}' has no area code {area} in service in North America",
                "check the area code; 555, 911 and codes starting with 0 or 1 are not area codes")
    if not phonenumbers.is_valid_number(parsed):
        return (f"'{text}' is not a number in service: no exchange {national[3:6]} in area code {area}",
                "check the digits after the area code; they cannot start with 0 or 1")
    return f"'{text}' is not a phone number that can be dialled", example

def phone_display(text: str) -> str:
    """A phone number as printed: tidied if it parses, else as written."""
    phone = parse_phone(text)
    return phone.display if phone else text


#: the letters of a phone keypad
_KEYPAD = {letter: digit for digit, letters in {"2": "abc", "3": "def", "4": "ghi", "5": "jkl", "6": "mno",
                                                  "7": "pqrs", "8": "tuv", "9": "wxyz"}.items() for letter in letters}


def keypad_digits(text: str) -> str:
    """A vanity number as the digits it dials: ``1-877-4DAD411`` → ``1-877-4323411`` (an extension's
    "ext." stays as written)."""
    match = _EXTENSION.search(text)
    number, extension = (text[:match.start()], text[match.start():]) if match else (text, "")
    return "".join(_KEYPAD.get(ch.lower(), ch) if ch.isascii() and ch.isalpha() else ch for ch in number) + extension
