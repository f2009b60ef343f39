"""Lint rules as data: the rule-file format, and loading the shipped defaults.

A rule file is YAML::

    protected:                      # exact names no rule flags (optional)
      - National Resource Center for Healthy Marriage and Families
    rules:
      - id: marriage-education
        extends: substitution       # substitution | existence | metric | generic-pronoun
        level: error                # error | warning | suggestion
        levels: {practitioners: warning}
        message: "Say '{suggestion}' rather than '{match}'."
        note: Why the rule exists.
        source: Where the guidance comes from.
        ignorecase: true
        plurals: true
        swap:
          marriage education: relationship education

The format follows Vale's (``extends``, ``swap``, ``tokens``, ``ignorecase``,
``formula`` and ``condition``) so that a team that knows Vale can read it.
Patterns are regular expressions in RE2's syntax (matched in linear time, so
no backreferences or lookaround), matched as whole words; a space in a pattern
matches any run of white space, including a line break.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from tipsheets.core.catalog import validation_error
from tipsheets.core.source import ContentError, SourceFile, load_yaml, load_yaml_text
from .linear import PatternError, check_pattern
from .text import pattern_source

Level = Literal["error", "warning", "suggestion"]
#: YAML 1.1 reads a bare ``off`` as false; it means "off" here
LevelOrOff = Annotated[Literal["error", "warning", "suggestion", "off"],
                       BeforeValidator(lambda v: "off" if v is False else v)]
Audience = Literal["agency-staff", "practitioners", "parents"]
AUDIENCES: tuple[str, ...] = ("agency-staff", "practitioners", "parents")
_AUDIENCE_NAMES = frozenset(get_args(Audience))
#: the strictest first
LEVELS: tuple[str, ...] = ("error", "warning", "suggestion")
RANK = {"error": 3, "warning": 2, "suggestion": 1, "off": 0}

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Formula = Literal["flesch-kincaid-grade", "fernandez-huerta", "szigriszt-pazos", "sentence-words"]

def is_audience(name: str) -> TypeGuard[Audience]:
    """Whether ``name`` is one of the audiences a rule or setting can name."""
    return name in _AUDIENCE_NAMES


_CONDITION = re.compile(r"^\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$")


class Rule(BaseModel):
    """One rule. Which fields matter depends on ``extends``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: RuleId
    kind: Literal["substitution", "existence", "metric", "generic-pronoun"] = Field(alias="extends")
    level: Level
    #: per-audience level; "off" switches the rule off for that audience
    levels: dict[Audience, LevelOrOff] = {}
    #: the rule applies only to these audiences (all when empty)
    audiences: list[Audience] = []
    message: Annotated[str, StringConstraints(min_length=1)]
    note: Annotated[str, StringConstraints(min_length=1)]
    source: str | None = None
    #: "all", or a language code such as "en" or "es"
    locale: str = "all"
    ignorecase: bool = True
    #: also match the plural (an added -s or -es) and pluralise the suggestion
    plurals: bool = False
    #: skip matches inside "double quotes" (quoted titles, quotations)
    skip_quoted: bool = True
    #: field globs the rule skips, such as ``references[*].text``
    exclude_fields: list[str] = []
    # substitution: pattern -> one suggestion or several
    swap: dict[str, str | list[str]] = {}
    # existence: patterns to flag
    tokens: list[str] = []
    # metric
    formula: Formula | None = None
    condition: str | None = None
    #: a field (or, for sentence-words, a sentence) shorter than this is not measured
    min_words: int = 0
    # generic-pronoun: indefinite antecedents, and pronoun -> suggestion
    antecedents: list[str] = []
    pronouns: dict[str, str] = {}

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.kind == "substitution" and not self.swap:
            raise ValueError("a substitution rule needs 'swap' (pattern: suggestion)")
        if self.kind == "existence" and not self.tokens:
            raise ValueError("an existence rule needs 'tokens'")
        if self.kind == "metric":
            if self.formula is None or self.condition is None:
                raise ValueError("a metric rule needs 'formula' and 'condition' (such as '> 8')")
            if not _CONDITION.match(self.condition):
                raise ValueError(f"condition {self.condition!r} is not in the form '> 8' or '< 55'")
        if self.kind == "generic-pronoun" and not (self.antecedents and self.pronouns):
            raise ValueError("a generic-pronoun rule needs 'antecedents' and 'pronouns'")
        for pattern in [*self.swap, *self.tokens, *self.antecedents, *self.pronouns]:
            try:
                check_pattern(pattern_source(pattern))
            except PatternError as exc:
                shown = pattern if len(pattern) <= 80 else pattern[:77] + "..."
                raise ValueError(f"rule '{self.id}': pattern {shown!r} is not a valid regular expression "
                                 f"that can be matched in linear time (RE2 syntax): {exc}") from None
        for suggestions in self.swap.values():
            if isinstance(suggestions, list) and not suggestions:
                raise ValueError("a swap needs at least one suggestion")
        return self

    @property
    def is_term(self) -> bool:
        return self.kind in ("substitution", "existence")

    def patterns(self) -> list[tuple[str, tuple[str, ...]]]:
        """(pattern, suggestions) for a term rule."""
        if self.kind == "substitution":
            return [(p, (s,) if isinstance(s, str) else tuple(s)) for p, s in self.swap.items()]
        if self.kind == "existence":
            return [(p, ()) for p in self.tokens]
        return []

    def threshold(self) -> tuple[str, float]:
        match = _CONDITION.match(self.condition or "")
        assert match
        return match.group(1), float(match.group(2))

    def level_for(self, audience: str) -> str:
        """The level for one audience ("off" when the rule does not apply)."""
        if self.audiences and audience not in self.audiences:
            return "off"
        return self.levels.get(audience, self.level) if is_audience(audience) else self.level

    def applies_to_locale(self, locale: str) -> bool:
        return self.locale == "all" or self.locale == locale.split("-")[0]


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    protected: list[Annotated[str, StringConstraints(min_length=1)]] = []
    rules: list[Rule] = []


class RuleSet(BaseModel):
    """Rules by id (in file order) and the protected names."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    rules: dict[str, Rule] = {}
    protected: list[str] = []

    def add(self, other: RuleFile) -> None:
        """Add rules; a rule with an id already present replaces it."""
        for rule in other.rules:
            self.rules[rule.id] = rule
        for name in other.protected:
            if name not in self.protected:
                self.protected.append(name)


def parse_rule_file(source: SourceFile) -> RuleFile:
    if not isinstance(source.data, dict):
        raise ContentError(source.path, "a rule file is a mapping with 'rules' (and optionally 'protected')")
    try:
        parsed = RuleFile.model_validate(source.data)
    except ValidationError as exc:
        raise validation_error(exc, source.positions) from None
    seen: set[str] = set()
    for index, rule in enumerate(parsed.rules):
        if rule.id in seen:
            raise source.positions.error(("rules", index, "id"), f"rule id '{rule.id}' is used twice in this file")
        seen.add(rule.id)
    return parsed


def load_rule_file(path: Path, shown: str | None = None) -> RuleFile:
    return parse_rule_file(load_yaml(path, shown))


@cache
def _default_files() -> tuple[RuleFile, ...]:
    folder = resources.files("tipsheets.lint") / "rules"
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            out.append(parse_rule_file(load_yaml_text(item.read_text("utf-8"), f"tipsheets/lint/rules/{item.name}")))
    return tuple(out)


def default_rules() -> RuleSet:
    """The rules that ship with tipsheets (a fresh copy the caller may change)."""
    rules = RuleSet()
    for file in _default_files():
        rules.add(file)
    return rules


def describe(rule: Rule) -> dict[str, Any]:
    """A rule as plain data, for reports."""
    return rule.model_dump(by_alias=True, exclude_defaults=True)
