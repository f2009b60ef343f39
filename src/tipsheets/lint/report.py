"""Printing findings: for people (Rich), as JSON, and as SARIF 2.1.0."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from rich.console import Console
from rich.text import Text

from tipsheets import __version__
from tipsheets.core.errors import printable
from .engine import FileIndex, Finding
from .rules import RuleSet

#: the version of the JSON report; bumped when a field changes meaning or goes away
JSON_SCHEMA = "tipsheets-lint/1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.level for f in findings)
    return {level: counts.get(level, 0) for level in ("error", "warning", "suggestion")}


def _source_line(root: Path, file: str, line: int, cache: dict[str, FileIndex | None]) -> str:
    if file not in cache:
        path = Path(file) if Path(file).is_absolute() else root / file
        try:
            cache[file] = FileIndex(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            cache[file] = None
    index = cache[file]
    return index.line(line) if index else ""


def human(findings: list[Finding], console: Console, root: Path, *, fixed: list[Any] | None = None) -> None:
    """Findings grouped by file, each with its source line and the offending text highlighted."""
    cache: dict[str, FileIndex | None] = {}
    if fixed:
        console.print(f"[bold]fixed {len(fixed)} wording problem{'s' if len(fixed) != 1 else ''}:[/]")
        for fix in fixed:
            console.print(Text.assemble("  ", (f"{fix.file}:{fix.line}:{fix.col}", "bold"), f"  {fix.old!r} → {fix.new!r}",
                                        (f"  [{fix.rule}]", "dim")))
    current = None
    for f in findings:
        if f.file != current:
            current = f.file
            console.print()
            console.print(Text(printable(f.file), style="bold underline"))
        head = Text.assemble(
            (f"  {f.line}:{f.col}", "bold"), "  ", (f"{f.level:<10}", _STYLE.get(f.level, "")), " ", (f.rule, "magenta"),
        )
        if f.field:
            head.append(f"  {f.field}", style="dim")
        console.print(head, overflow="fold")
        console.print(Text("      " + f.message), overflow="fold")
        line = _source_line(root, f.file, f.line, cache)
        if line:
            indent = len(line) - len(line.lstrip())
            start = f.col - 1
            shown = Text("      │ " + line[indent:], style="dim")
            length = min(len(f.text.split("\n", 1)[0]), max(len(line) - start, 0))
            if length and start >= indent and line[start : start + length] == f.text[:length]:
                offset = 8 - indent
                shown.stylize("bold reverse " + _STYLE.get(f.level, ""), offset + start, offset + start + length)
            console.print(shown, overflow="fold")
    counts = summary(findings)
    total = sum(counts.values())
    console.print()
    if total:
        files = len({f.file for f in findings})
        console.print(f"{counts['error']} error(s), {counts['warning']} warning(s), "
                      f"{counts['suggestion']} suggestion(s) in {files} file(s)")
    else:
        console.print("[green]no wording problems found[/]")


def to_json(findings: list[Finding], *, fixed: list[Any] | None = None) -> str:
    """The JSON report (schema ``tipsheets-lint/1``, documented in docs/lint.md)."""
    document = {
        "schema": JSON_SCHEMA,
        "tool": {"name": "tipsheets", "version": __version__},
        "summary": {**summary(findings), "files": len({f.file for f in findings})},
        "findings": [
            {key: value for key, value in f.to_dict().items() if key != "exact"} for f in findings
        ],
        "fixed": [fix.to_dict() for fix in (fixed or [])],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}


def to_sarif(findings: list[Finding], rules: RuleSet) -> str:
    """A SARIF 2.1.0 log for code-scanning tools."""
    used = sorted({f.rule for f in findings} | set(rules.rules))
    index = {rule_id: i for i, rule_id in enumerate(used)}
    descriptors = []
    for rule_id in used:
        rule = rules.rules.get(rule_id)
        descriptor: dict[str, Any] = {"id": rule_id, "name": rule_id}
        if rule is not None:
            descriptor.update({
                "shortDescription": {"text": _first_sentence(rule.note)},
                "fullDescription": {"text": " ".join(rule.note.split())},
                "help": {"text": " ".join(rule.note.split()) + (f" Source: {rule.source}" if rule.source else "")},
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.level]},
                "properties": {"kind": rule.kind, "locale": rule.locale},
            })
        descriptors.append(descriptor)
    results = []
    for f in findings:
        region: dict[str, Any] = {"startLine": f.line, "startColumn": f.col, "snippet": {"text": f.text}}
        if "\n" not in f.text:
            region["endLine"] = f.line
            region["endColumn"] = f.col + len(f.text)
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.level],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                    "region": region,
                },
                **({"logicalLocations": [{"fullyQualifiedName": f.field, "kind": "member"}]} if f.field else {}),
            }],
            "partialFingerprints": {"tipsheets/v1": f"{f.file}|{f.field}|{f.rule}|{f.text.lower()}"},
            "properties": {"audience": f.audience, "locale": f.locale, "suggestions": list(f.suggestions),
                           "tipsheetsLevel": f.level},
        }
        if f.fixable and "\n" not in f.text:
            result["fixes"] = [{
                "description": {"text": f"Replace with '{f.suggestions[0]}'"},
                "artifactChanges": [{
                    "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                    "replacements": [{"deletedRegion": {k: region[k] for k in ("startLine", "startColumn", "endLine", "endColumn")},
                                      "insertedContent": {"text": f.suggestions[0]}}],
                }],
            }]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tipsheets", "version": __version__, "rules": descriptors}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the project folder"}}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
