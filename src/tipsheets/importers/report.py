"""What an import does, in plain lines: for ``tipsheets import`` and its ``--dry-run``."""

from __future__ import annotations

from tipsheets.importers.merge import Plan, differences, shown_value

_WORDS = {
    "add": "new in the source",
    "change": "changed in the source",
    "remove": "no longer in the source: removed",
}


def plan_lines(plan: Plan, *, dry_run: bool) -> list[str]:
    """One line per file (created, updated, unchanged, a brand stub, no longer in the source), then one
    line per field that changes or that a person edited."""
    will = "would " if dry_run else ""
    lines = []
    for action in plan.actions:
        if action.kind == "create":
            lines.append(f"  {will}create  {action.path}  ({action.title})")
        elif action.kind == "brand":
            lines.append(f"  {will}create  {action.path}  (a brand stub for {action.title}: add its logo and "
                         "colours where it says REPLACE)")
        elif action.kind == "update":
            lines.append(f"  {will}update  {action.path}  ({action.title})")
        elif action.kind == "unchanged":
            lines.append(f"  unchanged  {action.path}")
        elif action.kind == "gone":
            lines.append(f"  left as it is  {action.path}: no longer in the source (if the class has ended, "
                         "add status: ended)")
        for change in action.changes:
            if change.what == "change":
                for path, old, new in differences(change.old, change.new, change.field):
                    lines.append(f"      {path}: changed in the source: {shown_value(old)} → {shown_value(new)}")
            elif change.what in _WORDS:
                lines.append(f"      {change.field}: {_WORDS[change.what]}")
            elif change.what == "edited":
                lines.append(f"      {change.field}: edited here, left alone")
            elif change.what == "both":
                lines.append(f"      {change.field}: edited here, left alone; the source now says "
                             f"{shown_value(change.new)}")
    return lines
