"""The tool's modules import each other one way only: no import circles.

Reads every module under ``generator/specfirst`` (the runtime included), ``corpus/`` and the
reference service's ``impl/`` with ``ast`` and follows ``import``/``from … import`` statements
that name another of its modules, lazy imports inside functions and ``TYPE_CHECKING`` imports
included (they make a circle all the same, only later or for the reader). A package's
``__init__`` that re-exports its modules is not a circle with them: importing a module of a
package runs the package first by Python's rules, and that is not counted as an arrow.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ((REPO / "generator", "specfirst"), (REPO, "corpus"), (REPO, "impl"))


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path, package: str) -> dict[str, Path]:
    return {_module_name(root, p): p for p in (root / package).rglob("*.py")}


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from pkg import mod` names the module pkg.mod when there is one, else pkg
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def _graph(root: Path, package: str) -> dict[str, set[str]]:
    known = _modules(root, package)
    return {name: _imports(name, path, known) for name, path in known.items()}


def test_the_graph_is_read() -> None:
    graph = _graph(*PACKAGES[0])
    assert "specfirst.parser.api_parser" in graph["specfirst.pipeline"] or any(
        t.startswith("specfirst.parser") for t in graph["specfirst.pipeline"]
    )
    assert "specfirst.runtime.routing" in graph["specfirst.runtime.app"]


def test_no_import_circles() -> None:
    for root, package in PACKAGES:
        assert _cycles(_graph(root, package)) == [], package


def test_a_circle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
