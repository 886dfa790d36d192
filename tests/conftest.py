"""Shared fixtures: the real seed listings and a graph built from them once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    if len(SEEDS) != 4:
        pytest.skip("the seed listings (../shared/seeds) are not beside the project")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_build(seed_files, tmp_path_factory):
    """(report, output folder) of a build of the four seed listings."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds_out")
    report = build(seed_files, out)
    return report, out


@pytest.fixture(scope="session")
def seeds_graph(seeds_build):
    from kg.store import load_graph

    return load_graph(seeds_build[1])
