"""Extraction quality floors from held-out figures: a model trained without a set of annotated
papers is scored on them (the honest figure, as ``bench/crossval.py`` measures it over five
folds), and the shipped model must keep the dev set's floors. A change that loses more than a
point or two fails here, not only in the closing note."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract
from kg.learn.evaluate import score_graph
from kg.learn.gold import load_annotated
from kg.learn.model import load_model
from kg.learn.train import train_model
from kg.normalize import normalise
from kg.graph.mapping import build_graph
from kg.vocab import default_vocabulary

ANNOTATED = Path(__file__).resolve().parent.parent / "examples" / "annotated"
POOL = {"dev": ("gold_dev.json", "dev_papers.txt"), "train": ("gold_train.json", "train_papers.jsonl"),
        "sample2": ("gold_sample2.json", "sample2_papers.txt"), "scirex": ("gold_scirex.json", "scirex_papers.jsonl")}

# F1 floors (and main-method recall) a little under the figures at the time of writing, for a
# model trained on the other sets and scored on this one (never trained on it)
HELD_OUT = {
    "sample2": {"proposes": 0.79, "evaluatesOn": 0.95, "comparesTo": 0.66, "main": 0.89},
    "train": {"proposes": 0.67, "evaluatesOn": 0.90, "comparesTo": 0.64, "main": 0.84,
              "addressesTask": 0.78, "results": 0.76},
}
# the shipped model on the dev set (the floors: it was tuned on for a long time)
SHIPPED_DEV = {"proposes": 0.85, "evaluatesOn": 0.92, "comparesTo": 0.75}
# the shipped model on SciREX abstracts annotated blind after it was trained and never trained on
# (examples/annotated/gold_heldout.json): the nearest thing here to the hidden papers. (Its 45
# comparisons make comparesTo move by about .02 a pair: its floor sits a pair and a half under.)
BLIND = ("gold_heldout.json", "heldout_papers.jsonl")
SHIPPED_BLIND = {"proposes": 0.64, "evaluatesOn": 0.83, "comparesTo": 0.44, "addressesTask": 0.60, "results": 0.58,
                 "main": 0.73}
# ... and on 100 ICLR abstracts of every field of machine learning (SciTLDR), annotated blind:
# farther from the seeds than SciREX; two results only, so no floor for them. (41 comparisons:
# about .025 a pair.)
TLDR = ("gold_tldr.json", "tldr_papers.jsonl")
SHIPPED_TLDR = {"proposes": 0.62, "evaluatesOn": 0.86, "comparesTo": 0.36, "addressesTask": 0.50, "main": 0.70}
# ... and on 100 more of them, annotated blind after every change of session 54 was decided
# (gold_tldr2.json): 19 comparisons (.05 a pair) and 21 results, too few for a floor.
TLDR2 = ("gold_tldr2.json", "tldr2_papers.jsonl")
SHIPPED_TLDR2 = {"proposes": 0.60, "evaluatesOn": 0.89, "addressesTask": 0.49, "main": 0.72}


def _load(files: tuple[str, str]):
    gold, papers = files
    return load_annotated([ANNOTATED / gold], [ANNOTATED / papers])


def _papers(name: str):
    return _load(POOL[name])


def _score(model, annotated) -> dict:
    vocab = default_vocabulary()
    facts = [f for a in annotated for f in normalise(a.paper, extract(a.paper, vocab, model=model), vocab)]
    graph = build_graph([(a.paper, [a.paper.source]) for a in annotated], facts)
    result = score_graph(graph, [a.gold for a in annotated])
    assert not result["missing_papers"]
    scores = {rel: x["F1"] for rel, x in result["relations"].items()}
    scores["main"] = result["primary_recall"]
    return scores


@pytest.mark.parametrize("held_out", sorted(HELD_OUT))
def test_held_out_quality(held_out):
    train = [a for name in POOL if name != held_out for a in _papers(name)]
    scores = _score(train_model(train), _papers(held_out))
    floors = HELD_OUT[held_out]
    assert all(scores[k] >= v for k, v in floors.items()), (held_out, scores)


def test_shipped_model_on_dev():
    scores = _score(load_model(), _papers("dev"))
    assert all(scores[k] >= v for k, v in SHIPPED_DEV.items()), scores


def test_shipped_model_on_papers_it_never_saw():
    blind = load_annotated([ANNOTATED / BLIND[0]], [ANNOTATED / BLIND[1]])
    titles = {a.paper.title for name in POOL for a in _papers(name)}
    assert len(blind) == 106 and not titles & {a.paper.title for a in blind}
    scores = _score(load_model(), blind)
    assert all(scores[k] >= v for k, v in SHIPPED_BLIND.items()), scores


def test_shipped_model_on_machine_learning_abstracts_far_from_the_seeds():
    tldr = load_annotated([ANNOTATED / TLDR[0]], [ANNOTATED / TLDR[1]])
    titles = {a.paper.title for name in POOL for a in _papers(name)}
    titles |= {a.paper.title for a in load_annotated([ANNOTATED / BLIND[0]], [ANNOTATED / BLIND[1]])}
    assert len(tldr) == 100 and not titles & {a.paper.title for a in tldr}
    scores = _score(load_model(), tldr)
    assert all(scores[k] >= v for k, v in SHIPPED_TLDR.items()), scores


def test_shipped_model_on_a_second_set_of_machine_learning_abstracts():
    tldr2 = _load(TLDR2)
    others = [*POOL.values(), BLIND, TLDR, ("gold_tldr_results.json", "tldr_results_papers.jsonl")]
    titles = {a.paper.title for files in others for a in _load(files)}
    assert len(tldr2) == 100 and not titles & {a.paper.title for a in tldr2}
    scores = _score(load_model(), tldr2)
    assert all(scores[k] >= v for k, v in SHIPPED_TLDR2.items()), scores


def test_results_on_machine_learning_abstracts_that_state_scores():
    # 60 more ICLR abstracts, each stating a score, annotated blind: a development set for results
    # outside the seeds' corner (its misses were read: the gain lists of kg.extract.results)
    dev = load_annotated([ANNOTATED / "gold_tldr_results.json"], [ANNOTATED / "tldr_results_papers.jsonl"])
    tldr = {a.paper.title for a in load_annotated([ANNOTATED / TLDR[0]], [ANNOTATED / TLDR[1]])}
    assert len(dev) == 60 and not tldr & {a.paper.title for a in dev}
    scores = _score(load_model(), dev)
    assert scores["results"] >= 0.47 and scores["evaluatesOn"] >= 0.85, scores


def test_slash_siblings_and_two_coined_names_in_one_phrase():
    # "on CIFAR-10/100" names CIFAR-100 too; "two loss functions called GHM-C and GHM-R": two names
    from kg.extract import Document
    from kg.extract.proposes.learned import proposal_candidates
    from kg.records import Paper
    doc = Document(Paper(title="Gradient Harmonized Detectors", abstract=(
        "Two novel loss functions called GHM-C and GHM-R are designed. "
        "We test them on CIFAR-10/100 and Kinetics-400/600.")), default_vocabulary())
    names = [c.name for c in proposal_candidates(doc)]
    assert "GHM-C" in names and "GHM-R" in names and "GHM-C and GHM-R" not in names, names
    datasets = {e.object for e in extract(doc.paper, default_vocabulary(), model=None) if e.predicate == "evaluatesOn"}
    assert {"CIFAR-100", "Kinetics-600"} <= datasets, datasets


def test_a_task_named_in_a_proposal_sentence_is_not_proposed():
    # "super-resolution (SR)" reads like a coined name in "we propose ... for SR"; the task
    # vocabulary knows it, so it is no candidate (and no annotated paper proposes a task)
    from kg.extract.proposes.learned import proposal_candidates
    from kg.extract import Document
    vocab = default_vocabulary()
    drcn = next(a for a in _papers("scirex") if a.paper.title.startswith("Deeply-Recursive Convolutional Network"))
    names = [c.name for c in proposal_candidates(Document(drcn.paper, vocab))]
    assert "DRCN" in names and "SR" not in names, names
    proposed = [e.object for e in extract(drcn.paper, vocab, names=["proposes"], model=load_model())]
    assert proposed == ["DRCN"], proposed


def test_a_dataset_the_paper_creates_is_evaluated_on_not_proposed():
    # "we introduce the Stanford Natural Language Inference corpus, a new ... collection",
    # "SentiHood: ... Dataset for Urban Neighbourhoods": the guideline's introduces_datasets
    from kg.extract import Document
    from kg.extract.introduced import introduced_dataset_names
    vocab, model = default_vocabulary(), load_model()
    papers = {a.paper.title.split(":")[0]: a.paper for a in _papers("scirex")}
    for title, name in (("SentiHood", "SentiHood"), ("A Large-Scale Car Dataset for Fine-Grained Categorization and "
                                                     "Verification", "CompCars")):
        paper = next(p for t, p in papers.items() if t.startswith(title))
        assert name.casefold() in introduced_dataset_names(Document(paper, vocab))
        found = extract(paper, vocab, names=["proposes", "datasets"], model=model)
        assert name in {e.object for e in found if e.predicate == "evaluatesOn"}, found
        assert name not in {e.object for e in found if e.predicate == "proposes"}, found


def test_a_dataset_described_in_passing_is_not_created():
    from kg.extract import Document
    from kg.extract.introduced import introduced_dataset_names
    from kg.records import Paper
    paper = Paper(title="Deep Residual Learning for Image Recognition", abstract=(
        "We present a residual learning framework. We evaluate on ImageNet, a large-scale dataset, and on the "
        "CIFAR-10 dataset. FYI: Flip Your Images for Dataset Distillation is related work."))
    assert not introduced_dataset_names(Document(paper, default_vocabulary()))


def test_a_tasks_short_form_is_no_dataset_and_a_dataset_in_brackets_after_a_task_is_one():
    # "Visual question answering (VQA)" spells the task, not the VQA dataset; "image captioning
    # (COCO-Captions)" names the task's dataset
    from kg.records import Paper
    found = extract(Paper(title="Robust Answers", abstract=(
        "Visual question answering (VQA) models often exploit language priors. We evaluate ZebraQA on "
        "VQA-CP v2 and on image captioning (COCO-Captions).")), default_vocabulary(), names=["datasets"])
    assert {e.object for e in found if e.predicate == "evaluatesOn"} == {"VQA-CP v2", "COCO-Captions"}, found


def test_a_collection_of_models_is_no_dataset_and_a_collection_of_tasks_is_one():
    from kg.extract import Document
    from kg.extract.introduced import introduced_dataset_names
    from kg.records import Paper
    vocab = default_vocabulary()
    paper = Paper(title="Open and Efficient Foundation Language Models", abstract=(
        "We introduce LlamaNet, a collection of foundation language models ranging from 7B to 65B parameters."))
    assert not introduced_dataset_names(Document(paper, vocab))
    assert [e.object for e in extract(paper, vocab, names=["proposes"], model=load_model())] == ["LlamaNet"]
    paper = Paper(title="FooBench", abstract="We present FooBench, a collection of tasks for probing models.")
    assert introduced_dataset_names(Document(paper, vocab)) == {"foobench"}


def test_a_title_says_where_its_means_stand_and_a_name_with_its_kind_noun_is_one_candidate():
    # "Photographic Image Synthesis with Cascaded Refinement Networks": the means after "with",
    # the problem before it; "Squeeze-and-Excitation" and "... Networks" are one contribution
    from kg.extract import Document
    from kg.extract.proposes.learned import proposal_candidates, proposal_features
    vocab = default_vocabulary()
    papers = {a.paper.title: a for a in _papers("scirex") + _papers("train")}
    crn = Document(papers["Photographic Image Synthesis with Cascaded Refinement Networks"].paper, vocab)
    feats = {c.name: proposal_features(crn, c, i) for i, c in enumerate(proposal_candidates(crn))}
    assert "title-after-means" in feats["Cascaded Refinement Networks"], sorted(feats)
    # found as the title's means, not only as a run of capitalised words
    assert "o:title-means" in feats["Cascaded Refinement Networks"], sorted(feats["Cascaded Refinement Networks"])
    assert "title-before-means" in feats["Photographic Image Synthesis"], sorted(feats)
    se = Document(papers["Squeeze-and-Excitation Networks"].paper, vocab)
    holding = [c.names for c in proposal_candidates(se) if "Squeeze-and-Excitation" in c.names]
    assert len(holding) == 1 and "Squeeze-and-Excitation Networks" in holding[0], holding


def test_a_name_the_paper_gives_its_own_method_is_no_dataset():
    # "Scattering Vision Transformer (SVT)" is not Street View Text; "Twins-SVT", "SVT-H-S" are
    # models' names holding a dataset's
    from kg.extract import Document
    from kg.extract.datasets.learned import dataset_candidates
    from kg.records import Paper
    vocab = default_vocabulary()
    svt = next(a for a in _papers("train") if a.paper.title.startswith("Scattering Vision Transformer"))
    doc = Document(svt.paper, vocab, model=load_model())
    proposed = [n for e in extract(svt.paper, vocab, names=["proposes"], model=load_model())
                for n in (e.object, *e.object_aliases)]
    assert "SVT" in proposed, proposed
    surfaces = [c.surface for c in dataset_candidates(doc)]
    assert surfaces and "SVT" not in surfaces, surfaces
    twins = Paper(title="Twins: Revisiting Spatial Attention",
                  abstract="We propose two architectures, Twins-PCPVT and Twins-SVT, and evaluate them on ImageNet.")
    surfaces = [c.surface for c in dataset_candidates(Document(twins, vocab, model=load_model()))]
    assert surfaces == ["ImageNet"], surfaces


def test_a_known_method_or_a_sized_variant_of_one_is_no_dataset():
    # T-TAME's abstract: "three popular deep learning classifier architectures, VGG-16, ResNet-50,
    # and ViT-B-16, trained on the ImageNet dataset"
    from kg.extract import Document
    from kg.extract.datasets.learned import dataset_candidates
    vocab = default_vocabulary()
    tame = next(a for a in _papers("train") if a.paper.title.startswith("T-TAME"))
    surfaces = [c.surface for c in dataset_candidates(Document(tame.paper, vocab))]
    assert "ImageNet" in surfaces and not {"ResNet-50", "ViT-B-16"} & set(surfaces), surfaces


def test_a_leading_article_is_not_part_of_a_name_and_a_new_name_on_a_known_one_is_no_variant():
    # "A Point Set Generation Network for 3D Object Reconstruction ...": the network's name has
    # no article; "ViT-ResNAS" builds on ViT but is the paper's own model, not a ViT variant
    from kg.extract import Document
    from kg.extract.proposes.learned import proposal_candidates
    vocab = default_vocabulary()
    papers = {a.paper.title: a for a in _papers("scirex") + _papers("train")}
    psg = next(a for t, a in papers.items() if t.startswith("A Point Set Generation Network"))
    names = [c.name for c in proposal_candidates(Document(psg.paper, vocab))]
    assert "Point Set Generation Network" in names and not any(n.startswith("A ") for n in names), names
    nas = next(a for t, a in papers.items() if t.startswith("Searching for Efficient Multi-Stage Vision"))
    holding = {c.name: c.names for c in proposal_candidates(Document(nas.paper, vocab))}
    assert "ViT-ResNAS" in holding and "ViT-ResNAS" not in holding.get("ViT", []), holding
    # ByteNet's abstract: "on the English-to-German WMT translation task" names a direction, not data
    from kg.extract.datasets.rules import plausible_dataset_name
    assert not plausible_dataset_name("English-to-German") and plausible_dataset_name("Caltech-UCSD")


def test_names_listed_with_a_known_dataset_are_dataset_candidates():
    # SciREX abstracts: "benchmarks like WiderFace and MAFA", "NYUDv2, SIFT Flow, and
    # PASCAL-Context"; "On ImageNet, ELU networks ..." lists nothing
    from kg.extract import Document
    from kg.extract.datasets.learned import dataset_candidates
    from kg.records import Paper
    vocab = default_vocabulary()
    paper = Paper(title="Face detection", abstract=(
        "We obtain state-of-art results on public face detection benchmarks like WiderFace and MAFA. "
        "On ImageNet, ELU networks considerably speed up learning."))
    found = {c.surface: c.origins for c in dataset_candidates(Document(paper, vocab))}
    assert found.get("MAFA") == {"coordinated"}, found
    assert "ELU" not in found, found


def test_a_datasets_words_are_no_features_of_its_evaluation_and_the_model_has_none():
    # the words of a dataset's name would teach the model which datasets the annotated papers
    # happened to evaluate on; a proposal's first and last words ("... Network") do generalise
    from kg.extract import Document
    from kg.extract.datasets.learned import dataset_candidates, dataset_features
    from kg.extract.proposes.learned import proposal_candidates, proposal_features
    from kg.records import Paper
    vocab = default_vocabulary()
    paper = Paper(title="Sparse Gated Translation Networks", abstract=(
        "We evaluate Sparse Gated Translation Networks on WMT'14 English-German and WMT'14 English-French."))
    doc = Document(paper, vocab)
    datasets = dataset_candidates(doc)
    assert any(" " in c.surface for c in datasets), [c.surface for c in datasets]
    for c in datasets:
        f = dataset_features(doc, c, set())
        assert f and not [k for k in f if k.startswith(("first:", "last:"))], (c.surface, f)
    proposals = [c for c in proposal_candidates(doc) if " " in c.name]
    assert any(k.startswith("last:") for c in proposals for k in proposal_features(doc, c, 0))
    weights = load_model().decisions["evaluatesOn"].weights
    assert weights and not [k for k in weights if k.startswith(("first:", "last:"))]


def test_capitalised_words_listed_after_on_with_a_name_are_dataset_names():
    # a SciREX abstract: "our method achieves state-of-the-art performance on Caltech, INRIA, and ETH"
    from kg.extract import Document
    from kg.extract.datasets.rules import names_after_on
    from kg.records import Paper
    doc = Document(Paper(title="SAF R-CNN", abstract=(
        "Our method achieves state-of-the-art performance on Caltech, INRIA, and ETH. "
        "It runs on Linux machines.")), default_vocabulary())
    found = [n for s in doc.abstract_sentences for n, _, _ in names_after_on(s, doc)]
    assert found == ["Caltech", "INRIA", "ETH"], found
