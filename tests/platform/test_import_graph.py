"""The package's import graph: no cycles, and the notification core knows no channel.

A cycle is counted the way Python meets it: importing `premier.a.b` from elsewhere runs
`premier.a`'s `__init__` first, and an import inside a function counts as much as one at
the top."""

import ast
from collections.abc import Iterator
from pathlib import Path

import premier

ROOT = Path(premier.__file__).parent
CHANNELS = ("premier.email", "premier.sms", "premier.push")


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.relative_to(ROOT).parts:
            continue
        parts = ["premier", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name in known:
                yield name
                # Importing a.b.c runs a.b's __init__ first.
                parts = name.split(".")
                for end in range(2, len(parts)):
                    parent = ".".join(parts[:end])
                    if parent in known and parent != module:
                        yield parent


def _ancestors(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:end]) for end in range(1, len(parts))}


def import_graph() -> dict[str, set[str]]:
    """Module → the modules its import statements run. A module's own packages are left
    out: Python has always begun running them before it runs the module."""
    known = _modules()
    return {
        module: set(_imported(module, path, known)) - {module} - _ancestors(module)
        for module, path in known.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_notification_core_imports_no_channel() -> None:
    graph = import_graph()
    leaks = {
        (module, target)
        for module, targets in graph.items()
        if module.startswith("premier.notifications")
        for target in targets
        if target.startswith(CHANNELS)
    }
    assert leaks == set()
