"""JSON Schema for every content type, generated from the models, for editors.

YAML language servers (VS Code's YAML extension, and others built on the same
server) read a first-line comment of the form::

    # yaml-language-server: $schema=../../schemas/tipsheet.schema.json

and then complete field names, show their descriptions and flag mistakes as
people type. :func:`write_schemas` writes one ``<kind>.schema.json`` per
content type; :func:`modeline` is the comment a file of that kind carries.

The written schemas describe what people write, which differs from the models
in one way: the file name is the id, so ``id`` is never required at the top of
a file (the loader adds it). Field descriptions live in :data:`DESCRIPTIONS`,
so the models stay plain data.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tipsheets.core import models
from tipsheets.core.models import TipsheetsBrandKeys
from tipsheets.core.catalog import yaml_files
from tipsheets.project import CONTENT_TYPES

#: the project settings have a schema too, though they are not a content type
CONFIG = ("config", models.Config, "Project settings", "Project-wide settings: tipsheets.yaml at the top of the project.")


def schema_names() -> list[str]:
    """Every schema: one per content type, then the settings'."""
    return [t.name for t in CONTENT_TYPES] + [CONFIG[0]]


def _model_and_title(name: str) -> tuple[type[BaseModel], str, str]:
    if name == CONFIG[0]:
        return CONFIG[1], CONFIG[2], CONFIG[3]
    content_type = CONTENT_TYPES.by_name[name]
    return content_type.model, content_type.title, content_type.description


MODELINE_PREFIX = "# yaml-language-server: $schema="

#: model name → field → description shown by editors
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "TipSheet": {
        "id": "Optional: the file name is the id. If given, it must match the file name.",
        "title": "The main heading, printed large at the top.",
        "subtitle": "One line under the title.",
        "audience": "Who reads it: agency-staff, practitioners or parents.",
        "locale": "Language code, such as en or es. A file named <id>.es.yaml is Spanish without saying so.",
        "product_number": "Your own product or form number, printed in the footer. Quote it to keep leading zeros.",
        "date": "Publication date, written 2026-11-25.",
        "authors": "Who wrote it; printed under the title.",
        "brands": "One brand id, or two for a partnership (printed side by side).",
        "intro": "Opening sections: each has an id, a heading and a body of Markdown text.",
        "sidebars": "Boxed lists printed beside the text.",
        "tips_heading": "The heading above the numbered tips.",
        "tips": "The numbered tips: each has an id, a heading, a body and optional bullets.",
        "closing": "Sections printed after the tips.",
        "case_example": "A short story that shows the idea at work.",
        "references": "The numbered reference list; cite entry 3 in text as [^3].",
        "contact": "A boxed 'for more information' section.",
        "funding": "Funding disclaimer printed at the end.",
        "paper": "letter or a4; overrides the project setting for this sheet.",
    },
    "Section": {"id": "A short id for this section: lower-case words joined by hyphens.",
                "body": "Markdown text: *emphasis*, **strong**, [links](https://...), - lists, citations [^1]."},
    "Tip": {"bullets": "Optional list of short points under the tip."},
    "TipsheetsBrandKeys": {
        "contact": "Phone, email, web and address printed on handouts.",
        "funding": "Funding disclaimer printed on this brand's handouts.",
    },
    "Program": {
        "id": "Optional: the file name is the id. If given, it must match the file name.",
        "name": "The program's name as parents see it.",
        "provider": "The id of the brand that runs it (a file in content/brands/).",
        "description": "Two or three plain sentences: what it offers and who it is for.",
        "audiences": "Who the program is for.",
        "format": "in-person, online or hybrid. In-person and hybrid programs need a location.",
        "sessions": "Dates the class runs; each starts on a date and meets weekly.",
        "location": "Where it meets (not needed for online programs).",
        "cost": "What it costs; leave amount at 0 for free.",
        "childcare": "true when childcare is offered.",
        "languages": "Languages it is taught in, such as [en, es].",
        "court_ordered": "true when a court may order a parent to take it.",
        "registration": "How to sign up: a web address, and a phone or email if there is one.",
        "serves": "Where it takes parents from: state and counties, ZIP codes, or statewide: true.",
        "verified": "The date someone last checked these details, written 2026-11-25.",
        "status": "active (the default), not-taking-referrals (listed last on desk aids, marked; no referral card), "
                  "paused or ended (left off desk aids and cards; no flyer).",
        "translations": "Name and description in other languages, only where they differ.",
        "source": "Written by `tipsheets import`: where the program came from and a digest of each field it wrote. "
                  "Leave it alone; edit the other fields freely.",
    },
    "ImportRecord": {
        "format": "spreadsheet or hsds.",
        "file": "The file it was imported from.",
        "key": "The record's own id in that file (the ID column, or the HSDS service id).",
        "imported": "The day of the import that last changed this file.",
        "fields": "Each imported field with a digest of its value as imported, to tell a change upstream from a hand edit.",
    },
    "Session": {
        "start": "First meeting, written 2026-11-25. It must fall on the weekday below.",
        "weekday": "The day it meets each week (a weekly course).",
        "time": "Start and end time on a 24-hour clock, such as \"18:00-20:00\" (quoted).",
        "weeks": "How many weekly meetings (a weekly course: start, weekday and weeks).",
        "rrule": "Instead of weeks: an RFC 5545 rule from start, such as FREQ=WEEKLY;BYDAY=TU;COUNT=6. "
                 "It must end (COUNT or UNTIL); each date it yields is one meeting.",
        "dates": "Instead of start: every meeting's date, each written 2027-01-12.",
        "exdates": "Dates the rule or list skips (a holiday).",
        "language": "Language of this run of the class.",
    },
    "Area": {
        "state": "Two-letter state code, such as GA.",
        "counties": "County names without the word 'County', as in content/areas/<STATE>.yaml.",
        "zips": "Five-digit ZIP codes, quoted.",
        "statewide": "true when the whole state is served.",
    },
    "Registration": {"url": "The sign-up web address, starting with https://.",
                     "phone": "A phone number parents can call."},
    "Office": {
        "id": "Optional: the file name is the id. If given, it must match the file name.",
        "name": "The office's full name.",
        "brand": "The id of the brand its desk aids use (a file in content/brands/).",
        "serves": "The counties or ZIP codes the office covers; programs serving them are listed for it.",
        "address": "Street address, city, state and ZIP on one line.",
        "phone": "The office's main phone number.",
        "referral_contact": "Who caseworkers call about referrals.",
        "family_violence_contact": "Who caseworkers call when a parent reports family violence. Required.",
        "guidance": "The id of the referral guidance printed on its desk aid (content/guidance/).",
        "extra_guidance": "Extra 'when to refer' lines for this office only.",
        "bilingual": "true to also print its desk aid in Spanish.",
        "exclude_programs": "Program ids this office's desk aid and referral cards leave out.",
    },
    "Guidance": {
        "id": "Optional: the file name is the id. If given, it must match the file name.",
        "title": "The heading of the guidance box.",
        "when_to_refer": "Situations in which to refer a parent, one per line.",
        "how_to_refer": "Steps for making the referral.",
        "safety": "The family-violence safety note and hotline. Required.",
    },
    "CountyList": {
        "id": "Optional: the file name (the state code) is the id.",
        "state": "Two-letter state code; the file is named after it (GA.yaml).",
        "name": "The state's name.",
        "counties": "Every county name used in areas, without the word 'County'.",
    },
    "Config": {
        "title": "The project's name, shown on the gallery page.",
        "paper": "letter or a4.",
        "output": "Output folder, relative to the project.",
        "locales": "Languages to build, such as [en, es].",
        "stale_after_days": "Warn when a program was verified longer ago than this.",
        "sessions_per_program": "How many upcoming sessions to print per program.",
        "render_timeout": "Seconds one handout may take to render before it fails on its own (default 60).",
        "lint": "Wording-check settings.",
    },
}


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of one content type, as an editor should see it."""
    cls, title, description = _model_and_title(name)
    if name == "brand":
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **brand_schema(),
                "title": title, "description": description}
    schema = cls.model_json_schema()
    _describe(schema, cls.__name__)
    for def_name, definition in schema.get("$defs", {}).items():
        _describe(definition, def_name)
    if name != "config":
        required = [field for field in schema.get("required", []) if field != "id"]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
        "title": title,
        "description": description,
    }


#: what editors say about a brand file's own fields (brand.yml's, then tipsheets')
BRAND_FIELDS = {
    "meta": "The organisation's name (a string, or short and full) and web address (link).",
    "logo": "One image file, or named images and which one to print at each size (small, medium, large), "
            "each a path or {path, alt}, or light and dark versions. Handouts print the light medium logo.",
    "color": "A palette of named colours and the colour roles (any CSS colour, a palette name, or light and dark "
             "values). Text colours must reach 4.5:1 contrast on what they are printed on.",
    "typography": "Fonts (files in the project, installed, Google or Bunny) and the base, headings and monospace "
                  "settings: family, weight, size, line-height.",
    "defaults": "Settings for particular tools, one key each; tipsheets reads defaults.tipsheets.",
}

#: the models brand_yml builds from a plain string as well (``name: Slack``, ``logo: logo.svg``, ``base: Lato``)
_FROM_A_STRING = frozenset({
    "BrandMetaName", "BrandMetaLink", "BrandLogo", "BrandLogoResource", "BrandTypographyBase",
    "BrandTypographyHeadings", "BrandTypographyMonospace", "BrandTypographyMonospaceInline",
    "BrandTypographyMonospaceBlock", "FileLocationLocal", "FileLocationUrl"})
_STRING = {"type": "string"}
_WEIGHT = {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 999}, {"type": "string"},
                     {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}},
                     {"type": "null"}],
           "description": "A weight from 100 to 900, or a name such as bold or semi-bold; a font may give a list "
                          "or a range such as 600..900."}


def brand_schema() -> dict[str, Any]:
    """The schema of a brand file: brand_yml's own, as it reads YAML, plus ``defaults.tipsheets``.

    brand_yml's models describe what it holds once read; a file may also
    write several of them as a plain string (its validators turn
    ``logo: logo.svg`` into a logo), give a colour role light and dark values
    (as Quarto does; handouts use the light one), and keep tipsheets' keys under
    ``defaults``. Long Python docstrings are cut to their first paragraph.
    """
    import brand_yml

    schema = brand_yml.Brand.model_json_schema()
    schema["properties"].pop("path", None)
    defs = schema["$defs"]
    for definition in defs.values():
        _first_paragraph(definition)
        for prop in definition.get("properties", {}).values():
            _first_paragraph(prop)
    _allow_strings(schema)
    for definition in defs.values():  # brand_yml reads named weights (semi-bold) and ranges (600..900) too
        if "weight" in definition.get("properties", {}):
            definition["properties"]["weight"] = dict(_WEIGHT)
    light_dark = {"type": "object", "additionalProperties": False, "description": "A colour for light pages and "
                  "one for dark pages; printed handouts use the light one.",
                  "properties": {"light": _STRING, "dark": _STRING}}
    for role, prop in defs["BrandColor"]["properties"].items():
        if role != "palette":
            prop["anyOf"] = [_STRING, light_dark, {"type": "null"}]
    own = TipsheetsBrandKeys.model_json_schema()
    for name, definition in own.pop("$defs", {}).items():
        defs[name] = definition
    _describe(own, "TipsheetsBrandKeys")
    own["description"] = "tipsheets' own keys: the contact box and funding line printed on this brand's handouts."
    own.pop("title", None)
    defs["TipsheetsBrandKeys"] = own
    schema["properties"]["defaults"] = {
        "anyOf": [{"type": "object", "properties": {"tipsheets": {"$ref": "#/$defs/TipsheetsBrandKeys"}},
                   "additionalProperties": True}, {"type": "null"}],
        "description": BRAND_FIELDS["defaults"]}
    for field, text in BRAND_FIELDS.items():
        schema["properties"][field]["description"] = text
    for key in ("contact", "funding"):  # where files written before kept them: still read, with a warning
        prop = dict(own["properties"][key])
        prop["description"] = f"Moved: write {key} under defaults: tipsheets:. It is still read here, with a warning."
        prop["deprecated"] = True
        schema["properties"][key] = prop
    schema["properties"]["id"] = {"type": "string", "description": "Optional: the file name (or the folder of a "
                                  "_brand.yml) is the id. If given, it must match. Other brand.yml readers refuse it."}
    schema.pop("title", None)
    schema.pop("description", None)
    return schema


def _first_paragraph(node: dict[str, Any]) -> None:
    text = node.get("description")
    if isinstance(text, str):
        node["description"] = " ".join(text.strip().split("\n\n")[0].split())


def _allow_strings(node: Any, *, member: bool = False) -> None:
    """Wherever brand_yml takes a model it also builds from a string, let the schema take the string.

    ``member``: ``node`` is one choice of an ``anyOf``, which is given the string instead.
    """
    if isinstance(node, list):
        for item in node:
            _allow_strings(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():  # inner places first, so what is added here is not visited again
        if key in ("anyOf", "oneOf") and isinstance(value, list):
            for item in value:
                _allow_strings(item, member=True)
        else:
            _allow_strings(value)
    for key in ("anyOf", "oneOf"):
        members = node.get(key)
        if isinstance(members, list) and _STRING not in members and any(
                _ref_name(m) in _FROM_A_STRING for m in members):
            node[key] = [*members, dict(_STRING)]
    if not member and _ref_name(node) in _FROM_A_STRING - {"FileLocationLocal", "FileLocationUrl"} \
            and len(node) == 1:
        node["anyOf"] = [{"$ref": node.pop("$ref")}, dict(_STRING)]


def _ref_name(node: Any) -> str:
    return node.get("$ref", "").rsplit("/", 1)[-1] if isinstance(node, dict) else ""


def _describe(schema: dict[str, Any], model_name: str) -> None:
    for field, text in DESCRIPTIONS.get(model_name, {}).items():
        prop = schema.get("properties", {}).get(field)
        if prop is not None:
            prop["description"] = text


def render(name: str) -> str:
    """One schema file's text: stable key order, two-space indent, final newline."""
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every ``<name>.schema.json`` into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in schema_names():
        path = out_dir / f"{name}.schema.json"
        text = render(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def kind_of(path: Path, project: Path) -> str | None:
    """The schema name for a content file of ``project``, or None if it is not one."""
    try:
        rel = path.resolve().relative_to(project.resolve())
    except ValueError:
        return None
    if rel.as_posix() == "tipsheets.yaml":
        return "config"
    parts = rel.parts
    if len(parts) >= 3 and parts[0] == "content" and path.suffix in {".yaml", ".yml"}:
        content_type = CONTENT_TYPES.folder(parts[1])
        return content_type.name if content_type else None
    return None


def modeline(name: str, file: Path, schema_dir: Path) -> str:
    """The comment that points an editor at the schema, relative to ``file``'s folder."""
    target = os.path.relpath(schema_dir.resolve() / f"{name}.schema.json", file.resolve().parent)
    return MODELINE_PREFIX + Path(target).as_posix()


def stamp(file: Path, name: str, schema_dir: Path) -> bool:
    """Give ``file`` the modeline as its first line (or correct it); True if the file changed."""
    line = modeline(name, file, schema_dir)
    text = file.read_text(encoding="utf-8")
    first, newline, rest = text.partition("\n")
    if first.startswith(MODELINE_PREFIX):
        if first == line:
            return False
        new = line + newline + rest
    else:
        new = line + "\n" + text
    file.write_text(new, encoding="utf-8")
    return True


def content_files(project: Path) -> list[tuple[Path, str]]:
    """Every file of the project that has a schema, with its schema name."""
    files = []
    config = project / "tipsheets.yaml"
    if config.is_file():
        files.append((config, "config"))
    for path in yaml_files(project / "content"):
        name = kind_of(path, project)
        if name:
            files.append((path, name))
    return files


def type_name(prop: dict[str, Any], root: dict[str, Any]) -> str:
    """A short human name for a property's type, for ``tipsheets schema KIND``."""
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        names = [type_name(option, root) for option in prop["anyOf"] if option.get("type") != "null"]
        return " or ".join(dict.fromkeys(names))
    if "enum" in prop:
        return " | ".join(str(v) for v in prop["enum"])
    if "const" in prop:
        return str(prop["const"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {type_name(prop.get('items', {}), root)}"
    if kind == "string" and prop.get("format") == "date":
        return "date"
    if kind == "object" and "additionalProperties" in prop and isinstance(prop["additionalProperties"], dict):
        return f"map of {type_name(prop['additionalProperties'], root)}"
    return str(kind)
