"""Turning imported programs into program files, and importing again without losing hand edits.

A program file made by ``tipsheets import`` ends with a ``source:`` block: the
source's format and file name, the record's own id there (``key``), the day of
the import, and a 12-character digest of each field's value as the import
wrote it. The next import of the same record (found by its key, whatever the
file is called) decides field by field:

===========================  ==============================  ===============================
the file's value             the source's value              what happens
===========================  ==============================  ===============================
as the last import wrote it  the same                        nothing
as the last import wrote it  changed                         updated ("changed upstream")
as the last import wrote it  no longer given                 removed
edited (or removed) by hand  the same as the last import     left alone ("edited here")
edited (or removed) by hand  changed                         left alone, and both are shown
===========================  ==============================  ===============================

Fields the source does not give (a hand-written translation, a status) and
every comment are never touched: only the lines of a field that changes are
rewritten, in the house style. The record lives in the program file rather
than in a hidden file, so it travels with the file through copies and review,
and a person reading the file sees where it came from.

Brand stubs are written once for providers the project has no brand for, and
never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml
from pydantic import ValidationError

from tipsheets.core.catalog import Catalog, Entry, relative, validation_error
from tipsheets.core.models import Program
from tipsheets.core.source import ContentError, FieldPath, Mark, load_yaml_text
from tipsheets.importers.common import Incoming, Provider, canonical

#: program fields in the order a new file lists them
FIELD_ORDER = [name for name in Program.model_fields if name not in ("id", "source")]


def digest(value: Any) -> str:
    """12 hex digits of sha256 over the value's canonical JSON."""
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class FieldChange:
    field: str
    #: "add", "change", "remove" (written); "edited" (a hand edit left alone), "both" (a hand edit left
    #: alone although the source changed too)
    what: str
    old: Any = None
    new: Any = None


@dataclass
class Action:
    #: "create", "update", "unchanged", "brand" (a new brand stub), "gone" (no longer in the source)
    kind: str
    path: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    #: the whole new text of the file, when it is to be written
    text: str | None = None


@dataclass
class Plan:
    actions: list[Action]
    notes: list[str]

    def writes(self) -> list[tuple[Action, str]]:
        """The actions that write a file, each with the text it writes."""
        return [(a, a.text) for a in self.actions if a.text is not None]


# --------------------------------------------------------------------------- YAML in the house style


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists, short lists of words in flow style, long text folded."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:  # noqa: ARG002
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = None
    if "\n" in value.strip() or len(value) > 72:
        style = ">"
    elif re.fullmatch(r"[\d\s().:+\-/]+", value) or value.strip() != value:
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[object]) -> yaml.Node:
    flow = (all(isinstance(v, (str, int, float, bool)) for v in value)
            and all(len(str(v)) <= 40 for v in value) and sum(len(str(v)) + 2 for v in value) <= 72)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def field_yaml(name: str, value: Any) -> str:
    """One top-level field as YAML text, ending in a newline."""
    return yaml.dump({name: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=92,
                     default_flow_style=False)


def record_yaml(fmt: str, file: str, key: str, imported: dt.date, fields: dict[str, str]) -> str:
    return field_yaml("source", {"format": fmt, "file": file, "key": key, "imported": imported,
                                 "fields": dict(sorted(fields.items()))})


def _ordered(data: dict[str, Any]) -> list[str]:
    return [name for name in FIELD_ORDER if name in data] + [name for name in data if name not in FIELD_ORDER]


def new_program_text(incoming: Incoming, data: dict[str, Any], record: str, file: str, modeline: str) -> str:
    lines = [modeline, f"# Program: {data.get('name', incoming.id)}, imported from {file}.",
             "# `tipsheets import` updates the fields listed under source: below when the source changes;",
             "# edit anything by hand and your edit is kept.", ""]
    text = "\n".join(lines[:-1]) + "\n"
    for name in _ordered(data):
        text += field_yaml(name, data[name])
    return text + record


def brand_stub_text(provider: Provider, modeline: str) -> str:
    contact = {k: v for k, v in (("phone", provider.phone), ("email", provider.email), ("web", provider.web),
                                 ("address", provider.address)) if v}
    text = (f"{modeline}\n"
            f"# Brand: {provider.name}, made by `tipsheets import`. Finish it where it says REPLACE.\n"
            "# REPLACE: add the provider's logo (an SVG or PNG beside this file, in logos/), with alt text:\n"
            "# logo:\n"
            "#   images:\n"
            f"#     mark: {{path: logos/LOGO.svg, alt: \"{provider.name} logo: REPLACE with what it shows\"}}\n"
            "#   small: mark\n"
            "#   medium: mark\n")
    text += field_yaml("meta", {"name": {"short": provider.name, "full": provider.name},
                               **({"link": provider.web} if provider.web else {})})
    text += ("color:  # REPLACE these plain colours with the provider's own (text and primary need 4.5:1 on the "
             "background)\n"
             "  primary: \"#1F4E79\"\n"
             "  secondary: \"#4A4A4A\"\n"
             "  foreground: \"#1A1A1A\"\n"
             "  background: \"#FFFFFF\"\n"
             "  light: \"#EEF3F8\"\n")
    if contact:  # tipsheets' own keys sit under defaults: tipsheets:, where brand.yml keeps a tool's settings
        text += field_yaml("defaults", {"tipsheets": {"contact": contact}})
    return text


# --------------------------------------------------------------------------- splicing fields into a file


def _spans(text: str, source_keys: Mapping[FieldPath, Mark]) -> dict[str, tuple[int, int]]:
    """Top-level key → (first line, end line) as 0-based [start, end) over ``text``'s lines; trailing
    blank and comment lines go with the next key."""
    lines = text.splitlines(keepends=True)
    starts = sorted((mark.line - 1, path[0]) for path, mark in source_keys.items() if len(path) == 1)
    spans = {}
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        spans[str(name)] = (start, end)
    return spans


def splice(text: str, keys: Mapping[FieldPath, Mark], replace: dict[str, str | None],
           add: list[tuple[str, str]]) -> str:
    """``text`` with the top-level fields in ``replace`` rewritten (None: removed), and ``add`` appended
    before the ``source:`` block (which is itself replaced or appended through ``replace``/``add``)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    spans = _spans(text, keys)
    for name, (start, end) in sorted(spans.items(), key=lambda item: -item[1][0]):
        if name in replace:
            new = replace[name]
            lines[start:end] = [] if new is None else new.splitlines(keepends=True)
    spans_after = _spans("".join(lines), _keys_of("".join(lines)))
    at = spans_after["source"][0] if "source" in spans_after else len(lines)
    inserted = [line for _, chunk in add for line in chunk.splitlines(keepends=True)]
    lines[at:at] = inserted
    return "".join(lines)


def _keys_of(text: str) -> dict[FieldPath, Mark]:
    return load_yaml_text(text, "<import>").positions.keys


# --------------------------------------------------------------------------- planning


def find_existing(catalog: Catalog, fmt: str) -> dict[str, Entry]:
    """Program files an earlier import of this format wrote, by the record's key."""
    found = {}
    for entry in catalog.of("programs"):
        record = entry.item.source
        if record is not None and record.format == fmt:
            found[record.key] = entry
    return found


def plan_program(incoming: Incoming, provider: str, existing: Entry | None, catalog: Catalog, *, fmt: str,
                 file: str, as_of: dt.date, modeline: str) -> Action:
    """What importing ``incoming`` does to its program file."""
    new_data = {**incoming.data, "provider": provider}
    new_data = {name: new_data[name] for name in _ordered(new_data)}
    if existing is None:
        path = f"content/programs/{incoming.id}.yaml"
        data = {**incoming.seeds, **new_data}
        data = {name: data[name] for name in _ordered(data)}
        fields: dict[str, str] = {name: digest(value) for name, value in new_data.items()}
        record = record_yaml(fmt, file, incoming.key, as_of, fields)
        text = new_program_text(incoming, data, record, file, modeline)
        return Action("create", path, str(new_data.get("name", incoming.id)), text=text)
    current = existing.source.data
    record = existing.item.source
    old_fields = dict(record.fields)
    changes: list[FieldChange] = []
    replace: dict[str, str | None] = {}
    add: list[tuple[str, str]] = []
    fields = {}
    for name in _ordered({**new_data, **{k: None for k in old_fields}}):
        new = new_data.get(name)
        cur = current.get(name)
        was = old_fields.get(name)
        now = digest(new) if new is not None else None
        mine = digest(cur) if cur is not None else None
        if now is not None:
            fields[name] = now
        if was is None and cur is None:  # the source gives a field it did not give before
            if new is not None:
                changes.append(FieldChange(name, "add", None, new))
                add.append((name, field_yaml(name, new)))
        elif was is None:  # written by hand before the source gave it
            if mine != now:
                changes.append(FieldChange(name, "both", cur, new))
        elif mine == was:  # as the last import wrote it
            if now == was:
                continue
            if new is None:
                changes.append(FieldChange(name, "remove", cur, None))
                replace[name] = None
            else:
                changes.append(FieldChange(name, "change", cur, new))
                replace[name] = field_yaml(name, new)
        elif now == was:
            changes.append(FieldChange(name, "edited", cur, new))
        else:
            changes.append(FieldChange(name, "both", cur, new))
    written = [c for c in changes if c.what in ("add", "change", "remove")]
    if not written and fields == old_fields:
        return Action("unchanged", existing.path, existing.item.name, changes)
    keys = existing.source.positions.keys
    record_text = record_yaml(fmt, file, incoming.key, as_of if written else record.imported, fields)
    if ("source",) in keys:
        replace["source"] = record_text
    else:
        add.append(("source", record_text))
    text = splice(existing.source.text, keys, replace, add)
    return Action("update" if written else "unchanged", existing.path, existing.item.name, changes, text=text)


def check_written(action: Action) -> ContentError | None:
    """The program file as it would be written, loaded and validated like any content file."""
    if action.text is None or not action.path.startswith("content/programs/"):
        return None
    try:
        source = load_yaml_text(action.text, action.path)
        stem = Path(action.path).stem
        Program.model_validate({**source.data, "id": stem})
    except ContentError as exc:
        return exc
    except ValidationError as exc:
        return validation_error(exc, source.positions)
    return None


def gone(existing: dict[str, Entry], seen: set[str], file: str) -> list[Action]:
    """Programs an earlier import of this file wrote that the source no longer lists: reported, not touched."""
    return [Action("gone", entry.path, entry.item.name) for key, entry in sorted(existing.items())
            if key not in seen and entry.item.source.file == file and entry.item.status != "ended"]


def differences(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """The leaves that differ between two values: ``("sessions[1].start", old, new)``."""
    old, new = canonical(old), canonical(new)
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in [*old, *(k for k in new if k not in old)]:
            out += differences(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
        return out
    if isinstance(old, list) and isinstance(new, list) and any(isinstance(v, dict) for v in old + new):
        out = []
        for index in range(max(len(old), len(new))):
            out += differences(old[index] if index < len(old) else None, new[index] if index < len(new) else None,
                               f"{path}[{index}]")
        return out
    return [] if old == new else [(path, old, new)]


def shown_value(value: Any) -> str:
    """A short form of a field's value for the dry run."""
    if value is None:
        return "(none)"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    text = json.dumps(canonical(value), ensure_ascii=False)
    return text if len(text) <= 70 else text[:67] + "..."


def inside_project(project: Path, shown: str) -> Path:
    """The file ``shown`` (``content/programs/x.yaml``) of the project, refusing any path that leaves
    the content folder (a file name from an id cannot, but a linked folder could)."""
    content = (project / "content").resolve()
    path = (project / shown).resolve()
    if not path.is_relative_to(content):
        raise ContentError(relative(project / shown, project), "refused to write outside the content folder",
                           hint="content/programs/ and content/brands/ must be folders inside the project")
    return path
