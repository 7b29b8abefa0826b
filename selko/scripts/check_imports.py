"""Fails when the import rules of DESIGN.md break, so a cycle or an upward import never comes back.

Checked over every import in the project (grimp builds the graph; imports inside functions count too):
- no cycle among the project's modules;
- the layers import one way: selko <- documents <- models_app <- training <- frontend;
- the ML core (`training/ml/`) imports neither Django nor any module of the apps.
Run: .venv/bin/python selko/scripts/check_imports.py
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import grimp

LAYERS = ("selko", "documents", "models_app", "training", "frontend")
ML_CORE = "training.ml"
# Migrations are generated code that Django imports by itself.
IGNORED_PARTS = (".migrations.",)


def _layer(module: str) -> int:
    if module == ML_CORE or module.startswith(ML_CORE + "."):
        return -1  # below every app
    return LAYERS.index(module.split(".")[0])


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def imported_by(module: str) -> Iterator[str]:
        return iter(sorted(graph.find_modules_directly_imported_by(module) & modules))

    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, imported_by(root))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, imported_by(child)))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def problems(graph: grimp.ImportGraph) -> list[str]:
    modules = {
        m
        for m in graph.modules
        if m.split(".")[0] in LAYERS and not any(part in f".{m}." for part in IGNORED_PARTS)
    }
    found = [f"import cycle: {' <-> '.join(cycle)}" for cycle in _cycles(graph, modules)]
    for importer in sorted(modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.split(".")[0] == "django" and _layer(importer) == -1:
                found.append(f"{importer} imports {imported}: the ML core must not import Django")
            if imported not in modules:
                continue
            if _layer(imported) > _layer(importer):
                found.append(f"{importer} imports {imported}: imports must run down the layers {LAYERS}")
    return found


def main() -> int:
    sys.path.insert(0, str(Path.cwd()))  # run from the repository root
    # External packages appear as one module each ("django"), which is all the ML core rule needs.
    graph = grimp.build_graph(*LAYERS, include_external_packages=True)
    found = problems(graph)
    for problem in found:
        print(problem, file=sys.stderr)
    print(f"imports: {len(graph.modules)} modules checked, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
