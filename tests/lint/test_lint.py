"""The wording and plain-language gate: rules, positions, suppression, templates, reports, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.project import load_project
from tipsheets.cli import app
from tipsheets.handouts import template_audiences
from tipsheets.lint import Finding, audience_of, gate, lint_catalog, lint_text
from tipsheets.lint.config import load_settings
from tipsheets.lint.engine import template_text
from tipsheets.lint.report import to_json, to_sarif
from tipsheets.lint.rules import default_rules
from tipsheets.lint.text import match_case, sentences
from tipsheets.core.source import ContentError

from _lint_project import tipsheet, write_project

REPO = Path(__file__).resolve().parents[2]

LONG_HARD = (
    "Administrative establishment of paternity necessitates comprehensive documentation, "
    "and jurisdictional considerations frequently complicate intergovernmental enforcement "
    "proceedings. Consequently, noncustodial obligors experiencing unemployment should "
    "immediately communicate modifications of circumstances to their caseworkers, because "
    "retroactive adjustments are generally unavailable under applicable regulations. "
    "Furthermore, documentation requirements necessitate verification of income, residence, "
    "and dependents before any modification is considered by the administrative tribunal. "
    "Please review everything carefully."
)
LONG_EASY = " ".join(["We can help you. Call us when you can. Tell us what you need."] * 6)
LONG_HARD_ES = (
    "La determinación administrativa de la paternidad requiere documentación exhaustiva, y las "
    "consideraciones jurisdiccionales frecuentemente complican los procedimientos "
    "intergubernamentales de cumplimiento. Consecuentemente, los progenitores obligados que "
    "experimentan desempleo deberían comunicar inmediatamente las modificaciones circunstanciales "
    "a sus trabajadores sociales, porque los ajustes retroactivos generalmente resultan "
    "improcedentes conforme a las reglamentaciones aplicables, independientemente de las "
    "circunstancias extraordinarias documentadas. Consulte nuevamente la documentación correspondiente."
)
LONG_SENTENCE = ("When you call the office you should have your case number and your most recent pay "
                 "stubs ready so that the caseworker can look at your order and explain the next steps to you today.")

# (audience, locale, text, expected [(rule, level, matched text, first suggestion)])
CASES = [
    # marriage education: error for parents and caseworkers, warning for practitioners
    ("parents", "en", "Join our marriage education class.",
     [("marriage-education", "error", "marriage education", "relationship education")]),
    ("parents", "en", "Marriage Education classes start soon.",
     [("marriage-education", "error", "Marriage Education", "Relationship Education")]),
    ("agency-staff", "en", "Refer parents to marriage-education programs.",
     [("marriage-education", "error", "marriage-education", "relationship-education")]),
    ("agency-staff", "en", "Local marriage educations vary.",
     [("marriage-education", "error", "marriage educations", "relationship educations")]),
    ("parents", "en", "It is a marriage and relationship education class.",
     [("marriage-education", "error", "marriage and relationship education", "relationship education")]),
    ("parents", "en", "Marriage & Relationship Education works.",
     [("marriage-education", "error", "Marriage & Relationship Education", "Relationship Education")]),
    ("parents", "en", "Talk to the marriage\neducators.",
     [("marriage-education", "error", "marriage\neducators", "relationship educators")]),
    ("practitioners", "en", "The marriage education field has grown.",
     [("marriage-education", "warning", "marriage education", "relationship education")]),
    ("parents", "en", "Ask about MRE classes.",
     [("mre-acronym", "error", "MRE", "relationship education")]),
    # gendered generic pronouns
    ("parents", "en", "Each child needs his/her own bed.",
     [("gendered-pronouns", "warning", "his/her", "their")]),
    ("agency-staff", "en", "Ask if he or she has questions.",
     [("gendered-pronouns", "warning", "he or she", "they")]),
    ("practitioners", "en", "S/he can call.", [("gendered-pronouns", "warning", "S/he", "They")]),
    ("parents", "en", "Give him or her time.", [("gendered-pronouns", "warning", "him or her", "them")]),
    ("agency-staff", "en", "When a parent calls, he may be upset.",
     [("generic-he", "warning", "he", "they")]),
    ("agency-staff", "en", "Every caseworker knows his caseload.",
     [("generic-he", "warning", "his", "their")]),
    ("agency-staff", "en", "If the client asks, tell him about the class.",
     [("generic-he", "warning", "him", "them")]),
    # stigmatising terms
    ("parents", "en", "No one is a deadbeat here.", [("stigmatising-terms", "error", "deadbeat", None)]),
    ("practitioners", "en", "Myths about deadbeat dads persist.",
     [("stigmatising-terms", "error", "deadbeat dads", None)]),
    ("agency-staff", "en", "The absent parent may still pay.",
     [("absent-parent", "suggestion", "absent parent", "non-custodial parent")]),
    ("agency-staff", "en", "Absent parents may still pay.",
     [("absent-parent", "suggestion", "Absent parents", "Non-custodial parents")]),
    # Spanish
    ("parents", "es", "Clases de educación matrimonial gratis.",
     [("educacion-matrimonial", "error", "educación matrimonial", "educación sobre relaciones")]),
    ("parents", "es", "Educacion para el matrimonio.",
     [("educacion-matrimonial", "error", "Educacion para el matrimonio", "Educación sobre relaciones")]),
    ("practitioners", "es", "La educación marital como campo.",
     [("educacion-matrimonial", "warning", "educación marital", "educación sobre relaciones")]),
    # reading level and sentence length
    ("parents", "en", LONG_HARD, [("reading-level", "warning", None, None)]),
    ("parents", "es", LONG_HARD_ES, [("reading-level-es", "warning", None, None),
                                     ("sentence-length", "warning", None, None)]),
    ("parents", "en", LONG_SENTENCE, [("sentence-length", "warning", None, None)]),
    ("agency-staff", "en", LONG_SENTENCE, [("sentence-length", "warning", None, None)]),
    # negatives
    ("practitioners", "en", "Healthy marriage and strong families matter.", []),
    ("parents", "en", "Marriage can be hard; so can separation.", []),
    ("parents", "en", "The National Resource Center for Healthy Marriage and Families has tips.", []),
    ("parents", "en", "the national resource center for healthy marriage and families", []),
    ("agency-staff", "en", "Try the Healthy Relationship and Marriage Education Training, an Extension program.", []),
    ("practitioners", "en", 'See "Marriage Education Works" (2012) for the evidence.', []),
    ("parents", "en", "Read “Why Marriage Education Matters” at the library.", []),
    ("parents", "en", "Visit [the site](https://example.org/marriage-education) for more.", []),
    ("parents", "en", "Remarriage education is different.", []),
    ("practitioners", "en", "MRE programs vary by site.", []),
    ("parents", "en", "Summer meals are free.", []),
    ("parents", "en", "Marcus is a father of two. When Marcus lost his job, he called us.", []),
    ("agency-staff", "en", "A parent told Marcus that he was welcome.", []),
    ("parents", "en", "The father said he would come, and his son came too.", []),
    ("parents", "en", "Each father should know his rights.", []),
    ("agency-staff", "en", "Ask the parent what they need.", []),
    ("parents", "en", "The parent was absent. Parents matter.", []),
    ("parents", "en", "Share the headphones with each other.", []),
    ("parents", "en", "Educación matrimonial", []),  # Spanish rule, English text
    ("parents", "es", "El matrimonio y la familia.", []),
    ("practitioners", "en", LONG_HARD, []),
    ("parents", "en", LONG_EASY, []),
    ("parents", "en", "Administrative establishment of paternity necessitates comprehensive documentation.", []),
    ("practitioners", "en", LONG_SENTENCE, []),
    ("parents", "en", "Bring e.g. your ID, pay stubs from Dr. Lee, and the U.S. form 1.5 times. Then call us.", []),
]


@pytest.mark.parametrize(("audience", "locale", "text", "expected"), CASES)
def test_rules_table(audience: str, locale: str, text: str, expected: list) -> None:
    found = lint_text(text, audience=audience, locale=locale)
    got = [(f.rule, f.level, f.text if e[2] is not None else None, f.suggestion if e[3] is not None else None)
           for f, e in zip(found, expected, strict=False)]  # a count that differs is reported just below
    assert [f.rule for f in found] == [e[0] for e in expected], found
    assert got == [tuple(e) for e in expected]


def test_every_default_rule_has_positive_and_negative_cases() -> None:
    positives = {rule for *_, expected in CASES for rule, *_ in expected}
    assert set(default_rules().rules) <= positives
    assert any(not expected for *_, expected in CASES)


def test_he_or_she_has_two_suggestions_and_is_not_fixable() -> None:
    (finding,) = lint_text("Ask if he or she needs help.", audience="parents")
    assert finding.suggestions == ("they", "the person")
    assert not finding.fixable


def test_sentences_do_not_split_on_abbreviations_decimals_or_urls() -> None:
    text = "Bring e.g. your ID to Dr. Lee in the U.S. at 3.5 p.m. today. See https://x.org/a.b. Then call."
    spans = [text[a:b] for a, b in sentences(text)]
    assert spans == ["Bring e.g. your ID to Dr. Lee in the U.S. at 3.5 p.m. today.", "See https://x.org/a.b.",
                     "Then call."]


@pytest.mark.parametrize(("original", "expected"), [
    ("marriage education", "relationship education"),
    ("Marriage education", "Relationship education"),
    ("Marriage Education", "Relationship Education"),
    ("MARRIAGE EDUCATION", "RELATIONSHIP EDUCATION"),
    ("MRE", "relationship education"),
])
def test_suggestions_keep_capitalisation(original: str, expected: str) -> None:
    assert match_case("relationship education", original) == expected


# --------------------------------------------------------------------------- audiences


def test_audience_of_each_kind(tmp_path: Path) -> None:
    root = write_project(tmp_path, {
        "content/tipsheets/a.yaml": tipsheet(audience="practitioners"),
        "content/areas/ga.yaml": "state: GA\nname: Georgia\ncounties: [Clarke]\n",
    })
    catalog = load_project(root)
    assert not catalog.errors
    assert audience_of(catalog.get("tipsheets", "a")) == "practitioners"
    assert audience_of(catalog.get("areas", "ga")) == "agency-staff"


# --------------------------------------------------------------------------- positions

POSITIONS_YAML = """\
title: "Our Marriage Education guide"
subtitle: 'It''s marriage education'
audience: parents
date: 2024-05-01
intro:
  - id: why
    heading: See [our page](https://example.org/x) on marriage education
    body: |
      First line is fine.
        Indented [link](https://example.org) then marriage education here.
tips_heading: Tips
tips:
  - id: first
    heading: First
    body: >
      A folded block that talks about
      marriage education on its second line.
    bullets:
      - plain item about MRE
      - a plain scalar that runs
        over two lines and says deadbeat here
"""


def test_findings_point_at_line_and_column_in_the_yaml(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/pos.yaml": POSITIONS_YAML})
    catalog = load_project(root)
    assert not catalog.errors, catalog.errors
    found = [(f.file, f.line, f.col, f.field, f.rule, f.text) for f in lint_catalog(catalog, [])
             if f.rule != "sentence-length"]
    assert found == [
        ("content/tipsheets/pos.yaml", 1, 13, "title", "marriage-education", "Marriage Education"),
        ("content/tipsheets/pos.yaml", 2, 18, "subtitle", "marriage-education", "marriage education"),
        ("content/tipsheets/pos.yaml", 7, 55, "intro[0].heading", "marriage-education", "marriage education"),
        ("content/tipsheets/pos.yaml", 10, 51, "intro[0].body", "marriage-education", "marriage education"),
        ("content/tipsheets/pos.yaml", 17, 7, "tips[0].body", "marriage-education", "marriage education"),
        ("content/tipsheets/pos.yaml", 19, 26, "tips[0].bullets[0]", "mre-acronym", "MRE"),
        ("content/tipsheets/pos.yaml", 21, 33, "tips[0].bullets[1]", "stigmatising-terms", "deadbeat"),
    ]
    lines = POSITIONS_YAML.splitlines()
    for _, line, col, _, _, text in found:
        assert lines[line - 1][col - 1 : col - 1 + len(text)] == text


def test_spanish_files_and_translations_use_spanish_rules(tmp_path: Path) -> None:
    program = """\
    name: Co-parenting class
    provider: family-center
    description: A class for co-parents.
    audiences: [co-parents]
    format: online
    registration: {url: "https://example.org"}
    serves: [{state: GA, statewide: true}]
    verified: 2024-05-01
    translations:
      es:
        description: Una clase de educación matrimonial.
    """
    root = write_project(tmp_path, {
        "content/programs/class.yaml": program,
        "content/tipsheets/talk.es.yaml": tipsheet("Hablemos de educación matrimonial.", title="Hablemos"),
    })
    catalog = load_project(root)
    assert not catalog.errors, catalog.errors
    found = {(f.file, f.field, f.rule, f.locale, f.level) for f in lint_catalog(catalog, [])}
    assert found == {
        ("content/programs/class.yaml", "translations.es.description", "educacion-matrimonial", "es", "error"),
        ("content/tipsheets/talk.es.yaml", "tips[0].body", "educacion-matrimonial", "es", "error"),
    }


# --------------------------------------------------------------------------- suppression

SUPPRESSED = """\
title: Talking together
audience: parents
date: 2024-05-01
intro:
  - id: why
    heading: About marriage education  # tipsheets: ignore marriage-education
    # tipsheets: ignore all
    body: A deadbeat is not a word we use, nor MRE.
tips_heading: Tips
tips:
  - id: first
    heading: First about marriage education  # tipsheets: ignore gendered-pronouns
    body: Not ignored, marriage education.
# tipsheets: ignore stigmatising-terms
case_example:
  title: A story
  story: He was called a deadbeat once.
"""


def test_yaml_comments_suppress_findings_for_one_field(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/s.yaml": SUPPRESSED})
    catalog = load_project(root)
    assert not catalog.errors, catalog.errors
    found = [(f.line, f.field, f.rule) for f in lint_catalog(catalog, [])]
    assert found == [
        (12, "tips[0].heading", "marriage-education"),  # a different rule was ignored
        (13, "tips[0].body", "marriage-education"),
    ]


# --------------------------------------------------------------------------- templates

DESK_AID = """\
<!doctype html>
{# A desk aid for caseworkers #}
<h1 class="marriage-education">{{ office.name }}</h1>
<p>Refer parents to marriage education classes.</p>
<img src="x.png" alt="Marriage Education logo">
{{ "Ask about MRE" if show else "" }}
{% if x %}<p>Call a <b>deadbeat</b> hotline</p>{% endif %}
{# tipsheets: disable marriage-education #}
<p>Marriage education, quoted from the grant title.</p>
{# tipsheets: enable marriage-education #}
<p>After the block: marriage education.</p>
<!-- marriage education in an HTML comment -->
<script>var marriage_education = "marriage education";</script>
"""


def test_template_literal_text_is_linted_with_positions(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "desk-aid.html.j2").write_text(DESK_AID, encoding="utf-8")
    (templates / "flyer.html.j2").write_text("<p>Free MRE class for parents.</p>\n", encoding="utf-8")
    (templates / "print.css").write_text('.x::after { content: "marriage education"; }\n.marriage-education {}\n',
                                         encoding="utf-8")
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet()})
    found = [(f.file, f.line, f.col, f.rule, f.level, f.audience, f.text)
             for f in lint_catalog(load_project(root), [templates], template_audiences=template_audiences())]
    assert found == [
        ("templates/desk-aid.html.j2", 4, 21, "marriage-education", "error", "agency-staff", "marriage education"),
        ("templates/desk-aid.html.j2", 5, 23, "marriage-education", "error", "agency-staff", "Marriage Education"),
        ("templates/desk-aid.html.j2", 7, 24, "stigmatising-terms", "error", "agency-staff", "deadbeat"),
        ("templates/desk-aid.html.j2", 11, 21, "marriage-education", "error", "agency-staff", "marriage education"),
        ("templates/flyer.html.j2", 1, 9, "mre-acronym", "error", "parents", "MRE"),
        ("templates/print.css", 1, 23, "marriage-education", "error", "all", "marriage education"),
    ]


def test_template_text_keeps_offsets() -> None:
    source = "<p>{{ a }} hello <b>there</b></p>"
    visible = template_text(source, "x.html.j2")
    assert len(visible) == len(source)
    assert visible.split() == ["hello", "there"]
    css_in_block = '{% block extra_style %}@page { @top { content: "marriage education"; } }{% endblock %}<p>Hi</p>'
    assert template_text(css_in_block, "x.html.j2").split() == ["Hi"]
    assert template_text('<meta name="keywords" content="marriage education">', "x.html.j2").split() == []


def test_template_strings_inside_expressions_are_checked() -> None:
    visible = template_text('{{ _("Ask about MRE today") }}', "x.html.j2")
    assert "Ask about MRE today" in visible


def test_shipped_theme_templates_have_no_errors(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet()})
    errors = [f for f in lint_catalog(load_project(root), [REPO / "templates"]) if f.level == "error"]
    assert errors == []


# --------------------------------------------------------------------------- configuration

def test_config_switches_rules_off_and_sets_levels(tmp_path: Path) -> None:
    body = "Marriage education. Ask if he or she can come. The absent parent."
    root = write_project(tmp_path, {
        "content/tipsheets/a.yaml": tipsheet(body),
        "content/tipsheets/b.yaml": tipsheet(body),
    }, config="""\
    lint:
      rules:
        absent-parent: off
      audiences:
        parents:
          rules: {gendered-pronouns: error}
      documents:
        content/tipsheets/b.yaml:
          rules: {marriage-education: off}
      protected: [Ask if he or she can come]
    """)
    catalog = load_project(root)
    found = [(f.file[-6:], f.rule, f.level) for f in lint_catalog(catalog, [])]
    assert found == [("a.yaml", "marriage-education", "error")]


def test_project_rule_files_and_inline_rules(tmp_path: Path) -> None:
    root = write_project(tmp_path, {
        "content/tipsheets/a.yaml": tipsheet("Call the obligor. Use the CSE office."),
        "lint/house.yaml": """\
        rules:
          - id: obligor
            extends: substitution
            level: warning
            message: "Say '{suggestion}'."
            note: Parents do not know the legal term.
            swap: {obligor: parent who pays support}
        """,
    }, config="""\
    lint:
      rule_files: [lint/house.yaml]
      add_rules:
        - id: cse
          extends: existence
          level: suggestion
          ignorecase: false
          message: "Spell out '{match}'."
          note: Acronyms are jargon.
          tokens: [CSE]
    """)
    found = [(f.rule, f.level, f.suggestion) for f in lint_catalog(load_project(root), [])]
    assert found == [("obligor", "warning", "parent who pays support"), ("cse", "suggestion", None)]


@pytest.mark.parametrize(("config", "line", "col", "needle"), [
    ("lint:\n  rules:\n    marriage-educaton: off\n", 3, 5, "unknown rule 'marriage-educaton'"),
    ("lint:\n  rules:\n    deadbeat: loud\n", 3, 15, "'loud' is not one of"),
    ("lint:\n  colour: red\n", 2, 3, "unknown field 'colour'"),
    ("lint:\n  rule_files: [nope.yaml]\n", 2, 16, "does not exist"),
    ("lint:\n  add_rules:\n    - id: x\n      extends: substitution\n      level: error\n"
     "      message: m\n      note: n\n      swap: {'(unclosed': y}\n", 3, 7, "not a valid regular expression"),
])
def test_bad_lint_config_points_into_tipsheets_yaml(tmp_path: Path, config: str, line: int, col: int,
                                                     needle: str) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet()}, config=config)
    catalog = load_project(root)
    with pytest.raises(ContentError) as info:
        lint_catalog(catalog, [])
    assert info.value.file == "tipsheets.yaml"
    assert (info.value.line, info.value.col) == (line, col)
    assert needle in str(info.value)


def test_bad_rule_file_points_into_the_rule_file(tmp_path: Path) -> None:
    root = write_project(tmp_path, {
        "content/tipsheets/a.yaml": tipsheet(),
        "house.yaml": "rules:\n  - id: x\n    extends: metric\n    level: error\n    message: m\n    note: n\n",
    }, config="lint:\n  rule_files: [house.yaml]\n")
    with pytest.raises(ContentError) as info:
        load_settings(load_project(root).config.lint, root)
    assert info.value.file == "house.yaml"
    assert "formula" in info.value.message


# --------------------------------------------------------------------------- reports

def _findings(tmp_path: Path) -> tuple[Path, list[Finding]]:
    root = write_project(tmp_path,
                         {"content/tipsheets/a.yaml": tipsheet("Join marriage education. He or she can come.")})
    return root, lint_catalog(load_project(root), [])


def test_json_report_is_versioned(tmp_path: Path) -> None:
    _, findings = _findings(tmp_path)
    data = json.loads(to_json(findings))
    assert data["schema"] == "tipsheets-lint/1"
    assert data["summary"] == {"error": 1, "warning": 1, "suggestion": 0, "files": 1}
    first = data["findings"][0]
    assert {k: first[k] for k in ("file", "line", "col", "field", "rule", "level", "text", "suggestion")} == {
        "file": "content/tipsheets/a.yaml", "line": 13, "col": 12, "field": "tips[0].body",
        "rule": "marriage-education", "level": "error", "text": "marriage education",
        "suggestion": "relationship education"}
    assert first["fixable"] is True and first["note"] and first["locale"] == "en"


def test_sarif_report(tmp_path: Path) -> None:
    _, findings = _findings(tmp_path)
    sarif = json.loads(to_sarif(findings, default_rules()))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "marriage-education" in rule_ids
    result = run["results"][0]
    assert result["ruleId"] == "marriage-education" and result["level"] == "error"
    assert rule_ids[result["ruleIndex"]] == "marriage-education"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/tipsheets/a.yaml"
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (13, 12)
    assert run["results"][1]["level"] == "warning"


# --------------------------------------------------------------------------- command line

runner = CliRunner()


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["lint", *args])


def test_cli_exit_codes(tmp_path: Path) -> None:
    clean = write_project(tmp_path / "clean", {"content/tipsheets/a.yaml": tipsheet()})
    assert _run("--project", str(clean)).exit_code == 0

    warn = write_project(tmp_path / "warn", {"content/tipsheets/a.yaml": tipsheet("Ask if he or she can come.")})
    assert _run("--project", str(warn)).exit_code == 0
    assert _run("--project", str(warn), "--fail-on", "warning").exit_code == 1

    bad = write_project(tmp_path / "bad", {"content/tipsheets/a.yaml": tipsheet("Marriage education.")})
    result = _run("--project", str(bad), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["error"] == 1

    config = write_project(tmp_path / "config", {"content/tipsheets/a.yaml": tipsheet()},
                           config="lint:\n  rules: {nope: off}\n")
    result = _run("--project", str(config))
    assert result.exit_code == 2
    assert "tipsheets.yaml:2:11" in result.stderr

    broken = write_project(tmp_path / "broken", {"content/tipsheets/a.yaml": "title: [unclosed\n"})
    result = _run("--project", str(broken))
    assert result.exit_code == 2
    assert "content/tipsheets/a.yaml:" in result.stderr

    assert _run("--project", str(clean), "--format", "xml").exit_code == 64  # a usage error, not bad content


def test_cli_human_and_sarif_output(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet("Join marriage education.")})
    result = _run("--project", str(root))
    assert result.exit_code == 1
    assert "content/tipsheets/a.yaml" in result.stdout and "13:12" in result.stdout
    assert "marriage-education" in result.stdout
    sarif = json.loads(_run("--project", str(root), "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "marriage-education"


def test_gate_returns_errors_by_file(tmp_path: Path) -> None:
    root = write_project(tmp_path, {
        "content/tipsheets/a.yaml": tipsheet("Join marriage education. Ask if he or she can come."),
        "content/tipsheets/b.yaml": tipsheet(),
    })
    errors = gate(load_project(root), [])
    assert list(errors) == ["content/tipsheets/a.yaml"]
    assert [f.rule for f in errors["content/tipsheets/a.yaml"]] == ["marriage-education"]


# --------------------------------------------------------------------------- the shipped content

@pytest.mark.skipif(not any((REPO / "content").glob("*/*.yaml")),
                    reason="no content/ in this checkout (the shipped content lives on the main branch)")
def test_shipped_content_has_no_wording_errors(tmp_path: Path) -> None:
    catalog = load_project(REPO)  # files that do not load are `tipsheets validate`'s business
    errors = [f"{f.where()}: {f.rule}: {f.text!r}" for f in lint_catalog(catalog, [REPO / "templates"])
              if f.level == "error"]
    assert errors == []


# --------------------------------------------------------------------------- positions, by property

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

WORDS = st.sampled_from(["Call", "us", "today,", "the", "class", "**is**", "[free](https://x.org)", "for", "you."])


@hsettings(max_examples=40, deadline=None)
@given(before=st.lists(WORDS, max_size=12), after=st.lists(WORDS, max_size=6),
       style=st.sampled_from(["plain", "double", "literal", "folded"]), width=st.integers(2, 6))
def test_positions_match_the_raw_yaml_for_any_layout(tmp_path_factory, before, after, style, width) -> None:
    words = ["So", *before, "marriage", "education", *after]
    if style == "plain":
        value = " ".join(words)
    elif style == "double":
        value = '"' + " ".join(words) + '"'
    else:
        lines = [" ".join(words[i : i + width]) for i in range(0, len(words), width)]
        value = ("|" if style == "literal" else ">") + "\n" + "\n".join("      " + line for line in lines)
    root = write_project(tmp_path_factory.mktemp("p"), {"content/tipsheets/a.yaml": tipsheet()})
    path = root / "content/tipsheets/a.yaml"
    text = path.read_text(encoding="utf-8").replace("    body: Short and plain.", f"    body: {value}")
    path.write_text(text, encoding="utf-8")
    catalog = load_project(root)
    assert not catalog.errors, catalog.errors
    found = [f for f in lint_catalog(catalog, []) if f.rule == "marriage-education"]
    assert len(found) == 1
    f = found[0]
    line = text.splitlines()[f.line - 1]
    # the phrase itself, or its first word when the phrase runs over a line break
    assert line[f.col - 1 :].startswith("marriage")
    assert f.exact == line[f.col - 1 :].startswith(f.text)


def test_project_patterns_with_alternation_and_groups_are_matched(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"content/tipsheets/a.yaml": tipsheet("Ask each obligee. Then the payor calls.")},
                         config="""\
    lint:
      add_rules:
        - id: legal-terms
          extends: existence
          level: warning
          message: "Plain words, please: '{match}'."
          note: Parents do not know legal terms.
          tokens: ["obligor|obligee", "(?:payor|payer)"]
    """)
    found = [f.text for f in lint_catalog(load_project(root), [])]
    assert found == ["obligee", "payor"]
