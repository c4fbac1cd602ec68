"""The code keeps the shape the README promises: small modules, small functions, no import cycle.

Sizes count physical lines. An import cycle is counted over every import of a `playground` module that runs: at
module level or inside a function; imports under `if TYPE_CHECKING:` are type references and do not run. A package's
`__init__` runs before any of its submodules, so a submodule also depends on its package's `__init__` — which is
why those files import nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "playground"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Functions over the limit, each with its reason: only data tables (one entry a line) may be listed.
LONG_FUNCTIONS_ALLOWED: dict[str, str] = {}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            for branch in node.orelse:
                yield from _runtime_imports(ast.Module(body=[branch], type_ignores=[]))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        else:
            yield from _runtime_imports(node)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The playground modules `name` makes Python import when it runs, its own package's `__init__` included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = {package} if package != name else set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
        module = ".".join([*base, node.module] if node.module else base)
        found.update(f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names)
    return {m for m in found if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, set(known)) for name, path in known.items()}


def long_functions() -> dict[str, int]:
    found = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found[f"{name}.{node.name}"] = length
    return found


def test_no_module_is_over_400_lines() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_no_function_is_over_60_lines_outside_data_tables() -> None:
    assert {name: n for name, n in long_functions().items() if name not in LONG_FUNCTIONS_ALLOWED} == {}
    assert set(LONG_FUNCTIONS_ALLOWED) <= set(long_functions()), "an allowed function is short now: drop it from the list"


def test_no_import_cycle_among_playground_modules() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
        ({"p": {"p.x"}, "p.x": {"p"}}, [["p", "p.x"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


def test_the_import_reader_sees_what_runs(tmp_path: Path) -> None:
    """Relative, absolute and in-function imports count; a TYPE_CHECKING import does not; a submodule needs its package."""
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nfrom . import b\nfrom .c import thing\nimport pkg.d\n"
        "if TYPE_CHECKING:\n    from . import e\n\ndef f():\n    from .f import g\n",
        encoding="utf-8",
    )
    known = {"pkg", "pkg.b", "pkg.c", "pkg.d", "pkg.e", "pkg.f", "pkg.mod"}
    assert imports_of("pkg.mod", source, known) == {"pkg", "pkg.b", "pkg.c", "pkg.d", "pkg.f"}
