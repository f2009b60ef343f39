"""Reading a brand.yml brand: resolved colours, WCAG contrast, and its logo.

Colour values in brand.yml may be hex codes or names from the brand's own
``palette``; :func:`resolve_colour` follows palette names to a hex code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tipsheets.core.models import Brand, LightDark, LogoImage

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

#: What a handout uses when a brand leaves a role out.
DEFAULT_ROLES = {
    "foreground": "#1f2933",
    "background": "#ffffff",
    "primary": "#1d4e89",
    "secondary": "#4a5568",
    "light": "#eef3f8",
}

#: Minimum contrast for body text against its background (WCAG 2.1 AA, 1.4.3).
MIN_CONTRAST = 4.5


class ColourError(ValueError):
    pass


def resolve_colour(brand: Brand, value: str, _seen: tuple[str, ...] = ()) -> str:
    """A colour value of ``brand`` (hex, palette name or role name) as ``#rrggbb``."""
    value = value.strip()
    if HEX.match(value):
        if len(value) == 4:
            value = "#" + "".join(ch * 2 for ch in value[1:])
        return value.lower()
    if value in _seen:
        raise ColourError(f"colour '{value}' refers to itself")
    palette = brand.color.palette
    if value in palette:
        return resolve_colour(brand, palette[value], _seen + (value,))
    role = getattr(brand.color, value, None) if value in _ROLES else None
    if isinstance(role, str):
        return resolve_colour(brand, role, _seen + (value,))
    raise ColourError(f"'{value}' is not a hex colour (#1d4e89) or a name in the brand's palette")


_ROLES = ("foreground", "background", "primary", "secondary", "tertiary", "success", "info",
          "warning", "danger", "light", "dark")


def role(brand: Brand, name: str) -> str:
    """The brand's colour for a role (``primary``, ``foreground`` ...), or the theme default."""
    value = getattr(brand.color, name, None)
    if value is None:
        return DEFAULT_ROLES.get(name, DEFAULT_ROLES["foreground"])
    return resolve_colour(brand, value)


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
    return "#ffffff" if contrast("#ffffff", background) >= contrast("#111111", background) else "#111111"


@dataclass(frozen=True)
class Logo:
    path: str  # as written in the brand file, relative to it
    alt: str
    field: tuple[str | int, ...]  # where in the brand file it was named


def logo(brand: Brand, size: str = "medium") -> Logo | None:
    """The logo image to print at ``size`` (falling back to the other sizes)."""
    spec = brand.logo
    if spec is None or isinstance(spec, str):
        return None
    for name in (size, "medium", "large", "small"):
        choice = getattr(spec, name)
        if choice is None:
            continue
        if isinstance(choice, LightDark):
            choice = choice.light or choice.dark
            if choice is None:
                continue
        image = spec.images.get(choice)
        if isinstance(image, LogoImage):
            return Logo(image.path, image.alt, ("logo", "images", choice, "path"))
        return None  # a path or an image without alt text; check.py reports it
    if len(spec.images) == 1:
        (name, image), = spec.images.items()
        if isinstance(image, LogoImage):
            return Logo(image.path, image.alt, ("logo", "images", name, "path"))
    return None


def logo_file(brand_file: Path, path: str) -> Path:
    return (brand_file.parent / path).resolve()
