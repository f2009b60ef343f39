"""Phone numbers and web addresses as printed and dialled.

:func:`parse_phone` reads North American (NANP) numbers only: ten digits,
optionally after a leading 1 or +1, in any of the usual punctuations, with an
optional extension ("ext. 12", "x12"). The area code and exchange must start
with 2-9.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def is_web_address(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host and no spaces."""
    return bool(re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", url.strip(), re.IGNORECASE))


def short_address(url: str) -> str:
    """The address to print: without ``https://`` (or ``http://``) and a trailing slash."""
    text = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE)
    return text[:-1] if text.endswith("/") and text.count("/") == 1 else text


@dataclass(frozen=True)
class Phone:
    """A parsed North American phone number."""

    area: str
    exchange: str
    line: str
    extension: str = ""

    @property
    def display(self) -> str:
        """``(706) 555-0110`` (toll-free numbers as ``1-800-799-7233``), with ``ext. N`` if any."""
        if self.area[0] == "8" and self.area[1] == self.area[2]:  # 800, 888, 877, 866, 855, 844, 833
            text = f"1-{self.area}-{self.exchange}-{self.line}"
        else:
            text = f"({self.area}) {self.exchange}-{self.line}"
        return f"{text} ext. {self.extension}" if self.extension else text

    @property
    def tel(self) -> str:
        """A ``tel:`` link target (RFC 3966)."""
        ext = f";ext={self.extension}" if self.extension else ""
        return f"tel:+1-{self.area}-{self.exchange}-{self.line}{ext}"


_EXTENSION = re.compile(r"\s*(?:,|;|ext\.?|extension|x)\s*(\d{1,6})\s*$", re.IGNORECASE)


def parse_phone(text: str) -> Phone | None:
    """Read a North American phone number, or return None if ``text`` is not one.

    Accepts ``(706) 555-0110``, ``706-555-0110``, ``706.555.0110``,
    ``+1 706 555 0110``, ``1-800-799-7233`` and an extension such as
    ``ext. 12``. Letters (``1-800-FLOWERS``) and short numbers are refused.
    """
    text = text.strip()
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension = match[1]
        text = text[: match.start()]
    if not re.fullmatch(r"\+?[\d\s().\-]+", text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    elif text.startswith("+"):
        return None
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return Phone(digits[:3], digits[3:6], digits[6:], extension)


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
