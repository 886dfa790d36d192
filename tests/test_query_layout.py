"""Issue 22 ("one of each thing"), for the query side: the modules that query, serve and name
nodes import one another one way, and each stays a size a reader takes in at once."""
from __future__ import annotations

import ast
from pathlib import Path

KG = Path(__file__).resolve().parent.parent / "kg"
QUERY_SIDE = ("kg.query", "kg.sparql", "kg.serve", "kg.remote", "kg.oxstore", "kg.names", "kg.graphview",
              "kg.leaderboard")


def _modules() -> dict[str, Path]:
    out = {}
    for path in KG.rglob("*.py"):
        name = ".".join(path.relative_to(KG.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the kg modules it imports, function-local imports included."""
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
        edges[name] = {m for m in found if m in modules and m != name}
    return edges


def _reaches(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = set(), list(edges[start])
    while stack:
        m = stack.pop()
        if m not in seen:
            seen.add(m)
            stack.extend(edges.get(m, ()))
    return seen


def test_the_query_side_has_no_import_cycle():
    """kg.query once imported kg.graphview (for name suggestions), which imported kg.leaderboard,
    which imported kg.query: the name lookups now live below all three, in kg.names."""
    modules = _modules()
    edges = _imports(modules)
    assert "kg.names" in edges["kg.query"] and "kg.names" in edges["kg.graphview"]
    assert "kg.sparql" in edges["kg.oxstore"] and "kg.sparql" in edges["kg.remote"]
    for name in QUERY_SIDE:
        assert name not in _reaches(edges, name), f"{name} imports itself through {sorted(_reaches(edges, name))}"


def test_query_side_modules_are_under_600_lines():
    for name in QUERY_SIDE:
        path = KG.parent / (name.replace(".", "/") + ".py")
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert 50 < lines <= 600, (name, lines)
