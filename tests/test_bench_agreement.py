"""bench/agreement.py: two annotations of the same papers, compared relation by relation."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from bench.agreement import agreement

ANNOTATED = Path(__file__).resolve().parent.parent / "examples" / "annotated"


def _load(name: str) -> list[dict]:
    return json.loads((ANNOTATED / name).read_text(encoding="utf-8"))


def test_an_annotation_agrees_with_itself_on_every_entry():
    gold = _load("gold_tldr.json")
    scores = agreement(gold, gold)
    assert scores.pop("papers") == 100
    assert all(x["a"] == x["b"] == x["agreed"] for x in scores.values()), scores
    assert scores["tasks"]["a"] > 100 and scores["compares_to"]["a"] > 30


def test_a_changed_name_a_swapped_pair_and_a_dropped_task():
    gold = _load("gold_tldr.json")
    other = copy.deepcopy(gold)
    paper = next(p for p in other if p["compares_to"] and len(p["tasks"]) > 1 and p["proposes"])
    paper["proposes"][0]["names"] = ["Something Else Entirely"]
    c = paper["compares_to"][0]
    c["a"], c["b"] = c["b"], c["a"]            # a pair agrees in either order
    paper["tasks"].pop()
    scores = agreement(gold, other)
    assert scores["proposes"]["agreed"] == scores["proposes"]["a"] - 1
    assert scores["compares_to"]["agreed"] == scores["compares_to"]["a"]
    assert scores["tasks"]["b"] == scores["tasks"]["a"] - 1 == scores["tasks"]["agreed"]
    assert scores["tasks"]["F1"] < 1.0


def test_the_second_annotation_of_25_papers_is_scored_on_those_25():
    scores = agreement(_load("gold_tldr.json"), _load("gold_tldr_second.json"))
    assert scores["papers"] == 25
    # two annotators, blind to each other and to the tool: near-complete agreement on what
    # the extractor finds hardest there
    assert scores["proposes"]["F1"] >= 0.9 and scores["tasks"]["F1"] >= 0.85, scores
