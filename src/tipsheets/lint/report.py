"""Printing findings: for people (Rich), as JSON, and as SARIF 2.1.0."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

from rich.console import Console
from rich.text import Text

from tipsheets import __version__
from tipsheets.core.errors import printable
from .engine import FileIndex, Finding
from .rules import RuleSet

#: the version of the JSON report; bumped when a field changes meaning or goes away
JSON_SCHEMA = "tipsheets-lint/1"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: the base of a finding's URI: the folder the log was written for, and the built-in theme
PROJECT_BASE, THEME_BASE = "%SRCROOT%", "TIPSHEETS_THEME"

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
            console.print(Text.assemble("  ", (f"{fix.file}:{fix.line}:{fix.col}", "bold"),
                                        f"  {fix.old!r} → {fix.new!r}", (f"  [{fix.rule}]", "dim")))
    current = None
    for f in findings:
        if f.file != current:
            current = f.file
            console.print()
            console.print(Text(printable(f.file), style="bold underline"))
        head = Text.assemble(
            (f"  {f.line}:{f.col}", "bold"), "  ", (f"{f.level:<10}", _STYLE.get(f.level, "")), " ",
            (f.rule, "magenta"),
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


def artifact_location(file: str, *, prefix: str = "", theme: Path | None = None) -> dict[str, str]:
    """Where a finding is, as a SARIF artifact location: a relative URI against a base, never an absolute path.

    A file of the project (``file`` relative to its root) is ``prefix + file`` against ``%SRCROOT%``;
    a template of the built-in theme (an absolute path inside ``theme``) is relative to the theme.
    """
    path = Path(file)
    if path.is_absolute():
        for folder in (theme, theme.resolve()) if theme is not None else ():
            if path.is_relative_to(folder):
                return {"uri": quote(path.relative_to(folder).as_posix()), "uriBaseId": THEME_BASE}
        return {"uri": path.as_uri()}  # nothing else is read from outside the project
    return {"uri": quote(prefix + path.as_posix()), "uriBaseId": PROJECT_BASE}


def to_sarif(findings: list[Finding], rules: RuleSet, *, prefix: str = "", theme: Path | None = None) -> str:
    """A SARIF 2.1.0 log for code-scanning tools.

    URIs are relative: project files against ``%SRCROOT%`` (the folder the log is for; ``prefix``
    is the project's own folder inside it, such as ``handouts/``), built-in templates against
    ``TIPSHEETS_THEME``. Columns count Unicode code points, as the log declares.
    """
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
                    "artifactLocation": artifact_location(f.file, prefix=prefix, theme=theme),
                    "region": region,
                },
                **({"logicalLocations": [{"fullyQualifiedName": f.field, "kind": "member"}]} if f.field else {}),
            }],
            "partialFingerprints": {"tipsheets/v1": "|".join((artifact_location(f.file, theme=theme)["uri"], f.field,
                                                              f.rule, f.text.lower()))},
            "properties": {"audience": f.audience, "locale": f.locale, "suggestions": list(f.suggestions),
                           "tipsheetsLevel": f.level},
        }
        if f.fixable and "\n" not in f.text:
            result["fixes"] = [{
                "description": {"text": f"Replace with '{f.suggestions[0]}'"},
                "artifactChanges": [{
                    "artifactLocation": artifact_location(f.file, prefix=prefix, theme=theme),
                    "replacements": [{"deletedRegion": {k: region[k] for k in ("startLine", "startColumn",
                                                                               "endLine", "endColumn")},
                                      "insertedContent": {"text": f.suggestions[0]}}],
                }],
            }]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tipsheets", "version": __version__, "rules": descriptors}},
            "originalUriBaseIds": {
                PROJECT_BASE: {"description": {"text": "the folder tipsheets lint ran in"}},
                THEME_BASE: {"description": {"text": f"the built-in theme of tipsheets {__version__}, inside the "
                                                     "installed package"}},
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
