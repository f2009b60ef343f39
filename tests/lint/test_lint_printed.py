"""The build judges what each handout prints: every printed field, and words that templates build.

Projects are built for real (screen HTML for the many variations, PDFs read back for the
end-to-end ones) and the refused handout must not be written.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipsheets.project import load_project
from tipsheets.cli import app
from tipsheets.lint.config import settings_for
from tipsheets.handouts import page_html as render_html, plan
from tipsheets.render.css import css_string
from tipsheets.render.environment import make_environment
from tipsheets.core.theme import theme_dirs

from conftest import AS_OF, pdf_text, squash
from _wording import copy_minimal, set_yaml

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
HIDDEN = "Marri\u200bage educ\u00adation"  # what the wording gate missed before it normalised text

PROGRAM = """\
name: Co-parenting class
provider: default
description: A class for parents who live apart.
audiences: [co-parents]
format: online
registration: {url: "https://example.org/classes", phone: "(706) 555-0100"}
serves: [{state: GA, statewide: true}]
sessions:
  - {start: 2027-01-12, weekday: Tuesday, time: "18:00-20:00", weeks: 6}
verified: 2026-11-01
"""


def _build(project: Path, *args: str) -> tuple[int, str, Path]:
    out = project / "output"
    result = runner.invoke(app, ["build", "--project", str(project), "--out", str(out), "--as-of", AS_OF,
                                 "--jobs", "1", "--no-gallery", *args])
    return result.exit_code, result.stdout + result.stderr, out


# --------------------------------------------------------------------------- what a reader gets from HTML

@pytest.mark.parametrize("html", [
    "<p>Marriage education</p>",
    "<p>Mar<em>ri</em>age <strong>edu</strong><a href='#x'>cation</a></p>",
    "<img alt='Marriage education' src='data:image/png;base64,AA=='>",
    "<span title='Marriage education'>x</span>",
    "<div aria-label='Marriage education'></div>",
    "<head><title>Marriage education</title></head>",
    "<meta name='description' content='Marriage education'>",
    "<meta name='author' content='Marriage education'>",
    "<meta name='keywords' content='Marriage education'>",
    "<style>@page { @bottom-left { content: \"Marriage education\"; } }</style>",
    "<style>p::after { content: 'Marriage' ' education' }</style>",
    f"<style>@page {{ @top-center {{ content: \"{css_string('Marriage education')}\"; }} }}</style>",
    "<style>h1 { string-set: t \"Marriage education\" }</style>",
    "<h2 style='bookmark-label: \"Marriage education\"'>x</h2>",
    "<p>Marriage&#x200B; educ&shy;ation</p>",
    "<p>Marriage<br>education</p>",
])
def test_printed_text_has_every_channel(html: str) -> None:
    from tipsheets.lint.printed import printed_text

    text = " ".join(printed_text(html).replace("\x00", " ").split())
    from tipsheets.lint.normalize import fold

    folded = fold(text)
    assert "marriage education" in (folded.text if folded else text).lower(), text


def test_printed_text_leaves_out_what_is_not_read() -> None:
    from tipsheets.lint.printed import printed_text

    html = ("<script>var s = 'Marriage education';</script><style>.marriage-education { color: red }</style>"
            "<!-- Marriage education --><p class='marriage education' id='marriage-education'>Hello</p>"
            "<meta name='generator' content='Marriage education'>")
    assert " ".join(printed_text(html).replace("\x00", " ").split()) == "Hello"


def test_css_strings_are_unescaped() -> None:
    from tipsheets.lint.printed import css_strings

    assert css_strings('x { content: "' + str(css_string("Marriage, education")) + '"; }') == ["Marriage, education"]
    assert css_strings('x { content: "\\4d arriage\\000020education"; }') == ["Marriage education"]
    assert css_strings("x { content: \"a\\\"b\" counter(page) 'c' }") == ['a"bc']


# --------------------------------------------------------------------------- words templates build

EXPRESSIONS = [
    '{{ "Marriage" ~ " education" }}',
    '{{ ["marriage", "education"]|join(" ") }}',
    '{{ "noitacude egairram"|reverse }}',
    '{{ "marriage%seducation"|format(" ") }}',
    '{% set w = "Marriage" %}{{ w }} education',
    '{{ "Marriage" }} education',
    '{{ "marriage"|title }} {{ "education" }}',
    '{{ "Marri" ~ "age" }} {{ "educ" ~ "ation" }}',
    '{{ "MARRIAGE"|lower }}{{ " " }}{{ "EDUCATION"|lower }}',
    '{{ "m\\u0430rriage" }} education',
]


def _template_project(tmp_path: Path, block: str, body: str) -> Path:
    project = copy_minimal(tmp_path)
    (project / "templates").mkdir()
    (project / "templates/tipsheet.html.j2").write_text(textwrap.dedent(f"""\
        {{% extends "builtin/tipsheet.html.j2" %}}
        {{% block {block} %}}
        {body}
        {{% endblock %}}
        """), encoding="utf-8")
    return project


@pytest.mark.parametrize("expression", EXPRESSIONS)
@pytest.mark.parametrize("block", ["body", "title", "description", "author"])
def test_words_a_template_builds_stop_the_handout(tmp_path: Path, expression: str, block: str) -> None:
    body = f"<p>{expression}</p>" if block == "body" else expression
    project = _template_project(tmp_path, block, body)
    code, output, out = _build(project, "--format", "html")
    assert code == 2, output
    # at the line that writes the words, or (when it has none of them) at the project's template, line 1
    assert ("templates/tipsheet.html.j2:3:" in output or "templates/tipsheet.html.j2:1:1:" in output), output
    assert "[marriage-education]" in output and str(REPO) not in output
    assert not (out / "tipsheets/demo.html").exists()


@pytest.mark.parametrize("markup", [
    '<img alt="{{ "Marriage" }} education" src="data:image/png;base64,iVBORw0KGgo=">',
    '<span aria-label="{{ "Marriage" }} education">Hello</span>',
    '<span title="{{ "Marriage" }} education">Hello</span>',
    '<style>@page { @top-center { content: "{{ "Marriage"|css }} education"; } }</style>',
    '<style>h1 { string-set: x "{{ "Marriage" }} education" }</style>',
])
def test_attributes_and_css_that_templates_build_are_judged(tmp_path: Path, markup: str) -> None:
    project = _template_project(tmp_path, "body", markup)
    code, output, out = _build(project, "--format", "html")
    assert code == 2 and "templates/tipsheet.html.j2:3:" in output, output
    assert not (out / "tipsheets/demo.html").exists()


def test_a_phrase_split_between_a_field_and_the_template_is_reported_at_the_template(tmp_path: Path) -> None:
    project = _template_project(tmp_path, "body", "<p>{{ sheet.product_number }} education</p>")
    set_yaml(project / "content/tipsheets/demo.yaml", "product_number", "Marriage")
    code, output, out = _build(project, "--format", "html")
    assert code == 2, output
    assert "templates/tipsheet.html.j2:3:" in output
    assert not (out / "tipsheets/demo.html").exists()


def test_template_directives_still_switch_the_rule_off_for_their_own_words(tmp_path: Path) -> None:
    project = _template_project(tmp_path, "body", "{# tipsheets: disable marriage-education #}"
                                "<p>{{ 'Marriage' }} education</p>{# tipsheets: enable marriage-education #}")
    code, output, out = _build(project, "--format", "html")
    assert code == 0, output
    assert (out / "tipsheets/demo.html").is_file()


def test_no_lint_skips_the_printed_check_too(tmp_path: Path) -> None:
    project = _template_project(tmp_path, "body", "<p>{{ 'Marriage' }} education</p>")
    code, output, out = _build(project, "--format", "html", "--no-lint")
    assert code == 0, output


# --------------------------------------------------------------------------- the judge, field by field

def _judge(project: Path, target_stem: str = "tipsheets/demo"):  # noqa: ANN202
    from tipsheets.lint.printed import PrintedJudge

    catalog = load_project(project)
    target = next(t for t in plan(catalog, __import__("datetime").date(2026, 11, 25)) if t.stem == target_stem)
    env = make_environment(project, locale=target.locale)
    html = render_html(target, catalog, env, as_of=__import__("datetime").date(2026, 11, 25), for_print=False)
    judge = PrintedJudge(settings_for(catalog), catalog.root, theme_dirs(project))
    return judge.judge_target(target, catalog, env, [html])


def test_a_finding_points_at_the_field_that_prints_it(tmp_path: Path) -> None:
    project = copy_minimal(tmp_path)
    path = project / "content/tipsheets/demo.yaml"
    text = path.read_text(encoding="utf-8").replace("    body: Train them well.",
                                                    "    body: Train them in mar*ri*age education.")
    path.write_text(text, encoding="utf-8")
    (finding,) = _judge(project)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "mar*ri*age" in ln)
    assert (finding.file, finding.line, finding.field) == ("content/tipsheets/demo.yaml", line, "tips[1].body")
    assert finding.col == len("    body: Train them in ") + 1
    assert finding.rule == "marriage-education" and not finding.fixable


def test_suppressions_and_exclusions_of_the_field_still_apply(tmp_path: Path) -> None:
    project = copy_minimal(tmp_path)
    path = project / "content/tipsheets/demo.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    heading: Train staff", "    heading: Train staff in marriage education  "
                        "# tipsheets: ignore marriage-education")
    text = text.replace("  - text: Office of Child Support Enforcement.", "  - text: Marriage Education Works.")
    path.write_text(text, encoding="utf-8")
    assert _judge(project) == []


def test_rendered_templates_follow_extends_and_includes(tmp_path: Path) -> None:
    from tipsheets.lint.printed import rendered_templates

    project = _template_project(tmp_path, "body", "<p>Hello</p>")
    env = make_environment(project)
    names = rendered_templates(env, "tipsheet.html.j2")
    assert names[:2] == ["tipsheet.html.j2", "builtin/tipsheet.html.j2"]
    assert {"base/page.html.j2", "base/macros.html.j2", "base/style.css.j2"} <= set(names)


# --------------------------------------------------------------------------- every printed field

FIELDS = [
    ("content/tipsheets/demo.yaml", "product_number"),
    ("content/tipsheets/demo.yaml", "title"),
    ("content/tipsheets/demo.yaml", "subtitle"),
    ("content/tipsheets/demo.yaml", "authors.0.name"),
    ("content/tipsheets/demo.yaml", "authors.0.role"),
    ("content/tipsheets/demo.yaml", "authors.0.organisation"),
    ("content/tipsheets/demo.yaml", "contact.heading"),
    ("content/tipsheets/demo.yaml", "contact.body"),
    ("content/tipsheets/demo.yaml", "funding"),
    ("content/tipsheets/demo.yaml", "sidebars.0.items.0.term"),
    ("content/tipsheets/demo.yaml", "case_example.title"),
    ("content/brands/default.yaml", "meta.name.short"),
    ("content/brands/default.yaml", "meta.name.full"),
    ("content/brands/default.yaml", "logo.images.mark.alt"),
]


@pytest.mark.parametrize(("file", "field"), FIELDS)
@pytest.mark.parametrize("written", ["Marriage education", HIDDEN, "M\u0430rriage *education*"])
def test_every_printed_field_is_checked(tmp_path: Path, file: str, field: str, written: str) -> None:
    project = copy_minimal(tmp_path)
    set_yaml(project / file, field, f"{written} center")
    code, output, out = _build(project, "--format", "html")
    assert code == 2, output
    assert f"{file}:" in output and "marriage-education" in output
    assert not (out / "tipsheets/demo.html").exists()
    lint = runner.invoke(app, ["lint", "--project", str(project)])
    assert lint.exit_code == 1 and file in lint.stdout


def test_the_brand_funding_and_address_are_checked(tmp_path: Path) -> None:
    project = copy_minimal(tmp_path)
    set_yaml(project / "content/brands/default.yaml", "funding", f"Funded by the {HIDDEN} grant.")
    set_yaml(project / "content/tipsheets/demo.yaml", "funding", "")
    code, output, _ = _build(project, "--format", "html")
    assert code == 2 and "content/brands/default.yaml:" in output, output


def test_a_brand_name_on_a_flyer_for_parents_is_held_to_the_parents_rules(tmp_path: Path) -> None:
    project = copy_minimal(tmp_path)
    (project / "content/programs").mkdir()
    (project / "content/programs/class.yaml").write_text(PROGRAM, encoding="utf-8")
    set_yaml(project / "content/brands/default.yaml", "meta.name.full", "The MRE Partnership")
    code, output, out = _build(project, "--format", "html")
    assert code == 2 and "mre-acronym" in output, output
    assert not (out / "flyers/class.html").exists()


# --------------------------------------------------------------------------- the PDF, read back

@pytest.mark.parametrize("case", ["product-number", "template", "logo-alt"])
def test_a_refused_handout_writes_no_pdf(tmp_path: Path, case: str) -> None:
    if case == "template":
        project = _template_project(tmp_path, "body", "<p>{{ 'Marriage' ~ ' education' }}</p>")
    else:
        project = copy_minimal(tmp_path)
        field = "product_number" if case == "product-number" else "logo.images.mark.alt"
        file = "content/tipsheets/demo.yaml" if case == "product-number" else "content/brands/default.yaml"
        set_yaml(project / file, field, HIDDEN)
    code, output, out = _build(project, "--format", "pdf")
    assert code == 2, output
    assert not (out / "tipsheets/demo.pdf").exists()


def test_the_same_project_with_clean_words_prints_them(tmp_path: Path) -> None:
    project = _template_project(tmp_path, "body", "<p>{{ 'Relationship' ~ ' education' }}</p>")
    set_yaml(project / "content/tipsheets/demo.yaml", "product_number", "Relationship education 037")
    code, output, out = _build(project, "--format", "pdf")
    assert code == 0, output
    text = squash(pdf_text(out / "tipsheets/demo.pdf"))
    assert "Relationship education" in text and "Relationship education 037" in text


@pytest.mark.skipif(not any((REPO / "content").glob("*/*.yaml")), reason="no shipped content in this checkout")
def test_the_shipped_content_still_builds_with_no_findings(tmp_path: Path) -> None:
    project = tmp_path / "shipped"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    result = runner.invoke(app, ["build", "--project", str(project), "--as-of", AS_OF, "--jobs", "2", "--no-gallery"])
    assert result.exit_code == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert " 0 failed" in output and "  failed " not in output and "wording" not in output, output
    assert len(list((project / "output").rglob("*.pdf"))) >= 20
