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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tipsheets.core import models
from tipsheets.core.blocks import BLOCK_TYPES
from tipsheets.core.models import TipsheetsBrandKeys
from tipsheets.core.catalog import yaml_files
from tipsheets.project import CONTENT_TYPES

#: the project settings have a schema too, though they are not a content type
CONFIG = ("config", models.Config, "Project settings",
          "Project-wide settings: tipsheets.yaml at the top of the project.")


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
        "intro": "Opening sections: each has an id, a heading and a body of Markdown text "
                 "(or write blocks instead).",
        "sidebars": "Boxed lists printed beside the text.",
        "tips_heading": "The heading above the numbered tips (with tips).",
        "tips": "The numbered tips: each has an id, a heading, a body and optional bullets "
                "(or write blocks instead).",
        "closing": "Sections printed after the tips.",
        "case_example": "A short story that shows the idea at work.",
        "references": "The numbered reference list; cite entry 3 in text as [^3].",
        "contact": "A boxed 'for more information' section.",
        "funding": "Funding disclaimer printed at the end.",
        "blocks": "The body, as blocks in print order: each has a type (lead, section, tips, box, case, quote, "
                  "notice, reading, contact, classes) and that type's fields. Instead of intro, sidebars, tips and "
                  "closing, not beside them.",
        "footnotes": "Notes marked with a symbol (*, †, ‡...), each printed at the foot of the page where text "
                     "cites it as [^*].",
    },
    "DocumentOptions": {
        "paper": "letter, legal or a4; overrides the project setting for this document.",
        "orientation": "portrait (the default) or landscape.",
        "columns": "1 (the default) or 2: the body in two columns.",
        "kicker": "The short line beside the logo, such as 'Fact sheet'; by default it names the audience.",
        "series": "The series the document belongs to: a name, and a number printed beside it.",
        "agency": "Lines naming the publishing agency, printed under the banner.",
        "header": "A running header: text, where the page number goes, and whether the first page has it.",
        "footer": "A running footer: text (by default the brand and product number), and where the page number goes.",
        "layout": "A look of its own: the name of a folder under templates/layouts/ with a style.css.j2 "
                  "(and, if it needs one, a page.html.j2).",
    },
    "Series": {"name": "The series' name, such as 'Child Support Fact Sheet Series'.",
               "number": "This document's number in the series."},
    "RunningLine": {"text": "The line of text.",
                    "page_number": "number ('2 | text'), page-of-pages ('Page 2 of 3' on the right) or none.",
                    "first_page": "false to leave it off the first page."},
    "Footnote": {"marker": "The symbol: *, †, ‡, §, ¶, ‖, **, †† or ‡‡. Text cites it as [^*].",
                 "text": "The note, in Markdown."},
    "Author": {"note": "The marker of a footnote about this author (such as *), printed after the name."},
    "Brochure": {
        "id": "Optional: the file name is the id. If given, it must match the file name.",
        "program": "A program's brochure: the id of a file in content/programs/. Panels not given are filled from it.",
        "title": "The title on the front cover (a program's brochure takes the program's name).",
        "subtitle": "One line under the title.",
        "kicker": "A short line above the title.",
        "audience": "Who reads it: parents (the default), agency-staff or practitioners.",
        "brands": "One brand id, or two; by default the program's provider.",
        "date": "Publication date, written 2026-11-25, printed on the back.",
        "panels": "The six panels, each a list of blocks: cover, flap, back (outside), inside_left, inside_middle "
                  "and inside_right.",
        "contact": "The contact box on the back panel, when the back panel is not given.",
        "funding": "Funding note printed at the foot of the back panel.",
        "layout": "A look of its own: the name of a folder under templates/layouts/.",
    },
    "Panels": {
        "cover": "Blocks under the title on the front cover.",
        "flap": "The inside flap: the first panel a reader sees on opening the cover.",
        "back": "The back panel (the middle of the outside).",
        "inside_left": "The left panel inside.",
        "inside_middle": "The middle panel inside.",
        "inside_right": "The right panel inside (the narrowest, which folds in).",
    },
    "Edition": {
        "base": "The id of the tip sheet this edition starts from.",
        "changes": "Changes to the base's sections, sidebars, tips, blocks and groups of tips, addressed by id.",
        "classes": "A 'Classes near you' box: programs by id, by area, or both.",
        "product_number": "Your own product number, or null to print none.",
        "authors": "Your own authors, or [] to print none.",
    },
    "Section": {"id": "A short id for this section: lower-case words joined by hyphens.",
                "body": "Markdown text: *emphasis*, **strong**, [links](https://...), - lists, citations [^1]."},
    "Tip": {"bullets": "Optional list of short points under the tip."},
    "TipItem": {"id": "Optional: a short id, so an edition can change this tip.",
                "heading": "The tip's heading; with style: lead-in, the bold phrase that opens it. Not for bullets.",
                "body": "A sentence or two, in Markdown.", "bullets": "Optional list of short points under the tip."},
    "TipGroup": {"id": "Optional: a short id, so an edition can change this group or append tips to it.",
                 "heading": "The group's heading.", "tips": "The tips in this group."},
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
        "fields": "Each imported field with a digest of its value as imported, to tell a change upstream from a "
                  "hand edit.",
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
        "counties": "County names as the Census writes them, with or without 'County', 'Parish' or 'Borough' "
                    "(Virginia's independent cities keep 'city').",
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
        "desk_aid_pages": "1 (the default): the desk aid lists the nearest programs that fit on one page and points "
                          "to its web page for the rest. 2: a two-page desk aid, for an office served by many "
                          "programs.",
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
        "counties": "The state's counties; areas may name them with or without 'County', 'Parish' or 'Borough'.",
    },
    "Config": {
        "title": "The project's name, shown on the gallery page.",
        "paper": "letter or a4.",
        "output": "Output folder, relative to the project.",
        "locales": "Languages to build, such as [en, es].",
        "stale_after_days": "Warn when a program was verified longer ago than this.",
        "sessions_per_program": "How many upcoming sessions to print per program.",
        "render_timeout": "Seconds one handout may take to render before it fails on its own (default 60).",
        "fictional_phone_numbers": "warn (the default): a 555-01xx number, set aside for fiction, is a warning; "
                                   "allow: sample content, no warning.",
        "site_url": "Where the output folder is published, such as https://example.org/handouts/. Printed handouts "
                    "then point to their web pages: a desk aid to its full list of classes, a flyer to its calendar.",
        "lint": "Wording-check settings.",
    },
}


#: the models whose fields every document with options shares
_OPTIONS = "DocumentOptions"


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of one content type, as an editor should see it."""
    cls, title, description = _model_and_title(name)
    if name == "brand":
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **brand_schema(),
                "title": title, "description": description}
    schema = cls.model_json_schema()
    if issubclass(cls, models.DocumentOptions):  # what the document says first, then how it is set
        props = schema["properties"]
        options = [field for field in models.DocumentOptions.model_fields if field in props]
        schema["properties"] = {**{k: v for k, v in props.items() if k not in options},
                                **{k: props[k] for k in options}}
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
    block_type = next((t for t in BLOCK_TYPES if t.model.__name__ == model_name), None)
    texts = {**DESCRIPTIONS.get(_OPTIONS, {}), **(block_type.fields if block_type else {}),
             **DESCRIPTIONS.get(model_name, {})}
    if block_type is not None:
        schema["description"] = block_type.description
        schema["title"] = f"{block_type.name} block"
        texts.setdefault("type", f"{block_type.name}: says what this block is.")
    for field, text in texts.items():
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
        name = prop["$ref"].rsplit("/", 1)[-1]
        block = BLOCK_MODELS.get(name)
        return f"{block} block" if block else name
    if "oneOf" in prop and all(option.get("$ref", "").rsplit("/", 1)[-1] in BLOCK_MODELS for option in prop["oneOf"]):
        return "block (" + " | ".join(BLOCK_MODELS[o["$ref"].rsplit("/", 1)[-1]] for o in prop["oneOf"]) + ")"
    if "anyOf" in prop or "oneOf" in prop:
        options = prop.get("anyOf") or prop.get("oneOf") or []
        names = [type_name(option, root) for option in options if option.get("type") != "null"]
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


#: block model name → its block type's name ("TipsBlock" → "tips")
BLOCK_MODELS = {t.model.__name__: t.name for t in BLOCK_TYPES}


@dataclass(frozen=True)
class FieldTable:
    """The fields of one type, as ``tipsheets schema KIND`` shows them."""

    title: str
    description: str
    #: (field, required, type, what it is)
    rows: list[tuple[str, bool, str, str]]


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def nested_types() -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """Every type nested in a content file (a section, a tip, a block, an area...), by a name people
    type for it (``tip``, ``tip-item``, ``tips`` for the tips block): (its name, its schema, the schema it is in)."""
    found: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for name in schema_names():
        doc = schema_for(name)
        for def_name, definition in doc.get("$defs", {}).items():
            found.setdefault(_key(def_name), (def_name, definition, doc))
            if def_name in BLOCK_MODELS:
                found.setdefault(_key(BLOCK_MODELS[def_name]), (def_name, definition, doc))
    return found


def _table(title: str, schema: dict[str, Any], root: dict[str, Any]) -> FieldTable:
    required = set(schema.get("required", []))
    rows = [(field, field in required, type_name(prop, root), prop.get("description", ""))
            for field, prop in schema.get("properties", {}).items()]
    return FieldTable(title, schema.get("description", ""), rows)


def _refs(schema: dict[str, Any]) -> list[str]:
    """The names of the types a schema refers to, in the order it names them."""
    out: list[str] = []
    stack = [schema.get("properties", {})]
    while stack:
        value = stack.pop(0)
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                out.append(ref.rsplit("/", 1)[-1])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return list(dict.fromkeys(out))


def field_tables(kind: str) -> list[FieldTable]:
    """What ``tipsheets schema KIND`` shows: the fields of a content type (by its name or folder) and
    of every type nested in it, or of one nested type (``section``, ``tip``, ``tips``, ``area``...)
    and the types nested in that. A nested type's name is looked for first among a content type's
    own names, but ``area`` is the area a program or office serves (the county lists are ``areas``).

    Raises KeyError for a name that is none of these.
    """
    content_type = CONTENT_TYPES.folder(kind)
    nested = nested_types()
    if content_type is None and kind in schema_names() and _key(kind) not in nested:
        content_type = CONTENT_TYPES.by_name.get(kind)
    if content_type is not None or kind == CONFIG[0]:
        name = content_type.name if content_type is not None else kind
        doc = schema_for(name)
        root_title, root = doc["title"], doc
    elif _key(kind) in nested:
        def_name, root, doc = nested[_key(kind)]
        root_title = f"{BLOCK_MODELS[def_name]} block" if def_name in BLOCK_MODELS else def_name
    else:
        raise KeyError(kind)
    tables = [_table(root_title, root, doc)]
    seen = {id(root)}
    queue = _refs(root)
    while queue:
        def_name = queue.pop(0)
        definition = doc.get("$defs", {}).get(def_name)
        if definition is None or id(definition) in seen:
            continue
        seen.add(id(definition))
        title = f"{BLOCK_MODELS[def_name]} block" if def_name in BLOCK_MODELS else def_name
        tables.append(_table(title, definition, doc))
        queue += [ref for ref in _refs(definition) if ref not in queue]
    return tables
