"""The corpus of bad content files: each gives one exact ``file:line:col: ...`` line.

Every input here was tried against the loader, and several were found by the
fuzz tests or by hand while probing (see docs/security.md). Each must produce
exactly the message below, through ``load_catalog`` and through the command
line (exit code 2, one line per problem, no traceback).
"""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest

from hostile_project import make_project, run_cli, sheet
from tipsheets.project import load_project
from tipsheets.project import check_project
from tipsheets.core.source import MAX_FILE_BYTES, ContentError, load_yaml, load_yaml_text

S = sheet()
F = "content/tipsheets/bad.yaml"
TAG_HINT = "(hint: content holds plain text, numbers, dates, lists and mappings; remove the tag)"
ESCAPE_HINT = "(hint: remove it; \\x and \\u escapes may only name printable characters)"
LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([('*' + prev) if prev else 'lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi", strict=True)
)

#: name → (file bytes, the one error line expected for content/tipsheets/bad.yaml)
CORPUS: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "1:1: the file is empty (hint: remove it, or give it content)"),
    "blank-lines": (b"\n\n   \n", "1:1: the file is empty (hint: remove it, or give it content)"),
    "comments-only": (b"# just a note\n# another\n",
                      "1:1: the file holds only comments (hint: remove it, or give it content)"),
    "bom-only": ("\ufeff".encode(), "1:1: the file is empty (hint: remove it, or give it content)"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
               "3:1: this is a binary file, not YAML text (hint: content files are UTF-8 text)"),
    "latin-1": ("title: Caf\u00e9\n".encode("latin-1"),
                "1:11: the file is not valid UTF-8 (byte 0xe9) (hint: save the file as UTF-8)"),
    "tab-indent": (b"title: x\nintro:\n\t- id: a\n", "3:1: YAML syntax error: a tab character is used for "
                   "indentation (hint: indent YAML with spaces, not tabs)"),
    "two-documents": ((S + "---\ntitle: again\n").encode(), "14:1: the file holds more than one YAML document "
                      "(a second '---') (hint: one content file holds one document)"),
    "python-object-tag": (b"title: !!python/object/apply:os.system ['echo hi']\n",
                          f"1:8: title: the YAML tag '!!python/object/apply:os.system' is not allowed {TAG_HINT}"),
    "python-name-tag": (b"title: !!python/name:os.system\n",
                        f"1:8: title: the YAML tag '!!python/name:os.system' is not allowed {TAG_HINT}"),
    "binary-tag": (b"title: !!binary aGVsbG8=\n", f"1:8: title: the YAML tag '!!binary' is not allowed {TAG_HINT}"),
    "set-tag": (b"title: !!set {a, b}\n", f"1:8: title: the YAML tag '!!set' is not allowed {TAG_HINT}"),
    "custom-tag": (b"title: !include /etc/passwd\n", f"1:8: title: the YAML tag '!include' is not allowed {TAG_HINT}"),
    "top-level-list": (b"- title: x\n- title: y\n",
                       "1:1: expected a mapping of fields at the top of the file, found list"),
    "top-level-string": (b"just some words\n", "1:1: expected a mapping of fields at the top of the file, found str"),
    "huge-integer": (("product_number: " + "9" * 5000 + "\n").encode(),
                     "1:17: product_number: the number is too long (5,000 digits) "
                     "(hint: quote it if it is meant as text)"),
    "nan": (S.replace("date: 2024-01-01", "date: .nan").encode(), "3:7: date: '.nan' is not a usable number "
            "(hint: give a finite number, or quote it if it is meant as text)"),
    "infinity": (b"title: x\nweight: -.inf\n", "2:9: weight: '-.inf' is not a usable number "
                 "(hint: give a finite number, or quote it if it is meant as text)"),
    "deep-flow": (b"title: " + b"[" * 10000 + b"]" * 10000 + b"\n", "1:1007: lists and mappings are nested more "
                  "than 64 deep (hint: content files are shallow; check the brackets)"),
    "deep-block": (b"".join(b"  " * i + b"- \n" for i in range(200)), "65:129: lists and mappings are nested more "
                   "than 64 deep (hint: content files are shallow; check the brackets)"),
    "self-alias": (b"title: &a [*a]\n", "1:8: title[0][0][0][0][0][0][0]...: lists and mappings are nested more "
                   "than 64 deep (hint: an alias (*name) may not refer to the block that contains it)"),
    "billion-laughs": (LAUGHS.encode(), "1:8: the document expands to more than 50,000 values "
                       "(hint: aliases (*name) that repeat large blocks make a file huge)"),
    "duplicate-key": (S.replace("tips_heading: Tips", "tips_heading: Tips\ntitle: Again").encode(),
                      "10:1: title: duplicate key 'title' (first given on line 1) "
                      "(hint: each key may appear once in a mapping)"),
    "merge-key": (b"base: &b {title: x}\nother:\n  <<: *b\n",
                  "3:3: other: merge keys (<<) are not supported (hint: write the keys out in full)"),
    "list-as-key": (b"? [a, b]\n: value\n", "1:3: a mapping key must be a plain word"),
    "impossible-date": (S.replace("2024-01-01", "2024-02-30").encode(), "3:7: date: cannot read this value: "
                        "day is out of range for month (hint: quote it if it is meant as text)"),
    "control-char-raw": (b"title: bell\x07here\n", "1:12: the file contains the character U+0007, which YAML "
                         "does not allow (hint: remove it; content files hold printable text only)"),
    "control-char-escaped": (b'title: "bell\\x07here"\n', "1:8: title: the text contains the character U+0007, "
                             f"which cannot be printed {ESCAPE_HINT}"),
    "lone-surrogate": (b'title: "\\ud800"\n', "1:11: YAML syntax error: found invalid Unicode character escape code"),
    # found by test_fuzz: the pure-Python scanner raised ValueError on this escape
    "escape-beyond-unicode": (b'title: "\\U1e999000"\n',
                              "1:11: YAML syntax error: found invalid Unicode character escape code"),
    "unclosed-quote": (b'title: "abc\n', "2:1: YAML syntax error: found unexpected end of stream"),
    "bad-indent": (b"title: x\n  audience: parents\n", "2:11: YAML syntax error: mapping values are not allowed "
                   "in this context (hint: a value containing ': ' must be quoted)"),
    "colon-in-value": (S.replace("title: A tip sheet", "title: Note: this").encode(), "1:12: YAML syntax error: "
                       "mapping values are not allowed in this context (hint: a value containing ': ' must be quoted)"),
    "undefined-alias": (b"title: *nothing\n", "1:8: YAML syntax error: found undefined alias"),
    "unknown-field": ((S + "colour: red\n").encode(), "14:1: colour: unknown field 'colour' "
                      "(hint: check the spelling; `tipsheets schema` lists the fields)"),
    "wrong-type": (S.replace("title: A tip sheet", "title: [a, b]").encode(),
                   "1:8: title: title takes one value, not a list (hint: remove the brackets (or the '- ' "
                   "lines) and give one value)"),
    "id-escape": (("id: ../../etc/x\n" + S).encode(), "1:5: id: id '../../etc/x' does not match the file name "
                  "'bad' (hint: the file name is the id; remove the id key or rename the file)"),
    # found by test_fuzz: a capitalised key was taken for pydantic's union-member name and dropped
    "capitalised-unknown-field": ((S + "A: null\n").encode(), "14:1: A: unknown field 'A' "
                                  "(hint: check the spelling; `tipsheets schema` lists the fields)"),
    # found by test_fuzz: a key holding a line break made the report two lines
    "key-with-line-break": ((S + "? '\n\n  '\n: null\n").encode(), "14:3: \\n: unknown field '\\n' "
                            "(hint: check the spelling; `tipsheets schema` lists the fields)"),
    "unknown-brand": ((S + "brands: [nope]\n").encode(),
                      "14:10: brands[0]: unknown brand 'nope' (hint: known brands: default)"),
}


def _errors(project: Path) -> list[str]:
    catalog = load_project(project)
    problems = [p.format() for p in check_project(catalog) if p.level == "error"]
    return [e.format() for e in catalog.errors] + problems


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_case_gives_its_exact_message(tmp_path: Path, name: str) -> None:
    data, expected = CORPUS[name]
    make_project(tmp_path, {})
    (tmp_path / F).write_bytes(data)
    started = time.perf_counter()
    assert _errors(tmp_path) == [f"{F}:{expected}"]
    assert time.perf_counter() - started < 10  # generous: only a hang fails this


def test_whole_corpus_through_the_command_line(tmp_path: Path) -> None:
    """Every corpus file in one project: exit 2, one line each, no traceback, the good sheet still valid."""
    make_project(tmp_path, {"good": sheet()})
    for name, (data, _) in CORPUS.items():
        (tmp_path / "content" / "tipsheets" / f"{name}.yaml").write_bytes(data)
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == len(CORPUS)
    for name, (_, expected) in CORPUS.items():
        line = f"content/tipsheets/{name}.yaml:{expected}".replace("'bad'", f"'{name}'")
        assert line in lines, name
    assert all(re.match(r"^content/tipsheets/[a-z0-9-]+\.yaml:\d+:\d+: ", line) for line in lines)


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.write(b"title: x\nbody: |\n")
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        load_yaml(big, "content/tipsheets/big.yaml")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert str(caught.value).startswith("content/tipsheets/big.yaml:1:1: the file is too large (52,428,800 bytes;")
    assert elapsed < 10
    assert peak < 5 * 1024 * 1024  # the file is never read into memory


def test_a_file_just_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(ContentError, match="the file is too large"):
        load_yaml(big)


def test_billion_laughs_is_bounded_in_time_and_memory() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ContentError, match="expands to more than 50,000 values"):
        load_yaml_text(LAUGHS, "laughs.yaml")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 10
    assert peak < 100 * 1024 * 1024  # 9**9 values would need tens of gigabytes


def test_yaml_tags_never_construct_objects(tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ContentError, match="is not allowed"):
        load_yaml_text(text, "x.yaml")
    assert not marker.exists()


def test_a_content_file_linked_to_outside_the_project_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(sheet(title="Secret"))
    project = make_project(tmp_path / "project", {})
    (project / F).symlink_to(outside)
    assert _errors(project) == [f"{F}:1:1: this is a symbolic link to a file outside the project; it is not read "
                                "(hint: put the content file itself in the project)"]


def test_an_unreadable_path_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_yaml(tmp_path / "missing.yaml", "content/tipsheets/missing.yaml")
    assert str(caught.value) == "content/tipsheets/missing.yaml:1:1: cannot read the file: No such file or directory"


@pytest.mark.parametrize("name", ["lone-surrogate", "escape-beyond-unicode", "deep-flow", "deep-block", "self-alias",
                                  "billion-laughs", "control-char-raw", "python-object-tag"])
def test_the_pure_python_loader_refuses_the_same_inputs(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Where PyYAML is built without libyaml the messages differ, but each is still one ContentError line."""
    import yaml

    from tipsheets.core import source

    monkeypatch.setattr(source, "SafeLoader", yaml.SafeLoader)
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        load_yaml_text(CORPUS[name][0].decode("utf-8"), F)
    assert "\n" not in str(caught.value)
    assert time.perf_counter() - started < 10
