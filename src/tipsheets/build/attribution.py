"""Who asked for it: turning a refused fetch or a template failure into a line that names the file to fix."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import jinja2.sandbox

from tipsheets.core.brandfile import logo_file
from tipsheets.core.catalog import Catalog, relative
from tipsheets.core.errors import field_name, one_line
from tipsheets.core.paths import files_inside
from tipsheets.core.target import Target
from tipsheets.core.theme import own_templates
from tipsheets.render.fence import PageRefused


def refused_where(url: str, target: Target, catalog: Catalog, project: Path) -> str:
    """The file (and field) that asked for a refused ``url``, as ``file:line:col: field`` where known.

    Looked for in the SVG logos of the target's brands, then the project's own
    templates, then the target's content files; else the first content file.
    """
    needles = _needles(url)
    entries = [e for kind in ("brands", "tipsheets") for e in catalog.of(kind) if e.path in target.inputs]
    for entry in entries:
        logo = entry.item.logo if entry.kind == "brands" else None
        if logo is None:
            continue
        try:
            data = logo_file(project / entry.path, logo.path).read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if any(needle in data.lower() for needle in needles):
            mark = entry.source.positions.of(logo.field)
            return f"{entry.path}:{mark.line}:{mark.col}: {field_name(logo.field)}"
    in_templates = template_asking(needles, project)
    if in_templates:
        return in_templates
    for entry in entries:
        for path, text, scalar in entry.source.strings():
            if any(needle in text.lower() for needle in needles):
                return f"{entry.path}:{scalar.start.line}:{scalar.start.col}: {field_name(path)}"
    return f"{target.inputs[0]}: {target.stem}"


def text_from(text: str, target: Target, catalog: Catalog) -> str:
    """``file:line:col: field`` of the content field that holds ``text`` (a word as printed), or the first input."""
    needle = text.strip()[:30]
    for path in target.inputs:
        for kind in ("tipsheets", "programs", "offices", "guidance", "brands", "editions"):
            for entry in catalog.of(kind):
                if entry.path != path:
                    continue
                for field, value, scalar in entry.source.strings():
                    if needle and needle in value:
                        return f"{entry.path}:{scalar.start.line}:{scalar.start.col}: {field_name(field)}"
    return f"{target.inputs[0]}" if target.inputs else target.stem


def template_asking(needles: list[str], project: Path) -> str | None:
    """``templates/x.html.j2:12:1: template`` for the first project template holding one of ``needles``."""
    own = own_templates(project)
    if own is not None:
        for file in files_inside(own, project.resolve()):
            try:
                text = file.read_text("utf-8", errors="replace").lower()
            except OSError:
                continue
            for needle in needles:
                if needle in text:
                    line = text[: text.index(needle)].count("\n") + 1
                    return f"{relative(file, project)}:{line}:1: template"
    return None


def gallery_refused(exc: PageRefused, project: Path) -> str:
    """One line for a gallery page that was refused: who asked, what, and that the page was not written."""
    where = template_asking(_needles(exc.url), project) or "templates/gallery/page.html.j2: template"
    return f"{where}: {exc}; the gallery page ({exc.page or 'index.html'}) was not written"


def _needles(url: str) -> list[str]:
    """What to look for in a source file to find who asked for ``url`` (lower case)."""
    if not url:
        return []
    if url.startswith("<"):  # "<script>", "<meta http-equiv=refresh>"
        return [url[1:].split()[0].rstrip(">").lower()]
    if url.endswith("="):  # an event handler attribute such as "onclick="
        return [url[:-1].lower()]
    needles = [url.lower()]
    tail = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    if url.lower().startswith("file:") and tail:
        needles.append(tail.lower())  # a relative path the renderer made absolute
    return needles


def template_error(exc: jinja2.TemplateError, project: Path) -> str:
    """One line for a template that cannot be read or does something not allowed."""
    message = one_line(exc.message or exc)[:300]
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "template"
        return f"{relative(Path(name), project)}:{exc.lineno}:1: template syntax error: {message}"
    where = _template_frame(exc, project)
    if isinstance(exc, jinja2.TemplateNotFound):
        detail = "" if message == exc.name else f": {message}"
        return f"{where}: template {exc.name!r} not found or not allowed{detail}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"{where}: the template tried something templates may not do: {message}"
    return f"{where}: template error: {message}"


def _template_frame(exc: BaseException, project: Path) -> str:
    """``templates/x.html.j2:12:1`` for the innermost template line in the traceback, else ``templates``."""
    where = "templates"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or "/templates/" in name:
            where = f"{relative(Path(name), project)}:{tb.tb_lineno}:1"
        tb = tb.tb_next
    return where
