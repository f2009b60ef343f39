"""The house: layers that import only downwards, no circle anywhere, and a command line that starts light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("tipsheets")  # imports inside functions count too


def test_no_module_imports_itself_through_others(graph: grimp.ImportGraph) -> None:
    circles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                circles.append(" → ".join((module, *chain)))
    assert circles == []


def test_the_layers_contract_holds() -> None:
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
                            cwd=SRC.parent, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_help_starts_without_the_heavy_libraries() -> None:
    code = ("import sys; sys.path.insert(0, %r); import tipsheets.cli; "
            "print(sorted(m for m in ('weasyprint', 'pydantic', 'jinja2', 'babel', 'PIL', 'pypdfium2', 'icu', 're2', "
            "'tipsheets.core.models', 'tipsheets.build.pipeline') if m in sys.modules))" % str(SRC))
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.strip()
    assert loaded == "[]"


def test_the_block_union_the_type_checker_sees_is_every_registered_block() -> None:
    """``Block`` is written out for mypy beside the union pydantic builds from ``BLOCK_TYPES``: the two must agree,
    or a new block type would be checked as if it did not exist."""
    import ast

    from tipsheets.core.blocks import BLOCK_TYPES

    tree = ast.parse((SRC / "tipsheets" / "core" / "blocks.py").read_text(encoding="utf-8"))
    written: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "Block":
            written = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name) and n.id.endswith("Block")}
    assert written and written == {t.model.__name__ for t in BLOCK_TYPES}
