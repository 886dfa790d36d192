"""bench/decisions.py: each held-out candidate with the decision a model that never saw its paper
made on it (two folds of 60 annotated seed papers, to stay fast)."""
from __future__ import annotations

from collections import Counter

import pytest

from bench.crossval import pool
from bench.decisions import held_out, misses


@pytest.fixture(scope="module")
def seeds() -> dict:
    return {"train": pool()["train"][:60]}


def test_every_task_candidate_is_decided_by_its_cut_and_the_misses_are_the_wrong_ones(seeds):
    verdicts, uncovered = held_out(seeds, "addressesTask", folds=2)
    assert len({v.paper for v in verdicts}) > 30, "most papers have task candidates"
    assert all(v.kept == (v.probability >= v.cut) for v in verdicts)
    outcomes = Counter((v.kept, v.right) for v in verdicts)
    assert outcomes[True, True] > 20 and outcomes[False, False] > 5, outcomes
    assert all(v.reasons and v.set == "train" for v in verdicts if v.kept)
    wrong = list(misses(verdicts, "addressesTask"))
    assert {id(v) for _, v in wrong} == {id(v) for v in verdicts if v.kept != v.right}
    assert {kind for kind, _ in wrong} <= {"kept wrong", "dropped right"}
    assert uncovered["train"] >= 0


def test_the_main_method_is_one_choice_a_paper(seeds):
    verdicts, _ = held_out(seeds, "primary", folds=2)
    chosen = Counter(v.paper for v in verdicts if v.kept)
    assert chosen and max(chosen.values()) == 1
    right_choices = sum(v.kept and v.right for v in verdicts)
    assert right_choices > 25, right_choices
    for kind, v in misses(verdicts, "primary"):
        assert kind == "passed over" and v.right and not v.kept


def test_an_unknown_decision_is_named():
    with pytest.raises(ValueError, match="unknown decision 'datasets'"):
        held_out({}, "datasets")
