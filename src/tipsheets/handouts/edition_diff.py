"""``tipsheets diff``: what an edition changes compared with its base, for a reviewer.

The report is a list of Rich :class:`~rich.text.Text` lines. On a terminal,
removed words are red and struck through and added words green; in plain text
(a pipe, a file, a CI log) they read ``[-removed-]{+added+}``, as in
``git diff --word-diff``.
"""

from __future__ import annotations

import difflib
from typing import Any

from rich.text import Text

from tipsheets.core.catalog import Catalog, Entry
from tipsheets.core.editions import OVERRIDES, Applied, apply, find_base, missing_base, words_diff
from tipsheets.handouts.edition import classes_programs
from tipsheets.core.models import Area, Edition, TipSheet

#: the singular name of an item in each part of a tip sheet
ITEM = {"intro": "section", "closing": "closing section", "sidebars": "sidebar", "tips": "tip", "blocks": "block",
        "groups": "group of tips"}

OLD, NEW, HEAD, DIM = "red strike", "green", "bold", "dim"


class Style:
    """How changed words are shown: colours on a terminal, word-diff markers in plain text."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def old(self, text: str) -> Text:
        return Text(text, style=OLD) if self.colour else Text(f"[-{text}-]")

    def new(self, text: str) -> Text:
        return Text(text, style=NEW) if self.colour else Text(f"{{+{text}+}}")

    def words(self, old: str, new: str) -> Text:
        out = Text()
        for i, (tag, chunk) in enumerate(words_diff(old, new)):
            if i:
                out.append(" ")
            out.append_text(Text(chunk) if tag == "=" else self.old(chunk) if tag == "-" else self.new(chunk))
        return out


def _indent(text: Text | str, depth: int = 1) -> Text:
    line = Text("  " * depth)
    line.append_text(text if isinstance(text, Text) else Text(text))
    return line


def _label(text: str, value: Text | str) -> Text:
    line = Text(f"{text}: ", style=HEAD)
    line.append_text(value if isinstance(value, Text) else Text(value))
    return line


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "(none)"
    if hasattr(value, "model_dump"):
        return "; ".join(f"{k}: {v}" for k, v in value.model_dump(exclude_none=True).items())
    return str(value)


def _area(area: Area) -> str:
    if area.statewide:
        return f"{area.state}, statewide"
    parts = [*(f"{c} County" for c in area.counties), *(f"ZIP {z}" for z in area.zips)]
    return f"{area.state}: {', '.join(parts)}"


def report(catalog: Catalog, entry: Entry, *, colour: bool = False) -> list[Text]:
    """Every line of the report for one edition.

    Raises the edition's first :class:`ContentError` when it cannot be merged.
    """
    style = Style(colour)
    edition: Edition = entry.item
    base = find_base(catalog, entry)
    if base is None:
        raise missing_base(catalog, entry)
    merged = apply(base, entry)
    if merged.errors:
        raise merged.errors[0]
    sheet: TipSheet = base.item
    result = merged.sheet
    assert result is not None
    lines: list[Text] = [
        Text.assemble(("Edition ", HEAD), (entry.path, HEAD)),
        Text.assemble("based on ", (base.path, "cyan"), f" ({sheet.title})"),
        Text(""),
    ]

    def brand_names(ids: list[str]) -> str:
        return " + ".join((catalog.brand(b).name if catalog.brand(b) else b) for b in ids)

    if edition.brands is not None and edition.brands != sheet.brands:
        lines.append(_label("Brands", Text.assemble(style.old(brand_names(sheet.brands)), " → ",
                                                    style.new(brand_names(edition.brands)))))
    for name in ("locale", "audience"):
        before, after = getattr(sheet, name), getattr(result, name)
        if before != after:
            lines.append(_label(name.capitalize(), Text.assemble(style.old(before), " → ", style.new(after))))
    for name in OVERRIDES:
        if name in ("audience", "brands", "contact") or name not in edition.model_fields_set:
            continue
        before, after = getattr(sheet, name), getattr(edition, name)
        if before != after:
            label = name.replace("_", " ").capitalize()
            if isinstance(before, str) and isinstance(after, str):
                lines.append(_label(label, style.words(before, after)))
            else:
                lines.append(_label(label, Text.assemble(style.old(_value(before)), " → ",
                                                         style.new(_value(after)))))
    if edition.contact is not None:
        lines.append(_label("Contact box", "replaced"))
        old = sheet.contact.model_dump(exclude_none=True) if sheet.contact else {}
        new = edition.contact.model_dump(exclude_none=True)
        for key in dict.fromkeys([*new, *old]):
            if old.get(key) == new.get(key):
                continue
            if key in old and key in new:
                lines.append(_indent(Text.assemble(f"{key}: ", style.words(str(old[key]), str(new[key])))))
            elif key in new:
                lines.append(_indent(Text.assemble(f"{key}: ", style.new(str(new[key])))))
            else:
                lines.append(_indent(Text.assemble(f"{key}: ", style.old(str(old[key])))))

    if merged.applied:
        lines += [Text(""), Text(f"Changes ({len(merged.applied)})", style=HEAD)]
        for change in sorted(merged.applied, key=lambda a: a.index):
            lines += _change(change, entry, style)
    else:
        lines += [Text(""), Text("No changes to sections or tips.", style=DIM)]

    if edition.classes is not None:
        box = edition.classes
        where = f" for {_area(box.area)}" if box.area else ""
        lines += [Text(""), Text(f"Classes box: \u201c{box.heading or 'Classes near you'}\u201d{where}", style=HEAD)]
        listed = classes_programs(catalog, edition)
        for program in listed:
            provider = catalog.brand(program.provider)
            how = "named" if program.id in box.programs else "serves the area"
            lines.append(_indent(Text.assemble(
                "• ", (program.name, "bold"), f" ({program.id}) — ",
                provider.name if provider else program.provider, (f"  [{how}]", DIM))))
        if not listed:
            lines.append(_indent(Text("(no programs)", style=DIM)))
    return lines


def _change(change: Applied, entry: Entry, style: Style) -> list[Text]:
    line = entry.source.positions.of(("changes", change.index)).line
    kind = ITEM[change.group]
    where = Text(f"  (line {line})", style=DIM)
    out: list[Text] = []
    if change.operation == "remove":
        assert change.old is not None
        out.append(Text.assemble(("-", "red"), f" {kind} ", (change.id, "bold"), " removed: ",
                                 style.old(_item_text(_headline(change.old))), where))
    elif change.operation == "replace":
        assert change.old is not None and change.new is not None
        out.append(Text.assemble(("~", "yellow"), f" {kind} ", (change.id, "bold"), " replaced", where))
        for key in change.new:
            before, after = change.old.get(key), change.new.get(key)
            if before == after:
                continue
            out += _field_diff(key, before, after, style)
    else:
        assert change.new is not None
        place = {"insert_before": f"before {change.anchor}", "insert_after": f"after {change.anchor}",
                 "append": f"at the end of {change.anchor or change.group}"}[change.operation]
        out.append(Text.assemble(("+", "green"), f" {kind} ", (change.id, "bold"), f" added {place}", where))
        for key, value in change.new.items():
            if key == "id" or value in (None, []):
                continue
            out += _field_diff(key, None, value, style)
    return out


def _field_diff(key: str, before: Any, after: Any, style: Style) -> list[Text]:
    if isinstance(before, list) or isinstance(after, list):
        old = [_item_text(v) for v in before or []]
        new = [_item_text(v) for v in after or []]
        out = [_indent(Text(f"{key}:", style=DIM), 2)]
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = list(zip(old[i1:i2], new[j1:j2], strict=False)) if tag == "replace" else []
            for a, b in pairs:
                out.append(_indent(Text.assemble("• ", style.words(a, b)), 3))
            for a in old[i1 + len(pairs):i2]:
                out.append(_indent(Text.assemble("• ", style.old(a)), 3))
            for b in new[j1 + len(pairs):j2]:
                out.append(_indent(Text.assemble("• ", style.new(b)), 3))
        return out
    label = Text(f"{key}: ", style=DIM)
    if before is None:
        return [_indent(Text.assemble(label, style.new(_item_text(after))), 2)]
    return [_indent(Text.assemble(label, style.words(_item_text(before), _item_text(after))), 2)]


def _headline(item: dict[str, Any]) -> str:
    """What names an item in a line of the report: its heading, title or text."""
    return str(item.get("heading") or item.get("title") or item.get("text") or item.get("body") or "")


def _item_text(value: Any) -> str:
    if isinstance(value, dict):
        if "term" in value:  # a sidebar item
            return f"{value.get('term', '')}: {value.get('description', '')}"
        return " ".join(f"{_headline(value)} {value.get('body', '') if value.get('heading') else ''}".split())
    return " ".join(str(value).split())
