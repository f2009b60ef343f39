"""The ``lint:`` section of tipsheets.yaml, validated.

Errors are :class:`ContentError` values that point into tipsheets.yaml (or into
the rule file at fault), so the command line prints them like any content error.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from tipsheets.core.catalog import relative, validation_error
from tipsheets.core.paths import resolve_inside
from tipsheets.core.source import FieldPath, Positions, SourceFile
from .rules import (AUDIENCES, RANK, Level, LevelOrOff, Rule, RuleFile, RuleSet, default_rules, is_audience,
                    load_rule_file)


class Overrides(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: rule id -> level, or "off"
    rules: dict[str, LevelOrOff] = {}


class LintConfig(BaseModel):
    """Keys of the ``lint:`` mapping in tipsheets.yaml."""

    model_config = ConfigDict(extra="forbid")

    #: rule id -> level or "off", for every document
    rules: dict[str, LevelOrOff] = {}
    #: more rule files (paths relative to the project folder); a rule with a shipped id replaces it
    rule_files: list[Annotated[str, StringConstraints(min_length=1)]] = []
    #: rules written inline, in the rule-file format
    add_rules: list[Rule] = []
    #: exact names that no rule flags
    protected: list[Annotated[str, StringConstraints(min_length=1)]] = []
    #: per audience (agency-staff, practitioners, parents): rule id -> level or "off"
    audiences: dict[Literal["agency-staff", "practitioners", "parents"], Overrides] = {}
    #: per document (a path glob relative to the project, such as content/tipsheets/win-win*.yaml)
    documents: dict[str, Overrides] = {}
    #: the lowest level that makes `tipsheets lint` fail (the --fail-on default)
    fail_on: Level = "error"
    #: lint the literal text of templates too
    templates: bool = True


class _Root(BaseModel):
    model_config = ConfigDict(extra="allow")
    lint: LintConfig = LintConfig()


@dataclass
class Settings:
    """Everything the engine needs: rules, protected names and overrides."""

    rules: RuleSet
    config: LintConfig = field(default_factory=LintConfig)

    def level(self, rule: Rule, audience: str, document: str) -> str:
        """The effective level of ``rule`` in ``document`` for ``audience`` ("all" = the strictest)."""
        if audience == "all":
            levels = [self.level(rule, a, document) for a in AUDIENCES]
            return max(levels, key=lambda lv: RANK[lv])
        level = rule.level_for(audience)
        if rule.id in self.config.rules:
            level = self.config.rules[rule.id]
        over = self.config.audiences.get(audience) if is_audience(audience) else None
        if over and rule.id in over.rules:
            level = over.rules[rule.id]
        for pattern, doc in self.config.documents.items():
            if rule.id in doc.rules and fnmatch.fnmatchcase(document, pattern):
                level = doc.rules[rule.id]
        return level


def load_settings(lint: dict[str, Any] | None, root: Path, source: SourceFile | None = None) -> Settings:
    """Validate a ``lint:`` mapping and build the rule set; raise ContentError on any problem."""
    positions = source.positions if source is not None else Positions("tipsheets.yaml")
    if lint is None:
        lint = {}
    if not isinstance(lint, dict):
        raise positions.error(("lint",), "'lint' is a mapping of settings")
    try:
        config = _Root.model_validate({"lint": lint}).lint
    except ValidationError as exc:
        raise validation_error(exc, positions) from None
    rules = default_rules()
    for index, name in enumerate(config.rule_files):
        path = resolve_inside(root, name)
        if path is None:  # said without reading it: whether it exists or how large it is stays unknown
            raise positions.error(("lint", "rule_files", index), "a rule file must be inside the project; "
                                  "this path leads outside it, so it is not read",
                                  hint="give a path relative to the project folder, such as rules/house.yaml")
        if not path.is_file():
            raise positions.error(("lint", "rule_files", index), f"rule file '{name}' does not exist",
                                  hint="paths are relative to the project folder")
        rules.add(load_rule_file(path, relative(path, root)))
    rules.add(RuleFile(rules=config.add_rules, protected=config.protected))
    known = set(rules.rules)

    def check(mapping: Mapping[str, object], where: FieldPath) -> None:
        for rule_id in mapping:
            if rule_id not in known:
                raise positions.error(where + (rule_id,), f"unknown rule '{rule_id}'",
                                      hint=f"known rules: {', '.join(sorted(known))}", key=True)

    check(config.rules, ("lint", "rules"))
    for audience, over in config.audiences.items():
        check(over.rules, ("lint", "audiences", audience, "rules"))
    for pattern, over in config.documents.items():
        check(over.rules, ("lint", "documents", pattern, "rules"))
    return Settings(rules=rules, config=config)


def settings_for(catalog: Any) -> Settings:
    """The settings of a loaded catalog's project."""
    return load_settings(catalog.config.lint, catalog.root, catalog.config_source)
