"""Text placed inside a page's stylesheet, escaped for CSS."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

_CSS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,#-_")


def css_string(value: Any) -> Markup:
    """Text for the inside of a quoted CSS string: everything but letters and digits escaped.

    HTML escaping does not protect text inside ``<style>``; a brand name holding
    a backslash, a line break or ``url(`` must not be able to end the string.
    """
    text = str(value)
    # CSS reads one white-space character after a hex escape as part of it, so each escape ends with
    # a space: without it "n.\\0000ba 037" would print "n.º037"
    return Markup("".join(ch if ch in _CSS_PLAIN else f"\\{ord(ch):06x} " for ch in text))
