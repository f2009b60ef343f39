"""The Jinja2 environment templates run in, and rendering one page.

Templates are untrusted (a project's own ``templates/`` folder overrides the
built-in theme by name). They run in Jinja's immutable sandbox, receive only
inert data (:mod:`tipsheets.render.plain`), and may call only what is on an
explicit allow-list: the environment's own functions (translations, ``range``,
``namespace``...), macros and blocks, and a few methods of strings and dates
that compute a new value. Every other call is refused.

Content text reaches a page escaped, or through the ``md``/``md_inline``
filters, which render the safe Markdown subset. Jinja syntax inside content is
never evaluated: content is data passed to a template, never a template itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Mapping

import jinja2
import jinja2.runtime
import jinja2.sandbox
import jinja2.utils
from tipsheets.core.theme import OLD_NAMES, builtin_theme, current_name, theme_dirs
from tipsheets.core import markdown
from tipsheets.render import i18n
from tipsheets.render.css import css_string
from tipsheets.render.plain import plain

class FencedLoader(jinja2.FileSystemLoader):
    """A template loader that reads only files really inside its folders.

    Jinja already refuses ``..`` in template names; this also refuses a
    template that is a symbolic link to a file elsewhere, which would otherwise
    print that file into the handout.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        roots = [Path(folder).resolve() for folder in self.searchpath]
        if not any(real.is_relative_to(root) for root in roots):
            raise jinja2.TemplateNotFound(template, f"template {template!r} is a link to a file outside "
                                                    "the template folders; it is not read")
        return source, filename, uptodate


class ThemeLoader(jinja2.BaseLoader):
    """The project's templates/ first, then the built-in theme.

    A name from before the theme had one folder per kind (``tipsheet.html.j2``)
    means the same file as its new name (``tipsheet/page.html.j2``), in both
    directions, so a project's override under either name is used.
    ``builtin/<name>`` is always the built-in file, so an override can include
    or extend the template it replaces.
    """

    def __init__(self, project: Path) -> None:
        dirs = theme_dirs(project)
        self.builtin = FencedLoader(str(builtin_theme()))
        self.own = FencedLoader(str(dirs[0])) if len(dirs) > 1 else None
        #: template name → the file it was read from, as a user names it (``templates/macros.html.j2``)
        self.files: dict[str, str] = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template.startswith("builtin/"):
            return self.builtin.get_source(environment, current_name(template.removeprefix("builtin/")))
        name = current_name(template)
        if self.own is not None:
            for candidate in dict.fromkeys((name, template, *_old_names(name))):
                try:
                    found = self.own.get_source(environment, candidate)
                except jinja2.TemplateNotFound as exc:
                    if exc.message and "link to a file outside" in exc.message:
                        raise
                    continue
                self.files[template] = f"templates/{candidate}"
                return found
        self.files[template] = f"templates/{name}"
        return self.builtin.get_source(environment, name)

    def file_of(self, template: str) -> str:
        """Where ``template`` was read from, as a user names it."""
        return self.files.get(template, f"templates/{current_name(template)}")

    def list_templates(self) -> list[str]:
        return sorted(set(self.builtin.list_templates()) | set(self.own.list_templates() if self.own else ()))


def _old_names(name: str) -> tuple[str, ...]:
    return tuple(old for old, new in OLD_NAMES.items() if new == name)


#: methods of values templates receive that only compute a new value from it
_STRING_METHODS = frozenset(
    "capitalize casefold center count endswith find index isalnum isalpha isdigit islower isspace istitle "
    "isupper join ljust lower lstrip partition removeprefix removesuffix replace rfind rindex rjust rpartition "
    "rsplit rstrip split splitlines startswith strip swapcase title upper zfill".split())
_DATE_METHODS = frozenset("isoformat isoweekday weekday".split())
#: Jinja's own objects that templates call: macros, blocks, loops and their helpers
_JINJA_CALLABLES = (jinja2.runtime.Macro, jinja2.runtime.BlockReference, jinja2.runtime.LoopContext,
                    jinja2.utils.Cycler, jinja2.utils.Joiner)
_JINJA_METHODS = {jinja2.runtime.LoopContext: frozenset({"cycle", "changed"}),
                  jinja2.utils.Cycler: frozenset({"next", "reset"})}


class Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, calling only what is on the allow-list."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.allowed: set[int] = set()

    def allow_globals(self) -> None:
        """Allow every function now among the environment's globals (all put there by tipsheets or Jinja)."""
        self.allowed = {id(value) for value in self.globals.values() if callable(value)}

    def is_safe_callable(self, obj: Any) -> bool:
        if id(obj) in self.allowed or isinstance(obj, _JINJA_CALLABLES):
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if owner is None or isinstance(owner, type):
            return False
        if isinstance(owner, str):
            return name in _STRING_METHODS
        if isinstance(owner, dt.date):
            return name in _DATE_METHODS
        return any(isinstance(owner, cls) and name in names for cls, names in _JINJA_METHODS.items())

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return super().is_safe_attribute(obj, attr, value) and not attr.startswith("model_")


def make_environment(project: Path, *, locale: str = "en") -> Sandbox:
    """The Jinja2 environment for one project and locale.

    Template strings are looked up in the locale's message catalogue; one that is
    not translated raises :class:`~tipsheets.render.i18n.MissingTranslation` while
    rendering, which fails that handout.
    """
    env = Sandbox(
        loader=ThemeLoader(project),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["plain"] = markdown.plain
    # the strict catalogue of the locale, the Markdown filters (their citation links read in that
    # language) and the Babel filters (date, time, money, phone...);
    # raises NoCatalogue when the locale has none
    i18n.install(env, locale, project)
    env.filters["css"] = css_string
    env.allow_globals()
    return env


def render_page(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    """Render ``template`` with ``context``, made inert first."""
    return env.get_template(template).render(**{name: plain(value) for name, value in context.items()})
