"""Invariants of the vocabulary data in ontology/vocab/ and the normalisation table it implies."""
from __future__ import annotations

from collections import defaultdict

import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

from kg.text import match_key
from kg.vocab import KGO, default_vocabulary, ontology_dir

VOCAB = ontology_dir() / "vocab"


def key(s: str) -> str:
    return match_key(s)   # the key the matcher compares names under


@pytest.mark.parametrize("name", ["datasets.ttl", "methods.ttl", "tasks.ttl", "metrics.ttl"])
def test_every_concept_has_one_label_and_no_alias_is_shared(name):
    g = rdflib.Graph().parse(VOCAB / name)
    owners = defaultdict(set)
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 20
    for c in concepts:
        labels = list(g.objects(c, SKOS.prefLabel))
        assert len(labels) == 1, c
        for a in (*labels, *g.objects(c, SKOS.altLabel)):
            owners[key(str(a))].add(c)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, shared


def test_broader_points_at_families():
    g = rdflib.Graph().parse(VOCAB / "methods.ttl")
    families = set(g.subjects(RDF.type, rdflib.URIRef(KGO + "MethodFamily")))
    broader = list(g.subject_objects(SKOS.broader))
    assert len(families) >= 5 and len(broader) > 50
    for _, fam in broader:
        assert fam in families, fam


def test_a_dataset_edition_is_narrower_than_its_series_and_a_benchmark_for_tasks():
    """Editions with test sets of their own ("PASCAL VOC 2007", "KITTI 2015") are datasets of
    their own, ``skos:broader`` their series; a leaderboard never mixes them."""
    g = rdflib.Graph()
    for name in ("datasets.ttl", "dataset_tasks.ttl"):
        g.parse(VOCAB / name)
    dataset, benchmark_for = rdflib.URIRef(KGO + "Dataset"), rdflib.URIRef(KGO + "benchmarkFor")
    editions = list(g.subject_objects(SKOS.broader))
    assert len(editions) >= 20
    for edition, series in editions:
        assert (series, RDF.type, dataset) in g and (edition, RDF.type, dataset) in g, edition
        assert any(c.isdigit() for c in str(g.value(edition, SKOS.prefLabel))), edition
        assert set(g.objects(edition, benchmark_for)), edition
    assert default_vocabulary().lookup("VOC2007").key != default_vocabulary().lookup("VOC2012").key


def test_benchmark_for_links_a_vocabulary_dataset_to_a_vocabulary_task():
    g = rdflib.Graph()
    for name in ("datasets.ttl", "tasks.ttl", "dataset_tasks.ttl"):
        g.parse(VOCAB / name)
    links = list(g.subject_objects(rdflib.URIRef(KGO + "benchmarkFor")))
    assert len(links) > 500
    for dataset, task in links:
        assert (dataset, RDF.type, rdflib.URIRef(KGO + "Dataset")) in g, dataset
        assert (task, RDF.type, rdflib.URIRef(KGO + "Task")) in g, task


@pytest.mark.parametrize("surface,label", [
    ("ViT", "Vision Transformer"), ("ViTs", "Vision Transformer"), ("vision transformers", "Vision Transformer"),
    ("Vision Transformer", "Vision Transformer"),
    ("CNN", "CNN"), ("CNNs", "CNN"), ("ConvNets", "CNN"), ("convolutional neural networks", "CNN"),
    ("COCO", "COCO"), ("MS COCO", "COCO"), ("MS-COCO", "COCO"),
    ("ImageNet-1k", "ImageNet-1K"), ("ImageNet-1K", "ImageNet-1K"), ("ImageNet", "ImageNet-1K"),
    ("ImageNet-22K", "ImageNet-21K"), ("ResNet-50", "ResNet"), ("Swin", "Swin Transformer"),
    ("PASCAL VOC", "PASCAL VOC"), ("VOC07", "PASCAL VOC 2007"), ("Pascal VOC 2012", "PASCAL VOC 2012"),
    ("KITTI", "KITTI"), ("KITTI-2015", "KITTI 2015"), ("iNat2018", "iNaturalist 2018"),
])
def test_normalisation_table(surface, label):
    concept = default_vocabulary().lookup(surface)
    assert concept is not None and concept.label == label


def test_imagenet_21k_is_not_imagenet_1k():
    v = default_vocabulary()
    assert v.lookup("ImageNet-21K").key != v.lookup("ImageNet-1K").key


def test_a_size_unit_set_apart_by_a_scraped_page_still_completes_the_name():
    v = default_vocabulary()
    found = v.find("Trained on the JFT-300 M dataset, it is tested on Human3.6 M and the ImageNet-5 K set.")
    assert [(m.surface, m.concept.label) for m in found] == [
        ("JFT-300 M", "JFT-300M"), ("Human3.6 M", "Human3.6M"), ("ImageNet-5 K", "ImageNet-5K")]
    assert [m.surface for m in v.find("Our iFormer-S reaches 83.4%.")] == ["iFormer"]


def test_all_caps_names_match_only_in_capitals():
    v = default_vocabulary()
    assert [m.concept.label for m in v.find("Results on IAM are strong.")] == ["IAM"]
    assert v.find("We aid the iam reader.", kind="dataset") == []


def test_an_ambiguous_label_names_its_dataset_yet_text_must_say_more():
    """A label marked kgo:ambiguousLabel ("MARS", "Spider", "Iris") is a word or a name of other
    things: running text mentions the dataset only by an alias ("the MARS dataset"), while a whole
    name asked for as a dataset (kg leaderboard --dataset MARS) is the dataset."""
    g = rdflib.Graph().parse(VOCAB / "datasets.ttl")
    marked = sorted(g.subjects(rdflib.URIRef(KGO + "ambiguousLabel"), rdflib.Literal(True)))
    assert len(marked) >= 10
    v = default_vocabulary()
    for node in marked:
        label = str(g.value(node, SKOS.prefLabel))
        aliases = [str(a) for a in g.objects(node, SKOS.altLabel)]
        assert aliases, f"{label}: with no alias, no text could ever mention it"
        concept = v.lookup(label, kind="dataset")
        assert concept is not None and concept.label == label and concept.ambiguous_label
        assert v.find(f"Results on {label} are strong.", kind="dataset") == [], label
        assert [m.concept.label for m in v.find(f"Results on the {aliases[0]} are strong.", kind="dataset")] == [label]
    assert v.lookup("Spider", kind="method") is None and v.lookup("Spider") is None


def test_families_of_well_known_methods():
    v = default_vocabulary()
    assert "cnn" in v.lookup("ResNet").families and "cnn" in v.lookup("ConvNeXt").families
    assert "vision-transformer" in v.lookup("DeiT").families
    assert "vision-transformer" in v.lookup("Swin Transformer").families


def test_an_own_name_with_a_kind_noun_is_the_known_method_it_names():
    # "the NASNet architecture" is NASNet (and so a CNN); "a new Vision Transformer architecture"
    # stays the paper's own: a family is never what a proposal resolves to
    from kg.normalize import normalise
    from kg.records import Evidence, Extraction, Paper

    paper = Paper(title="Learning Transferable Architectures", abstract="We propose the NASNet architecture.")

    def proposed(name: str):
        ex = Extraction(paper.key, paper.title, "paper", "proposes", name, "method", Evidence("x", 0, 1), "t", 0.9)
        return normalise(paper, [ex], default_vocabulary())[0].object

    nasnet = proposed("NASNet architecture")
    assert nasnet.in_vocabulary and nasnet.label == "NASNet" and nasnet.family_keys, nasnet
    assert not proposed("Vision Transformer architecture").in_vocabulary
