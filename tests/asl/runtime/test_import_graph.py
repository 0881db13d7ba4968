"""No import circle inside ``constructs_sfn.asl.runtime``, counting every kind of import.

The graph is built from the source with :mod:`ast`: module-level imports, imports under
``if TYPE_CHECKING:`` and imports inside functions all count, since each of them ties the two
modules together (the house rule in DESIGN.md: "no import circles, inside a package either").
``from package import name`` is an edge to the submodule when ``name`` is one, else to the
package's ``__init__``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import constructs_sfn.asl.runtime as runtime_package

PACKAGE = "constructs_sfn.asl.runtime"
ROOT = Path(runtime_package.__file__).parent


def _module_name(path: Path) -> str:
    return PACKAGE if path.name == "__init__.py" else f"{PACKAGE}.{path.stem}"


def _sources() -> dict[str, str]:
    return {_module_name(path): path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("*.py"))}


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    # A relative import: ``from .x import y`` inside constructs_sfn.asl.runtime.<importer>.
    base = importer.split(".")
    if importer == PACKAGE:
        base = [*base, "__init__"]
    parts = base[: len(base) - node.level] if node.level <= len(base) else []
    return ".".join([*parts, *([node.module] if node.module else [])])


def import_edges(modules: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the modules of this package it imports, anywhere in its source."""
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, source in modules.items():
        tree = ast.parse(source, filename=name)
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                source = _resolve(name, node)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.append(submodule if submodule in modules else source)
            edges[name].update(target for target in targets if target in modules and target != name)
    return edges


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
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
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def test_runtime_package_has_no_import_cycle() -> None:
    edges = import_edges(_sources())
    assert len(edges) > 20, "the package's modules were not found"
    cycles = find_cycles(edges)
    described = [" <-> ".join(name.rsplit(".", 1)[-1] for name in cycle) for cycle in cycles]
    assert cycles == [], f"import circles in {PACKAGE}: {described}"


def test_the_graph_sees_type_checking_and_function_level_imports() -> None:
    """The checker itself: a circle hidden under TYPE_CHECKING or inside a function is found."""
    sources = {
        f"{PACKAGE}.a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from constructs_sfn.asl.runtime.b import X\n",
        f"{PACKAGE}.b": "def f():\n    from constructs_sfn.asl.runtime import c\n    return c\n",
        f"{PACKAGE}.c": "from . import a\nimport constructs_sfn.asl.runtime.d\n",
        f"{PACKAGE}.d": "from constructs_sfn.asl.runtime import frame_like\n",
        PACKAGE: "",
    }
    edges = import_edges(sources)
    assert edges[f"{PACKAGE}.a"] == {f"{PACKAGE}.b"}
    assert edges[f"{PACKAGE}.b"] == {f"{PACKAGE}.c"}
    assert edges[f"{PACKAGE}.c"] == {f"{PACKAGE}.a", f"{PACKAGE}.d"}
    assert edges[f"{PACKAGE}.d"] == {PACKAGE}, "a name that is not a submodule comes from __init__"
    assert find_cycles(edges) == [[f"{PACKAGE}.a", f"{PACKAGE}.b", f"{PACKAGE}.c"]]


def test_state_handlers_are_bound_however_the_execution_is_imported() -> None:
    """Execution lives apart from the state modules; importing any runtime module binds them."""
    script = (
        "from constructs_sfn.asl.parse import parse_definition\n"
        "from constructs_sfn.asl.runtime.execution import Execution\n"
        "d = parse_definition({'StartAt': 'W', 'States': {'W': {'Type': 'Wait', 'Seconds': 1, 'Next': 'P'},"
        " 'P': {'Type': 'Pass', 'Result': 1, 'End': True}}})\n"
        "print(Execution(d, {}).run().status)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60)
    assert done.stdout.strip() == "SUCCEEDED", done.stderr
