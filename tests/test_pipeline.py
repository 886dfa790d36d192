"""The pipeline end to end: merging listings, accounting for every entry, bad input, atomic
outputs, the extraction contract and deterministic rebuilds."""
from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from kg.cli import main
from kg.extract import ExtractorError, available_extractors, extract, register_extractor
from kg.extract import _REGISTRY as EXTRACTORS  # noqa: PLC2701 (test extractors are removed in teardown)
from kg.records import Evidence, Extraction, Paper
from kg.page import build_with_page
from kg.graph.iris import KGO, paper_iri

ABSTRACT_A = ("We propose ReceiptNet, a compact network for reading receipts. ReceiptNet outperforms ResNet-50 "
              "and DeiT on CIFAR-10 and SVHN while using half the parameters. Code is public.")
ABSTRACT_B = ("We benchmark backbones for document understanding at scale. We find that ViT outperforms ResNet "
              "on ImageNet-1K by 2% top-1 accuracy, and that training longer helps every model we tried.")
ABSTRACT_C = ("We propose LedgerFormer, a transformer for ledgers. LedgerFormer is compared with Swin Transformer "
              "on COCO and achieves comparable accuracy at a fraction of the cost. We release the code.")
ABSTRACT_D = ("We introduce TillNet for till receipts. Experiments on CIFAR-100 show that TillNet outperforms "
              "MobileNetV2 by a clear margin while running in real time on a phone.")
TITLE_A, TITLE_B = "ReceiptNet: Reading Receipts", "Backbones for Documents at Scale"
TITLE_C, TITLE_D = "LedgerFormer: Transformers for Ledgers", "TillNet: Receipts at the Till"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def ttl(out: Path) -> Graph:
    return Graph().parse(out / "graph.ttl", format="turtle")


def write_listing(path: Path, *papers: tuple[str, str], chrome: bool = True) -> Path:
    head = "new\n\nSubscribe\n\nMar 11\n\n" if chrome else ""
    path.write_text(head + "".join(f"{t}\n\n{a}\n\n" for t, a in papers), encoding="utf-8")
    return path


def summary_numbers(output: str) -> tuple[int, int, int, int, int]:
    m = re.search(r"read (\d+) entries from (\d+) file\(s\): (\d+) papers, (\d+) duplicates merged, (\d+) skipped",
                  output)
    assert m, output
    return tuple(int(x) for x in m.groups())  # type: ignore[return-value]


# --------------------------------------------------------------------------- merging listings

def seed_title_lines(seed_files, title: str) -> set[str]:
    """Every file:line of the seeds where ``title`` is listed, found in the raw text."""
    found = set()
    for f in seed_files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() == title or line.strip() == "Subscribe" + title:
                found.add(f"{f}:{n}")
    return found


def test_a_paper_in_several_listings_is_one_node_with_every_source(seeds_ttl, seed_files):
    g = seeds_ttl
    for title, listings in (("DeepMAD: Mathematical Architecture Design for Deep Convolutional Neural Network", 3),
                            ("VOLO: Vision Outlooker for Visual Recognition", 2),
                            ("VoxCeleb: a large-scale speaker identification dataset", 1)):
        (node,) = set(g.subjects(DCTERMS.title, Literal(title)))
        sources = {str(s) for s in g.objects(node, KGO.source)}
        assert sources == seed_title_lines(seed_files, title) and len(sources) == listings, title


def test_every_listing_of_every_seed_paper_is_a_source(seeds_ttl, seed_files):
    g = seeds_ttl
    papers = set(g.subjects(RDF.type, KGO.Paper))
    all_sources = [str(s) for p in papers for s in g.objects(p, KGO.source)]
    assert len(all_sources) == len(set(all_sources)) == 341
    per_file = defaultdict(int)
    for s in all_sources:
        path, line = s.rsplit(":", 1)
        assert int(line) > 0
        per_file[Path(path).name[:3]] += 1
    assert dict(per_file) == {"000": 85, "001": 61, "002": 76, "003": 119}
    assert sum(1 for p in papers if len(list(g.objects(p, KGO.source))) > 1) == 36


def test_seed_report_accounts_for_every_entry(seeds_build):
    report, out = seeds_build
    assert report.ok and not report.file_errors and report.skipped == []
    assert (report.entries, report.papers, report.duplicates) == (341, 301, 40)
    assert report.entries == report.papers + report.duplicates + len(report.skipped)
    saved = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert (saved["entries"], saved["papers"], saved["duplicates"], saved["skipped"]) == (341, 301, 40, [])


# --------------------------------------------------------------------------- bad input, accounted for

@pytest.fixture
def mixed_inputs(tmp_path) -> dict[str, Path]:
    d = tmp_path / "in"
    d.mkdir()
    files = {
        "good": write_listing(d / "good.txt", (TITLE_A, ABSTRACT_A), ("Lonely Title", ""), (TITLE_B, ABSTRACT_B)),
        "jsonl": d / "more.jsonl",
        "csv": d / "table.csv",
        "missing": d / "missing.txt",
        "empty": d / "empty.txt",
        "latin1": d / "latin1.txt",
    }
    # good.txt: line 7 ReceiptNet, 11 "Lonely Title" (no abstract), 13 Backbones
    files["good"].write_text(files["good"].read_text().replace("Lonely Title\n\n\n\n", "Lonely Title\n\n"))
    files["jsonl"].write_text("\n".join([
        json.dumps({"title": "receiptnet:  READING receipts", "abstract": ABSTRACT_A}),   # duplicate of A
        '{"title": "broken',                                                              # bad JSON
        json.dumps({"title": TITLE_C, "abstract": ABSTRACT_C, "id": "c1"}),
        json.dumps({"title": "No Abstract Here"}),
    ]) + "\n", encoding="utf-8")
    files["csv"].write_text(f'title,abstract\n"{TITLE_D}","{ABSTRACT_D}"\nonly,three,cells\n'
                            f'"{TITLE_B}","{ABSTRACT_B}"\n', encoding="utf-8")
    files["empty"].write_bytes(b"")
    files["latin1"].write_bytes("Café Networks\n\n".encode("latin-1") + ABSTRACT_A.encode())
    return files


def test_mixed_good_and_bad_input_is_fully_accounted(mixed_inputs, tmp_path):
    f = mixed_inputs
    assert [l for l in f["good"].read_text().splitlines() if l][3:] == [
        TITLE_A, ABSTRACT_A, "Lonely Title", TITLE_B, ABSTRACT_B]
    out = tmp_path / "out"
    res = run("build", *f.values(), "--out", out)
    assert res.exit_code == 0, res.output          # something could be built
    entries, files, papers, dups, skipped = summary_numbers(res.output)
    assert (entries, files, papers, dups, skipped) == (10, 6, 4, 2, 4)
    assert entries == papers + dups + skipped
    # every skipped entry and every bad file is named, with the line where there is one
    for where, reason in ((f"{f['good']}:11", "title without an abstract"), (f"{f['jsonl']}:2", "not valid JSON"),
                          (f"{f['jsonl']}:4", "missing abstract"), (f"{f['csv']}:3", "3 cells")):
        assert re.search(rf"skipped {re.escape(where)}: .*{reason}", res.output), (where, res.output)
    assert f"{f['missing']}: no such file" in res.output
    assert f"{f['empty']}: empty file" in res.output
    assert re.search(rf"{re.escape(str(f['latin1']))}:1: invalid UTF-8", res.output)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert (report["entries"], report["papers"], report["duplicates"]) == (10, 4, 2)
    assert len(report["skipped"]) == 4 and len(report["file_errors"]) == 3
    # the graph holds exactly the four papers; ReceiptNet keeps both of its sources
    g = ttl(out)
    assert {str(t) for t in g.objects(None, DCTERMS.title)} == {TITLE_A, TITLE_B, TITLE_C, TITLE_D}
    sources = {str(s) for s in g.objects(paper_iri(Paper(TITLE_A, "").key), KGO.source)}
    assert sources == {f"{f['good']}:7", f"{f['jsonl']}:1"}
    assert {str(s) for s in g.objects(paper_iri(Paper(TITLE_B, "").key), KGO.source)} == {
        f"{f['good']}:13", f"{f['csv']}:4"}


def test_library_report_matches(mixed_inputs, tmp_path):
    report = build_with_page(list(mixed_inputs.values()), tmp_path / "out")
    assert report.ok
    assert (report.entries, report.papers, report.duplicates, len(report.skipped)) == (10, 4, 2, 4)
    assert len(report.file_errors) == 3
    assert all(any(str(p) in e for e in report.file_errors)
               for p in (mixed_inputs["missing"], mixed_inputs["empty"], mixed_inputs["latin1"]))


def test_invalid_utf8_after_good_entries_is_reported_and_accounted(tmp_path):
    f = tmp_path / "partly.txt"
    f.write_bytes(f"{TITLE_A}\n\n{ABSTRACT_A}\n\nBad \xff Title\n\n{ABSTRACT_B}\n".encode("utf-8").replace(
        "\xff".encode("utf-8"), b"\xff"))
    res = run("build", f, "--out", tmp_path / "out")
    assert f"{f}:5: invalid UTF-8" in res.output
    entries, _, papers, dups, skipped = summary_numbers(res.output)
    assert entries == papers + dups + skipped


BAD_CASES = {
    "missing": (None, "no such file"),
    "directory": ("DIR", "directory"),
    "empty": (b"", "empty file"),
    "blank": (b"\n \n\t\n", "empty file"),
    "only-chrome": (b"new\n\nSubscribe\n\nMar 11\n", "no entries"),
    "binary": (b"\x00\x01\x02\x03", "unknown format"),
    "invalid-utf8": (b"Subscribe\n\nCaf\xe9 Networks\n\n" + ABSTRACT_A.encode(), ":3: invalid UTF-8"),
    "all-skipped": (b'{"title": "x"}\n{broken\n', "skipped"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_nothing_built_exits_non_zero_naming_the_file(tmp_path, case):
    content, message = BAD_CASES[case]
    path = tmp_path / f"{case}.in"
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    res = run("build", path, "--out", out)
    assert res.exit_code != 0
    assert str(path) in res.output and message in res.output
    assert "no paper could be read" in res.output
    assert not (out / "graph.ttl").exists() and not (out / "report.json").exists()
    entries, _, papers, dups, skipped = summary_numbers(res.output)
    assert papers == 0 and entries == dups + skipped


def test_unknown_format_option_names_the_file(tmp_path):
    f = write_listing(tmp_path / "a.txt", (TITLE_A, ABSTRACT_A))
    res = run("build", f, "--format", "nope", "--out", tmp_path / "out")
    assert res.exit_code != 0 and f"{f}: unknown format 'nope'" in res.output


def test_format_option_overrides_detection(tmp_path):
    f = tmp_path / "dump.data"     # truncated first line: nothing sniffs it, the extension says nothing
    f.write_text('{"title": "cut\n' + json.dumps({"title": TITLE_C, "abstract": ABSTRACT_C}) + "\n", encoding="utf-8")
    res = run("build", f, "--out", tmp_path / "o1")
    assert res.exit_code != 0 and f"{f}: unknown format" in res.output
    res = run("build", f, "--format", "jsonl", "--out", tmp_path / "o2")
    assert res.exit_code == 0, res.output
    assert summary_numbers(res.output) == (2, 1, 1, 0, 1) and f"skipped {f}:1" in res.output
    assert {str(t) for t in ttl(tmp_path / "o2").objects(None, DCTERMS.title)} == {TITLE_C}


# --------------------------------------------------------------------------- atomic outputs

OUTPUTS = ("graph.ttl", "graph.html", "report.json")


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp"))


def test_failed_runs_leave_previous_outputs_intact(tmp_path, seed_files):
    out = tmp_path / "out"
    assert run("build", seed_files[0], "--out", out).exit_code == 0
    before = snapshot(out)
    assert len(before["graph.ttl"]) > 10_000
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    chrome = tmp_path / "chrome.txt"
    chrome.write_text("new\n\nSubscribe\n")
    for args in ([empty], [tmp_path / "missing.txt"], [chrome], [empty, chrome]):
        res = run("build", *args, "--out", out)
        assert res.exit_code != 0
        assert snapshot(out) == before, args        # byte for byte
    report = build_with_page([empty], out)
    assert not report.ok and report.file_errors == [f"{empty}: empty file"]
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_crash_while_writing_leaves_previous_outputs_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_with_page([write_listing(tmp_path / "one.txt", (TITLE_A, ABSTRACT_A))], out)
    before = snapshot(out)

    def broken_write_html(graph, path):
        Path(path).write_text("<html>half a page", encoding="utf-8")
        raise RuntimeError("disk full")

    import kg.viz
    monkeypatch.setattr(kg.viz, "write_html", broken_write_html)
    with pytest.raises(RuntimeError, match="disk full"):
        build_with_page([write_listing(tmp_path / "two.txt", (TITLE_B, ABSTRACT_B))], out)
    assert snapshot(out) == before
    from kg.store import load_graph
    assert isomorphic(load_graph(out), Graph().parse(data=before["graph.ttl"].decode(), format="turtle"))
    # and the folder is not wedged: the next good build goes through
    monkeypatch.undo()
    report = build_with_page([tmp_path / "two.txt"], out)
    assert report.ok and TITLE_B in {str(t) for t in ttl(out).objects(None, DCTERMS.title)}
    assert leftovers(out) == []


# --------------------------------------------------------------------------- the extraction contract

def test_real_extractions_keep_the_contract(seed_papers):
    registry = available_extractors()
    assert {"proposes", "datasets", "compares"} <= set(registry)
    seen_predicates = set()
    for paper in seed_papers.values():
        text = f"{paper.title}\n\n{paper.abstract}"
        for ex in extract(paper):
            assert isinstance(ex, Extraction) and dataclasses.is_dataclass(ex)
            with pytest.raises(dataclasses.FrozenInstanceError):
                ex.confidence = 0.5  # type: ignore[misc]
            with pytest.raises(dataclasses.FrozenInstanceError):
                ex.evidence.start = 0  # type: ignore[misc]
            ev = ex.evidence
            assert 0 <= ev.start < ev.end <= len(text)
            assert text[ev.start:ev.end] == ev.sentence, (paper.title, ex)
            assert ev.sentence.strip() == ev.sentence and ev.sentence
            assert 0.0 <= ex.confidence <= 1.0
            name = ex.extractor.split("/", 1)[0]
            assert name in registry and registry[name].predicate == ex.predicate, ex.extractor
            assert ex.paper_key == paper.key
            if ex.subject_kind == "paper":
                assert ex.subject == paper.title and ex.predicate in ("proposes", "evaluatesOn", "addressesTask")
            elif ex.predicate == "reportsResult":
                # (as written, but for a scraped space after a decimal point: "77. 7%")
                written = re.sub(r"(\d)\. (\d)", r"\1.\2", ev.sentence)
                assert ex.outcome is None and ex.value in written and ex.metric
            else:
                assert ex.predicate == "comparesTo" and ex.outcome is not None
            seen_predicates.add(ex.predicate)
    assert seen_predicates == {"proposes", "evaluatesOn", "comparesTo", "addressesTask", "reportsResult"}


def test_extraction_rejects_out_of_contract_values():
    ev = Evidence("A sentence.", 0, 11)
    base = dict(paper_key="k", subject="t", subject_kind="paper", predicate="proposes", object="X",
                object_kind="method", evidence=ev, extractor="x", confidence=0.5)
    assert Extraction(**base).confidence == 0.5
    for bad in ({"confidence": 1.5}, {"confidence": -0.1}, {"predicate": "likes"}, {"outcome": "wins"}):
        with pytest.raises(ValueError):
            Extraction(**(base | bad))


@pytest.fixture
def test_extractors():
    """Extractors registered by the tests; removed from the registry in teardown."""
    names = []

    def register(name, predicate):
        names.append(name)
        return register_extractor(name, predicate)

    yield register
    for name in names:
        EXTRACTORS.pop(name, None)
    assert not set(names) & set(available_extractors())


PAPER = Paper(TITLE_A, ABSTRACT_A)


def test_an_extractor_returning_the_wrong_type_fails_naming_itself(test_extractors):
    @test_extractors("test-bad-type", "proposes")
    def bad(doc):
        return [{"subject": doc.paper.title, "object": "ReceiptNet"}]

    with pytest.raises(ExtractorError, match=r"extractor 'test-bad-type' returned dict, expected Extraction"):
        extract(PAPER, names=["test-bad-type"])


def test_an_extractor_breaking_its_predicate_or_crashing_fails_naming_itself(test_extractors):
    @test_extractors("test-wrong-predicate", "proposes")
    def wrong(doc):
        s = doc.abstract_sentences[0]
        yield Extraction(doc.paper.key, doc.paper.title, "paper", "evaluatesOn", "CIFAR-10", "dataset",
                         doc.evidence(s), "test-wrong-predicate", 0.5)

    @test_extractors("test-crash", "comparesTo")
    def crash(doc):
        raise KeyError("boom")

    with pytest.raises(ExtractorError, match="'test-wrong-predicate' is registered for 'proposes'"):
        extract(PAPER, names=["test-wrong-predicate"])
    with pytest.raises(ExtractorError, match="extractor 'test-crash' failed on 'ReceiptNet") as err:
        extract(PAPER, names=["test-crash"])
    assert isinstance(err.value.__cause__, KeyError)
    with pytest.raises(ExtractorError, match="unknown extractor 'test-nope'"):
        extract(PAPER, names=["test-nope"])


def test_a_registered_extractor_is_run_by_name(test_extractors):
    @test_extractors("test-good", "proposes")
    def good(doc):
        """Proposes the first word of the title."""
        yield Extraction(doc.paper.key, doc.paper.title, "paper", "proposes", doc.paper.title.split(":")[0],
                         "method", doc.evidence(doc.title_sentence), "test-good", 1.0)

    (ex,) = extract(PAPER, names=["test-good"])
    assert (ex.object, ex.evidence.sentence, ex.evidence.start, ex.extractor) == ("ReceiptNet", TITLE_A, 0, "test-good")
    assert available_extractors()["test-good"].description == "Proposes the first word of the title."
    assert "test-good" in run("formats").output


def test_a_crashing_extractor_fails_the_build_and_leaves_outputs_intact(tmp_path, test_extractors):
    out = tmp_path / "out"
    build_with_page([write_listing(tmp_path / "one.txt", (TITLE_A, ABSTRACT_A))], out)
    before = snapshot(out)

    @test_extractors("test-crash-in-build", "comparesTo")
    def crash(doc):
        raise ValueError("kaput")

    with pytest.raises(Exception, match="test-crash-in-build"):
        build_with_page([write_listing(tmp_path / "two.txt", (TITLE_B, ABSTRACT_B))], out)
    assert snapshot(out) == before and leftovers(out) == []


# --------------------------------------------------------------------------- deterministic rebuilds

def test_rebuilding_gives_the_same_graph_and_iris(tmp_path):
    listing = write_listing(tmp_path / "l.txt", (TITLE_A, ABSTRACT_A), (TITLE_B, ABSTRACT_B), (TITLE_C, ABSTRACT_C))
    build_with_page([listing], tmp_path / "one")
    build_with_page([listing], tmp_path / "two")
    first, second = ttl(tmp_path / "one"), ttl(tmp_path / "two")
    assert len(first) > 50 and isomorphic(first, second)
    iris = lambda g: {t for triple in g for t in triple if isinstance(t, URIRef)}
    assert iris(first) == iris(second)
    assert any("/statement/" in str(i) for i in iris(first))
    build_with_page([listing], tmp_path / "one")            # again into the same folder
    assert isomorphic(ttl(tmp_path / "one"), first)
