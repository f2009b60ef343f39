"""Brand colours: CSS colour values read as colours, palette names followed, and WCAG contrast.

brand.yml lets a colour be any CSS colour (``"#1d4e89"``, ``blue``,
``rgb(29 78 137)``, ``oklch(0.45 0.1 250)``...) or the name of another colour
in the brand's ``palette`` or of a colour role. :func:`resolve` follows names
one at a time, without recursion, so a chain of any length or a loop is a
clear refusal; :func:`css_colour` reads the value with coloraide, a maintained
CSS Color 4 parser. What reaches a page is always the ``#rrggbb`` this module
returns, never the text a brand file holds.

The pairs a handout prints, one colour on another, are listed once in
:data:`PAIRS`; each must reach WCAG AA contrast (4.5:1). :func:`nearest_passing`
finds the closest shade of a colour that would, by changing only its lightness
in OKLCh (a perceptual space), so the hue the brand chose is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from coloraide import Color

#: What a handout uses when a brand leaves a role out.
DEFAULT_ROLES = {
    "foreground": "#1f2933",
    "background": "#ffffff",
    "primary": "#1d4e89",
    "secondary": "#4a5568",
    "light": "#eef3f8",
}

#: brand.yml's colour roles, in the order it lists them
ROLES = ("foreground", "background", "primary", "secondary", "tertiary", "success", "info",
         "warning", "danger", "light", "dark")

#: Minimum contrast for text against what it is printed on (WCAG 2.1 AA, 1.4.3).
MIN_CONTRAST = 4.5

#: How many names a colour may go through before it reaches a colour. Real palettes use two or three
#: (``primary: blue``, ``blue: blue-600``, ``blue-600: "#0672CB"``).
MAX_CHAIN = 32

#: The text a handout prints on its primary colour (the numbered tip badges, the flyer's sign-up band):
#: whichever of these reads better.
ON_PRIMARY = ("#ffffff", "#111111")


class ColourError(ValueError):
    """A colour value that cannot be read; ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def css_colour(value: str, backdrop: str = "#ffffff") -> str:
    """A CSS colour as ``#rrggbb``, composited over ``backdrop`` if it is translucent.

    Raises :class:`ColourError` for anything that is not a CSS colour.
    """
    text = value.strip()
    match = Color.match(text, fullmatch=True) if text and "--" not in text and len(text) <= 200 else None
    if match is None:
        raise ColourError(f"'{_shown(value)}' is not a colour",
                          hint='write a CSS colour such as "#1d4e89", navy or rgb(29 78 137), '
                               "or the name of a colour in the palette")
    colour = match.color
    if colour.space() == "srgb":
        colour = colour.clone().fit("srgb", method="clip")
    else:
        colour = colour.convert("srgb").fit(method="oklch-chroma")
    if colour.alpha() < 1:
        colour = Color.layer([colour, Color(backdrop)], space="srgb")
    return colour.to_string(hex=True, fit="clip", alpha=False)


def _shown(text: str, limit: int = 60) -> str:
    clean = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return clean if len(clean) <= limit else clean[:limit] + "..."


@dataclass(frozen=True)
class Resolved:
    """A colour value followed to the CSS colour it names: ``chain`` is every name it went through."""

    value: str
    chain: tuple[str, ...]


def resolve(value: str, names: Mapping[str, str]) -> Resolved:
    """Follow ``value`` through ``names`` (palette and role names → their values) to a CSS colour value.

    One step at a time: a loop, or a chain longer than :data:`MAX_CHAIN`, raises
    :class:`ColourError`. The value at the end is not checked here.
    """
    chain: list[str] = []
    current = value.strip()
    while current in names:
        if current in chain:
            loop = " → ".join([*chain[chain.index(current):], current])
            raise ColourError(f"the colour names go round in a circle: {_shown(loop, 120)}",
                              hint="end the chain with a colour such as \"#1d4e89\"")
        chain.append(current)
        if len(chain) > MAX_CHAIN:
            raise ColourError(f"'{_shown(value)}' goes through more than {MAX_CHAIN} colour names before it "
                              "reaches a colour", hint="name the colour itself, or a palette colour that is one")
        following = names[current]
        if not isinstance(following, str):  # checked by the reader; kept safe here
            raise ColourError(f"'{_shown(current)}' is not a colour")
        current = following.strip()
    return Resolved(current, tuple(chain))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(background: str) -> str:
    """Black-ish or white text, whichever reads better on ``background``."""
    light, dark = ON_PRIMARY
    return light if contrast(light, background) >= contrast(dark, background) else dark


# --------------------------------------------------------------------------- what is printed on what


@dataclass(frozen=True)
class Pair:
    """One colour printed on another somewhere in the theme.

    ``text`` and ``surface`` are role names; ``on_primary`` is the text the
    theme chooses for the primary colour (:func:`readable_on`). ``blame`` is the
    role whose shade should change when the pair fails: the text colour, except
    for a tinted box, where the box is the colour meant to stay pale.
    """

    text: str
    surface: str
    where: str
    blame: str


#: Every pair of brand colours the built-in theme prints, one on the other (templates/*/style.css.j2).
PAIRS: tuple[Pair, ...] = (
    Pair("foreground", "background", "body text", "foreground"),
    Pair("primary", "background", "headings, links and the brand name", "primary"),
    Pair("secondary", "background", "bylines, footers, sources, the funding line and card details", "secondary"),
    Pair("foreground", "light", "text in sidebars, the case example, the flyer's details box and the desk aid's "
                                "safety box", "light"),
    Pair("primary", "light", "headings and terms in sidebars, the case example and the flyer's details box",
         "light"),
    Pair("secondary", "light", "small print in the 'Classes near you' box and the desk aid's safety box", "light"),
    Pair("on_primary", "primary", "text on the primary colour: the tip numbers and the flyer's sign-up band",
         "primary"),
)


def printed(roles: Mapping[str, str]) -> dict[str, str]:
    """The colours a page prints: the brand's roles over the theme's defaults, and the text on primary."""
    colours = {**DEFAULT_ROLES, **{k: v for k, v in roles.items() if k in DEFAULT_ROLES}}
    colours["on_primary"] = readable_on(colours["primary"])
    return colours


def pair_passes(pair: Pair, colours: Mapping[str, str]) -> bool:
    return contrast(colours[pair.text], colours[pair.surface]) >= MIN_CONTRAST


def nearest_passing(roles: Mapping[str, str], role: str) -> str | None:
    """The shade of ``role`` nearest to it, in OKLCh lightness, with which every pair it is in passes.

    Hue and chroma are kept (chroma reduced only where the lighter or darker
    colour would leave sRGB); the search walks lightness down and up in steps
    of 0.001 and takes the closer success. None when no lightness works (a
    box whose text colours sit on both sides of it).
    """
    base = Color(roles[role]).convert("oklch")
    lightness = base["lightness"]
    pairs = [p for p in PAIRS if role in (p.text, p.surface)]

    def passes(candidate: str) -> bool:
        colours = {**roles, role: candidate}
        colours = printed(colours)
        return all(pair_passes(p, colours) for p in pairs)

    found: list[tuple[float, str]] = []
    for direction in (-1, 1):
        for step in range(1, 1001):
            value = lightness + direction * step / 1000
            if not 0 <= value <= 1:
                break
            shade = _hex(base.clone().set("lightness", value))
            if passes(shade):
                found.append((step, shade))
                break
    return min(found)[1] if found else None


def _hex(colour: Color) -> str:
    return colour.convert("srgb").fit(method="oklch-chroma").to_string(hex=True, fit="clip", alpha=False)

