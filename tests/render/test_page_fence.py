"""The page check and the policy: every hostile snippet is found, the shipped theme's pages are clean.

The check parses as a browser does, so each snippet here is one a browser
would act on, written the ways a browser still reads it (case, white space,
entities, control characters, CSS escapes, foreign content). The policy must
be the first element in ``<head>`` of every page as published.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from justhtml import JustHTML

from conftest import AS_OF, REPO
from hostile_pages import PAGE, TRICKS, Trick
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.render.fence import (BYTE_ORDER_MARK, POLICY, POLICY_ELEMENT, PageRefused, css_loads,
                                 external_references, fence, normalised_url, srcset_urls, url_scheme, with_policy)

BAIT = "http://127.0.0.1:9"
PIXEL = ("data:image/png;base64,"
         "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==")


def page(body: str = "", head: str = "") -> str:
    return PAGE.format(title="t", head=head, body=body)


# --------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_every_hostile_snippet_is_found_and_refused(trick: Trick) -> None:
    html = trick.page(BAIT)
    assert external_references(html), trick.markup
    with pytest.raises(PageRefused):
        fence(html)


#: where an address makes a browser fetch it when the page opens (ADDRESS is replaced)
LOADING_PLACES = [
    '<img src="ADDRESS" alt="">',
    '<img srcset="ADDRESS 2x" alt="">',
    '<img src="data:," srcset="ADDRESS" alt="">',
    '<picture><source srcset="ADDRESS 1x, ADDRESS 2x"><img src="data:," alt=""></picture>',
    '<video poster="ADDRESS"></video>',
    '<audio><source src="ADDRESS"></audio>',
    '<video><track src="ADDRESS"></video>',
    '<iframe src="ADDRESS"></iframe>',
    '<object data="ADDRESS"></object>',
    '<embed src="ADDRESS">',
    '<input type="image" src="ADDRESS" alt="x">',
    '<table background="ADDRESS"><tr><td>x</td></tr></table>',
    '<svg><image href="ADDRESS"/></svg>',
    '<svg><image xlink:href="ADDRESS"/></svg>',
    '<svg><filter><feImage href="ADDRESS"/></filter></svg>',
    '<svg><use href="ADDRESS#a"/></svg>',
    '<svg><script href="ADDRESS"></script></svg>',
    '<svg><pattern id="p" href="ADDRESS"/></svg>',
    '<svg><rect style="fill:url(ADDRESS)"/></svg>',
    '<svg><rect fill="url(\'ADDRESS\')"/></svg>',
    '<svg><rect width="9" height="9"><set attributeName="fill" to="url(ADDRESS)"/></rect></svg>',
    '<svg><image href="#x"><animate attributeName="href" values="ADDRESS"/></image></svg>',
    '<math><mglyph src="ADDRESS"/></math>',
    '<div style="background:url(ADDRESS)"></div>',
    '<div style="background-image:image-set(\'ADDRESS\' 1x, \'ADDRESS\' 2x)"></div>',
    '<div style="background-image:image-set(url(ADDRESS) 1x)"></div>',
    '<div style="cursor:url(ADDRESS),auto"></div>',
    '<div style="mask-image:url(&quot;ADDRESS&quot;)"></div>',
    '<style>@import "ADDRESS";</style>',
    '<style>@import url(ADDRESS) screen;</style>',
    '<style>p{background:URL(ADDRESS)}</style>',
    '<style>@font-face{font-family:x;src:url(ADDRESS) format("woff")}</style>',
    '<style>p{border-image:cross-fade(url(ADDRESS), url(data:,x))}</style>',
    '<svg><style>rect{fill:url(ADDRESS)}</style></svg>',
    '<link rel="stylesheet" href="ADDRESS">',
    '<link rel="preconnect" href="ADDRESS">',
    '<link rel="dns-prefetch" href="ADDRESS">',
    '<link rel="modulepreload" href="ADDRESS">',
    '<link rel="preload" as="image" imagesrcset="ADDRESS 1x">',
    '<meta http-equiv="refresh" content="0;url=ADDRESS">',
    '<form><button formaction="ADDRESS">x</button></form>',
    '<a href="#" ping="ADDRESS">x</a>',
    '<select><img src="ADDRESS" alt=""></select>',
    '<noscript><style></noscript><img src="ADDRESS" alt=""></style></noscript>',
    '<svg><desc><img src="ADDRESS" alt=""></desc></svg>',
    '<iframe srcdoc="&lt;img src=ADDRESS&gt;"></iframe>',
    '<template><img src="ADDRESS" alt=""></template>',
]

#: ways to write an address that a browser still reads as that address
ADDRESS_SPELLINGS = [
    "http://127.0.0.1:9/x",
    "HTTP://127.0.0.1:9/x",
    "  http://127.0.0.1:9/x ",
    "&#x20;http://127.0.0.1:9/x",
    "ht&#x09;tp://127.0.0.1:9/x",
    "http:&#10;//127.0.0.1:9/x",
    "&#104;ttp&colon;//127.0.0.1:9/x",
    "//127.0.0.1:9/x",
    "file:///etc/passwd",
    "relative/x.png",
]


def _loading_cases() -> list[tuple[str, str]]:
    """Every place with every spelling, but a tab or newline inside an unquoted CSS ``url(``: CSS reads
    that as a bad URL and loads nothing (inside ``<style>`` the entity is not even decoded)."""
    return [(place, address) for place, address in itertools.product(LOADING_PLACES, ADDRESS_SPELLINGS)
            if not ("url(ADDRESS" in place and address.startswith(("ht&#x09;", "http:&#10;"))
                    and not place.startswith("<style>"))]


@pytest.mark.parametrize(("place", "address"), _loading_cases())
def test_an_address_in_any_loading_place_and_any_spelling_is_found(place: str, address: str) -> None:
    html = page(place.replace("ADDRESS", address))
    assert external_references(html), html


#: ways to write javascript: that a browser's URL parser still reads as javascript:
JAVASCRIPT_SPELLINGS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "&#1;&#31;javascript:alert(1)",
    "java\nscript:alert(1)",
    "java&#13;script:alert(1)",
    "jav&Tab;ascript:alert(1)",
    "javascript&colon;alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript\t:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
]

LINK_PLACES = [
    '<a href="URL">x</a>',
    '<A HREF="URL">x</A>',
    "<a href='URL'>x</a>",
    '<svg><a href="URL"><text>x</text></a></svg>',
    '<svg><a xlink:href="URL"><text>x</text></a></svg>',
    '<map name="m"><area href="URL" alt="x"></map>',
    '<math><mi href="URL">x</mi></math>',
    '<svg><a href="#"><set attributeName="href" to="URL"/><text>x</text></a></svg>',
]


@pytest.mark.parametrize(("place", "url"), list(itertools.product(LINK_PLACES, JAVASCRIPT_SPELLINGS)))
def test_a_script_link_in_any_spelling_is_found(place: str, url: str) -> None:
    html = page(place.replace("URL", url))
    assert external_references(html), html


SCRIPTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=data:,alert(1)></SCRIPT>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><script>alert&#40;1)</script></svg>",
    "<img src=x onerror=alert(1)>",
    "<img src=x ONERROR=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mi onclick=alert(1)>x</mi></math>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<iframe srcdoc='&lt;script&gt;alert(1)&lt;/script&gt;'></iframe>",
    "<object data='data:text/html,x'></object>",
    "<meta http-equiv=origin-trial content=x>",
    "<base href=//127.0.0.1:9/>",
    '<meta http-equiv="Content-Security-Policy" content="img-src *">',
    '<meta charset="iso-2022-jp">',
    '<meta http-equiv="content-type" content="text/html; charset=shift_jis">',
    "<svg><a><set attributeName=onclick to=alert(1) /></a></svg>",
    '<div style="--u:\'//127.0.0.1:9/x\';background:image-set(var(--u) 1x)"></div>',
]


@pytest.mark.parametrize("markup", SCRIPTS)
def test_scripts_handlers_frames_and_head_tricks_are_found(markup: str) -> None:
    assert external_references(page(markup)), markup


def test_deep_nesting_is_checked_to_the_bottom() -> None:
    deep_css = "a(" * 20000 + "url(http://127.0.0.1:9/css)"
    assert external_references(page(f"<p style='{deep_css}'>x</p>")) == ["http://127.0.0.1:9/css"]
    deep_html = "<div>" * 20000 + '<img src="http://127.0.0.1:9/html" alt="">'
    assert external_references(page(deep_html)) == ["http://127.0.0.1:9/html"]
    deep_svg = "<svg>" + "<g>" * 20000 + '<image href="http://127.0.0.1:9/svg"/>'
    assert external_references(page(deep_svg)) == ["http://127.0.0.1:9/svg"]


# --------------------------------------------------------------------------- what stays allowed


ALLOWED = [
    f'<img src="{PIXEL}" alt="x">',
    f'<img src=" DATA:{PIXEL[5:]}" alt="x">',
    f'<img src="{PIXEL}" srcset="{PIXEL} 1x, {PIXEL} 2x" alt="x">',
    f'<svg><image href="{PIXEL}"/></svg>',
    f'<div style="background:url({PIXEL})"></div>',
    '<svg><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/></svg>',
    '<a href="https://example.org/x">x</a> <a href="mailto:a@b.org">m</a> <a href="tel:+15555550100">t</a>',
    '<a href="#ref-1">1</a> <a href="tipsheets/one.pdf">PDF</a> <a href="">self</a>',
    '<svg><a href="https://example.org"><text>x</text></a></svg>',
    '<p title="see url(http://example.org) and @import">text that mentions url(http://example.org)</p>',
    '<style>p{color:red}</style><p style="color:#123">x</p>',
    "<noscript><p>Plain text</p></noscript>",
]


@pytest.mark.parametrize("markup", ALLOWED)
def test_inline_images_in_page_references_and_plain_links_are_allowed(markup: str) -> None:
    assert external_references(page(markup)) == []


def test_findings_come_in_page_order() -> None:
    html = page('<img src="http://a.example/1" alt=""><p style="background:url(http://b.example/2)">x</p>'
                "<script>x</script>", head='<link rel="stylesheet" href="http://c.example/0">')
    assert external_references(html) == ["http://c.example/0", "http://a.example/1", "http://b.example/2",
                                         "<script>"]


def test_urls_are_read_as_a_browser_reads_them() -> None:
    assert normalised_url("\x00\x1f java\tscr\nipt:x \x01") == "javascript:x"
    assert url_scheme(" JaVaScRiPt:x") == "javascript"
    assert url_scheme("java script:x") is None and url_scheme("1http://x") is None
    assert srcset_urls(f"{PIXEL} 1x,{PIXEL},  http://x/y 2x, z.png") == [PIXEL, PIXEL, "http://x/y", "z.png"]
    assert srcset_urls("data:,a,b 1x") == ["data:,a,b"]
    assert css_loads("a{b:u\\72l(http://x)} /* url(http://no) */ c{d:'url(http://no)'}") == ["http://x"]
    assert css_loads("@\\69 mport 'x.css';") == ["x.css"]


# --------------------------------------------------------------------------- the policy in the page


def _head_elements(html: str) -> list:  # noqa: ANN202
    document = JustHTML(html.removeprefix(BYTE_ORDER_MARK), sanitize=False)
    head = document.root.children[-1].children[0]
    assert head.name == "head"
    return [node for node in head.children if not node.name.startswith("#")]


def test_fence_puts_the_policy_first_in_head_and_marks_the_encoding() -> None:
    published = fence(page("<p>ok</p>"))
    assert published.startswith(BYTE_ORDER_MARK + "<!DOCTYPE html>")
    first = _head_elements(published)[0]
    assert first.name == "meta" and first.attrs == {"http-equiv": "Content-Security-Policy", "content": POLICY}
    assert published.count("Content-Security-Policy") == 1
    assert external_references(published) == []  # our own policy is not a finding where fence put it


def test_the_policy_allows_no_network_script_or_frame() -> None:
    directives = dict(part.strip().split(" ", 1) for part in POLICY.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:" and directives["font-src"] == "data:"
    assert directives["style-src"] == "'unsafe-inline'"
    for name in ("script-src", "object-src", "frame-src", "child-src", "connect-src", "base-uri", "form-action"):
        assert directives[name] == "'none'", name


def test_fence_finds_head_in_any_case_and_with_attributes() -> None:
    html = "<!doctype html>\n<HTML lang=en><HEAD data-x='1'><title>x</title></HEAD><body>x</body></HTML>"
    assert _head_elements(fence(html))[0].attrs["content"] == POLICY


@pytest.mark.parametrize("html", [
    # markup before <head> makes the browser open <head> (or <body>) itself, before the policy
    f'<!DOCTYPE html><html><img src="{PIXEL}" alt=""><head><title>x</title></head><body></body></html>',
    '<!DOCTYPE html><html><meta charset="utf-8"><head><title>x</title></head><body></body></html>',
    '<!DOCTYPE html><html><link rel="stylesheet" href="data:text/css,x"><head><title>x</title></head></html>',
    "<p>text first</p><!DOCTYPE html><html><head><title>x</title></head><body></body></html>",
    # the first "<head>" in the text is not the head element
    "<!DOCTYPE html><html><!-- <head> --><head><title>x</title></head><body></body></html>",
    '<!DOCTYPE html><html lang="<head>"><head><title>x</title></head><body></body></html>',
    # no head at all
    "<!DOCTYPE html><html><title>x</title><body></body></html>",
    # a second policy, even a copy of ours, and a base address
    page(head=POLICY_ELEMENT),
    page(head='<meta http-equiv="content-security-policy" content="default-src *">'),
    page('<meta http-equiv="Content-Security-Policy" content="default-src *">'),
    page(head="<base href='https://example.org/'>"),
    page(head="<base target='_blank'>"),
])
def test_fence_refuses_a_page_where_the_policy_would_not_come_first_or_alone(html: str) -> None:
    with pytest.raises(PageRefused):
        fence(html)


def test_with_policy_only_inserts() -> None:
    hostile = page("<script>alert(1)</script>")
    inserted = with_policy(hostile)
    assert inserted == BYTE_ORDER_MARK + hostile.replace("<head>", "<head>\n" + POLICY_ELEMENT, 1)
    assert external_references(inserted) == ["<script>"]


# --------------------------------------------------------------------------- the shipped theme


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built as ``tipsheets build --as-of 2026-11-25`` builds it."""
    out = tmp_path_factory.mktemp("shipped") / "output"
    result = build(Options(project=REPO, out_dir=out, as_of=dt.date.fromisoformat(AS_OF), jobs=0))
    assert result.ok, result.errors + [e for o in result.failed for e in o.errors]
    assert result.gallery is not None
    return out


def test_every_page_the_shipped_project_publishes_is_clean_and_fenced(shipped: Path) -> None:
    pages = sorted(shipped.rglob("*.html"))
    assert shipped / "index.html" in pages and len(pages) > 20
    for path in pages:
        text = path.read_bytes().decode("utf-8")
        assert text.startswith(BYTE_ORDER_MARK), path
        assert external_references(text) == [], path
        first = _head_elements(text)[0]
        assert first.attrs == {"http-equiv": "Content-Security-Policy", "content": POLICY}, path
        assert fence(text.removeprefix(BYTE_ORDER_MARK).replace("\n" + POLICY_ELEMENT, "", 1)) == text, path
