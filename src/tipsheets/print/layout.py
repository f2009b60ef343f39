"""The layout search: print a handout in the first of its layouts that suits it.

A one-page handout (desk aid, flyer), or one of a fixed number of pages (a
brochure's two sides), tries its kind's fallbacks in order until one fits. If
none fits, a kind that lists items it may cut (a desk aid's programs, nearest
first) prints as many of them as fit, found by halving, in each fallback in
turn before the next (so readable type with fewer items comes before smaller
type), and says so in a note; any other handout fails and says how far it runs
past the page. A handout of several pages that
ends on a nearly empty page is tried in the tighter setting, and kept so if
that saves a page.

Layouts an earlier build rejected (same HTML, same theme: same result) are
known by a key and not laid out again. The search returns the layout the
handout settled on as a typed value; nothing is written back anywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Callable

from tipsheets.core.target import REGULAR, Layout
from tipsheets.handouts.base import PageRules
from tipsheets.print.printer import Printer, PrintResult, last_page_fill

#: a handout of several pages whose last page is filled less than this is set tighter, if that saves the page
SPARSE_LAST_PAGE = 1 / 3

TIGHTER_NOTE = "{stem}: set slightly tighter (10 pt type) so that it does not end on a nearly empty page"


@dataclass(frozen=True)
class Settled:
    """The printed handout, the layout it settled on, and the note to print about it ("" for none)."""

    result: PrintResult
    layout: Layout
    note: str


@dataclass(frozen=True)
class DoesNotFit:
    """A handout of a fixed number of pages (one, or a brochure's two sides) that runs past them in every layout."""

    pages: int
    overflow_mm: float
    #: how far the last fallback still runs past the page (None when the kind has no fallbacks)
    fallback_overflow_mm: float | None
    #: how many pages it had to fit on
    limit: int = 1


def layout_key(html: str, shared: str) -> str:
    """What decides how a page lays out: its HTML and the shared theme, fonts and tool (``shared``)."""
    return hashlib.sha256(f"{shared}\0{html}".encode()).hexdigest()[:32]


def settle(rules: PageRules, html_for: Callable[[Layout], str], printer: Printer, *, stem: str, base_url: str,
           identifier: str, rejected: frozenset[str] = frozenset(), shared: str = "",
           met: list[str] | None = None, items: int = 0) -> Settled | DoesNotFit:
    """Print in the first layout that suits; ``met`` collects the keys of the layouts this search rejected.

    ``items``: how many items the handout lists, of which it may print fewer (see ``PageRules.cut_note``)."""
    met = met if met is not None else []

    def render(layout: Layout) -> tuple[str, str]:
        html = html_for(layout)
        return html, (layout_key(html, shared) if shared else "")

    limit = rules.limit
    if not limit:
        return _several_pages(rules, render, printer, stem, base_url, identifier, rejected, met)
    layouts = [(REGULAR, ""), *((f.layout, f.note.format(stem=stem)) for f in rules.fallbacks)]
    first = result = None
    for number, (layout, note) in enumerate(layouts):
        html, key = render(layout)
        if key and key in rejected and number < len(layouts) - 1:
            met.append(key)
        else:
            result = printer.print(html, base_url=base_url, identifier=identifier, max_pages=limit)
            if result.pages <= limit:
                return Settled(result, layout, note)
            if key:
                met.append(key)
            if number == 0:
                first = result
        # a fallback (or the one layout there is) with fewer items, before the next, smaller fallback
        if rules.cut_note and items > 1 and (number > 0 or len(layouts) == 1):
            cut = _fewer_items(layout, items - 1, render, printer, limit, base_url, identifier, rejected, met)
            if cut is not None:
                shown, printed = cut
                said = rules.cut_note.format(stem=stem, shown=shown, total=items)
                return Settled(printed, replace(layout, listed=shown), f"{said}; {note}" if note else said)
    if first is None:  # the regular layout was skipped as known to overflow: measure it for the message
        first = printer.print(render(REGULAR)[0], base_url=base_url, identifier=identifier, max_pages=limit)
    assert result is not None
    return DoesNotFit(first.pages, first.overflow_past(limit),
                      result.overflow_past(limit) if len(layouts) > 1 else None, limit)


def _fewer_items(layout: Layout, most: int, render: Callable[[Layout], tuple[str, str]], printer: Printer,
                 limit: int, base_url: str, identifier: str, rejected: frozenset[str],
                 met: list[str]) -> tuple[int, PrintResult] | None:
    """The most items, up to ``most``, that ``layout`` fits on ``limit`` pages, and the handout printed so; None
    when even one does not fit. Fewer items never take more room, so the count is found by halving: about
    log2(most) prints."""
    best: tuple[int, PrintResult] | None = None
    low, high = 1, most
    while low <= high:
        count = 1 if best is None and low == 1 else (low + high + 1) // 2  # one first: often none fits
        html, key = render(replace(layout, listed=count))
        if key and key in rejected:
            met.append(key)
            high = count - 1
            continue
        result = printer.print(html, base_url=base_url, identifier=identifier, max_pages=limit, write=False)
        if result.pages <= limit:
            best, low = (count, result), count + 1
        else:
            if key:
                met.append(key)
            high = count - 1
    return (best[0], printer.finish(best[1])) if best is not None else None


def _several_pages(rules: PageRules, render: Callable[[Layout], tuple[str, str]], printer: Printer, stem: str,
                   base_url: str, identifier: str, rejected: frozenset[str], met: list[str]) -> Settled:
    html, key = render(REGULAR)
    result = None
    if not rules.tighten or not key or key not in rejected:  # else: known to end nearly empty, saved by tight
        result = printer.print(html, base_url=base_url, identifier=identifier, write=not rules.tighten)
        if not rules.tighten or result.pages < 2 or last_page_fill(result) >= SPARSE_LAST_PAGE:
            return Settled(printer.finish(result), REGULAR, "")
    tight = replace(REGULAR, tight=True)
    tight_html, tight_key = render(tight)
    if result is not None and tight_key and tight_key in rejected:  # known not to save a page
        met.append(tight_key)
        return Settled(printer.finish(result), REGULAR, "")
    tried = printer.print(tight_html, base_url=base_url, identifier=identifier)
    if result is None or tried.pages < result.pages:
        if key:
            met.append(key)
        return Settled(tried, tight, TIGHTER_NOTE.format(stem=stem))
    if tight_key:
        met.append(tight_key)
    return Settled(printer.finish(result), REGULAR, "")
