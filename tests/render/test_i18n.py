"""Spanish editions: complete catalogues, strict lookups, locale formatting, Spanish PDFs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from babel.messages.extract import extract_from_dir
from typer.testing import CliRunner

from tipsheets.render import i18n
from tipsheets.cli import app
from conftest import AS_OF, FIXTURES, REPO, pdf_text, squash

runner = CliRunner()
LOCALES = ("en", "es")


def build(project: Path, *args: str):
    return runner.invoke(app, ["build", "--project", str(project), "--as-of", AS_OF, *args])


def extracted() -> dict[str, list[str]]:
    """msgid → where it is used, straight from the templates and code (not from the .pot)."""
    method_map = [("templates/**.j2", "jinja2"), ("src/tipsheets/render/i18n.py", "python")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                   "lstrip_blocks": "True", "newstyle_gettext": "True"}}
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options, keywords={"_": None, "gettext": None, "ngettext": (1, 2)}):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def fragments(msgid: str) -> list[str]:
    """The literal pieces of a message around its %(name)s placeholders."""
    return [part.strip(" :#") for part in re.split(r"%\(\w+\)s", msgid) if len(part.strip(" :#")) > 1]


# --------------------------------------------------------------------------- catalogues


def test_template_strings_are_extracted() -> None:
    found = extracted()
    for msgid in ("References", "Source:", "Page %(page)s of %(pages)s", "Free", "in partnership with"):
        assert msgid in found, msgid


@pytest.mark.parametrize("locale", LOCALES)
def test_every_template_string_is_translated(locale: str) -> None:
    """A new template string without a translation fails here, before any build does."""
    catalogue = i18n.message_catalogue(locale)
    untranslated = []
    for msgid, where in extracted().items():
        message = catalogue.get(msgid)
        strings = () if message is None else (
            message.string if isinstance(message.string, tuple) else (message.string,))
        if message is None or message.fuzzy or not all(strings):
            untranslated.append(f"{msgid!r} ({where[0]})")
    assert not untranslated, f"untranslated in {locale}: {untranslated} (see docs/i18n.md)"


def test_pot_matches_the_templates() -> None:
    pot = {m.id if isinstance(m.id, str) else m.id[0] for m in i18n.template_strings() if m.id}
    assert pot == set(extracted()), "run the extract command in docs/i18n.md"


def test_placeholders_survive_translation() -> None:
    catalogue = i18n.message_catalogue("es")
    for message in catalogue:
        if message.id:
            names = set(re.findall(r"%\((\w+)\)s", str(message.id)))
            assert set(re.findall(r"%\((\w+)\)s", str(message.string))) == names, message.id


def test_english_catalogue_is_the_source_text() -> None:
    for message in i18n.message_catalogue("en"):
        if message.id:
            assert message.string == message.id


def test_strict_lookup_refuses_missing_and_fuzzy() -> None:
    from babel.messages.catalog import Catalog

    catalogue = Catalog(locale="es", domain="tipsheets")
    catalogue.add("References", "Referencias")
    catalogue.add("Source:", "Fuente:", flags=["fuzzy"])
    catalogue.add("Web:", "")
    strict = i18n.StrictTranslations("es", catalogue)
    assert strict.gettext("References") == "Referencias"
    for msgid in ("Case example", "Source:", "Web:"):
        with pytest.raises(i18n.MissingTranslation, match="Spanish translation for"):
            strict.gettext(msgid)


# --------------------------------------------------------------------------- formatting


def fmt(locale: str) -> i18n.Formatter:
    return i18n.Formatter(locale, i18n.translations(locale).gettext)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u2009", " ").replace("\xa0", " ")


def test_spanish_dates() -> None:
    es, en = fmt("es"), fmt("en")
    assert es.date(dt.date(2012, 5, 1), "month") == "mayo de 2012"
    assert es.date(dt.date(2012, 5, 1), "MMMM y") == "mayo de 2012"
    assert es.date(dt.date(2026, 12, 1)) == "1 de diciembre de 2026"
    assert es.date(dt.date(2026, 12, 1), "full") == "martes, 1 de diciembre de 2026"
    assert es.date(dt.date(2026, 12, 1), "day") == "1 de diciembre"
    assert en.date(dt.date(2026, 12, 1)) == "December 1, 2026"
    assert en.date(dt.date(2012, 5, 1), "month") == "May 2012"
    assert es.weekday("Saturday") == "sábado" and en.weekday(dt.date(2026, 12, 1)) == "Tuesday"


def test_times_money_lists_and_phones() -> None:
    es, en = fmt("es"), fmt("en")
    assert plain(en.time("18:00-20:00")) == "6:00–8:00 PM"
    assert plain(es.time("18:00-20:00")) == "6:00–8:00 p.m."
    assert plain(es.time("10:00-12:30")) == "10:00 a.m.–12:30 p.m."
    assert plain(es.datespan(dt.date(2027, 1, 12), dt.date(2027, 2, 16))) == "12 de ene–16 de feb"
    assert en.money(0) == "Free" and es.money(0) == "Gratis"
    assert en.money(25) == "$25" and es.money(25) == "$25" and en.money(12.5) == "$12.50"
    assert en.list(["Clarke", "Oconee", "Barrow"]) == "Clarke, Oconee, and Barrow"
    assert es.list(["Clarke", "Oconee", "Barrow"]) == "Clarke, Oconee y Barrow"
    assert es.language("es") == "español" and en.language("es") == "Spanish"
    assert i18n.phone("706.555.0142") == i18n.phone("+1 706 555 0142") == "(706) 555-0142"
    assert i18n.phone("1 (800) 799-7233") == "1-800-799-7233"
    assert i18n.phone("ask at the desk") == "ask at the desk"
    assert i18n.phone_uri("(706) 555-0142") == "tel:+1-706-555-0142"


# --------------------------------------------------------------------------- builds


@pytest.fixture
def bilingual(minimal: Path) -> Path:
    """The minimal project with a Spanish edition of its tip sheet."""
    shutil.copy(FIXTURES / "spanish" / "demo.es.yaml", minimal / "content" / "tipsheets" / "demo.es.yaml")
    return minimal


class _Text(HTMLParser):
    """Visible text of an HTML page, leaving out passages marked as another language."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang, self.stack, self.parts, self.langs = lang, [], [], []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attrs = dict(attrs)
        if "lang" in attrs:
            self.langs.append((tag, attrs["lang"]))
        if tag not in {"meta", "img", "br", "link"}:
            self.stack.append((tag, attrs.get("lang")))

    def handle_endtag(self, tag):  # noqa: ANN001
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):  # noqa: ANN001
        if any(tag in {"style", "script"} for tag, _ in self.stack):
            return
        langs = [lang for _, lang in self.stack if lang]
        if not langs or langs[-1] == self.lang:
            self.parts.append(data)


def english_leftovers(text: str) -> list[str]:
    """Every English template string (one that Spanish translates differently) found in ``text``."""
    spanish = i18n.message_catalogue("es")
    found = []
    for msgid in extracted():
        message = spanish.get(msgid)
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = " ".join(message.string if isinstance(message.string, tuple) else (message.string,))
        for piece in (piece for form in english for piece in fragments(form)):
            word = re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)")
            if word.search(translated):
                continue  # the same in both languages (a name, a symbol)
            if word.search(text):
                found.append(piece)
    return found


def test_spanish_tip_sheet_has_no_english_template_string(bilingual: Path) -> None:
    assert set(english_leftovers("Page 2 of 3 · Product #037 · References")) == {"Page", "of", "Product", "References"}
    result = build(bilingual, "--locale", "es")
    assert result.exit_code == 0, result.output
    out = bilingual / "output" / "tipsheets"
    pdf = squash(pdf_text(out / "demo.es.pdf"))
    assert not english_leftovers(pdf), english_leftovers(pdf)
    for expected in ("Referencias", "Fuente:", "Producto n.º 037", "mayo de 2012", "Página 1 de 1",
                     "Correo electrónico:", "Teléfono: (706) 555-0142", "Sitio web:",
                     "Hoja de consejos para agencias de manutención infantil".upper()):
        assert expected in pdf, expected
    parser = _Text("es")
    parser.feed((out / "demo.es.html").read_text(encoding="utf-8"))
    html = squash(" ".join(parser.parts))
    assert not english_leftovers(html), english_leftovers(html)
    assert 'aria-label="referencia 1"' in (out / "demo.es.html").read_text(encoding="utf-8")


def test_spanish_pdf_language_is_es_and_accents_survive(bilingual: Path) -> None:
    assert build(bilingual, "--locale", "es").exit_code == 0
    path = bilingual / "output" / "tipsheets" / "demo.es.pdf"
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
        with pdf.open_metadata() as meta:
            assert meta.get("dc:title", "").startswith("Una alianza en la que todos ganan")
    text = squash(pdf_text(path))
    for word in ("educación", "niños", "años", "Cómo", "¿Usó", "Localización", "n.º"):
        assert word in text, word


def test_locale_option_builds_only_that_locale(bilingual: Path) -> None:
    result = build(bilingual, "--locale", "es")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (bilingual / "output" / "tipsheets").iterdir())
    assert files == ["demo.es.html", "demo.es.pdf"]


def test_every_locale_with_content_is_built_by_default(bilingual: Path) -> None:
    assert build(bilingual, "--format", "html").exit_code == 0
    files = sorted(p.name for p in (bilingual / "output" / "tipsheets").iterdir())
    assert files == ["demo.es.html", "demo.html"]


def test_project_setting_narrows_the_locales(bilingual: Path) -> None:
    (bilingual / "tipsheets.yaml").write_text("locales: [en]\n", encoding="utf-8")
    assert build(bilingual, "--format", "html").exit_code == 0
    assert [p.name for p in (bilingual / "output" / "tipsheets").iterdir()] == ["demo.html"]


def test_missing_translation_fails_the_handout_naming_the_string(bilingual: Path) -> None:
    own = bilingual / "templates"
    own.mkdir()
    macros = (REPO / "templates" / "base" / "macros.html.j2").read_text(encoding="utf-8")
    (own / "macros.html.j2").write_text(
        macros.replace('<p class="kicker">', '<p class="kicker">{{ _("Case example") }} '), encoding="utf-8")
    result = build(bilingual, "--locale", "es", "--format", "html")
    assert result.exit_code != 0
    message = squash(result.output)
    assert ("tipsheets/demo.es: no Spanish translation for 'Case example' (templates/macros.html.j2) "
            "(hint: add it to src/tipsheets/locale/es/LC_MESSAGES/tipsheets.po)") in message, message
    assert not (bilingual / "output" / "tipsheets" / "demo.es.html").exists()

    # a project catalogue may supply the strings its own templates add
    po = bilingual / "locale" / "es" / "LC_MESSAGES" / "tipsheets.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Case example"\nmsgstr "Un caso de ejemplo"\n', encoding="utf-8")
    result = build(bilingual, "--locale", "es", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "Un caso de ejemplo" in (bilingual / "output" / "tipsheets" / "demo.es.html").read_text(encoding="utf-8")


def test_locale_without_catalogue_is_an_error(minimal: Path) -> None:
    sheet = minimal / "content" / "tipsheets"
    shutil.copy(sheet / "demo.yaml", sheet / "demo.fr.yaml")
    result = build(minimal, "--format", "html")
    assert result.exit_code != 0
    assert "tipsheets/demo.fr: no French message catalogue" in squash(result.output)
    assert (minimal / "output" / "tipsheets" / "demo.html").exists()


SHIPPED = REPO / "content" / "tipsheets"


@pytest.mark.skipif(not (SHIPPED / "win-win-agencies.es.yaml").exists(), reason="shipped content not present")
def test_shipped_spanish_tip_sheet(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--project", str(REPO), "--out", str(tmp_path), "--as-of", AS_OF,
                                 "--locale", "es", "content/tipsheets/win-win-agencies.es.yaml"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "tipsheets" / "win-win-agencies.es.pdf"
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
    text = squash(pdf_text(path))
    for word in ("educación", "niños", "años", "mayo de 2012", "Referencias", "Producto n.º 037"):
        assert word in text, word
    html = (tmp_path / "tipsheets" / "win-win-agencies.es.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert '<li id="ref-1" lang="en">' in html  # an English title is marked as English


# --------------------------------------------------------------------------- desk aids and flyers


def shipped_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    if (REPO / "tipsheets.yaml").exists():
        shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    return project


def test_locale_es_builds_only_spanish_of_every_kind(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--project", str(REPO), "--out", str(tmp_path), "--as-of", AS_OF,
                                 "--locale", "es", "--format", "html"])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/*.html"))
    assert {name.split("/")[0] for name in files} >= {"tipsheets", "desk-aids", "flyers"}
    for name in files:  # an edition is named for itself; the others end in .es
        assert name.endswith(".es.html") or name.startswith("editions/"), name
        assert '<html lang="es">' in (tmp_path / name).read_text(encoding="utf-8"), name


def test_spanish_flyer_marks_untranslated_text_and_formats_for_the_locale(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--project", str(REPO), "--out", str(tmp_path), "--as-of", AS_OF,
                                 "--locale", "es", "--office", "clarke-county", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "desk-aids" / "clarke-county.es.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert 'lang="en">Stronger Together Workshop' in html  # a program without a Spanish name
    assert "Juntos por Nuestros Hijos" in html and "p.\u00a0m." not in html and "p.m." in html
    parser = _Text("es")
    parser.feed(html)
    text = squash(" ".join(parser.parts))
    assert not english_leftovers(text), english_leftovers(text)


def test_bilingual_desk_aid_prints_both_languages_on_one_page(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--project", str(REPO), "--out", str(tmp_path), "--as-of", AS_OF,
                                 "--office", "clarke-county"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "desk-aids" / "clarke-county.bilingual.pdf"
    with pikepdf.open(pdf) as document:
        assert len(document.pages) == 1
        assert str(document.Root.Lang) == "en"
    text = squash(pdf_text(pdf))
    for both in ("How to refer", "Cómo hacer el referido", "Safety first", "La seguridad es lo primero",
                 "Classes that serve this office", "Clases en el área de esta oficina"):
        assert both in text, both
    html = (tmp_path / "desk-aids" / "clarke-county.bilingual.html").read_text(encoding="utf-8")
    assert html.count('class="tr" lang="es"') > 10


def test_bilingual_desk_aid_that_does_not_fit_says_so(tmp_path: Path) -> None:
    project = shipped_copy(tmp_path)
    office = project / "content" / "offices" / "clarke-county.yaml"
    text = office.read_text(encoding="utf-8")
    extra = "".join(f"  - Point {n} to raise with the parent before referring, said at some length here.\n"
                    for n in range(14))
    text = text.replace("extra_guidance:\n", "extra_guidance:\n" + extra, 1)
    office.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["build", "--project", str(project), "--as-of", AS_OF, "--office", "clarke-county",
                                 "--format", "pdf"])
    assert result.exit_code != 0
    assert "desk-aids/clarke-county.bilingual: does not fit on one page" in squash(result.output), result.output
