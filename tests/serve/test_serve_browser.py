"""``tipsheets serve`` in a real browser: Debian's Chromium, driven by Playwright for Python.

The test opens a handout's preview page and the gallery, then only edits the
content file: the pages must reload themselves (the test never reloads them),
show the new words, keep their scroll position, show the error of a broken
save over the last good pages, and recover when the file is fixed. A missing
browser fails the test; it is never skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from serve_helpers import Served, small_project
from _browser import CHROMIUM, CHROMIUM_ARGS

SHEET = Path("content/tipsheets/demo.yaml")
#: how long a save may take to show on a busy machine (a wait, not a measurement)
SHOWN_MS = 120_000


@pytest.fixture
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser test needs Playwright for Python: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        pytest.fail(f"the browser test needs Debian's Chromium at {CHROMIUM}: sudo apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium.new_context(viewport={"width": 1400, "height": 700})
        finally:
            chromium.close()


def _watch_console(page: Any, into: list[str]) -> None:
    page.on("console", lambda message: into.append(message.text))
    page.on("pageerror", lambda error: into.append(f"page error: {error}"))


def test_the_preview_follows_each_save_and_shows_a_broken_one(tmp_path: Path, browser: Any) -> None:
    project = small_project(tmp_path)
    sheet = project / SHEET
    good = sheet.read_text()
    assert "Four tips" in good
    with Served(project) as server:
        messages: list[str] = []
        preview = browser.new_page()
        _watch_console(preview, messages)
        preview.goto(server.url + "_tipsheets/preview/tipsheets/demo", wait_until="load")
        web = preview.frame_locator("iframe")
        web.get_by_text("Four tips", exact=True).wait_for()
        assert preview.locator(".pdf img").count() == 2  # the PDF's two pages, as pictures
        gallery = browser.new_page()
        _watch_console(gallery, messages)
        gallery.goto(server.url, wait_until="load")
        gallery.locator("a.tipsheets-preview-link").first.wait_for()  # the served gallery links to the preview
        preview.bring_to_front()
        preview.evaluate("() => { window.scrollTo(0, 300); window.__before = true; }")
        assert preview.evaluate("() => window.scrollY") == 300

        # a save: the new words appear, in a page that reloaded itself, at the same scroll position
        sheet.write_text(good.replace("Four tips", "Four fresh tips"))
        web.get_by_text("Four fresh tips", exact=True).wait_for(timeout=SHOWN_MS)
        preview.wait_for_load_state("load")
        assert preview.evaluate("() => window.__before") is None, "the page did not reload itself"
        assert abs(preview.evaluate("() => window.scrollY") - 300) <= 2
        assert preview.locator(".errors").count() == 0

        # a broken save: its error, at the file and line, over the last good pages
        sheet.write_text(good.replace("Four tips", "Four broken tips").replace("title: A Win-Win", "title: [A Win-Win"))
        preview.locator(".errors li", has_text="content/tipsheets/demo.yaml:").first.wait_for(timeout=SHOWN_MS)
        web.get_by_text("Four fresh tips", exact=True).wait_for()
        assert preview.locator(".pdf img").count() == 2
        assert "Four broken tips" not in preview.frame_locator("iframe").locator("body").inner_text()
        gallery.locator("#tipsheets-serve-errors", has_text="content/tipsheets/demo.yaml").wait_for(timeout=SHOWN_MS)

        # fixed: the error goes, the new words come
        sheet.write_text(good.replace("Four tips", "Four mended tips"))
        web.get_by_text("Four mended tips", exact=True).wait_for(timeout=SHOWN_MS)
        assert preview.locator(".errors").count() == 0
        gallery.locator("#tipsheets-serve-errors").wait_for(state="detached", timeout=SHOWN_MS)

        # from the gallery to the preview, by its link
        gallery.locator("a.tipsheets-preview-link").first.click()
        gallery.wait_for_url("**/_tipsheets/preview/tipsheets/demo")
        gallery.frame_locator("iframe").get_by_text("Four mended tips", exact=True).wait_for()
        violations = [m for m in messages if "Content Security Policy" in m or m.startswith("page error")]
        assert not violations, violations


def test_a_served_handout_page_reloads_itself_and_keeps_its_place(tmp_path: Path, browser: Any) -> None:
    project = small_project(tmp_path)
    sheet = project / SHEET
    good = sheet.read_text()
    with Served(project) as server:
        page = browser.new_page()
        messages: list[str] = []
        _watch_console(page, messages)
        page.goto(server.url + "tipsheets/demo.html", wait_until="load")
        page.evaluate("() => window.scrollTo(0, 400)")
        sheet.write_text(good.replace("Four tips", "Four new tips"))
        page.get_by_text("Four new tips", exact=True).wait_for(timeout=SHOWN_MS)
        page.wait_for_load_state("load")
        assert abs(page.evaluate("() => window.scrollY") - 400) <= 2
        # the file the build wrote has none of it
        built = (project / "output" / "tipsheets" / "demo.html").read_bytes()
        assert b"Four new tips" in built and b"EventSource" not in built and b"<script" not in built
        assert not [m for m in messages if "Content Security Policy" in m]
