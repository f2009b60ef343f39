"""Property-based tests: any content file is loaded, checked and rendered, or refused with ContentError.

CI runs a bounded number of examples; for a longer run::

    TIPSHEETS_FUZZ_EXAMPLES=5000 pytest tests/core/test_fuzz.py

Every failing input found this way goes into the corpus in test_bad_inputs.py
with its expected message.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_project import make_project, sheet
from tipsheets.project import load_project
from tipsheets.project import check_project
from tipsheets.core.markdown import render_block, render_inline
from tipsheets.handouts import plan
from tipsheets.handouts import page_html as render_html
from tipsheets.render.environment import make_environment
from tipsheets.render.fence import external_references
from tipsheets.core.source import ContentError, load_yaml, load_yaml_text

EXAMPLES = int(os.environ.get("TIPSHEETS_FUZZ_EXAMPLES", 150))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
AS_OF = dt.date(2024, 6, 1)

try:  # the lint gate, where this installation has it
    lint = importlib.import_module("tipsheets.lint")
except ImportError:
    lint = None

BASE = yaml.safe_load(sheet(body="Talk *kindly* with [the other parent](https://example.org).[^1]") +
                      "references:\n  - text: A study.\n    url: https://example.org/study\n")

YAML_BITS = ["", " ", "\n", "\t", ":", "- ", "? ", "&a ", "*a", "!!", "!!python/object:os.system", "---", "...",
             "#", "'", '"', "|", ">", "{", "}", "[", "]", ",", "%YAML 1.1", "<<: *a", "\\", "\x00", "\x07", "\ufeff",
             "\u2028", "\ud7ff", "é", "🙂", "~", "null", ".nan", "0x1F", "1e999", "2024-02-30", "9" * 40]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.dates(), st.sampled_from(YAML_BITS),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


def _paths(value, path=()):  # noqa: ANN001, ANN202
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _replace(data, path, new):  # noqa: ANN001, ANN202
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, new)}
    copy = list(data)
    copy[head] = _replace(copy[head], rest, new)
    return copy


def _drop(data, path):  # noqa: ANN001, ANN202
    if not path:
        return data
    if len(path) == 1:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k != path[0]}
        return [v for i, v in enumerate(data) if i != path[0]]
    head = path[0]
    if isinstance(data, dict):
        return {**data, head: _drop(data[head], path[1:])}
    copy = list(data)
    copy[head] = _drop(copy[head], path[1:])
    return copy


@st.composite
def mutated_sheets(draw) -> bytes:  # noqa: ANN001
    """A valid tip sheet, changed structurally (drop, retype, add) and/or as text (insert, delete, repeat)."""
    data = BASE
    paths = list(_paths(BASE))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["drop", "replace", "add"]))
        try:
            if action == "drop":
                data = _drop(data, path)
            elif action == "replace":
                data = _replace(data, path, draw(values))
            else:
                data = {**data, draw(st.text(max_size=12)): draw(values)} if isinstance(data, dict) else data
        except (KeyError, IndexError, TypeError):
            pass
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if action == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=8))) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                index = draw(st.integers(0, len(lines) - 1))
                lines.insert(index, lines[index])
                text = "".join(lines)
    encoded = text.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()) and encoded:  # flip some bytes now and then
        at = draw(st.integers(0, len(encoded) - 1))
        encoded = encoded[:at] + bytes([draw(st.integers(0, 255))]) + encoded[at + 1:]
    return encoded


@pytest.fixture(scope="module")
def project() -> Path:
    with tempfile.TemporaryDirectory() as folder:
        yield make_project(Path(folder) / "p", {})


def _only_content_errors(call) -> None:  # noqa: ANN001
    try:
        call()
    except ContentError as exc:
        line = exc.format()
        assert "\n" not in line, line
        assert re.match(r"^\S.*:\d+:\d+: ", line), line


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_load_or_give_content_error(project: Path, data: bytes) -> None:
    file = project / "content" / "fuzz.yaml"
    file.write_bytes(data)
    _only_content_errors(lambda: load_yaml(file, "content/fuzz.yaml"))


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=6)), max_size=30).map("".join))
def test_random_yaml_ish_text_loads_or_gives_content_error(text: str) -> None:
    _only_content_errors(lambda: load_yaml_text(text, "fuzz.yaml"))


@FUZZ
@given(mutated_sheets())
def test_mutated_tip_sheets_load_check_and_render_or_give_content_errors(project: Path, data: bytes) -> None:
    (project / "content" / "tipsheets" / "fuzz.yaml").write_bytes(data)
    catalog = load_project(project)  # never raises: errors are collected
    for error in catalog.errors:
        assert isinstance(error, ContentError)
        assert "\n" not in error.format()
    problems = check_project(catalog, AS_OF)
    if lint is not None:  # the wording gate: findings, or ContentError for bad settings
        _only_content_errors(lambda: lint.lint_catalog(catalog, lint.default_template_dirs(project)))
    if catalog.errors or any(p.level == "error" for p in problems):
        return
    env = make_environment(project)
    for target in plan(catalog, AS_OF):
        try:
            html = render_html(target, catalog, env, as_of=AS_OF, for_print=False)
        except ContentError:
            continue
        html.encode("utf-8")  # every loaded string can be written out
        assert not external_references(html)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


MARKDOWN_BITS = ["[", "]", "(", ")", "<", ">", "javascript:", "JaVaScRiPt:", "data:", "vbscript:", "file:", "&#106;",
                 "&#x6A;", "%6A", " on", "onerror=", "onclick=", "=", '"', "'", "`", "*", "_", "!", "\\", "\n",
                 "\t", "https://x.example", "mailto:a@b.c", "<script>", "<img src=x ", "<a href=", "[^1]", ": "]


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=5)), max_size=25).map("".join))
def test_markdown_never_yields_scripts_handlers_or_unsafe_links(text: str) -> None:
    for html in (str(render_block(text)), str(render_inline(text))):
        parser = _Tags()
        parser.feed(html)
        parser.close()
        for tag, attrs in parser.tags:
            assert tag in {"p", "a", "em", "strong", "ul", "ol", "li", "br", "code", "sup"}, (tag, text)
            for name, value in attrs:
                assert not name.startswith("on"), (name, text)
                if name == "href":
                    assert (value or "").lower().startswith(("http:", "https:", "mailto:", "tel:", "#ref-")), text
        assert "<script" not in html.lower()
