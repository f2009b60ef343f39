"""Message catalogues and locale-aware formatting for the templates.

Every fixed string in a template is a gettext message (``{{ _("Case example") }}``).
Its translations live in standard gettext catalogues beside this module::

    src/tipsheets/locale/tipsheets.pot                    extracted from the templates
    src/tipsheets/locale/<lc>/LC_MESSAGES/tipsheets.po    one per locale, English included

English is the source language (the msgid is the English text), but it has a
catalogue of its own like any other locale, so wording can be edited without
touching a template and every locale is held to the same rule: a message that is
missing, empty or fuzzy in the catalogue of the locale being built is an error
(:class:`MissingTranslation`), never a silent fall-back to English. A locale with
no catalogue at all is an error too (:class:`NoCatalogue`).

The ``.po`` files are read directly with Babel at run time; there is no compiled
``.mo`` step to forget. A project may add a ``locale/`` folder of its own (same
layout); its messages are laid over the built-in ones, for project templates
that add strings of their own.

Dates, times, money, phone numbers and lists are formatted with Babel (CLDR) in
the *formatting locale* of the language: ``en`` → ``en_US``, ``es`` → ``es_US``,
because the readers are families in the United States (``$25.00``, ``6:00 p.m.``).
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from babel import Locale
from babel.messages.catalog import Catalog as MessageCatalog
from babel.messages.catalog import Message
from babel.messages.pofile import read_po
from jinja2 import pass_context
from markupsafe import Markup, escape

from tipsheets.core.contact import keypad_digits, parse_phone
from tipsheets.core.paths import is_inside
from tipsheets.core import markdown
from tipsheets.render.css import css_string

PACKAGE = Path(__file__).resolve().parents[1]
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "tipsheets"
SOURCE_LOCALE = "en"
#: language → the CLDR locale its numbers, dates and times are formatted in
FORMAT_LOCALES = {"en": "en_US", "es": "es_US"}


def catalogue_path(locale: str, root: Path = LOCALE_DIR) -> Path:
    return root / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def shown_path(path: Path) -> str:
    """``src/tipsheets/locale/...`` in a checkout, the installed path otherwise."""
    parts = path.parts
    if "src" in parts:
        return Path(*parts[len(parts) - parts[::-1].index("src") - 1:]).as_posix()
    return str(path)


def language_name(locale: str, in_locale: str = "en") -> str:
    """``es`` → "Spanish" (or "español" with ``in_locale="es"``)."""
    try:
        return Locale.parse(locale).get_display_name(in_locale) or locale
    except (ValueError, LookupError):
        return locale


class TranslationError(Exception):
    """A template string cannot be printed in the locale being built."""

    def format(self, target: str) -> str:
        return f"{target}: {self}"


class NoCatalogue(TranslationError):
    def __init__(self, locale: str) -> None:
        self.locale = locale
        path = shown_path(catalogue_path(locale))
        super().__init__(
            f"no {language_name(locale)} message catalogue ({path}) (hint: create it with "
            f"`pybabel init -D {DOMAIN} -i src/tipsheets/locale/{DOMAIN}.pot -d src/tipsheets/locale -l {locale}` "
            f"and translate every message; see docs/i18n.md)")


class MissingTranslation(TranslationError):
    def __init__(self, locale: str, msgid: str, template: str | None = None, *, why: str = "no") -> None:
        self.locale, self.msgid, self.template = locale, msgid, template
        where = f" ({template})" if template else ""
        path = shown_path(catalogue_path(locale))
        super().__init__(f"{why} {language_name(locale)} translation for {msgid!r}{where} "
                         f"(hint: add it to {path})")


#: a project's own catalogue larger than this is refused unread
MAX_CATALOGUE_BYTES = 5 * 1024 * 1024

#: parsed catalogues by the sha256 of their bytes: an edited file is parsed again, an unchanged one is not
_PARSED: dict[bytes, MessageCatalog] = {}


class BadCatalogue(TranslationError):
    """A project's own catalogue that cannot be used."""


def read_catalogue(path: Path) -> MessageCatalog:
    """The catalogue in ``path``, parsed once per distinct content; never modify what it returns."""
    data = path.read_bytes()
    key = hashlib.sha256(data).digest()
    catalogue = _PARSED.get(key)
    if catalogue is None:
        catalogue = _PARSED[key] = read_po(io.BytesIO(data), domain=DOMAIN)
    return catalogue


def _own_catalogue(project: Path, locale: str) -> Path | None:
    """The project's ``locale/<lc>/LC_MESSAGES/tipsheets.po``, if it has one, refused if it leads outside."""
    path = catalogue_path(locale, project / "locale")
    if not path.is_file() and not path.is_symlink():
        return None
    shown = path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)
    if not is_inside(path, project):
        raise BadCatalogue(f"{shown}: this is a link to a file outside the project; it is not read "
                           "(hint: put the catalogue itself in the project)")
    if path.stat().st_size > MAX_CATALOGUE_BYTES:
        raise BadCatalogue(f"{shown}: the catalogue is larger than {MAX_CATALOGUE_BYTES:,} bytes; it is not read")
    return path


def _copy(message: Message) -> Message:
    return Message(message.id, message.string, list(message.locations), set(message.flags),
                   list(message.auto_comments), list(message.user_comments), message.previous_id,
                   message.lineno, message.context)


def message_catalogue(locale: str, project: Path | None = None) -> MessageCatalog:
    """The built-in catalogue of ``locale``, with a project's own messages laid over it.

    A project's message replaces the built-in one of the same id, flags and all;
    the catalogues read from disk are never changed by the merge.
    """
    builtin = catalogue_path(locale)
    own = _own_catalogue(project, locale) if project is not None else None
    if not builtin.is_file() and own is None:
        raise NoCatalogue(locale)
    merged = MessageCatalog(locale=locale, domain=DOMAIN)
    for path in (builtin, own):
        if path is None or not path.is_file():
            continue
        try:
            parsed = read_catalogue(path)
        except Exception as exc:  # noqa: BLE001 - Babel raises many kinds for a damaged file
            raise BadCatalogue(f"{shown_path(path)}: the catalogue cannot be read: {' '.join(str(exc).split())}") \
                from None
        for message in parsed:
            if message.id:
                if message.id in merged:
                    merged.delete(message.id)
                merged[message.id] = _copy(message)
    return merged


def template_strings() -> MessageCatalog:
    """The extracted template catalogue (``tipsheets.pot``)."""
    return read_catalogue(LOCALE_DIR / f"{DOMAIN}.pot")


class StrictTranslations:
    """gettext/ngettext over one catalogue that refuse to fall back to the msgid."""

    def __init__(self, locale: str, catalogue: MessageCatalog) -> None:
        self.locale = locale
        self.catalogue = catalogue
        self.plural = gettext_module.c2py(catalogue.plural_expr or "(n != 1)")

    def _translation(self, key: str, template: str | None) -> str | tuple[str, ...]:
        """The translation of ``key``: a string, or one per plural form."""
        message = self.catalogue.get(key)
        if message is None:
            raise MissingTranslation(self.locale, key, template or _where(key))
        if message.fuzzy:
            raise MissingTranslation(self.locale, key, template or _where(key), why="only a fuzzy")
        string = message.string
        if (isinstance(string, str) and string) or (isinstance(string, tuple) and all(string)):
            return string
        raise MissingTranslation(self.locale, key, template or _where(key), why="an empty")

    def gettext(self, message: str, template: str | None = None) -> str:
        found = self._translation(message, template)
        return found[0] if isinstance(found, tuple) else found

    def ngettext(self, singular: str, plural: str, n: int, template: str | None = None) -> str:
        found = self._translation(singular, template)
        if not isinstance(found, tuple):
            return found
        index = min(self.plural(n), len(found) - 1)
        return found[index]

    def callables(self) -> tuple[Callable[..., str], Callable[..., str]]:
        """Context-aware callables for ``env.install_gettext_callables``: errors name the template."""

        @pass_context
        def gettext(context: Any, message: str) -> str:
            return self.gettext(message, _template(context))

        @pass_context
        def ngettext(context: Any, singular: str, plural: str, n: int) -> str:
            return self.ngettext(singular, plural, n, _template(context))

        return gettext, ngettext


def _template(context: Any) -> str | None:
    """The file of the template being rendered, as a user names it (``templates/tipsheet/page.html.j2``)."""
    name = getattr(context, "name", None)
    if not name:
        return None
    file_of = getattr(getattr(context.environment, "loader", None), "file_of", None)
    return file_of(name) if file_of is not None else f"templates/{name}"


def _where(msgid: str) -> str | None:
    try:
        message = template_strings().get(msgid)
    except OSError:
        return None
    if message is None or not message.locations:
        return None
    return message.locations[0][0]


def translations(locale: str, project: Path | None = None) -> StrictTranslations:
    return StrictTranslations(locale, message_catalogue(locale, project))


# --------------------------------------------------------------------------- text in another language


class Passage(str):
    """Text that knows its language, so a template can mark it: ``<li{{ item|lang_attr }}>``."""

    lang: str | None

    def __new__(cls, text: str, lang: str | None = None) -> "Passage":
        passage = super().__new__(cls, text)
        passage.lang = lang
        return passage


#: shared fields of programs and offices that ``translations: {<locale>: ...}`` may give per locale
LOCAL_FIELDS = {"name", "description", "accessibility", "extra_guidance"}


def local_text(item: Any, field: str, locale: str) -> Passage | None:
    """A program's or office's ``field`` in ``locale``: its translation where given, else the
    shared text (written in English), marked as English when the handout is not."""
    text = item.translations.get(locale) if locale != SOURCE_LOCALE else None
    value = getattr(text, field, None) if text is not None else None
    if value:
        return Passage(value, locale)
    shared = getattr(item, field, None)
    if shared is None and field == "accessibility":
        shared = item.location.accessibility if getattr(item, "location", None) else None
    return None if shared is None else Passage(shared, SOURCE_LOCALE)


@pass_context
def lang_attr(context: Any, value: Any) -> Markup:
    """`` lang="en"`` when ``value`` is a passage in another language than the document's, else nothing."""
    lang: object = getattr(value, "lang", None)
    if lang and lang != context.get("lang"):
        return Markup(' lang="%s"') % lang
    return Markup("")


# --------------------------------------------------------------------------- formatting


def format_locale(locale: str) -> str:
    return FORMAT_LOCALES.get(locale, locale)


#: named date formats → a CLDR width or a skeleton (formatted the locale's own way)
DATE_FORMATS = {
    "month": ("skeleton", "yMMMM"),   # May 2012 · mayo de 2012
    "day": ("skeleton", "MMMMd"),     # December 1 · 1 de diciembre
    "short_day": ("skeleton", "MMMd"),  # Dec 1 · 1 dic
    "long": ("format", "long"),       # December 1, 2026 · 1 de diciembre de 2026
    "full": ("format", "full"),       # Tuesday, December 1, 2026 · martes, 1 de diciembre de 2026
    "medium": ("format", "medium"),
    "short": ("format", "short"),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: how long a weekday's name is, in CLDR's words: "Saturday" (wide), "Sat" (abbreviated), "Sa", "S"
DayWidth = Literal["abbreviated", "narrow", "short", "wide"]
#: how a list is joined, in CLDR's words: "a, b, and c" (standard), "a, b, or c" (or) ...
ListStyle = Literal["standard", "standard-short", "or", "or-short", "unit", "unit-short", "unit-narrow"]
TIME_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Formatter:
    """The Babel-backed filters of one locale."""

    locale: str
    gettext: Callable[[str], str]

    @property
    def cldr(self) -> str:
        return format_locale(self.locale)

    def date(self, value: dt.date, form: str = "long", locale: str | None = None) -> str:
        from babel.dates import format_date, format_skeleton  # lazy: slow to import

        loc = format_locale(locale) if locale else self.cldr
        if form == "MMMM y":  # the month-and-year pattern, the locale's way ("mayo de 2012")
            form = "month"
        how, spec = DATE_FORMATS.get(form, ("pattern", form))
        if how == "skeleton":
            return format_skeleton(spec, value, locale=loc)
        return format_date(value, spec, locale=loc)

    def weekday(self, value: dt.date | str, width: DayWidth = "wide") -> str:
        """A weekday's name: from a date or from an English name such as "Saturday"."""
        from babel.dates import get_day_names  # lazy: slow to import

        index = value.weekday() if isinstance(value, dt.date) else WEEKDAYS.index(str(value).capitalize())
        name: str = get_day_names(width, locale=self.cldr)[index]
        return name

    def time(self, value: str | dt.time, end: dt.time | None = None) -> str:
        """``18:00-20:00`` (or two times) → "6:00–8:00 PM" (en), "6:00–8:00 p.m." (es); or one time."""
        from babel.dates import format_interval, format_time  # lazy: slow to import

        if isinstance(value, str):
            match = TIME_RANGE.match(value)
            if match:
                value, end = dt.time(int(match[1]), int(match[2])), dt.time(int(match[3]), int(match[4]))
            else:
                hours, _, minutes = value.partition(":")
                value = dt.time(int(hours), int(minutes or 0))
        if end is None:
            return _tidy(format_time(value, "short", locale=self.cldr))
        skeleton = "Hm" if "H" in Locale.parse(self.cldr).time_formats["short"].pattern else "hm"
        return _tidy(format_interval(value, end, skeleton, locale=self.cldr))

    def datespan(self, start: dt.date, end: dt.date) -> str:
        """"Jan 12–Feb 16" (en), "12 de ene–16 de feb" (es): what the two dates share is said once."""
        from babel.dates import format_interval, format_skeleton  # lazy: slow to import

        if start == end:
            return format_skeleton("MMMd", start, locale=self.cldr)
        return _tidy(format_interval(start, end, "MMMd", locale=self.cldr))

    def money(self, amount: float, currency: str = "USD") -> str:
        """US dollars in the locale's form; whole amounts without cents; nothing to pay → "Free"."""
        from babel.numbers import format_currency  # lazy: slow to import

        if not amount:
            return self.gettext("Free")
        if float(amount).is_integer():
            return format_currency(int(amount), currency, format="¤#,##0", currency_digits=False, locale=self.cldr)
        return format_currency(amount, currency, locale=self.cldr)

    def number(self, value: float) -> str:
        from babel.numbers import format_decimal  # lazy: slow to import

        return format_decimal(value, locale=self.cldr)

    def list(self, items: Iterable[Any], style: ListStyle = "standard") -> str:
        """``["a", "b", "c"]`` → "a, b, and c" (en), "a, b y c" (es); ``style="or"`` for "a, b, or c"."""
        from babel.lists import format_list  # lazy: slow to import

        values = [str(escape(item)) for item in items]
        if not values:
            return Markup("")
        return Markup(format_list(values, style=style, locale=self.cldr))

    def language(self, code: str) -> str:
        """A language's name in this locale: ``es`` → "Spanish" / "español"."""
        return language_name(code, self.cldr)


def phone(value: str) -> str:
    """US numbers in one form in every language: "(706) 555-0142", toll-free "1-800-799-7233".

    Spanish-language material in the United States writes numbers the way the
    phone dials them, so the form does not change with the language. Anything
    that is not a North American number is printed as given.
    """
    parsed = parse_phone(value or "")
    return parsed.display if parsed else value


def phone_uri(value: str) -> str:
    """The ``tel:`` address of a number, or "" when it is not a North American number. A vanity
    number's letters are dialled as the keypad's digits (``1-877-4DAD411`` → ``tel:+1-877-432-3411``)."""
    parsed = parse_phone(keypad_digits(value or ""))
    return parsed.tel if parsed else ""


def _tidy(text: str) -> str:
    """CLDR puts thin spaces around an interval's dash and a narrow space before AM/PM:
    print a bare dash and a no-break space, which every font has."""
    return text.replace("\u2009–\u2009", "–").replace("\u2009", " ").replace("\u202f", "\u00a0")


def css_counters(text: str) -> Markup:
    """A translated message for the inside of a quoted CSS string, with its ``{page}`` and
    ``{pages}`` tokens turned into counters: ``Página " counter(page) " de " counter(pages) "``.
    The words are escaped for CSS like any other text printed there."""
    parts = re.split(r"\{(page|pages)\}", str(text))
    out = []
    for index, part in enumerate(parts):
        out.append(f'" counter({part}) "' if index % 2 else str(css_string(part)))
    return Markup("".join(out))


def second_language_text(project: Path | None) -> Callable[..., Markup]:
    """``tr(msgid, **variables)``: on a bilingual handout, the message in the second language as
    ``<span class="tr" lang="es">...</span>`` to print beneath the English; "" otherwise.

    Strict like ``_``: a message missing from the second language's catalogue fails the handout.
    """
    loaded: dict[str, StrictTranslations] = {}

    @pass_context
    def tr(context: Any, message: str, **variables: Any) -> Markup:
        second = context.get("second")
        if not second:
            return Markup("")
        locale = second["lang"]
        if locale not in loaded:
            loaded[locale] = translations(locale, project)
        text = Markup(escape(loaded[locale].gettext(message, _template(context)))) % variables
        return Markup('<span class="tr" lang="%s">%s</span>') % (locale, text)

    return tr


def markdown_filter(render: Callable[..., Markup], labels: markdown.Labels) -> Callable[..., Markup]:
    """The ``md`` (or ``md_inline``) filter: Markdown with citation links read in the page's language,
    and footnote marks that print the page's ``footnotes`` where they are cited (see :mod:`tipsheets.core.markdown`).
    """

    @pass_context
    def md(context: Any, text: str) -> Markup:
        footnotes = context.get("footnotes")
        if not footnotes or "[^" not in text:
            return render(text, labels)
        return render(text, labels, markdown.notes_for(footnotes, labels, bool(context.get("for_print"))))

    return md


def install(env: Any, locale: str, project: Path | None = None) -> StrictTranslations:
    """Install the strict catalogue of ``locale`` and the formatting filters into ``env``."""
    strict = translations(locale, project)
    gettext, ngettext = strict.callables()
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    fmt = Formatter(locale, strict.gettext)
    labels = markdown.Labels(
        cite=strict.gettext("reference %(number)s"),  # read aloud for a citation link such as [^3]
        range=strict.gettext("references %(first)s–%(last)s"),  # for a run such as [^4][^5][^6]
        note=strict.gettext("note %(marker)s"),  # for a footnote's mark such as [^*]
    )
    env.filters["md"] = markdown_filter(markdown.render_block, labels)
    env.filters["md_inline"] = markdown_filter(markdown.render_inline, labels)
    env.filters.update({
        "date": fmt.date,
        "weekday": fmt.weekday,
        "time": fmt.time,
        "datespan": fmt.datespan,
        "money": fmt.money,
        "number": fmt.number,
        "listing": fmt.list,
        "language": fmt.language,
        "phone": phone,
        "tel": phone_uri,
        "lang_attr": lang_attr,
        # shared program and office text (names, roles) is written in English
        "shared": lambda value: Passage(value, SOURCE_LOCALE) if value is not None else value,
    })
    env.filters["css_counters"] = css_counters
    env.globals["tr"] = second_language_text(project)
    env.globals.update(locale=locale, language_name=language_name)
    return strict
