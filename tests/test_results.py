"""Tasks and results: the extraction on real annotated papers, the vocabularies, the graph mapping
(both writers, validation, exports) and the scores against the annotations."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.records import Evidence, Extraction, Paper

ROOT = Path(__file__).resolve().parent.parent
ANNOTATED = ROOT / "examples" / "annotated"


def _papers(path: Path) -> dict[str, Paper]:
    from kg.readers import read_papers
    return {p.title: p for p in read_papers(path) if isinstance(p, Paper)}


@pytest.fixture(scope="module")
def train_papers() -> dict[str, Paper]:
    return _papers(ANNOTATED / "train_papers.jsonl")


def _results(paper: Paper) -> set[tuple[str, str, str, str]]:
    from kg.extract import extract
    return {(e.subject, e.object, e.metric, e.value) for e in extract(paper, names=["results"])}


def _tasks(paper: Paper) -> set[str]:
    from kg.extract import extract
    return {e.object.casefold() for e in extract(paper, names=["tasks"])}


def test_a_result_has_a_number_and_a_metric_and_other_relations_have_neither():
    ev = Evidence("x", 0, 1)
    ok = Extraction("k", "VOLO", "method", "reportsResult", "ImageNet-1K", "dataset", ev, "r", 0.8,
                    metric="top-1 accuracy", value="87.1")
    assert ok.value == "87.1"
    with pytest.raises(ValueError):
        Extraction("k", "VOLO", "method", "reportsResult", "ImageNet-1K", "dataset", ev, "r", 0.8,
                   metric="top-1 accuracy", value="+1.3%")
    with pytest.raises(ValueError):
        Extraction("k", "VOLO", "method", "reportsResult", "ImageNet-1K", "dataset", ev, "r", 0.8, value="87.1")
    with pytest.raises(ValueError):
        Extraction("k", "t", "paper", "evaluatesOn", "COCO", "dataset", ev, "r", 0.8, value="1")


def test_own_method_result_with_metric_and_dataset(train_papers):
    volo = train_papers["VOLO: Vision Outlooker for Visual Recognition"]
    assert ("VOLO", "ImageNet-1K", "top-1 accuracy", "87.1") in _results(volo)
    # "87% accuracy" after "exceeding" is a bound, not a result
    assert not any(r[3] == "87" for r in _results(volo))


def test_gains_are_not_results_and_a_range_gives_baseline_and_method(train_papers):
    paper = next(p for t, p in train_papers.items() if t.startswith("Next-ViT"))
    found = _results(paper)
    values = {r[3] for r in found}
    assert {"5.5", "7.7", "4.6", "3.5"}.isdisjoint(values)      # "surpasses ResNet by 5.5 mAP"
    assert ("Next-ViT", "COCO", "mAP", "45.9") in found          # "(from 40.4 to 45.9)"
    assert ("ResNet", "COCO", "mAP", "40.4") in found


def test_efficiency_figures_are_not_results(train_papers):
    paper = next(p for t, p in train_papers.items() if t.startswith("Escaping the Big Data"))
    values = {r[3] for r in _results(paper)}
    assert "3.7" not in values and "29" not in values            # 3.7M parameters, 29% as many


def test_variants_keep_their_label(train_papers):
    paper = next(p for t, p in train_papers.items() if t.startswith("DaViT"))
    found = _results(paper)
    assert ("DaViT-Tiny", "ImageNet-1K", "top-1 accuracy", "82.8") in found
    assert ("DaViT-Base", "ImageNet-1K", "top-1 accuracy", "84.6") in found


def test_a_variant_with_a_version_and_a_size_keeps_its_label(seed_papers):
    # "Sequencer performs impressively well: Sequencer2D-L, with 54M parameters, realizes 84.6%"
    from kg.extract import extract
    from kg.learn.model import load_model
    paper = next(p for p in seed_papers.values() if p.title.startswith("Sequencer: Deep LSTM"))
    found = {(e.subject, e.value) for e in extract(paper, names=["results"], model=load_model())}
    assert ("Sequencer2D-L", "84.6") in found, found


def test_tasks_from_title_and_own_work_not_background(train_papers):
    paper = next(p for t, p in train_papers.items() if t.startswith("YOLOv10"))
    tasks = _tasks(paper)
    assert "object detection" in tasks
    assert "generation" not in tasks


def test_a_general_task_beside_a_benchmark_is_named_by_the_benchmarks_task():
    # kgo:benchmarkFor (ontology/vocab/dataset_tasks.ttl): ImageNet-1K is an image classification
    # benchmark, so the paper's "classification" is image classification; "segmentation" beside
    # COCO (instance) and ADE20K (semantic) stays as written
    from kg.extract import Document
    from kg.extract.tasks import _benchmark_name, benchmark_tasks, task_candidates
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    assert "image-classification" in vocab.lookup("ImageNet", kind="dataset").benchmark_for
    doc = Document(Paper(title="ZebraNet", abstract=(
        "We propose ZebraNet. It improves classification accuracy on ImageNet-1K and CIFAR-100, and "
        "segmentation on COCO and ADE20K.")), vocab)
    exact, broader = benchmark_tasks(doc)
    assert {"image-classification", "semantic-segmentation", "instance-segmentation"} <= exact
    assert {"classification", "segmentation"} <= broader
    names = {c.surfaces[0]: _benchmark_name(doc, c) for c in task_candidates(doc)}
    assert names["classification"] == "image classification", names
    assert names["segmentation"] is None, names
    # a task of more than one word is named at the level the paper names it (the guideline)
    doc = Document(Paper(title="VOLO: Vision Outlooker for Visual Recognition", abstract=(
        "VOLO achieves 87.1% top-1 accuracy on ImageNet-1K classification.")), vocab)
    cands = {c.surfaces[0]: c for c in task_candidates(doc)}
    assert "visual-recognition" in benchmark_tasks(doc)[1]
    assert _benchmark_name(doc, cands["Visual Recognition"]) is None


def test_tasks_coordinated_with_a_known_task_are_candidates():
    # sentences from SciREX abstracts: a list that holds a known task names tasks the
    # vocabulary does not know; a verb phrase before the list is not one ("can jointly handle")
    from kg.extract import Document
    from kg.extract.tasks import task_candidates, task_features
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    doc = Document(Paper(title="MultiPoseNet", abstract=(
        "MultiPoseNet can jointly handle person detection, keypoint detection, person segmentation and "
        "pose estimation problems. Our proposed method contributes to two application tasks: machine "
        "translation and lyrics generation.")), vocab)
    cands = {c.surfaces[0]: c for c in task_candidates(doc)}
    assert {"person segmentation", "lyrics generation"} <= set(cands), sorted(cands)
    assert not any("handle" in s for s in cands), sorted(cands)
    features = task_features(doc, cands["lyrics generation"])
    assert {"found:coordinated", "coordinated&own"} <= set(features), sorted(features)
    # an item's head stays, even one that ends a name elsewhere ("learning" in "deep learning based")
    doc = Document(Paper(title="ALE", abstract=(
        "ALE presents challenges for reinforcement learning, model learning, model-based planning and "
        "imitation learning.")), vocab)
    assert "model learning" in {c.surfaces[0] for c in task_candidates(doc)}


def test_words_narrowing_a_known_task_make_a_candidate_of_their_own():
    # titles of SciREX papers: the guideline keeps a task at the level the text names it, so the
    # words before a known task ("Dense", "SQL-to-", "infant brain MRI") make a narrower
    # candidate beside the known one; a verb, a number or an adverb is no part of a task's name
    from kg.extract import Document
    from kg.extract.tasks import task_candidates, task_features
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    doc = Document(Paper(title="Structural Neural Encoders for SQL-to-text Generation", abstract=(
        "We study dense face alignment and infant brain MRI segmentation. We tackle cross-lingual text "
        "classification. Results in 2012 on image classification, simultaneously image classification.")),
        vocab)
    cands = {c.surfaces[0].casefold(): c for c in task_candidates(doc)}
    narrowed = {s: c.narrows.label for s, c in cands.items() if c.narrows is not None}
    assert narrowed.keys() >= {"sql-to-text generation", "dense face alignment", "infant brain mri segmentation",
                               "cross-lingual text classification"}, sorted(cands)
    assert narrowed["dense face alignment"] == "face alignment"
    assert not any(s.startswith(("study", "tackle", "2012", "simultaneously")) for s in narrowed), sorted(narrowed)
    f = task_features(doc, cands["cross-lingual text classification"])
    assert {"narrowed", "found:narrowed", "narrowed:hyphen", "narrowed:setting"} <= set(f), sorted(f)
    # a problem's setting ("cross-lingual", "dense") narrows a task; a name ("infant brain MRI") is no setting
    assert "narrowed:setting" in task_features(doc, cands["dense face alignment"])
    assert "narrowed:setting" not in task_features(doc, cands["infant brain mri segmentation"])


def test_a_task_mapping_a_kind_of_thing_to_itself_keeps_its_to():
    # "Quality Aware Network for Set to Set Recognition" (a SciREX title): "to" ends a task's name
    # ("Learning to Rank" is no task phrase), but not between the same word twice
    from kg.extract import Document
    from kg.extract.tasks import task_candidates
    from kg.vocab import default_vocabulary

    for title, name in (("Quality Aware Network for Set to Set Recognition", "set to set recognition"),
                        ("Sequence to Sequence Learning with Neural Networks", "sequence to sequence learning")):
        doc = Document(Paper(title=title, abstract="We report results."), default_vocabulary())
        surfaces = {c.surfaces[0].casefold() for c in task_candidates(doc)}
        assert name in surfaces and name.split(" to ")[1] not in surfaces, surfaces


def test_a_task_is_described_against_the_papers_other_tasks():
    # (a SciREX-like abstract) the task an abstract keeps naming is its problem; one named once
    # in passing is more often background; a task named alone has no rival
    from kg.extract import Document
    from kg.extract.tasks import task_candidates, task_features
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    doc = Document(Paper(title="A Single-Stage Detector", abstract=(
        "Object detection is central to scene understanding. Unlike image classification, object "
        "detection must also localise. We propose a detector and evaluate object detection on COCO.")), vocab)
    cands = {c.concept.label: c for c in task_candidates(doc)}
    assert task_candidates(doc) is task_candidates(doc)          # one list per document
    assert "most-mentioned-task" in task_features(doc, cands["object detection"])
    assert "less-mentioned-task" in task_features(doc, cands["image classification"])
    assert "task-candidates:3" in task_features(doc, cands["image classification"]), sorted(cands)
    alone = Document(Paper(title="Deep Speech", abstract="We study speech recognition."), vocab)
    [only] = task_candidates(alone)
    assert {"only-task", "task-candidates:1"} <= set(task_features(alone, only))


def test_a_task_listed_beside_another_is_marked_so():
    # (sentences like the ResNet and Twins abstracts) the tasks a paper reports on come as a list;
    # a task named alone, or two tasks with words between them, are not one; a background list is one
    from kg.extract import Document
    from kg.extract.tasks import task_candidates, task_features
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    doc = Document(Paper(title="A Backbone", abstract=(
        "Image classification drives progress. We report results on object detection, instance "
        "segmentation and semantic segmentation. Unlike pose estimation, our task needs no keypoints. "
        "Detection and segmentation are popular.")), vocab)
    cands = {c.concept.label: c for c in task_candidates(doc) if c.concept is not None}
    listed = {label for label, c in cands.items() if "listed" in task_features(doc, c)}
    assert listed == {"object detection", "instance segmentation", "semantic segmentation", "detection",
                      "segmentation"}, sorted(cands)
    # a list in a sentence about evaluation is marked so too: the model cannot combine two features
    evaluated = {label for label, c in cands.items() if "listed&eval" in task_features(doc, c)}
    assert evaluated == {"object detection", "instance segmentation", "semantic segmentation"}, sorted(cands)


def test_a_task_opening_the_title_before_its_means_is_what_the_title_names():
    # "Crowd Counting with Density Pyramids" names its problem as "... for Crowd Counting" does; a
    # task that does not open the title ("Fast Crowd Counting with ...") is not marked so
    from kg.extract import Document
    from kg.extract.tasks import task_candidates, task_features
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    for title, marked in (("Crowd Counting with Density Pyramids", True), ("FooNet: Crowd Counting via Pyramids", True),
                          ("Fast Crowd Counting with Density Pyramids", False)):
        doc = Document(Paper(title=title, abstract="We count people in images."), vocab)
        [task] = [c for c in task_candidates(doc) if c.concept is not None and c.concept.label == "crowd counting"]
        assert ("title:for" in task_features(doc, task)) is marked, title


def test_a_titles_verb_of_a_task_names_the_task():
    # "Detecting Faces Using ...": face detection (the vocabulary's); "Detecting Oriented Text in
    # Natural Images": a task it does not know, with the title's words as another name; "Matching
    # Networks for ...": a participle naming a model, no task
    from kg.extract import Document
    from kg.extract.tasks import task_candidates
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()

    def gerund_tasks(title: str) -> dict[str, list[str]]:
        doc = Document(Paper(title=title, abstract="We present a network."), vocab)
        return {c.surfaces[0]: c.surfaces for c in task_candidates(doc) if "title-gerund" in c.found_by}

    faces = gerund_tasks("Detecting Faces Using Region-based Fully Convolutional Networks")
    assert faces == {"face detection": ["face detection", "Detecting Faces"]}, faces
    text = gerund_tasks("Detecting Oriented Text in Natural Images by Linking Segments")
    assert text == {"oriented text detection": ["oriented text detection", "Detecting Oriented Text"]}, text
    assert gerund_tasks("Towards Generating Long Videos") == {
        "long video generation": ["long video generation", "Generating Long Videos"]}
    assert gerund_tasks("Matching Networks for One Shot Learning") == {}


def test_a_general_task_folds_into_the_most_specific_one_kept():
    # "U-Net: Convolutional Networks for Biomedical Image Segmentation": with both the known
    # "Image Segmentation" (also written "segmentation") and the narrower phrase kept, one task
    # comes out, named as the title names it (the general one's surfaces as its aliases)
    from kg.extract import Document
    from kg.extract.tasks import TaskCandidate, _fold_general
    from kg.vocab import default_vocabulary

    doc = Document(Paper(title="U-Net", abstract="."), default_vocabulary())
    general = TaskCandidate("image-segmentation", ["Image Segmentation", "segmentation"])
    specific = TaskCandidate("biomedicalimagesegmentation", ["biomedical image segmentation"])
    folded = _fold_general([(general, 0.85), (specific, 0.65)], doc)
    assert [(c.surfaces, p) for c, p in folded] == [
        (["biomedical image segmentation", "Image Segmentation", "segmentation"], 0.65)]


def test_vocabularies_aliases_directions_and_broader():
    from kg.vocab import default_vocabulary

    v = default_vocabulary()
    # how abstracts name well-known tasks without their names: a language pair, a detector's kind
    for phrase, task in (("English to French translation", "machine translation"),
                         ("WMT translation", "machine translation"), ("single-stage detector", "object detection"),
                         ("ImageNet localization", "object localization"), ("generating images", "image generation")):
        assert [m.concept.label for m in v.find(f"Results on {phrase} are good.", kind="task")] == [task], phrase
    assert v.lookup("top-1", kind="metric").label == "top-1 accuracy"
    assert v.lookup("AP^box", kind="metric").label == "box AP"
    assert v.lookup("mean IoU", kind="metric").label == "mIoU"
    assert v.lookup("FID", kind="metric").higher_is_better is False
    assert v.lookup("EER", kind="metric").higher_is_better is False
    assert v.lookup("top-1 error", kind="metric").higher_is_better is False
    assert v.lookup("BLEU", kind="metric").higher_is_better is True
    # metrics as other machine-learning fields write them
    for surface, label in [("recognition rate", "accuracy"), ("AUC-ROC", "AUC"), ("mAcc", "mean class accuracy"),
                           ("c-index", "concordance index"), ("Spearman", "Spearman correlation"),
                           ("average reward", "average return"), ("labeled F1", "span F1"),
                           ("exact match accuracy", "exact match"), ("coefficient of determination", "R²")]:
        assert v.lookup(surface, kind="metric").label == label, surface
    assert "segmentation" in v.lookup("instance segmentation", kind="task").families
    assert v.lookup("COCO detection", kind="task").label == "object detection"
    areas = {c.area for c in v.concepts.values() if c.kind == "task"}
    assert {"vision", "nlp", "speech", "rl", "graphs"} <= areas
    # a task or metric never answers a lookup without a kind (the method and dataset extractors')
    assert v.lookup("object detection") is None


def test_no_vocabulary_key_is_shared_by_two_concepts():
    import re
    from rdflib.namespace import SKOS
    from kg.vocab import load_vocabulary, ontology_dir

    g = Graph()
    for path in (ontology_dir() / "vocab").glob("*.ttl"):
        g.parse(path)
    keys = [re.split(r"[#/]", str(s))[-1] for s in set(g.subjects(SKOS.prefLabel, None))]
    keys = [k for k in keys if k != "scheme"]
    assert len(keys) == len(set(keys)) == len(load_vocabulary().concepts)


@pytest.fixture(scope="module")
def train_build(tmp_path_factory):
    from kg.build import build

    out = tmp_path_factory.mktemp("train")
    build([ANNOTATED / "train_papers.jsonl"], out)
    return out


def _score(gold: Path, ttl: Path) -> dict:
    out = subprocess.run([sys.executable, str(ANNOTATED / "score.py"), str(gold), str(ttl), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_scores_on_the_annotated_papers(train_build, tmp_path):
    """Guards below the measured figures of the shipped model (train: tasks P .84 F1 .82, results
    F1 .82; dev: tasks P .79 F1 .82, results F1 .90; its tasks cut weighs recall a little more
    since session 38, cross-validated tasks P .85): a change that loses them fails here."""
    from kg.build import build

    train = _score(ANNOTATED / "gold_train.json", train_build / "graph.ttl")
    build([ANNOTATED / "dev_papers.txt"], tmp_path)
    dev = _score(ANNOTATED / "gold_dev.json", tmp_path / "graph.ttl")
    for s in (train, dev):
        assert s["addressesTask"]["P"] >= 0.76 and s["addressesTask"]["F1"] >= 0.78
        assert s["results"]["F1"] >= 0.60 and s["results+metric"]["F1"] >= 0.60


def test_results_validate_and_state_their_value(train_build):
    from kg.store import load_graph
    from kg.validate import validate

    g = load_graph(train_build, backend="memory")
    report = validate(g)
    assert report.conforms, report
    rows = list(g.query("""PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
        SELECT ?v ?e WHERE { ?r a kgo:Result ; kgo:value ?v ; kgo:evidence ?e }"""))
    assert len(rows) >= 50
    assert all(str(v) in str(e) or str(v).rstrip("0").rstrip(".") in str(e) for v, e in rows)
    back = Graph().parse(data=g.serialize(format="turtle"), format="turtle")   # graph.ttl read back
    assert validate(back).conforms


def test_both_writers_give_the_same_result_and_task_triples(train_papers):
    from kg.build.worker import extract_facts
    from kg.graph.mapping import fact_triples
    from kg.graph.ntriples import lines
    from kg.graph.terms import add_triples

    facts = [f for f in extract_facts(list(train_papers.values())[:60])
             if f.predicate in ("reportsResult", "addressesTask")]
    assert {f.predicate for f in facts} == {"reportsResult", "addressesTask"}
    a, b = Graph(), Graph()
    for f in facts:
        add_triples(a, fact_triples(f))
    b.parse(data="".join(lines(fact_triples(f)) for f in facts), format="nt")
    assert len(a) > 100 and isomorphic(a, b)


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_exports_keep_results(train_build, fmt, parser):
    from kg.export import serialize
    from kg.store import load_graph

    g = load_graph(train_build, backend="memory")
    q = """PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
        SELECT ?r ?m ?d ?x ?v WHERE { ?r kgo:method ?m ; kgo:dataset ?d ; kgo:metric ?x ; kgo:value ?v }"""
    back = Graph().parse(data=serialize(g, fmt), format=parser)
    def rows(graph):   # (a decimal may come back in another lexical form: 82 as 82.0)
        return {(*map(str, r[:4]), float(r[4])) for r in graph.query(q)}
    before = rows(g)
    assert len(before) >= 50 and before == rows(back)


def test_a_list_of_differences_and_a_range_of_gains_are_not_results(train_papers):
    # "MPCViT achieves 1.9%, 1.3% and 3.6% higher accuracy": the last number's "higher" makes
    # the whole list differences; "improvements ranging from 0.90% to 23.35%": both ends are gains
    mpcvit = next(p for t, p in train_papers.items() if t.startswith("MPCViT"))
    assert {"1.9", "1.3", "3.6"}.isdisjoint({r[3] for r in _results(mpcvit)})
    mptq = next(p for t, p in train_papers.items() if t.startswith("MPTQ-ViT"))
    assert {"0.90", "23.35", "3.82"}.isdisjoint({r[3] for r in _results(mptq)})


def test_the_subject_behind_a_participle_is_the_papers_own_method(train_papers):
    # "Constructed entirely from standard ConvNet modules, ConvNeXts compete favorably with
    # Transformers ..., achieving 87.8% ImageNet top-1 accuracy": ConvNeXt's number, not ConvNet's
    found = _results(train_papers["A ConvNet for the 2020s"])
    assert any(r[0] == "ConvNeXt" and r[3] == "87.8" for r in found), found
    assert not any(r[0] == "ConvNet" for r in found)


def test_bits_per_character_is_a_score_and_a_bit_width_is_not():
    # "1.27 bits/char on text8": a language model's score; "4 bits" stays a bit width
    found = {(r[0], r[1], r[3]) for r in _results(Paper(title="Multiplicative LSTM for sequence modelling", abstract=(
        "We introduce multiplicative LSTM (mLSTM), a recurrent neural network architecture for sequence modelling. "
        "In this version of the paper, we regularise mLSTM to achieve 1.27 bits/char on text8 and 1.24 bits/char "
        "on Hutter Prize. Weights quantised to 4 bits keep 1.30 bits-per-character on text8.")))}
    assert {("mLSTM", "text8", "1.27"), ("mLSTM", "Hutter Prize", "1.24")} <= found, found
    assert not any(r[2] == "4" for r in found)


def test_a_method_named_as_a_yardstick_is_not_the_subject(seed_papers):
    # "T2T-ViT with comparable size to ResNet50 (21.5M parameters) can achieve 83.3% top1
    # accuracy ...": the number is T2T-ViT's, ResNet50 is what it is compared to
    from kg.extract import extract
    from kg.learn.model import load_model
    t2t = next(p for p in seed_papers.values() if p.title.startswith("Tokens-to-Token ViT"))
    found = {(e.subject, e.value) for e in extract(t2t, names=["results"], model=load_model())}
    assert ("T2T-ViT", "83.3") in found and ("ResNet50", "83.3") not in found, found


def test_versus_in_brackets_gives_each_side_its_number_and_points_are_differences():
    # "(50.1 vs. 46.1)" after "X surpasses Y": X's number first; "by up to 5.7% (3.3 mAP
    # points)": both the gain and its restatement in points are differences, not results
    found = {(r[0], r[1], r[3]) for r in _results(Paper(title="Visual Attention Network", abstract=(
        "We propose VAN, a simple and efficient backbone. Besides, VAN-B2 surpasses Swin-T 4% mIoU (50.1 vs. 46.1) "
        "for semantic segmentation on ADE20K benchmark. Our approach improves the novel class performance of "
        "detectors by up to 5.7% (3.3 mAP points) and 5.4% (2.6 mAP points) on COCO.")))}
    assert {("VAN-B2", "ADE20K", "50.1"), ("Swin-T", "ADE20K", "46.1")} <= found, found
    assert not {"3.3", "2.6", "5.7", "5.4", "4"} & {r[2] for r in found}, found   # "surpasses Swin-T 4%": a margin


def test_compared_to_in_brackets_gives_each_side_its_number():
    found = {(r[0], r[1], r[3]) for r in _results(Paper(title="CornerNet-Lite: Efficient Keypoint Based Object Detection",
        abstract="We propose CornerNet-Squeeze. CornerNet-Squeeze is suitable for real-time detection, improving both "
                 "the efficiency and accuracy of the popular real-time detector YOLOv3 (34.4% AP at 34ms for "
                 "CornerNet-Squeeze compared to 33.0% AP at 39ms for YOLOv3 on COCO)."))}
    assert found == {("CornerNet-Squeeze", "COCO", "34.4"), ("YOLOv3", "COCO", "33.0")}, found


def test_results_of_one_method_on_one_dataset_are_separate_nodes(train_papers):
    # "DaViT-Tiny, DaViT-Small, and DaViT-Base achieve 82.8%, 84.2%, and 84.6% ... on ImageNet-1K":
    # one method node, one dataset, three results; the graph kept only the first
    from kg.extract import extract
    from kg.graph.mapping import build_graph
    from kg.learn.model import load_model
    from kg.normalize import normalise
    from kg.vocab import default_vocabulary
    vocab = default_vocabulary()
    paper = next(p for t, p in train_papers.items() if t.startswith("DaViT"))
    graph = build_graph([(paper, [paper.source])], normalise(paper, extract(paper, vocab, model=load_model()), vocab))
    values = {str(v) for v in graph.query(
        "SELECT ?v WHERE { ?p <https://w3id.org/kgpaper/ontology#reportsResult> ?r . "
        "?r <https://w3id.org/kgpaper/ontology#value> ?v }").bindings for v in v.values()}
    assert {"82.8", "84.2", "84.6", "90.4"} <= values, values


def test_items_of_a_list_of_improvements_are_gains():
    values = {r[3] for r in _results(Paper(title="MedViTV2: Medical Image Classification with KAN-Integrated Transformers", abstract=(
        "We introduce the Medical Vision Transformer (MedViTV2). MedViTV2 significantly enhances accuracy, "
        "achieving improvements of 4.6% on MedMNIST, 5.8% on NonMNIST, and 13.4% on the MedMNIST-C benchmark. "
        "MedViTV2 reaches 91.2% accuracy on MedMNIST.")))}
    assert "91.2" in values and not {"4.6", "5.8", "13.4"} & values, values


def test_every_number_of_a_list_after_a_change_word_or_before_an_efficiency_unit_is_no_result():
    # a list's numbers are alike: "improvements of" before the first, "FLOPs" after the last, or
    # "by" before items each on its own name, make every one of them a difference
    values = {r[3] for r in _results(Paper(title="FooTeach: Mutual Teaching for Re-identification", abstract=(
        "We propose FooTeach. FooTeach achieves considerable improvements of 14.4%, 18.2%, 13.1% and 16.4% mAP "
        "on Market-to-Duke, Duke-to-Market, Market-to-MSMT and Duke-to-MSMT tasks. "
        "For ResNet18 and ResNet50, FooTeach reduces 56.7% and 68.2% FLOPs respectively while the top-1 "
        "accuracy on ImageNet only changes by -0.6% and -0.08%. "
        "The index storage can be compressed by 85.2% in MNIST and 83.9% in AlexNet. "
        "FooTeach reaches 81.3% mAP on Market-1501.")))}
    assert values == {"81.3"}, values
    # a "by" list stops at a verb: what the sentence's subject reaches after it is a score, and
    # the subject's, not that of the method it outperforms
    found = _results(Paper(title="FooViT: Vision Transformers", abstract=(
        "We propose FooViT. FooViT outperforms DeiT-S by 1.2% on ImageNet and reaches 83.4% top-1 accuracy "
        "on ImageNet-1K.")))
    assert {(r[0], r[3]) for r in found} == {("FooViT", "83.4")}, found


def test_a_share_of_another_models_size_is_not_a_result():
    found = {r[3] for r in _results(Paper(title="CCT: Compact Transformers", abstract=(
        "We propose CCT. Our best model can reach 98% accuracy on CIFAR-10 with only 3.7M parameters, "
        "and is 15% the size of ResNet50 while achieving similar performance.")))}
    assert found == {"98"}, found


def test_an_efficiency_percentage_is_not_a_result():
    values = {r[3] for r in _results(Paper(title="GroupMamba: Parameter-Efficient and Accurate Group Visual State Space Model", abstract=(
        "We propose GroupMamba. Our tiny variant achieves a top-1 accuracy of 83.3% on ImageNet-1K, while "
        "being 26% efficient in terms of parameters.")))}
    assert values == {"83.3"}, values


def test_drops_and_a_previous_best_are_not_results():
    # "accuracy is decreased by only 0.3%", "the top-5 accuracy drop is only 0.07%": differences;
    # "improving over the previous best IS of 52.52": an unnamed baseline's number
    found = {r[3] for r in _results(Paper(title="BigGAN: Large Scale GAN Training", abstract=(
        "We propose BigGAN. On ImageNet, BigGAN achieves an Inception Score (IS) of 166.5 and "
        "Fréchet Inception Distance (FID) of 7.4, improving over the previous best IS of 52.52 and FID of 18.65. "
        "Its accuracy on ImageNet is decreased by only 0.3% and the top-5 accuracy drop is only 0.07% on ImageNet.")))}
    assert {"166.5", "7.4"} <= found and not {"52.52", "18.65", "0.3", "0.07"} & found, found
    # a score "below" or "above" something is a difference too; a named metric from another field
    # ("joint goal accuracy") keeps its own name
    found = _results(Paper(title="HeronMT", abstract=(
        "We propose HeronMT. Our distilled HeronMT-S achieves 27.9 BLEU on WMT14 English-German, only 0.5 BLEU "
        "below its teacher, and HeronMT-B reaches 29.1 BLEU, 1.2 points above it. HeronMT achieves a joint "
        "goal accuracy of 56.2% on MultiWOZ 2.1.")))
    assert {r[3] for r in found} == {"27.9", "29.1", "56.2"}, found
    assert ("HeronMT", "MultiWOZ 2.1", "joint goal accuracy", "56.2") in found, found


@pytest.mark.parametrize("sentence", [
    # after the paper's own score, a comparison marker introduces someone else's
    "On SQuAD, ZebraNet achieves 84.6 F1, which is significantly better than the best published F1 score of 81.8.",
    "On SQuAD, ZebraNet achieves 84.6 F1 compared to 81.8 F1 for the strongest baseline.",
    "On SQuAD, ZebraNet achieves 84.6 F1 versus 81.8 F1 of the previous best model.",
    "ZebraNet achieves 84.6% accuracy on SQuAD (compared to state-of-the-art accuracy of 81.8%).",
])
def test_a_score_after_a_comparison_marker_is_the_references(sentence):
    found = _results(Paper(title="ZebraNet: Reading Stripes", abstract="We propose ZebraNet, a new reader. " + sentence))
    assert {(r[0], r[3]) for r in found} == {("ZebraNet", "84.6")}, found


def test_a_reference_named_with_its_score_keeps_it_and_a_rival_is_no_reference():
    # "slightly better than ... Swin-B (83.3%)": Swin-B's; "competes against X with 64.0% vs. 65.0%":
    # the paper's 64.0, the rival's 65.0 (unnamed: nobody's)
    found = _results(Paper(title="ZebraFormer: Striped Attention", abstract=(
        "We propose ZebraFormer. Our ZebraFormer-S hits the top-1 accuracy of 83.4% on ImageNet-1K, much higher than "
        "DeiT-S by 3.6%, and even slightly better than much bigger model Swin-B (83.3%) with only 1/4 parameters. "
        "ZebraFormer advances the state of the art on ImageNet-1K from 54.2% to 82.0% and performs competitively against "
        "concurrent state of the art on COCO with an AP of 64.0 vs. 65.0.")))
    assert {(r[0], r[3]) for r in found} >= {("ZebraFormer-S", "83.4"), ("Swin-B", "83.3"), ("ZebraFormer", "64.0")}, found
    assert "65.0" not in {r[3] for r in found}, found


def test_a_change_in_a_metric_is_no_result_and_a_compound_name_is_the_method():
    # "a drop in accuracy of 0.4%, 4% and 1.45%", "an improvement in top-1 accuracy of 1.2%": changes;
    # "PC-NAS-L achieves": the whole compound, not the known "NAS" inside it
    found = _results(Paper(title="FooNAS: Posterior Search", abstract=(
        "We propose a posterior convergent search. Training LeNet-5, AlexNet and VGG on CIFAR-10 gives a drop "
        "in accuracy of 0.4%, 4% and 1.45% for the three networks, respectively. PC-NAS-L achieves 78.1% top-1 "
        "accuracy on ImageNet, an improvement in top-1 accuracy of 1.2% over MobileNetV2.")))
    assert {(r[0], r[3]) for r in found} == {("PC-NAS-L", "78.1")}, found


def test_numbers_coordinated_with_their_metrics_share_the_dataset_named_after_them():
    # "53.8 box AP and 46.4 mask AP on COCO": COCO, not the video dataset named before
    found = {(r[1], r[2], r[3]) for r in _results(Paper(title="UniFormer: Unifying Convolution and Self-attention", abstract=(
        "We propose UniFormer. It obtains 71.2 top-1 accuracy on Something-Something V2, "
        "53.8 box AP and 46.4 mask AP on COCO object detection, and 50.8 mIoU on ADE20K.")))}
    assert {("COCO", "box AP", "53.8"), ("COCO", "mask AP", "46.4")} <= found, found
    assert ("Something-Something V2", "top-1 accuracy", "71.2") in found, found


def test_a_decimal_point_with_a_space_after_it_is_one_number():
    # SpaRTAN's abstract (dev set), as scraped: "SpaRTAN achieves 77. 7% accuracy"
    papers = _papers(ANNOTATED / "dev_papers.txt")
    paper = next(p for t, p in papers.items() if t.startswith("SpaRTAN"))
    values = {v for _, _, _, v in _results(paper)}
    assert "77.7" in values and "7" not in values, values


def test_a_metric_named_before_a_list_of_dataset_scores_is_theirs_and_a_reference_group_owns_none():
    # "the lowest error rate among ... NAS models, with 2.46% for CIFAR-10, 15.02% for CIFAR-100":
    # the numbers are error rates (not a default accuracy), and they are EEEA-Net's, not NAS's
    found = _results(Paper(title="Evolving compact networks", abstract=(
        "Our experiments showed that HeronNet achieved the lowest error rate among state-of-the-art NAS models, "
        "with 2.46% for CIFAR-10, 15.02% for CIFAR-100, and 23.8% for ImageNet dataset.")))
    assert ("HeronNet", "CIFAR-100", "error rate", "15.02") in found, found
    assert ("HeronNet", "ImageNet", "error rate", "23.8") in found, found
    assert not any(r[0] == "NAS" or r[2] == "accuracy" for r in found), found


def test_a_bare_percentage_on_a_classification_benchmark_is_an_accuracy():
    # "90.0% on K400" with no metric word: Kinetics is a benchmark of action recognition, so the
    # number is an accuracy; on a detection benchmark a bare percentage stays no result
    found = _results(Paper(title="Scaling video autoencoders", abstract=(
        "HeronNet achieves 90.0% on K400 and 89.9% on Kinetics-600.")))
    assert found == {("HeronNet", "K400", "accuracy", "90.0"), ("HeronNet", "Kinetics-600", "accuracy", "89.9")}, found
    assert not _results(Paper(title="Scaling video autoencoders", abstract="HeronNet achieves 60.0% on COCO."))


def test_a_number_on_a_name_that_is_no_known_dataset_does_not_take_the_dataset_before_it(train_papers):
    # VideoMAE V2 (train set): "... on Kinetics-600 and Something-Something (68.7% on V1 and 77.0%
    # on V2)": the numbers are on V1 and V2, not on the Kinetics dataset named before them
    paper = next(p for t, p in train_papers.items() if t.startswith("VideoMAE V2"))
    found = _results(paper)
    assert found, "the paper's other results are still read"
    assert not any(r[3] in ("68.7", "77.0") for r in found), found
    # "99.01% on 301 writers": a subset the abstract counts, not the dataset named before
    assert not _results(Paper(title="HeronNet for writers", abstract=(
        "Experiments on IAM and HWDB show that HeronNet achieves high identification accuracy: "
        "99.01% on 301 writers and 97.03% on 657 writers.")))


def test_a_sentence_on_a_name_no_dataset_span_holds_does_not_take_the_papers_dataset():
    # the abstract names one dataset, but this sentence says its number is on another name
    abstract = ("Experiments on CIFAR-10 show that HeronNet is robust. "
                "On ShopArena, HeronNet achieves 80.0% top-1 accuracy.")
    found = _results(Paper(title="HeronNet for shops", abstract=abstract))
    assert not any(r[3] == "80.0" for r in found), found
    # without the leading place, the number is on the abstract's one dataset
    found = _results(Paper(title="HeronNet for shops", abstract=abstract.replace("On ShopArena, ", "")))
    assert ("HeronNet", "CIFAR-10", "top-1 accuracy", "80.0") in found, found


def test_a_number_said_to_be_on_a_task_does_not_take_the_papers_one_dataset():
    # the one dataset the abstract names is another experiment's; the number is on a task
    abstract = ("The proposed HeronNet achieves an accuracy of 99.3% on underwater image classification. "
                "Plugged into ResNet, its module reaches a 10.7% top-1 error rate on the subset of ILSVRC-2012.")
    found = _results(Paper(title="HeronNet for underwater images", abstract=abstract))
    assert not any(r[3] == "99.3" for r in found), found
    # said to be on the test set, it is on the abstract's one dataset
    found = _results(Paper(title="HeronNet for underwater images", abstract=abstract.replace(
        "on underwater image classification", "on the test set")))
    assert any(r[3] == "99.3" and r[1] == "ILSVRC-2012" for r in found), found


def test_a_metric_equals_a_value_is_a_result_and_a_setting_is_not(train_papers):
    # SelFlow (train set): "we achieve EPE=4.26 on the Sintel benchmark"
    paper = next(p for t, p in train_papers.items() if t.startswith("SelFlow"))
    assert any(r[2] == "EPE" and r[3] == "4.26" for r in _results(paper)), _results(paper)
    found = _results(Paper(title="HeronNet", abstract="With k=3 neighbours HeronNet reaches 80.1% accuracy on CIFAR-10."))
    assert found == {("HeronNet", "CIFAR-10", "accuracy", "80.1")}, found


def test_a_number_inside_a_dataset_or_metric_name_is_part_of_it():
    # "SQuAD 1.1", "SemEval-2017 Task 4", "Hits@10": names, not scores; "RMSE = 1.23" is a value
    values = set()
    for sentence in ("HeronNet achieves an F1 score of 91.2 on SQuAD 1.1.",
                     "On WN18RR, HeronNet achieves an MRR of 0.48 and Hits@10 of 57.1%.",
                     "HeronNet attains a macro-F1 of 0.73 on the SemEval-2017 Task 4 dataset and 84.0% accuracy on CIFAR-10.",
                     "HeronNet achieves RMSE = 0.38 on the NYU Depth v2 dataset."):
        values |= {r[3] for r in _results(Paper(title="HeronNet", abstract="We propose HeronNet. " + sentence))}
    assert {"91.2", "0.48", "57.1", "84.0", "0.38"} <= values and not {"1.1", "4", "10"} & values, values


def test_a_range_after_a_dataset_is_on_it_and_a_metric_goes_on_past_an_unknown_name():
    # "exact match on Natural Questions from 41.5 to 45.2": the dataset before the range (the one
    # after it when the range is said to be "on" one); "ROUGE-1 scores of 46.3 on arXiv and 47.9 on
    # PubMed": 46.3 is on arXiv (no dataset span), 47.9 on PubMed, both ROUGE-1
    found = _results(Paper(title="HeronQA", abstract=(
        "We propose HeronQA. HeronQA improves exact match on Natural Questions from 41.5 to 45.2 and on "
        "TriviaQA from 56.8 to 60.1 compared to DPR. HeronQA achieves ROUGE-1 scores of 46.3 on arXiv and "
        "47.9 on PubMed.")))
    assert found == {("HeronQA", "Natural Questions", "exact match", "45.2"), ("HeronQA", "TriviaQA", "exact match", "60.1"),
                     ("HeronQA", "PubMed", "ROUGE-1", "47.9")}, found


def test_a_summary_word_before_a_metric_joins_it_to_its_number():
    # "with a 92% average success rate": the metric, after "with", is "success rate"
    found = _results(Paper(title="HeronBot", abstract=(
        "We propose HeronBot. On the Meta-World benchmark, HeronBot solves 45 of 50 tasks with a 92% average "
        "success rate, compared to 61% for SAC.")))
    assert ("HeronBot", "Meta-World", "success rate", "92") in found, found


def test_words_between_a_score_and_a_known_metric_make_a_metric_of_their_own():
    # dialogue-state-tracking abstracts report "joint goal accuracy and slot accuracy": the second
    # is no joint goal accuracy; "test accuracy" and "higher accuracy" qualify nothing
    found = _results(Paper(title="HeronDST", abstract=(
        "We propose HeronDST. HeronDST achieves 48.6% joint goal accuracy and 96.9% slot accuracy on "
        "MultiWOZ. HeronDST reaches 97.1% request accuracy on DSTC2 and 0.912 macro F1 on CoNLL-2003. "
        "HeronDST-S gets 88.5% test accuracy on SST-2 and a 3.2% higher accuracy on MR.")))
    assert found == {("HeronDST", "MultiWOZ", "joint goal accuracy", "48.6"), ("HeronDST", "MultiWOZ", "slot accuracy", "96.9"),
                     ("HeronDST", "DSTC2", "request accuracy", "97.1"), ("HeronDST", "CoNLL-2003", "macro F1", "0.912"),
                     ("HeronDST-S", "SST-2", "test accuracy", "88.5")}, found


def test_a_list_of_scores_pairs_in_order_with_a_list_of_as_many_datasets():
    # language-modelling and tagging abstracts: "perplexities of 18.3 and 20.5 on WikiText-103 and
    # PTB" (a plural in -ies names its metric too), "respectively" or not; a list of scores before
    # a single dataset (the next one is another score's) shares it
    found = _results(Paper(title="HeronLM", abstract=(
        "We propose HeronLM. HeronLM achieves perplexities of 18.3 and 20.5 on WikiText-103 and PTB. "
        "HeronLM-B reaches F1 scores of 90.1 and 91.2 on CoNLL-2003 and OntoNotes, respectively. "
        "HeronLM-S gets 84.1% and 85.3% accuracy on ImageNet and 52.1 AP on COCO.")))
    assert found == {("HeronLM", "WikiText-103", "perplexities", "18.3"), ("HeronLM", "PTB", "perplexities", "20.5"),
                     ("HeronLM-B", "CoNLL-2003", "F1 scores", "90.1"), ("HeronLM-B", "OntoNotes", "F1 scores", "91.2"),
                     ("HeronLM-S", "ImageNet", "accuracy", "84.1"), ("HeronLM-S", "ImageNet", "accuracy", "85.3"),
                     ("HeronLM-S", "COCO", "AP", "52.1")}, found


def test_a_normalised_score_may_pass_100_percent_and_a_share_may_not():
    # RL reports "a mean human-normalized score of 121%"; "improves accuracy by 120%" is a gain
    found = _results(Paper(title="HeronAgent", abstract=(
        "We propose HeronAgent. HeronAgent achieves a mean human-normalized score of 121% on Atari 57. "
        "HeronAgent-S reaches a 230% median human normalized score on Atari 57. "
        "HeronAgent-T improves accuracy by 120% on CIFAR-10.")))
    assert {r[3] for r in found} == {"121", "230"}, found


def test_a_metrics_score_label_names_it_only_beside_a_score():
    # MAE is the masked autoencoder, and the mean absolute error beside a number (kgo:scoreLabel)
    found = _results(Paper(title="HeronNet", abstract=(
        "We propose HeronNet. HeronNet achieves an MAE of 0.31 eV on QM9. On ETTh1, HeronNet reaches 0.412 MAE. "
        "MAE achieves 83.6% top-1 accuracy on ImageNet while HeronNet achieves 84.1%.")))
    assert {("HeronNet", "QM9", "mean absolute error", "0.31"), ("HeronNet", "ETTh1", "mean absolute error", "0.412"),
            ("MAE", "ImageNet", "top-1 accuracy", "83.6")} <= found, found


def test_a_number_after_with_is_a_result_only_with_its_metric_named_right_after():
    # "achieves a new state of the art with 58.0% PQ": a score; "with 3.7M parameters", "with 50%
    # of the labels": sizes and settings
    found = _results(Paper(title="HeronNet", abstract=(
        "On COCO, HeronNet achieves state-of-the-art results with 58.0% PQ and 75.1% exact match accuracy. "
        "HeronNet-S reaches 80.1% top-1 accuracy on ImageNet with 3.7M parameters. "
        "With 50% of the labels, HeronNet-T trained with 12% masking works on CIFAR-10. "
        "HeronNet-B sets a new record on Flowers-102 with 99.7% top-1 accuracy, and improves upon the "
        "baseline on ImageNet.")))
    # (the dataset right before "with" is the number's, not the next one named)
    assert found == {("HeronNet", "COCO", "PQ", "58.0"), ("HeronNet", "COCO", "exact match accuracy", "75.1"),
                     ("HeronNet-S", "ImageNet", "top-1 accuracy", "80.1"),
                     ("HeronNet-B", "Flowers-102", "top-1 accuracy", "99.7")}, found


def test_a_short_name_in_brackets_after_a_dataset_is_the_datasets_not_a_method():
    # "the extended Cohn-Kanade dataset (CK +)": CK is the dataset's short name, not whose 88.7% it is
    found = _results(Paper(title="Greedy search for face features", abstract=(
        "The chosen feature subset is used to classify facial expressions in the extended Cohn-Kanade "
        "dataset (CK +), and delivered 88.7% recognition accuracy.")))
    assert not any(r[0].startswith("CK") for r in found), found


def test_a_method_in_a_phrase_before_we_is_not_whose_number_it_is():
    # "On vision-language contrastive learning, we achieve 88.3% zero-shot accuracy on ImageNet":
    # the number is the paper's own method's; with none named, no result (not contrastive learning's)
    abstract = ("On vision-language contrastive learning, we achieve 88.3% zero-shot and 91.1% fine-tuning "
                "accuracy on ImageNet.")
    assert not _results(Paper(title="Symbolic discovery of optimization algorithms", abstract=abstract))
    # ... while a method that is the subject keeps its number, "our" or not after it
    found = _results(Paper(title="Squeeze-and-Excitation Networks", abstract=(
        "Squeeze-and-Excitation Networks formed the foundation of our ILSVRC 2017 classification submission "
        "which won first place and reduced the top-5 error to 2.251%.")))
    assert {r[0] for r in found} == {"Squeeze-and-Excitation Networks"}, found
