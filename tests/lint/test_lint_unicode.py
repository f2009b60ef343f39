"""Hidden characters and look-alike letters do not walk "marriage education" past the wording gate.

Every format character, every TR39 look-alike of every letter of the phrase (Greek,
Cyrillic, Armenian), and every mathematical and fullwidth alphabet are tried; each must
be found, reported with the text as written at its own line and column, and left for a
person to fix. Spanish keeps its accents, so its rules and readability are unchanged.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.project import load_project
from tipsheets.cli import app
from tipsheets.lint import lint_catalog, lint_text
from tipsheets.lint.fix import apply_fixes

from _lint_project import tipsheet, write_project
from _wording import PHRASE, hidden_characters, lookalikes, math_styles

REPO = Path(__file__).resolve().parents[2]
HIDDEN = hidden_characters()
LOOKALIKES = lookalikes()


def _errors(text: str, *, audience: str = "parents", locale: str = "en", rule: str = "marriage-education"):
    return [f for f in lint_text(text, audience=audience, locale=locale) if f.rule == rule]


def test_the_generated_sets_are_large() -> None:
    assert len(HIDDEN) > 150
    assert all(LOOKALIKES[letter] for letter in set(PHRASE.replace(" ", ""))), LOOKALIKES
    assert sum(len(v) for v in LOOKALIKES.values()) > 150
    assert len(math_styles()) >= 12


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_hidden_character_inside_the_words_is_seen_through(hidden: str) -> None:
    text = f"Join our marri{hidden}age educ{hidden}ation{hidden} class."
    (finding,) = _errors(text)
    assert finding.text == f"marri{hidden}age educ{hidden}ation"
    assert (finding.line, finding.col) == (1, 10)
    assert finding.level == "error" and not finding.fixable
    assert finding.suggestion == "relationship education"


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066"])
def test_hidden_characters_between_every_letter(hidden: str) -> None:
    text = "Ask about " + hidden.join("Marriage Education") + " today."
    (finding,) = _errors(text)
    assert finding.text == hidden.join("Marriage Education")
    assert finding.suggestion == "Relationship Education"


def _substitutions() -> list[tuple[str, int, str]]:
    cases = []
    for index, letter in enumerate(PHRASE):
        for lookalike in LOOKALIKES.get(letter, []):
            cases.append((letter, index, lookalike))
    return cases


@pytest.mark.parametrize(("letter", "index", "lookalike"), _substitutions(),
                         ids=lambda v: f"U+{ord(v):04X}" if isinstance(v, str) and len(v) == 1 and ord(v) > 127
                         else str(v))
def test_every_lookalike_of_every_letter_is_seen_through(letter: str, index: int, lookalike: str) -> None:
    written = PHRASE[:index] + lookalike + PHRASE[index + 1 :]
    text = f"Free {written} for parents."
    (finding,) = _errors(text)
    assert finding.text == written
    assert (finding.line, finding.col) == (1, 6)
    assert not finding.fixable


@pytest.mark.parametrize("script", ["CYRILLIC", "GREEK", "ARMENIAN"])
def test_a_phrase_written_in_as_many_lookalikes_of_one_script_as_possible(script: str) -> None:
    def of(letter: str) -> str:
        found = [ch for ch in LOOKALIKES.get(letter, []) if unicodedata.name(ch).startswith(script)]
        return found[0] if found else letter

    written = "".join(of(ch) if ch != " " else " " for ch in PHRASE)
    assert written != PHRASE
    (finding,) = _errors(f"Our {written} classes are free.")
    assert finding.text == written


@pytest.mark.parametrize(("style", "written"), sorted(math_styles().items()))
def test_mathematical_and_fullwidth_alphabets_are_seen_through(style: str, written: str) -> None:
    (finding,) = _errors(f"Try {written} now.")
    assert finding.text == written and (finding.line, finding.col) == (1, 5)


@pytest.mark.parametrize("space", ["\u00a0", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000",
                                   "\u2028", "\u1680"])
def test_any_kind_of_space_between_the_words(space: str) -> None:
    (finding,) = _errors(f"Free marriage{space}education.")
    assert finding.text == f"marriage{space}education"


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\ufe63", "\uff0d"])
def test_lookalike_hyphens(dash: str) -> None:
    (finding,) = _errors(f"Free marriage{dash}education.", audience="agency-staff")
    assert finding.text == f"marriage{dash}education"


def test_mre_written_with_lookalike_capitals_is_found_for_parents() -> None:
    for written in ("\u041cRE", "M\u0420E"[0] + "RE", "\uff2d\uff32\uff25", "\U0001d40c\U0001d411\U0001d404",
                    "M\u200bRE"):
        found = [f for f in lint_text(f"Ask about {written} classes.", audience="parents") if f.rule == "mre-acronym"]
        assert [f.text for f in found] == [written], written


def test_other_rules_see_through_too() -> None:
    found = lint_text("No one is a dead\u200bbeat or a d\u0435adbeat here.", audience="parents")
    assert [f.text for f in found if f.rule == "stigmatising-terms"] == ["dead\u200bbeat", "d\u0435adbeat"]


def test_ordinary_words_with_lookalikes_are_not_flagged() -> None:
    assert _errors("Re\u043carriage education is different.") == []  # "remarriage": not the phrase
    assert _errors("\u041carriage can be hard; so can separation.") == []


# --------------------------------------------------------------------------- in YAML files

CASES_IN_YAML = [
    ('"Join our marri\\u200bage education class."', "marri\u200bage education"),
    ('"Join our m\\u0430rriage education class."', "m\u0430rriage education"),
    ('"Join our mar\\u00adri\\u2060age education class."', "mar\u00adri\u2060age education"),
    ("Join our m\u0430rriage educ\u00adation class.", "m\u0430rriage educ\u00adation"),
    ("Join our \uff4d\uff41\uff52\uff52\uff49\uff41\uff47\uff45 education class.",
     "\uff4d\uff41\uff52\uff52\uff49\uff41\uff47\uff45 education"),
    ("Join our marri\u200bage *education* class.", "marri\u200bage *education"),
]


@pytest.mark.parametrize(("written", "matched"), CASES_IN_YAML)
def test_in_a_yaml_file_the_finding_points_at_what_is_written_and_fix_leaves_it(
        tmp_path: Path, written: str, matched: str) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet()})
    path = root / "content/tipsheets/a.yaml"
    text = path.read_text(encoding="utf-8").replace("    body: Short and plain.", f"    body: {written}")
    path.write_text(text, encoding="utf-8")
    catalog = load_project(root)
    assert not catalog.errors, catalog.errors
    (finding,) = [f for f in lint_catalog(catalog, []) if f.rule == "marriage-education"]
    line = text.splitlines()[6]
    col = line.index("Join our ") + len("Join our ") + 1  # the first letter of the phrase, as the file has it
    assert (finding.file, finding.line, finding.col, finding.field) == ("content/tipsheets/a.yaml", 7, col,
                                                                        "intro[0].body")
    assert finding.text == matched
    if not written.startswith('"'):  # unquoted: the file holds the characters themselves
        assert line[finding.col - 1 :].startswith(matched)
    assert not finding.fixable
    fixes, _ = apply_fixes([finding], root)
    assert fixes == [] and path.read_text(encoding="utf-8") == text
    result = CliRunner().invoke(app, ["lint", "--project", str(root), "--fix"])
    assert result.exit_code == 1 and path.read_text(encoding="utf-8") == text


# --------------------------------------------------------------------------- Spanish keeps its accents

SPANISH = ["educación matrimonial", "Educación Matrimonial", "educacion matrimonial", "educación para el matrimonio",
           "educación marital", "educación conyugal", "educación matrimonial y de relaciones"]


@pytest.mark.parametrize("phrase", SPANISH)
def test_spanish_rule_still_matches_with_accents_and_through_lookalikes(phrase: str) -> None:
    (plain,) = _errors(f"Clases de {phrase} gratis.", locale="es", rule="educacion-matrimonial")
    assert plain.text == phrase
    disguised = phrase.replace("o", "\u043e", 1).replace("a", "\u200ba", 1)
    (found,) = _errors(f"Clases de {disguised} gratis.", locale="es", rule="educacion-matrimonial")
    assert found.text == disguised


def test_folding_keeps_accented_letters() -> None:
    from tipsheets.lint.normalize import fold

    text = "¿Cómo está? Año, pingüino, educación, naïve, Ñandú, ÁÉÍÓÚ áéíóú"
    assert fold(text).text == text
    assert fold("educacio\u0301n").text == "educación"  # a decomposed accent is composed, not dropped


def test_shipped_spanish_content_reads_the_same_after_folding() -> None:
    from tipsheets.lint.normalize import project

    catalog = load_project(REPO)
    spanish = [s for s in catalog.sources() if ".es." in s.path or "translations" in s.text]
    assert spanish
    for source in spanish:
        for _, value, _ in source.strings():
            shown = project(value, markdown=False)
            if shown is not None:  # dashes may become hyphens; every letter, accents and all, stays
                assert [c for c in shown.text if c.isalpha()] == [c for c in unicodedata.normalize("NFKC", value)
                                                                  if c.isalpha()], value


def test_shipped_content_gives_the_same_findings() -> None:
    """The shipped content (English and Spanish) had no findings before; it has none now."""
    catalog = load_project(REPO)
    assert [f"{f.where()} {f.rule}" for f in lint_catalog(catalog, [REPO / "templates"])] == []
