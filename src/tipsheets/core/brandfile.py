"""Reading a brand file: brand.yml, validated by Posit's ``brand_yml`` package, plus tipsheets' own keys.

A brand file is a brand.yml file (https://posit-dev.github.io/brand-yml/), so
a brand an agency keeps for Quarto or Shiny works here unchanged, and a
tipsheets brand works there. Whether it *is* brand.yml is decided by the
``brand_yml`` package itself; what tipsheets adds is kept where brand.yml keeps
a tool's own settings, ``defaults: tipsheets:`` (``contact`` and ``funding``).
Files written before that, with ``contact`` and ``funding`` at the top, still
load, with a warning that says how to move them.

What this module adds to ``brand_yml`` is what a printed page needs:

- every colour that reaches a page read as a CSS colour (coloraide) and given
  as ``#rrggbb``; a value that is not one is refused here, at load time, at its
  field. Names are followed one at a time (:func:`tipsheets.core.colours.resolve`),
  so a loop or a chain of 1,500 names is a one-line refusal, not a
  RecursionError inside ``brand_yml``;
- light/dark colour values (Quarto's "unified" brand) read as their light
  value: handouts are printed on paper;
- the logo to print, in any form brand.yml allows, with alt text made from the
  brand's name where it has none (and a warning);
- the typography settings the theme can take, as plain values.

Errors from ``brand_yml`` become the one-line ``file:line:col: field: message
(hint: ...)`` of every other content file, in plain words.

Where brand files live: ``content/brands/<id>.yaml`` (or ``.yml``),
``content/brands/<id>/_brand.yml`` (the file name Quarto and ``brand_yml``
look for; the folder name is the id), and ``content/brands/_brand.yml``, which
is the ``default`` brand. :func:`brand_id` says which id a file has.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from pydantic import ValidationError

if TYPE_CHECKING:
    import brand_yml

from tipsheets.core import colours
from tipsheets.core.errors import ContentError, FieldPath, one_line, printable
from tipsheets.core.models import BrandContact, TipsheetsBrandKeys
from tipsheets.core.plain import empty_value, raw_value
from tipsheets.core.source import Positions, SourceFile

#: the names Quarto and ``brand_yml`` give a project's brand file
BRAND_FILE_NAMES = ("_brand.yml", "_brand.yaml")
#: the id of ``content/brands/_brand.yml``
DEFAULT_BRAND = "default"
#: tipsheets' own keys, kept under ``defaults: tipsheets:``
OWN_KEYS = ("contact", "funding")
OWN_PLACE: FieldPath = ("defaults", "tipsheets")
#: the colour roles a handout prints (the rest of brand.yml's roles are read, checked and not used)
PAGE_ROLES = ("foreground", "background", "primary", "secondary", "light")
#: the logo sizes, in the order the masthead prefers them
MASTHEAD_SIZES = ("medium", "large", "small")

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
#: a font family name as it may be printed in CSS: letters, digits and a few marks
_FAMILY = re.compile(r"^[^\W_][\w .'&+-]{0,79}$")
_GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui",
                               "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded", "math", "emoji",
                               "fangsong"})


def brand_id(relative: PurePosixPath) -> str:
    """The id of a brand file at ``relative`` inside ``content/brands/``.

    ``acme.yaml`` → ``acme``; ``acme/_brand.yml`` → ``acme``; ``_brand.yml`` → ``default``.
    """
    if relative.name in BRAND_FILE_NAMES:
        return relative.parent.name or DEFAULT_BRAND
    return relative.name.partition(".")[0]


def brand_paths(id: str) -> list[str]:
    """Where a brand with this id may be written, for hints and for ``tipsheets import``."""
    if id == DEFAULT_BRAND:
        return [f"content/brands/{id}.yaml", f"content/brands/{id}.yml", "content/brands/_brand.yml",
                "content/brands/_brand.yaml", f"content/brands/{id}/_brand.yml", f"content/brands/{id}/_brand.yaml"]
    return [f"content/brands/{id}.yaml", f"content/brands/{id}.yml", f"content/brands/{id}/_brand.yml",
            f"content/brands/{id}/_brand.yaml"]


# --------------------------------------------------------------------------- what a brand is, read


@dataclass(frozen=True)
class Note:
    """A warning found while reading: where, what, and how to fix it."""

    field: FieldPath
    message: str
    hint: str = ""
    key: bool = False  # about the key itself, not its value


@dataclass(frozen=True)
class Logo:
    """The logo a handout prints."""

    path: str  # as written in the brand file, relative to it
    alt: str
    field: FieldPath  # where in the brand file its path is written


@dataclass(frozen=True)
class LogoFile:
    """Every image file a brand names, printed or not: each is checked."""

    path: str
    field: FieldPath


@dataclass(frozen=True)
class FontFile:
    path: str
    weight: str  # "auto", "400", or a range "100 900"
    style: str  # normal or italic
    field: FieldPath
    remote: bool  # an address: tipsheets never downloads it


@dataclass(frozen=True)
class FontFamily:
    """One entry of ``typography.fonts``, or a family a setting names without declaring it (source "")."""

    family: str
    source: str  # file, system, google, bunny, or "" when only named by a setting
    files: tuple[FontFile, ...]
    field: FieldPath


@dataclass(frozen=True)
class TextStyle:
    """``typography.base``, ``headings`` or ``monospace``: what the theme can take of it."""

    families: tuple[str, ...]  # the family, then the fallbacks written after it
    weight: str | None  # "400", "bold"...
    size: str | None  # as written: 11pt, 1rem, 0.9em
    line_height: float | None
    style: str | None
    field: FieldPath


@dataclass(frozen=True)
class Typography:
    fonts: tuple[FontFamily, ...] = ()
    base: TextStyle | None = None
    headings: TextStyle | None = None
    monospace: TextStyle | None = None

    def family(self, name: str) -> FontFamily | None:
        for font in self.fonts:
            if font.family.casefold() == name.casefold():
                return font
        return None


@dataclass(frozen=True)
class Brand:
    """A brand as tipsheets prints it: plain values read from a brand.yml file."""

    id: str
    name: str  # full name; the id when the file gives none
    short_name: str
    link: str | None
    #: the page roles the brand gives (light values), each as #rrggbb; the theme supplies the rest
    colours: dict[str, str]
    #: where each role is written in the file
    colour_fields: dict[str, FieldPath]
    logo: Logo | None
    logo_files: tuple[LogoFile, ...]
    typography: Typography
    contact: BrandContact | None
    funding: str | None
    #: warnings found while reading (reported by the brand checks)
    notes: tuple[Note, ...] = field(default=())


# --------------------------------------------------------------------------- reading


def read_brand(source: SourceFile, id: str, file: Path) -> Brand:
    """Read one brand file (already parsed by :func:`tipsheets.core.source.load_yaml`).

    Raises :class:`ContentError` for anything brand.yml refuses, and for a
    colour that reaches a page and is not a colour. ``file`` is the file as
    found (perhaps a link); nothing is read from it here.
    """
    positions = source.positions
    data = source.data
    if not isinstance(data, dict):
        raise ContentError(source.path, "expected a mapping of brand.yml fields (meta, logo, color, typography) "
                                        "at the top of the file")
    if not _ID.match(id):
        where = "folder" if file.name in BRAND_FILE_NAMES else "file"
        raise ContentError(source.path, f"'{printable(id)}' cannot be a brand id: the {where} name is the id",
                           hint="ids are lower-case letters, digits and hyphens, such as 'clarke-county'")
    notes: list[Note] = []
    spec = dict(data)
    if "id" in spec:  # allowed before brand.yml: it must agree with the file name, and brand_yml never sees it
        if spec["id"] != id:
            raise positions.error(("id",), f"id '{printable(spec['id'])}' does not match the file name '{id}'",
                                  hint="the file name is the id; remove the id key or rename the file")
        del spec["id"]
    contact, funding = _own_keys(spec, positions, notes)
    roles, role_fields, light_colour = _read_colours(spec.get("color"), positions, notes)
    if light_colour is not None:
        spec["color"] = light_colour
    _check_logo_paths(spec.get("logo"), positions)
    _check_typography_shape(spec.get("typography"), positions)
    validated = _validate(spec, positions)
    name, short = _names(validated, id, notes)
    logo, logo_files = _read_logo(spec.get("logo"), name, notes)
    typography = _read_typography(spec.get("typography"), validated, positions, notes)
    link = _home(spec.get("meta"))
    return Brand(id=id, name=name, short_name=short, link=link, colours=roles, colour_fields=role_fields,
                 logo=logo, logo_files=logo_files, typography=typography, contact=contact, funding=funding,
                 notes=tuple(notes))


def _own_keys(spec: dict[str, Any], positions: Positions,
              notes: list[Note]) -> tuple[BrandContact | None, str | None]:
    """tipsheets' ``contact`` and ``funding``: under ``defaults: tipsheets:``, or (the old way) at the top."""
    old = {key: spec.pop(key) for key in OWN_KEYS if key in spec}
    new: dict[str, Any] = {}
    defaults = spec.get("defaults")
    if isinstance(defaults, dict) and "tipsheets" in defaults:
        own = defaults["tipsheets"]
        if own is not None and not isinstance(own, dict):
            raise positions.error(OWN_PLACE, "defaults.tipsheets holds tipsheets' own keys, as a mapping",
                                  hint="write contact: and funding: under it")
        new = dict(own or {})
        twice = sorted(set(old) & set(new))
        if twice:
            raise positions.error((twice[0],), f"'{twice[0]}' is given twice: here and under defaults.tipsheets",
                                  hint="keep the one under defaults.tipsheets and delete this one", key=True)
        rest = {k: v for k, v in defaults.items() if k != "tipsheets"}
        spec["defaults"] = rest or None
        if not rest:
            del spec["defaults"]
    keys = _validate_own(new, positions, OWN_PLACE)
    if old:
        legacy = _validate_own(old, positions, ())
        keys = keys.model_copy(update={k: getattr(legacy, k) for k in old})
        names = " and ".join(f"'{k}'" for k in old)
        first = next(iter(old))
        notes.append(Note((first,), f"{names} {'are' if len(old) > 1 else 'is'} at the top of the file, where "
                                    "brand.yml allows no other keys, so Quarto and brand_yml refuse this file",
                          hint="move them under defaults.tipsheets: write 'defaults:' and, under it, "
                               "'  tipsheets:', then indent them by four spaces beneath that", key=True))
    return keys.contact, keys.funding


def _validate_own(values: dict[str, Any], positions: Positions, at: FieldPath) -> TipsheetsBrandKeys:
    from tipsheets.core.catalog import validation_error  # the catalog imports this module

    try:
        return TipsheetsBrandKeys.model_validate(values)
    except ValidationError as exc:
        raise validation_error(exc, positions, prefix=at) from None


# --------------------------------------------------------------------------- colours


def _read_colours(section: Any, positions: Positions,
                  notes: list[Note]) -> tuple[dict[str, str], dict[str, FieldPath], dict[str, Any] | None]:
    """The page roles as ``#rrggbb``, where each is written, and ``color`` with light/dark values made light.

    Every role that reaches a page must be a colour (error at its field); any
    other role or palette entry that is not one is a warning, since brand.yml
    does not require it and it is never printed. Names go round in a circle, or
    on for longer than :data:`colours.MAX_CHAIN`: an error, wherever they are.
    """
    if section is None:
        return {}, {}, None
    if not isinstance(section, dict):
        raise positions.error(("color",), "color is a mapping: a palette and colour roles",
                              hint='write color: then, indented, primary: "#1d4e89"')
    palette = section.get("palette")
    if palette is None:
        palette = {}
    if not isinstance(palette, dict):
        raise positions.error(("color", "palette"), "the palette is a mapping of names to colours",
                              hint='write one colour per line, such as navy: "#1f3a68"')
    names: dict[str, str] = {}
    fields: dict[str, FieldPath] = {}
    for key, value in palette.items():
        where: FieldPath = ("color", "palette", key)
        names[str(key)] = _colour_text(value, where, positions, allow_light_dark=False)
        fields[str(key)] = where
    light = dict(section)
    for role in colours.ROLES:
        if role not in section:
            continue
        where = ("color", role)
        value = section[role]
        if value is None and role not in PAGE_ROLES:
            continue  # brand.yml allows an empty role; it is not printed
        if isinstance(value, dict):
            value = _light_value(value, where, positions)
            if value is None:
                del light[role]
                if role in PAGE_ROLES:
                    notes.append(Note(where, f"{role} has only a dark value; printed handouts use light values, so "
                                             f"they print the theme's {role}", hint="add a light: value"))
                continue
            light[role] = value
            where = where + ("light",)
        names[role] = _colour_text(value, where, positions, allow_light_dark=True)
        fields[role] = where
    # every name, printed or not, must end somewhere: brand_yml follows them recursively
    for name, where in fields.items():
        try:
            colours.resolve(names[name], {k: v for k, v in names.items()})
        except colours.ColourError as exc:
            raise positions.error(where, exc.message, hint=exc.hint) from None
    roles: dict[str, str] = {}
    role_fields: dict[str, FieldPath] = {}
    background = "#ffffff"
    for role in ("background", *[r for r in PAGE_ROLES if r != "background"]):
        if role not in names:
            continue
        try:
            roles[role] = _as_colour(names[role], names, backdrop="#ffffff" if role == "background" else background)
        except colours.ColourError as exc:
            raise positions.error(fields[role], exc.message, hint=exc.hint) from None
        role_fields[role] = fields[role]
        if role == "background":
            background = roles[role]
    for name, where in fields.items():
        if name in roles:
            continue
        try:
            _as_colour(names[name], names, backdrop=background)
        except colours.ColourError as exc:
            notes.append(Note(where, f"{exc.message}; it is not printed, so it does no harm here, but other "
                                     "tools that read this brand may refuse it", hint=exc.hint))
    return roles, role_fields, (light if light != section else None)


def _as_colour(value: str, names: Mapping[str, str], backdrop: str) -> str:
    resolved = colours.resolve(value, names)
    try:
        return colours.css_colour(resolved.value, backdrop)
    except colours.ColourError as exc:
        if resolved.chain:
            raise colours.ColourError(f"'{colours._shown(value)}' names '{colours._shown(resolved.value)}' "
                                      f"(through {' → '.join(resolved.chain)}), which is not a colour",
                                      exc.hint) from None
        raise


def _light_value(value: dict[Any, Any], where: FieldPath, positions: Positions) -> Any:
    """The light half of a ``{light: ..., dark: ...}`` colour; None when only a dark one is given."""
    unknown = [k for k in value if k not in ("light", "dark")]
    if unknown:
        raise positions.error(where + (str(unknown[0]),), f"unknown field '{printable(unknown[0])}'",
                              hint="a colour is one value, or light: and dark: values", key=True)
    return value.get("light")


def _colour_text(value: Any, where: FieldPath, positions: Positions, *, allow_light_dark: bool) -> str:
    if isinstance(value, str) and value.strip():
        return value
    if value is None:
        mark = positions.values.get(where)
        raw = raw_value(getattr(positions, "lines", []), mark.line, mark.col) if mark else ""
        if raw.startswith("#") and where:  # `navy: #1F3A5F`: the colour was read as a comment
            said = empty_value(str(where[-1]), raw, where)
            raise positions.error(where, said.message, hint=said.hint)
        raise positions.error(where, "no colour is given here",
                              hint='put the colour in quotes, such as "#F06EAA": in YAML, # starts a comment')
    if isinstance(value, dict):
        raise positions.error(where, "a palette colour is one colour" if not allow_light_dark else
                              "a colour is one value, or light: and dark: values",
                              hint="give light and dark values to the colour roles, not to palette entries")
    raise positions.error(where, f"{printable(value)!r} is not a colour",
                          hint='write a CSS colour in quotes, such as "#1d4e89" or "navy"')


# --------------------------------------------------------------------------- logos


def _is_address(path: str) -> bool:
    return "://" in path or path.lower().startswith(("data:", "/", "~", "\\")) or re.match(r"^[a-zA-Z]:[\\/]", path) \
        is not None or path.lower().startswith("file:")


def _path_problem(path: Any, kind: str) -> tuple[str, str] | None:
    if not isinstance(path, str):
        return None  # brand_yml says what it should be
    shown = colours._shown(path, 80)
    if _is_address(path.strip()):
        if kind == "image":
            return (f"'{shown}' must be a file path relative to this file",
                    "put the image in the project and name it relatively, e.g. logos/mark.svg")
        return (f"'{shown}' must be a file path relative to this file",
                "put the font file in the project and name it relatively, e.g. fonts/Brand-Regular.woff2")
    if not PurePosixPath(path.strip()).suffix:
        example = "logos/mark.svg" if kind == "image" else "fonts/Brand-Regular.woff2"
        return (f"'{shown}' is not the name of {'an image' if kind == 'image' else 'a font'} file: it has no "
                "extension", f"name the file with its extension, such as {example}")
    return None


def _logo_paths(section: Any) -> Iterator[tuple[str, FieldPath]]:
    """Every path written in ``logo``, where it is written (image names are not paths)."""
    if isinstance(section, str):
        yield section, ("logo",)
        return
    if not isinstance(section, dict):
        return
    if "path" in section:
        yield from _resource_paths(section, ("logo",), {})
        return
    images = section.get("images")
    if not isinstance(images, dict):
        images = {}
    for name, image in images.items():
        yield from _resource_paths(image, ("logo", "images", name), {})
    for size in ("small", "medium", "large"):
        value = section.get(size)
        if isinstance(value, dict) and "path" not in value:
            for mode in ("light", "dark"):
                if mode in value:
                    yield from _resource_paths(value[mode], ("logo", size, mode), images)
        else:
            yield from _resource_paths(value, ("logo", size), images)


def _resource_paths(value: Any, where: FieldPath, images: Mapping[Any, Any]) -> Iterator[tuple[str, FieldPath]]:
    if isinstance(value, str):
        if value not in images:
            yield value, where
    elif isinstance(value, dict) and isinstance(value.get("path"), str):
        yield value["path"], where + ("path",)


def _check_logo_paths(section: Any, positions: Positions) -> None:
    for path, where in _logo_paths(section):
        problem = _path_problem(path, "image")
        if problem:
            raise positions.error(where, problem[0], hint=problem[1])


@dataclass(frozen=True)
class _Resource:
    path: str
    alt: str | None
    field: FieldPath


def _resource(value: Any, where: FieldPath, images: Mapping[Any, Any]) -> _Resource | None:
    if isinstance(value, str):
        if value in images:
            return _resource(images[value], ("logo", "images", value), {})
        return _Resource(value, None, where)
    if isinstance(value, dict) and isinstance(value.get("path"), str):
        alt = value.get("alt")
        return _Resource(value["path"], alt.strip() if isinstance(alt, str) and alt.strip() else None,
                         where + ("path",))
    return None


def _read_logo(section: Any, name: str, notes: list[Note]) -> tuple[Logo | None, tuple[LogoFile, ...]]:
    """The logo the masthead prints (light variant, medium size first), and every logo file named."""
    named: dict[str, FieldPath] = {}
    for path, where in _logo_paths(section):
        named.setdefault(path.strip(), where)  # a file named twice is checked once, at its first mention
    files = tuple(LogoFile(path, where) for path, where in named.items())
    if section is None:
        return None, files
    chosen: _Resource | None = None
    if isinstance(section, str) or (isinstance(section, dict) and "path" in section):
        chosen = _resource(section, ("logo",), {})
    else:
        images = section.get("images") or {}
        dark_only = []
        for size in MASTHEAD_SIZES:
            value = section.get(size)
            if value is None:
                continue
            if isinstance(value, dict) and "path" not in value:
                if value.get("light") is None:
                    dark_only.append(size)
                    continue
                chosen = _resource(value["light"], ("logo", size, "light"), images)
            else:
                chosen = _resource(value, ("logo", size), images)
            break
        if chosen is None and len(images) == 1:
            (only, image), = images.items()
            chosen = _resource(image, ("logo", "images", only), {})
        if chosen is None and (images or dark_only):
            why = (f"logo.{dark_only[0]} has only a dark version, for dark backgrounds" if dark_only
                   else "none of logo.small, medium or large says which image to print")
            notes.append(Note(("logo",), f"{why}, so handouts print the brand's name instead of a logo",
                              hint="add medium: with the name of one of the images (or its light: version)"))
    if chosen is None:
        return None, files
    alt = chosen.alt
    if alt is None:
        alt = f"{name} logo"
        shown = chosen.field[:-1] if chosen.field[-1] == "path" else chosen.field
        notes.append(Note(shown, f"this logo has no alt text; handouts describe it as \"{alt}\"",
                          hint="write it as {path: ..., alt: \"what the logo shows\"}"))
    return Logo(chosen.path.strip(), alt, chosen.field), files


def logo_file(brand_file: Path, path: str) -> Path:
    """The file a logo (or font) ``path`` names: relative to the brand file itself, a link followed first.

    A ``_brand.yml`` linked into ``content/brands/`` from elsewhere in the
    project names its images from where it really is, as Quarto reads it.
    """
    return (brand_file.resolve().parent / path).resolve()


# --------------------------------------------------------------------------- typography


def _check_typography_shape(section: Any, positions: Positions) -> None:
    """What ``brand_yml`` would stumble on with a Python error rather than a message, and font paths."""
    if not isinstance(section, dict):
        return
    fonts = section.get("fonts")
    if isinstance(fonts, list):
        for index, font in enumerate(fonts):
            where = ("typography", "fonts", index)
            if not isinstance(font, dict):
                raise positions.error(where, "each font is a mapping with a family and a source",
                                      hint="write - family: Open Sans, then source: file, google, bunny or system")
            if "family" not in font:
                raise positions.error(where, "this font has no family", hint="add family: with the font's name")
            _check_families(font["family"], where + ("family",), positions, single=True)
            files = font.get("files")
            if isinstance(files, list):
                for number, item in enumerate(files):
                    path = item.get("path") if isinstance(item, dict) else item
                    place = where + ("files", number) + (("path",) if isinstance(item, dict) else ())
                    if isinstance(path, str) and "://" not in path:
                        problem = _path_problem(path, "font")
                        if problem:
                            raise positions.error(place, problem[0], hint=problem[1])
    for key in ("base", "headings", "monospace", "monospace-inline", "monospace-block"):
        value = section.get(key)
        if isinstance(value, str):
            _check_families(value, ("typography", key), positions, single=False)
        elif isinstance(value, dict) and "family" in value:
            _check_families(value["family"], ("typography", key, "family"), positions, single=False)


def families(text: str) -> tuple[str, ...]:
    """A CSS family list (``"Arial, sans-serif"``) as its names, quotes taken off."""
    return tuple(part.strip().strip("'\"").strip() for part in text.split(",") if part.strip().strip("'\""))


def _check_families(value: Any, where: FieldPath, positions: Positions, *, single: bool) -> None:
    if not isinstance(value, str):
        return  # brand_yml says a family is text
    names = (value.strip(),) if single else families(value)
    if not names:
        raise positions.error(where, "no font family is given here", hint="write a family such as Open Sans")
    for name in names:
        if not _FAMILY.match(name):
            raise positions.error(where, f"'{colours._shown(name)}' is not a font family name",
                                  hint="a family name is letters, digits, spaces and hyphens, such as Open Sans")


def _read_typography(section: Any, validated: brand_yml.Brand, positions: Positions,
                     notes: list[Note]) -> Typography:
    import brand_yml  # here, not at the top: a build with nothing to do reads no brand, and it is slow to import

    if not isinstance(section, dict) or validated.typography is None:
        return Typography()
    declared = section.get("fonts")
    if not isinstance(declared, list):
        declared = []
    fonts: list[FontFamily] = []
    for index, (raw, font) in enumerate(zip(declared, validated.typography.fonts, strict=False)):
        where: FieldPath = ("typography", "fonts", index)
        files: list[FontFile] = []
        for number, item in enumerate(getattr(font, "files", None) or []):
            raw_item = raw.get("files", [])[number] if isinstance(raw.get("files"), list) else None
            place = where + ("files", number) + (("path",) if isinstance(raw_item, dict) else ())
            path = str(item.path.root) if not isinstance(raw_item, (str, dict)) else (
                raw_item if isinstance(raw_item, str) else str(raw_item.get("path")))
            files.append(FontFile(path=path.strip(), weight=str(item.weight), style=item.style, field=place,
                                  remote=isinstance(item.path, brand_yml.FileLocationUrl)))
        fonts.append(FontFamily(font.family.strip(), font.source, tuple(files), where))
    known = {f.family.casefold() for f in fonts}
    styles = {}
    for key in ("base", "headings", "monospace"):
        value = getattr(validated.typography, key)
        raw = section.get(key)
        where = ("typography", key)
        if value is None:
            continue
        names = families(value.family) if value.family else ()
        for name in names[:1]:
            if name.casefold() not in known and name not in _GENERIC_FAMILIES:
                fonts.append(FontFamily(name, "", (), where + (("family",) if isinstance(raw, dict) else ())))
                known.add(name.casefold())
        weight = getattr(value, "weight", None)
        styles[key] = TextStyle(
            families=names, weight=str(weight) if weight is not None else None,
            size=getattr(value, "size", None), line_height=getattr(value, "line_height", None),
            style=value.style if isinstance(getattr(value, "style", None), str) else None, field=where)
    unused = [key for key in ("link", "monospace-inline", "monospace-block") if section.get(key)]
    headings = section.get("headings")
    if isinstance(headings, dict) and headings.get("color") is not None:
        unused.append("headings.color")
    if unused:
        notes.append(Note(("typography",), f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} "
                                           "not used: handouts print headings and links in the primary colour, "
                                           "and code only inline",
                          hint="leave them for other tools, or remove them"))
    return Typography(fonts=tuple(fonts), base=styles.get("base"), headings=styles.get("headings"),
                      monospace=styles.get("monospace"))


# --------------------------------------------------------------------------- brand_yml itself


def _home(meta: Any) -> str | None:
    """The brand's web address as written: ``meta.link``, or its ``home`` (checked by brand_yml)."""
    link = meta.get("link") if isinstance(meta, dict) else None
    if isinstance(link, dict):
        link = link.get("home")
    return link.strip() if isinstance(link, str) and link.strip() else None


def _names(validated: brand_yml.Brand, id: str, notes: list[Note]) -> tuple[str, str]:
    meta = validated.meta
    full = short = None
    if meta is not None and meta.name is not None:
        full, short = meta.name.full, meta.name.short
    if not (full or short):
        notes.append(Note(("meta",) if meta is not None else (), f"the brand has no name (meta.name); handouts "
                                                                  f"call it '{id}'",
                          hint="add meta: name: with the organisation's name"))
        return id, id
    return (full or short or id), (short or full or id)


def _validate(spec: dict[str, Any], positions: Positions) -> brand_yml.Brand:
    """The brand as ``brand_yml`` reads it; its errors as one plain line at the field."""
    import brand_yml  # here, not at the top: a build with nothing to do reads no brand, and it is slow to import

    try:
        return brand_yml.Brand.model_validate(copy.deepcopy(spec))
    except ValidationError as exc:
        raise brand_yml_error(exc, positions) from None
    except (TypeError, KeyError, AttributeError, ValueError, RecursionError) as exc:  # a shape brand_yml trips on
        raise positions.error((), f"this is not a brand.yml file brand_yml can read: {one_line(printable(exc))[:200]}",
                              hint="compare it with https://posit-dev.github.io/brand-yml/") from None


#: pydantic's error types in plain words; {input} is the value, {name} the field's own name
_PLAIN = {
    "string_type": ("{input} should be text", "put it in quotes"),
    "dict_type": ("{name} should be a mapping of fields", "write its fields indented beneath it"),
    "model_type": ("{name} should be a mapping of fields", "write its fields indented beneath it"),
    "model_attributes_type": ("{name} should be a mapping of fields", "write its fields indented beneath it"),
    "list_type": ("{name} should be a list", "write each item on its own line, starting with '- '"),
    "tuple_type": ("{name} should be a list", "write each item on its own line, starting with '- '"),
    "int_type": ("{input} should be a whole number", ""),
    "int_parsing": ("{input} should be a whole number", ""),
    "int_from_float": ("{input} should be a whole number", ""),
    "float_type": ("{input} should be a number", "such as 1.25"),
    "float_parsing": ("{input} should be a number", "such as 1.25"),
    "bool_type": ("{input} should be true or false", ""),
    "url_parsing": ("{input} is not a web address", "write the full address, starting with https://"),
    "url_scheme": ("{input} is not a web address", "write the full address, starting with https://"),
    "url_type": ("{input} is not a web address", "write the full address, starting with https://"),
    "greater_than_equal": ("{input} is too small", ""),
    "greater_than": ("{input} is too small", ""),
    "less_than_equal": ("{input} is too large", ""),
    "less_than": ("{input} is too large", ""),
    "too_short": ("{name} has too few items", ""),
    "too_long": ("{name} has too many items", ""),
    "is_instance_of": ("{input} is not allowed here", ""),
}

#: the fields brand.yml has at each place, for "unknown field" hints
_FIELDS: dict[FieldPath, str] = {
    (): "brand.yml has meta, logo, color, typography and defaults here; tipsheets' own keys go under "
        "defaults: tipsheets:",
    ("logo",): "brand.yml has images, small, medium and large here",
    ("color",): "brand.yml has palette, " + ", ".join(colours.ROLES) + " here",
    ("typography",): "brand.yml has fonts, base, headings, monospace, monospace-inline, monospace-block and link here",
}


def brand_yml_error(exc: ValidationError, positions: Positions) -> ContentError:
    """``brand_yml``'s first error, in plain words, at the place in the file it is about."""
    errors = exc.errors(include_url=False)
    first = next((e for e in errors if e["type"] == "value_error"), errors[0])
    loc, rest = _file_path(tuple(first["loc"]), positions)
    kind = first["type"]
    value = first.get("input")
    shown = f"'{colours._shown(str(value))}'" if isinstance(value, (str, int, float)) and not isinstance(value, bool) \
        else "this"
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "this"
    if kind == "extra_forbidden":
        target = loc + ((rest[0],) if rest else ())
        field = str(target[-1]) if target else name
        known = _FIELDS.get(tuple(target[:-1]), "")
        return positions.error(target, f"unknown field '{printable(field)}'",
                               hint=known or "check the spelling against brand.yml", key=True)
    if kind == "missing":
        field = str(rest[0]) if rest else name
        return positions.error(loc, f"required field '{printable(field)}' is missing")
    if kind in ("literal_error", "union_tag_invalid"):
        expected = first.get("ctx", {}).get("expected") or first.get("ctx", {}).get("expected_tags") or ""
        tag = first.get("ctx", {}).get("tag")
        said = f"'{colours._shown(str(tag))}'" if tag is not None else shown
        return positions.error(loc, f"{said} is not allowed here",
                               hint=f"use one of: {str(expected).replace(chr(39), '')}" if expected else "")
    if kind == "value_error":
        message = one_line(str(first.get("msg", ""))).removeprefix("Value error, ")
        return positions.error(loc, printable(message[:300]))
    if kind == "model_type" and isinstance(value, str) and len(loc) > 1 and loc[-2] == "files":
        return positions.error(loc, f"{shown} should be written as path: {shown}",
                               hint="brand_yml reads each font file as a mapping: - path: fonts/Brand.woff2")
    if kind in _PLAIN:
        message, hint = _PLAIN[kind]
        return positions.error(loc, message.format(input=shown, name=name), hint=hint)
    return positions.error(loc, f"{shown} is not valid brand.yml here",
                           hint="compare it with https://posit-dev.github.io/brand-yml/")


def _file_path(loc: tuple[Any, ...], positions: Positions) -> tuple[FieldPath, FieldPath]:
    """pydantic's location as a path in the file (union member names dropped), and what lies past the file."""
    known = set(positions.values) | set(positions.keys)
    path: FieldPath = ()
    for index, part in enumerate(loc):
        step = path + (part if isinstance(part, int) else str(part),)
        if step in known:
            path = step
            continue
        if isinstance(part, str) and part.replace("_", "-") != part and path + (part.replace("_", "-"),) in known:
            path = path + (part.replace("_", "-"),)
            continue
        later = [p for p in loc[index + 1:] if path + (p if isinstance(p, int) else str(p),) in known]
        if later:
            continue  # a union member's name, or a value brand_yml made from this one
        return path, tuple(p for p in loc[index:] if not _is_member_name(p))[:1]
    return path, ()


def _is_member_name(part: Any) -> bool:
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in
                                      {"str", "dict", "list", "file", "google", "bunny", "system", "resource",
                                       "light-dark", "function-before", "function-after"})


