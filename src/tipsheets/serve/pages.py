"""The pages the server makes: served copies of built pages with the reload script, and preview pages.

A built page is served as the build wrote it, but for one change: its
Content-Security-Policy ``<meta>`` (:data:`~tipsheets.render.fence.POLICY_ELEMENT`,
which the fence put first in ``<head>``) is replaced by the served policy
(:func:`served_policy`: the same policy, plus a nonce for the one script the
server adds and ``connect-src 'self'`` for its event stream), followed by that
script. The same policy goes in the response's header. A page without the
policy where the fence puts it is served unchanged, with the built policy in
the header: nothing in it runs.

A preview page is made here, from this package's own template (a project's
templates cannot change it), with every value escaped.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from tipsheets.render.fence import POLICY, POLICY_ELEMENT
from tipsheets.serve.pictures import DENSITY, Picture
from tipsheets.serve.session import PREFIX, HandoutView

#: the start tag of ``<head>`` as :func:`tipsheets.render.fence.with_policy` finds it
_HEAD = re.compile(r"<head(?=[\s/>])[^>]*>", re.IGNORECASE)

SCRIPT = (Path(__file__).parent / "reload.js").read_text(encoding="utf-8")
assert "</" not in SCRIPT, "the reload script must not close its own element"


def _directives(policy: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            out[name] = value.strip()
    return out


def served_policy(nonce: str | None, *, preview: bool = False) -> str:
    """The built pages' policy, plus what the reload channel needs: the script with this ``nonce`` and a
    connection to this server. A preview page may also frame the handout's web version and show its page
    pictures from this server. Without a nonce: the built policy as it is."""
    directives = _directives(POLICY)
    if nonce is not None:
        directives["script-src"] = f"'nonce-{nonce}'"
        directives["connect-src"] = "'self'"
    if preview:
        directives["img-src"] = "'self' data:"
        directives["frame-src"] = "'self'"
        directives["child-src"] = "'self'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def header_policy(policy: str) -> str:
    """``policy`` as a response header, which may also say who can frame the page: only this server."""
    return f"{policy}; frame-ancestors 'self'"


def _script_element(nonce: str, config: dict[str, Any]) -> str:
    data = html.escape(json.dumps(config, separators=(",", ":")), quote=True)
    return f'<script nonce="{nonce}" data-tipsheets="{data}">{SCRIPT}</script>'


def script_config(*, session: str, generation: int, previews: list[str] | None = None,
                  preview: bool = False) -> dict[str, Any]:
    """What the reload script is told: whose page it is, as of which update, and (in the gallery) which
    handouts have a preview page."""
    config: dict[str, Any] = {"session": session, "generation": generation, "prefix": PREFIX}
    if previews is not None:
        config["previews"] = previews
    if preview:
        config["preview"] = True
    return config


def inject(page: bytes, nonce: str, config: dict[str, Any]) -> bytes | None:
    """``page`` (as a build wrote it) with the served policy and the reload script in place of its policy;
    None when the policy is not where the fence puts it, just after ``<head>``."""
    try:
        text = page.decode("utf-8")
    except UnicodeDecodeError:
        return None
    match = _HEAD.search(text)
    if match is None or not text.startswith("\n" + POLICY_ELEMENT, match.end()):
        return None
    start = match.end() + 1
    served = f'<meta http-equiv="Content-Security-Policy" content="{served_policy(nonce)}">'
    return (text[:start] + served + _script_element(nonce, config) + text[start + len(POLICY_ELEMENT):]).encode()


# --------------------------------------------------------------------------- the preview page


@dataclass(frozen=True)
class PageLink:
    """One page picture as the preview shows it."""

    url: str
    width: int
    height: int
    number: int


def picture_url(sha: str, index: int) -> str:
    return f"{PREFIX}/pages/{sha}/{index + 1}.png"


def page_links(sha: str, pictures: list[Picture]) -> list[PageLink]:
    return [PageLink(picture_url(sha, i), round(p.width / DENSITY), round(p.height / DENSITY), i + 1)
            for i, p in enumerate(pictures)]


_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_preview(view: HandoutView | None, *, stem: str, nonce: str, config: dict[str, Any], has_html: bool,
                 has_pdf: bool, pages: list[PageLink], pictures_error: str | None = None) -> bytes:
    """The preview page of one handout: its web version beside pictures of its PDF's pages, with its errors,
    wording findings and notes."""
    policy = served_policy(nonce, preview=True)
    text = _ENV.get_template("preview.html.j2").render(
        view=view, stem=stem, policy=policy, script=_script_element(nonce, config), has_html=has_html,
        has_pdf=has_pdf, pages=pages, pictures_error=pictures_error, prefix=PREFIX)
    return text.encode("utf-8")


def not_found_page(message: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{POLICY_ELEMENT}'
            f"<title>Not found</title></head><body><p>{html.escape(message)}</p>"
            '<p><a href="/">All handouts</a></p></body></html>').encode()

