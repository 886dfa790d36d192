"""The layout of kg/ (issue 22): modules of one job each, none over 600 lines, no import cycle
anywhere in kg/ (function-local and TYPE_CHECKING imports count), no private name imported
across modules, each relation's rules readable without its learned decision, every package
installed, and the public names other code imports still importable from their package."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    """Every module of kg/ by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(KG.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import in the file, nested ones included."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, [alias.name for alias in node.names]))
    return out


def _edges() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for module, names in _imports(name, path):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in modules]
            if module in modules and len(targets) < max(len(names), 1):
                targets.append(module)
            edges[name].update(t for t in targets if t != name)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle among ``edges`` (empty when there is none)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_no_module_is_over_600_lines():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    assert len(sizes) >= 80, sizes          # the scan found the modules
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}


def test_no_import_cycle_in_kg():
    edges = _edges()
    assert sum(map(len, edges.values())) > 200, "few import edges found: the scan is broken"
    assert _cycle(edges) == []


def test_no_import_cycle_between_the_parts_of_kg():
    """The same, one level up: kg.extract, kg.learn, kg.build, kg.graph ... as single nodes (a
    module of kg.extract.* importing kg.learn.* while kg.learn.* imports kg.extract.* is a cycle
    here even with none between modules): the arrows of the flow go one way."""
    top = lambda name: ".".join(name.split(".")[:2])   # noqa: E731
    parts: dict[str, set[str]] = {}
    for name, targets in _edges().items():
        parts.setdefault(top(name), set()).update(top(t) for t in targets if top(t) != top(name))
    assert {"kg.extract", "kg.learn", "kg.build", "kg.graph", "kg.readers"} <= set(parts)
    assert "kg.extract" in parts["kg.learn"] and "kg.learn" not in parts["kg.extract"]
    assert "kg.processes" in parts["kg.serve"] and "kg.build" not in parts["kg.serve"]   # serving is no build
    assert _cycle(parts) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_private_name_is_imported_from_another_module():
    taken = [(name, module, n) for name, path in _modules().items()
             for module, names in _imports(name, path) if module.startswith("kg")
             for n in names if n.startswith("_") and not n.startswith("__")]
    assert taken == []


@pytest.mark.parametrize("relation", ["proposes", "datasets", "compares"])
def test_a_relations_rules_do_not_import_its_learned_decision(relation):
    """rules -> learned -> the extractor, one way: the rules read, and test, alone."""
    edges = _edges()
    rules, learned = f"kg.extract.{relation}.rules", f"kg.extract.{relation}.learned"
    assert rules in edges[learned]
    assert learned not in edges[rules] and f"kg.extract.{relation}" not in edges[rules] - {"kg.extract.proposes"}


def test_the_readers_public_names_are_importable_from_the_package():
    import kg.readers as readers

    names = ["InputPlan", "MAX_ABSTRACT_CHARS", "MAX_FIELD_CHARS", "MAX_FIELD_VALUES", "MAX_LINE_BYTES",
             "MAX_TITLE_CHARS", "ReadFn", "ReadOptions", "Reader", "ReaderError", "ReaderWarning", "SniffFn",
             "available_readers", "bom_encoding", "canonical_path", "clean_paper", "clean_text", "decode_text",
             "detect_format", "display_path", "get_reader", "input_files", "iso_date", "iter_lines",
             "iter_raw_lines", "oversized", "parse_date", "plan_inputs", "read_head", "read_papers", "read_text",
             "read_text_guessing", "register_reader", "unnoted_decoding"]
    assert [n for n in names if not hasattr(readers, n)] == []
    assert sorted(readers.__all__) == sorted(names)
    assert readers.MAX_LINE_BYTES == 16 * 1024 * 1024 and readers.MAX_TITLE_CHARS == 4_096
    assert "csv" in readers.available_readers() and readers.get_reader("csv").name == "csv"


def test_the_viz_public_names_are_importable_from_the_package():
    import kg.viz as viz

    names = ["DEFAULT_MAX_NODES", "EDGE_STYLE", "FocusNotFound", "LABELS_AT_OPEN", "STYLE", "TOOLTIP_BEST",
             "TOOLTIP_EVIDENCE", "TOOLTIP_METRICS", "TOOLTIP_NAMES", "TOOLTIP_PAPERS", "TOOLTIP_TITLES", "View",
             "ViewOptions", "build_view", "network_data", "node_facts", "render_html", "render_view",
             "show_inline", "write_html"]
    assert [n for n in names if not hasattr(viz, n)] == []
    assert sorted(viz.__all__) == sorted(names)


def test_every_package_under_kg_is_installed():
    """A package folder missing from pyproject's list imports in a checkout but not from a wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in KG.rglob("__init__.py")}
    assert {"kg.readers", "kg.viz", "kg.build", "kg.cli", "kg.graph", "kg.extract.proposes"} <= found
    assert sorted(found - listed) == []
