"""The build package (issue 22): options as one checked object, the in-memory build refusing what
it cannot do, one atomic write with fsync for every output, the HTML page a step after the
build, and imports that go one way."""
from __future__ import annotations

import ast
import dataclasses
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import BuildOptions, build, staged_build
from kg.cli import main
from kg.page import add_page, build_with_page

KG = Path(__file__).resolve().parent.parent / "kg"


@pytest.fixture(scope="module")
def listing(seed_papers, tmp_path_factory) -> Path:
    """12 seed papers as JSON Lines."""
    path = tmp_path_factory.mktemp("listing") / "papers.jsonl"
    papers = list(seed_papers.values())[:12]
    path.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in papers),
                    encoding="utf-8")
    return path


# --------------------------------------------------------------------------- options

@pytest.mark.parametrize("option, value", [("workers", 2), ("workers", 1), ("dask", "tcp://127.0.0.1:8786"),
                                           ("fresh", True), ("reextract", True), ("wait", 5.0),
                                           ("batch_size", 7)])
def test_the_in_memory_build_refuses_what_only_the_store_build_does(option, value, listing, tmp_path):
    with pytest.raises(ValueError, match=f"store='memory'.*{option}={value!r}"):
        BuildOptions(store="memory", **{option: value})
    BuildOptions(**{option: value})   # the store build takes it
    # through the command: one error line, nothing written
    flag = {"workers": ["--workers", str(value)], "dask": ["--dask", str(value)], "fresh": ["--fresh"],
            "reextract": ["--reextract"], "wait": ["--wait", str(value)]}.get(option)
    if flag:
        out = tmp_path / "out"
        result = CliRunner().invoke(main, ["build", str(listing), "--out", str(out), "--store", "memory", *flag])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("error: store='memory' builds in this process without a store")
        assert option in result.output and not out.exists()


def test_the_in_memory_build_honours_what_it_takes(listing, tmp_path):
    everything = build([listing], tmp_path / "all", BuildOptions(store="memory"))
    confident = build([listing], tmp_path / "confident", BuildOptions(store="memory", min_confidence=0.7))
    assert everything.papers == confident.papers == 12
    assert 0 < confident.triples < everything.triples and confident.min_confidence == 0.7
    nothing = build([listing], tmp_path / "none", BuildOptions(store="memory", categories=["cs.CV"]))
    assert nothing.papers == 0 and nothing.filtered == 12 and not (tmp_path / "none").exists()


def test_options_are_one_frozen_checked_object():
    options = BuildOptions(categories=["cs.CV", "cs.LG"], columns={"title": "Headline"}, min_confidence=1)
    assert options.categories == ("cs.CV", "cs.LG") and options.min_confidence == 1.0
    assert options.read_options().columns == {"title": "Headline"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.workers = 4  # type: ignore[misc]
    for bad, message in (({"store": "sqlite"}, "unknown store"), ({"encoding": "no-such-codec"}, "unknown encoding"),
                         ({"min_confidence": 1.5}, "min_confidence"), ({"workers": 0}, "workers"),
                         ({"store": "memory", "turtle": False}, "graph.ttl")):
        with pytest.raises(ValueError, match=message):
            BuildOptions(**bad)


# --------------------------------------------------------------------------- the page, a step after the build

def test_the_build_writes_no_page_and_the_page_step_adds_it_with_the_outputs(listing, tmp_path):
    bare = build([listing], tmp_path / "bare")
    assert not (tmp_path / "bare" / "graph.html").exists()
    assert [Path(o).name for o in bare.outputs] == ["graph.ttl", "report.json"]
    report = build_with_page([listing], tmp_path / "page")
    assert [Path(o).name for o in report.outputs] == ["graph.ttl", "graph.html", "report.json"]
    assert (tmp_path / "page" / "graph.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((tmp_path / "page" / "report.json").read_text())["outputs"] == report.outputs
    # a build that changes nothing leaves a current page alone, and draws a missing one
    again = build_with_page([listing], tmp_path / "page")
    assert again.store["changed"] is False and again.outputs == []
    (tmp_path / "page" / "graph.html").unlink()
    again = build_with_page([listing], tmp_path / "page")
    assert (tmp_path / "page" / "graph.html").stat().st_size > 10_000
    assert [Path(o).name for o in again.outputs] == ["graph.ttl", "graph.html", "report.json"]


def test_a_failing_step_after_the_build_publishes_nothing(listing, tmp_path):
    out = tmp_path / "out"
    build([listing], out, BuildOptions(store="memory"))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(RuntimeError, match="page failed"):
        with staged_build([listing], out, BuildOptions(store="memory", min_confidence=0.9)) as staged:
            add_page(staged)
            raise RuntimeError("page failed")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# --------------------------------------------------------------------------- one atomic write

def test_every_output_of_a_build_is_fsynced_before_it_is_renamed(listing, tmp_path, monkeypatch):
    synced: list[str] = []
    fsync = os.fsync

    def recording(fd: int) -> None:
        synced.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    build_with_page([listing], tmp_path / "store")
    build_with_page([listing], tmp_path / "memory", BuildOptions(store="memory"))
    for name in ("graph.ttl", "graph.html", "report.json"):
        assert sum(s.startswith(f".{name}.") and s.endswith(".tmp") for s in synced) == 2, (name, synced)


def test_one_module_writes_files_atomically():
    """mkstemp + rename lives in kg/files.py alone; every writer calls it."""
    writers = [p.relative_to(KG).as_posix() for p in KG.rglob("*.py") if "mkstemp" in p.read_text(encoding="utf-8")]
    assert writers == ["files.py"]


# --------------------------------------------------------------------------- imports go one way

def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """Modules of kg that ``path`` imports, function-local imports included (``from P import m``:
    the submodule ``P.m``, and ``P`` itself only for names that are not submodules)."""
    pkg = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(pkg.split(".")[:len(pkg.split(".")) - node.level + 1] + ([base] if base else []))
            subs = {f"{base}.{a.name}" for a in node.names} & modules
            found.update(subs | ({base} if len(subs) < len(node.names) else set()))
    return found & modules


def test_the_build_imports_no_view_query_or_command_and_no_cycle_runs_through_it():
    modules = {}
    for p in KG.rglob("*.py"):
        name = ".".join(p.relative_to(KG.parent).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = p
    edges = {name: _imports(p, name, set(modules)) - {name} for name, p in modules.items()}
    build_modules = sorted(m for m in modules if m == "kg.build" or m.startswith("kg.build."))
    assert len(build_modules) >= 10
    forbidden = ("kg.viz", "kg.page", "kg.cli", "kg.query", "kg.serve", "kg.graphview", "kg.layout", "kg.analysis")

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for m in edges[todo.pop()]:
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        return seen

    for m in build_modules:
        reached = reach(m)
        assert not [f for f in forbidden if any(r == f or r.startswith(f + ".") for r in reached)], m
        assert m not in reached, f"import cycle through {m}"
    # kg serve takes the worker-process helpers by their public names
    assert "_exit_with" not in modules["kg.serve"].read_text(encoding="utf-8")
    assert not {"kg.pipeline", "kg.stream"} & set(modules)
