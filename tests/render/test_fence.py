"""Nothing a content file or project template says can read outside the project or reach the network.

Each test tries one way out: a logo path, an SVG logo that names another file,
a project template that loads a file, a stylesheet, an include, a symbolic
link, Markdown and Jinja inside content, CSS inside a brand name.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest

from hostile_project import LOGO, make_project, run_cli, sheet
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.project import load_project
from tipsheets.project import check_project
from tipsheets.core.markdown import render_block, render_inline
from tipsheets.print.printer import FetchRefused, Printer, _fetcher_class
from tipsheets.handouts import page_html as render_html
from tipsheets.render.environment import make_environment
from tipsheets.render.fence import external_references
from tipsheets.core.theme import builtin_theme
from tipsheets.check import images

SECRET = "TOP-SECRET-DO-NOT-PRINT"
BRAND = "content/brands/default.yaml"
AS_OF = dt.date(2024, 6, 1)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project whose contents must never appear anywhere."""
    file = tmp_path / "outside" / "secret.svg"
    file.parent.mkdir()
    file.write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><text>{SECRET}</text></svg>')
    return file


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {"one": sheet(), "two": sheet(title="Second")})


def _build(project: Path, formats: tuple[str, ...] = ("pdf", "html")):  # noqa: ANN202
    return build(Options(project=project, out_dir=project / "output", formats=formats, as_of=AS_OF))


def _leaks(project: Path) -> list[Path]:
    out = project / "output"
    return [f for f in out.rglob("*") if f.is_file() and SECRET.encode() in f.read_bytes()] if out.exists() else []


# --------------------------------------------------------------------------- the fetcher itself


def _fetch(project: Path, url: str):  # noqa: ANN202
    return _fetcher_class()([project, builtin_theme()]).fetch(url)


def test_fetcher_serves_project_files_theme_fonts_and_data_images(project: Path) -> None:
    assert _fetch(project, (project / "content/brands/logos/default.svg").as_uri())
    assert _fetch(project, (builtin_theme() / "base" / "fonts" / "Lato-Regular.ttf").as_uri())
    assert _fetch(project, "data:image/svg+xml;base64," + base64.b64encode(LOGO.encode()).decode())


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "file://localhost/etc/passwd",
    "file://evil.example/share/x.png",
    "http://127.0.0.1/x.png",
    "https://example.org/x.css",
    "HTTPS://example.org/x.css",
    "ftp://example.org/x",
    "gopher://example.org/x",
    "javascript:alert(1)",
    "about:blank",
    "x-unknown:thing",
    "//example.org/x.png",
])
def test_fetcher_refuses_everything_else(project: Path, secret: Path, url: str) -> None:
    with pytest.raises(FetchRefused, match="refused"):
        _fetch(project, url)


def test_fetcher_refuses_dot_dot_and_links_out(project: Path, secret: Path) -> None:
    with pytest.raises(FetchRefused, match="outside the project"):
        _fetch(project, project.as_uri() + "/content/../../outside/secret.svg")
    with pytest.raises(FetchRefused, match="outside the project"):
        _fetch(project, project.as_uri() + "/%2e%2e/outside/secret.svg")
    (project / "content" / "link.svg").symlink_to(secret)
    with pytest.raises(FetchRefused, match="outside the project"):
        _fetch(project, (project / "content" / "link.svg").as_uri())


def test_a_refusal_inside_an_svg_still_fails_the_render(project: Path, secret: Path) -> None:
    """WeasyPrint catches errors while drawing an SVG; the printer must not let that hide a refusal."""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="{secret.as_uri()}"/></svg>'
    html = f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    with pytest.raises(FetchRefused, match="outside the project"):
        Printer([project, builtin_theme()]).print(html, base_url=project.as_uri() + "/", identifier="x")


# --------------------------------------------------------------------------- brand logos


def _set_logo(project: Path, path: str) -> None:
    file = project / BRAND
    file.write_text(file.read_text().replace("path: logos/default.svg", f"path: {path}"))


@pytest.mark.parametrize(("path", "message"), [
    ("../../../../etc/passwd.svg", "'../../../../etc/passwd.svg' points outside the project "
                                   "(hint: keep images inside the project)"),
    ("../../../../etc/passwd", "'../../../../etc/passwd' is not the name of an image file: it has no extension"),
    ("/etc/passwd", "'/etc/passwd' must be a file path relative to this file (hint: put the image in the project "
                    "and name it relatively, e.g. logos/mark.svg)"),
    ("http://example.org/logo.svg", "'http://example.org/logo.svg' must be a file path relative to this file"),
    ("file:///etc/passwd", "'file:///etc/passwd' must be a file path relative to this file"),
    ("'data:image/svg+xml,<svg/>'", "'data:image/svg+xml,<svg/>' must be a file path relative to this file"),
    ("logos/missing.svg", "image file 'logos/missing.svg' does not exist"),
    ("logos", "'logos' is not the name of an image file: it has no extension"),
    ("logos.svg", "image file 'logos.svg' does not exist"),
    ("logos/" + "a" * 5000 + ".svg", "image file 'logos/" + "a" * 74 + "...' cannot be read: File name too long"),
    ("logos/loop.svg", "image file 'logos/loop.svg' cannot be read: a loop of symbolic links"),
])
def test_logo_paths_that_leave_the_project_are_errors_in_the_brand_file(project: Path, path: str,
                                                                         message: str) -> None:
    (project / "content/brands/logos/loop.svg").symlink_to("loop-back.svg")
    (project / "content/brands/logos/loop-back.svg").symlink_to("loop.svg")
    (project / "content/brands/logos.svg").mkdir()
    _set_logo(project, path)
    catalog = load_project(project)
    # brand_yml refuses a path with no extension as it reads the file; the checks find the rest
    lines = [e.format() for e in catalog.errors] or [p.format() for p in check_project(catalog) if p.level == "error"]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{BRAND}:9:13: logo.images.mark.path: {message}")
    result = _build(project)
    assert [o.status for o in result.outcomes] == ["failed", "failed"]
    assert not (project / "output").exists()


def test_a_logo_linked_to_outside_the_project_is_refused(project: Path, secret: Path) -> None:
    (project / "content/brands/logos/linked.svg").symlink_to(secret)
    _set_logo(project, "logos/linked.svg")
    result = run_cli("build", cwd=project)
    assert result.returncode == 2
    assert f"{BRAND}:9:13: logo.images.mark.path: 'logos/linked.svg' points outside the project" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert not _leaks(project)


@pytest.mark.parametrize(("svg_body", "found"), [
    ('<image href="{uri}" width="9" height="9"/>', "refers to '{uri}'"),
    ('<image xlink:href="{uri}" width="9" height="9"/>', "refers to '{uri}'"),
    ("<image href='http://example.org/pixel.png'/>", "refers to 'http://example.org/pixel.png'"),
    ('<rect style="fill: url(https://example.org/p.svg#g)"/>', "refers to 'https://example.org/p.svg#g'"),
    ('<style>@import "https://example.org/x.css";</style>', "refers to 'https://example.org/x.css'"),
    ('<use href="other.svg#shape"/>', "refers to 'other.svg#shape'"),
    ('<script>alert(1)</script>', "contains a script"),
    ('<rect onload="alert(1)"/>', "contains a script"),
])
def test_an_svg_logo_that_loads_something_is_an_error_in_the_brand_file(project: Path, secret: Path,
                                                                        svg_body: str, found: str) -> None:
    uri = secret.as_uri()
    body = svg_body.format(uri=uri)
    shown = uri if len(uri) <= 80 else uri[:80] + "..."
    (project / "content/brands/logos/default.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="9" height="9">{body}<circle r="4"/></svg>')
    result = run_cli("build", cwd=project)
    assert result.returncode == 2
    expected = (f"{BRAND}:9:13: logo.images.mark.path: the SVG image 'logos/default.svg' "
                f"{found.format(uri=shown)}")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "output").exists()


def test_an_svg_with_an_external_entity_is_an_error(project: Path, secret: Path) -> None:
    (project / "content/brands/logos/default.svg").write_text(
        f'<!DOCTYPE svg [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')
    lines = [p.format() for p in check_project(load_project(project)) if p.level == "error"]
    assert lines == [f"{BRAND}:9:13: logo.images.mark.path: the SVG image 'logos/default.svg' declares XML "
                     "entities, which are not allowed (hint: delete the <!DOCTYPE ...> part: an SVG needs none)"]


def test_the_printer_refuses_an_svg_reference_even_if_the_check_missed_it(project: Path, secret: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: with the SVG check switched off, rendering still refuses and names the brand field."""
    monkeypatch.setattr(images, "svg_problem", lambda svg, **kw: "")
    (project / "content/brands/logos/default.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="{secret.as_uri()}" '
        'width="9" height="9"/></svg>')
    result = _build(project, formats=("pdf",))
    assert [o.status for o in result.outcomes] == ["failed", "failed"]
    error = result.outcomes[0].errors[0]
    assert error.startswith(f"{BRAND}:9:13: logo.images.mark.path: refused to read ")
    assert error.endswith("secret.svg: it is outside the project")
    assert not _leaks(project)


# --------------------------------------------------------------------------- project templates


def _override(project: Path, name: str, text: str) -> None:
    folder = project / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)


def wrap(body: str) -> str:
    return '{% extends "base.html.j2" %}{% block body %}' + body + "{% endblock %}"


@pytest.mark.parametrize(("name", "text", "error"), [
    ("tipsheet.html.j2", wrap('<img src="{uri}" alt="x">'), "refused"),
    ("tipsheet.html.j2", wrap('<img src="../outside/secret.svg" alt="x">'), "refused"),
    ("tipsheet.html.j2", wrap('<link rel="stylesheet" href="http://example.org/x.css">'), "refused"),
    ("tipsheet.html.j2", wrap('<script src="https://example.org/x.js"></script>'), "html-only"),
    ("tipsheet.html.j2", wrap('<iframe src="https://example.org/"></iframe>'), "html-only"),
    ("tipsheet.html.j2", wrap('<p style="background: url(https://example.org/p.png)">x</p>'),
     "refused"),
    ("tipsheet.html.j2", wrap('<meta http-equiv="refresh" content="0;url=https://example.org">'),
     "html-only"),
    ("style.css.j2", "body { background: url(https://example.org/pixel.png) }", "refused"),
    ("style.css.j2", '@import "{uri}";', "refused"),
    ("style.css.j2", '@font-face { font-family: "X"; src: url("{uri}"); } body { font-family: "X" }', "refused"),
    ("tipsheet.html.j2", wrap('{% include "../../outside/secret.svg" %}'), "not found or not allowed"),
    ("tipsheet.html.j2", wrap('{% include "{path}" %}'), "not found or not allowed"),
    ("tipsheet.html.j2", wrap("{{ ''.__class__.__mro__[1].__subclasses__() }}"), "template"),
    ("tipsheet.html.j2", wrap("{{ sheet.__init__.__globals__ }}"), "template"),
    ("tipsheet.html.j2", wrap("{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
     "template"),
    ("tipsheet.html.j2", wrap("{% for x in %}"), "template syntax error"),
])
@pytest.mark.parametrize("formats", [("pdf",), ("html",)])
def test_a_project_template_cannot_read_out_or_reach_the_network(project: Path, secret: Path, name: str,
                                                                 text: str, error: str,
                                                                 formats: tuple[str, ...]) -> None:
    """PDF: the fetcher refuses what WeasyPrint would load (it never runs scripts or frames).
    HTML: anything a browser would load or run is refused."""
    _override(project, name, text.replace("{uri}", secret.as_uri()).replace("{path}", str(secret)))
    result = _build(project, formats=formats)
    if error == "html-only":
        if formats == ("pdf",):
            assert [o.status for o in result.outcomes] == ["built", "built"]
            assert not _leaks(project)
            return
        error = "refused"
    assert [o.status for o in result.outcomes] == ["failed", "failed"]
    for outcome in result.outcomes:
        assert len(outcome.errors) == 1 and "\n" not in outcome.errors[0]
        assert outcome.errors[0].startswith("templates/") or outcome.errors[0].startswith("templates:")
        assert error in outcome.errors[0]
        assert not outcome.internal
    assert not _leaks(project)
    assert not list((project / "output").rglob("*.*")) if (project / "output").exists() else True


def test_a_template_linked_to_outside_is_not_read(project: Path, secret: Path) -> None:
    _override(project, "tipsheet.html.j2", wrap('{% include "evil.html.j2" %}'))
    (project / "templates" / "evil.html.j2").symlink_to(secret)
    result = _build(project, formats=("html",))
    assert [o.status for o in result.outcomes] == ["failed", "failed"]
    # refused before any handout renders: the project's check names the link, and each handout says why it waits
    assert "templates/evil.html.j2 is not read" in result.outcomes[0].errors[0]
    said = [p.format() for p in result.problems if p.file == "templates/evil.html.j2"]
    assert len(said) == 1 and "link" in said[0] and "outside" in said[0], said
    assert not _leaks(project)


def test_the_wording_gate_does_not_read_a_template_linked_to_outside(project: Path, secret: Path) -> None:
    from tipsheets.lint.engine import template_files

    _override(project, "mine.html.j2", "<p>ok</p>")
    (project / "templates" / "evil.html.j2").symlink_to(secret)
    names = [p.name for _, p in template_files([project / "templates"])]
    assert names == ["mine.html.j2"]


def test_a_bad_template_exits_2_with_one_line_through_the_command_line(project: Path) -> None:
    _override(project, "tipsheet.html.j2", wrap('<img src="https://example.org/p.png" alt="">'))
    result = run_cli("build", "--format", "html", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "templates/tipsheet.html.j2:1:1: template: refused to publish HTML that loads " \
           "'https://example.org/p.png'" in result.stderr


# --------------------------------------------------------------------------- content in the page

HOSTILE_MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[x](file:///etc/passwd)",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<a href='javascript:alert(1)'>x</a>",
    "![img](https://example.org/pixel.png)",
    "[x](https://ok.example\" onclick=\"alert(1))",
    "<svg onload=alert(1)>",
    "<style>body{background:url(https://example.org/p)}</style>",
    "[x][r]\n\n[r]: javascript:alert(1)",
]


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_markdown_cannot_make_html_scripts_handlers_or_unsafe_links(text: str) -> None:
    for html in (str(render_block(text)), str(render_inline(text))):
        assert "<script" not in html.lower()
        assert "<img" not in html and "<svg" not in html and "<style" not in html
        assert not re.search(r"<[^>]*\son\w+\s*=", html)
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.lower().startswith(("http:", "https:", "mailto:", "tel:", "#ref-")), href
        assert not external_references(html)


def test_safe_links_still_work() -> None:
    assert str(render_inline("[site](https://example.org) [mail](mailto:a@b.org) [call](tel:+15555550100)")) == (
        '<a href="https://example.org">site</a> <a href="mailto:a@b.org">mail</a> '
        '<a href="tel:+15555550100">call</a>')


def test_jinja_and_html_in_content_are_printed_literally(project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "evaluated"
    title = "'{{ 7*7 }} <b>bold</b> {% include \"base.html.j2\" %}'"
    body = ("{{ 6*7 }} {% raw %}{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
            "{% endraw %} <script>alert(1)</script>")
    (project / "content/tipsheets/one.yaml").write_text(sheet(title=title, body=body))
    catalog = load_project(project)
    [target] = [t for t in __import__("tipsheets.handouts", fromlist=["plan"]).plan(catalog, AS_OF) if t.id == "one"]
    html = render_html(target, catalog, make_environment(project), as_of=AS_OF, for_print=False)
    assert "{{ 7*7 }} &lt;b&gt;bold&lt;/b&gt; {% include &#34;base.html.j2&#34; %}" in html
    assert "{{ 6*7 }} {% raw %}" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not marker.exists()


def test_a_brand_name_cannot_break_out_of_the_page_stylesheet(project: Path) -> None:
    """The short name is printed inside a CSS string in <style>, where HTML escaping does not help."""
    brand = project / BRAND
    brand.write_text(brand.read_text().replace(
        "short: Family Partnership",
        'short: "x\\\\\\n} body { background: url(https://example.org/pixel.png) } p { color: red"'))
    result = _build(project, formats=("html", "pdf"))
    assert [o.status for o in result.outcomes] == ["built", "built"], result.outcomes[0].errors
    html = (project / "output/tipsheets/one.html").read_text()
    assert "url(https://example.org" not in html
    assert not external_references(html)
