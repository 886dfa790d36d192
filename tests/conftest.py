"""Shared fixtures: the real seed listings (examples/seeds, in the repository) and a graph built
from them once per session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = sorted((EXAMPLES / "seeds").glob("*.txt"))
ANNOTATED = EXAMPLES / "annotated"    # the annotated papers and the scorer (score.py)
EXTERNAL = EXAMPLES / "external"      # SciREX abstracts


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    assert len(SEEDS) == 4, f"the four seed listings are part of the repository: {EXAMPLES / 'seeds'}"
    return SEEDS


@pytest.fixture(scope="session")
def seeds_build(seed_files, tmp_path_factory):
    """(report, output folder) of a build of the four seed listings."""
    from kg.page import build_with_page

    out = tmp_path_factory.mktemp("seeds_out")
    report = build_with_page(seed_files, out)
    return report, out


@pytest.fixture(scope="session")
def seeds_graph(seeds_build):
    from kg.store import load_graph

    return load_graph(seeds_build[1])


@pytest.fixture(scope="session")
def seeds_ttl(seeds_build):
    """graph.ttl of the seeds build parsed by plain rdflib, as the scorer and users read it."""
    from rdflib import Graph

    return Graph().parse(seeds_build[1] / "graph.ttl", format="turtle")


@pytest.fixture(scope="session")
def seeds_cli_build(seed_files, tmp_path_factory):
    """(output folder, printed summary, exit code) of a second build of the seeds, through ``kg build``."""
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path_factory.mktemp("seeds_cli_out")
    result = CliRunner().invoke(main, ["build", *map(str, seed_files), "--out", str(out)])
    return out, result.output, result.exit_code


@pytest.fixture(scope="session")
def seed_papers(seed_files) -> dict:
    """paper key → the Paper as first read from the seeds (what the graph must hold)."""
    from kg.records import Paper
    from kg.readers import read_papers

    papers: dict = {}
    for f in seed_files:
        for item in read_papers(f):
            if isinstance(item, Paper):
                papers.setdefault(item.key, item)
    return papers


@pytest.fixture(scope="session")
def seed_facts(seed_papers) -> list:
    """Every fact extracted and normalised from the distinct seed papers (the default extractors
    and the shipped model, as `kg build` runs them)."""
    from kg.extract import extract
    from kg.learn.model import load_model
    from kg.normalize import normalise
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    model = load_model()
    return [f for p in seed_papers.values() for f in normalise(p, extract(p, vocab, model=model), vocab)]


# Titles and abstracts full of markup and script: every page we write must show them as text.
HOSTILE_PAPERS = json.loads((ROOT / "tests" / "data" / "hostile_papers.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> Path:
    """The output folder (graph.ttl, graph.html, store) of `kg build` on HOSTILE_PAPERS."""
    from click.testing import CliRunner

    from kg.cli import main

    d = tmp_path_factory.mktemp("hostile")
    listing = d / "papers.jsonl"
    listing.write_text("".join(json.dumps(p) + "\n" for p in HOSTILE_PAPERS), encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(listing), "--out", str(d / "out")])
    assert res.exit_code == 0 and "3 papers" in res.output, res.output
    return d / "out"
