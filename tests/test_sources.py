"""The sources people actually have: arXiv API Atom responses, the arXiv metadata snapshot,
OpenAlex works, Semantic Scholar papers and BibTeX, each read from small hand-made files in the
real formats (tests/data/sources/), mapped into the graph with their metadata (identifiers, links,
dates, categories, authors as foaf:Person nodes), one node per paper whichever sources it came
from, in both build paths; bad input reported and counted; ``kg build --category``; and the
``kg fetch arxiv`` client.

There is no internet here: the fetch client is tested against responses in the format
export.arxiv.org returns (tests/data/sources/arxiv_api_page*.xml, hand-made, as no recording can
be made offline), served by a local http.server on 127.0.0.1.
"""
from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS

from kg.cli import main
from kg.fetch import FetchError, fetch_arxiv
from kg.records import Paper, SkippedEntry, author_key, paper_key
from kg.build import BuildOptions, build
from kg.graph.iris import KGO, SCHEMA, paper_iri
from kg.readers import detect_format, read_papers
from kg.readers.filters import CategoryFilter

DATA = Path(__file__).parent / "data" / "sources"
ATOM, SNAPSHOT, OPENALEX, S2, BIB = (DATA / n for n in (
    "arxiv_query.xml", "arxiv_snapshot.jsonl", "openalex_works.json", "s2_search.json", "sources.bib"))
SAMPLES = [ATOM, SNAPSHOT, OPENALEX, S2, BIB]

SWIN = "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows"
VOLO = "VOLO: Vision Outlooker for Visual Recognition"
RNN = "Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention"


def papers(path, fmt=None, categories=None) -> list[Paper]:
    return [p for p in read_papers(path, fmt, categories) if isinstance(p, Paper)]


def skipped(path, fmt=None, categories=None) -> list[SkippedEntry]:
    return [p for p in read_papers(path, fmt, categories) if isinstance(p, SkippedEntry)]


def by_title(items) -> dict[str, Paper]:
    return {p.title: p for p in items}


def cut(tmp_path, source: Path, marker: str, occurrence: int = 1, name: str | None = None) -> Path:
    """A copy of ``source`` cut off (a truncated download) just after the n-th ``marker``."""
    text = source.read_text(encoding="utf-8")
    at = -1
    for _ in range(occurrence):
        at = text.index(marker, at + 1)
    out = tmp_path / (name or f"cut_{source.name}")
    out.write_text(text[:at + len(marker)], encoding="utf-8")
    return out


# --------------------------------------------------------------------------- detection

def test_each_sample_is_detected_by_content():
    assert [detect_format(p) for p in SAMPLES] == ["arxiv", "arxiv-snapshot", "openalex", "s2", "bibtex"]


def test_kg_formats_lists_the_new_readers():
    out = CliRunner().invoke(main, ["formats"]).output
    for name in ("arxiv", "arxiv-snapshot", "openalex", "s2", "bibtex"):
        assert f"\n  {name} " in out


# --------------------------------------------------------------------------- arXiv Atom

def test_atom_entries_map_ids_text_authors_categories_dates_links():
    got = by_title(papers(ATOM))
    assert list(got) == [VOLO, SWIN, RNN]          # wrapped titles joined: "Visual\n  Recognition"
    volo, swin, rnn = got[VOLO], got[SWIN], got[RNN]
    assert (volo.arxiv_id, volo.id, volo.url) == ("2106.13112", "2106.13112v2", "http://arxiv.org/abs/2106.13112v2")
    assert (volo.date, volo.updated) == ("2021-06-24", "2021-06-28")
    assert volo.authors == ("Li Yuan", "Qibin Hou", "Zihang Jiang", "Jiashi Feng", "Shuicheng Yan")
    assert volo.links == ("http://arxiv.org/pdf/2106.13112v2",)
    assert volo.source.line == 10 and volo.source.reader == "arxiv"
    assert "\n" not in volo.abstract and "finer-level features" in volo.abstract
    assert volo.abstract.endswith("Code is available at https://github.com/sail-sg/volo.")   # \url{...}
    assert "computed with Shifted windows." in swin.abstract                                # \textbf{S}hifted
    assert swin.categories == ("cs.CV", "cs.LG") and rnn.categories == ("cs.LG", "stat.ML")  # primary first
    assert swin.doi == "10.1109/iccv48922.2021.00986" and swin.venue.startswith("Proceedings of the IEEE/CVF")
    assert "http://dx.doi.org/10.1109/ICCV48922.2021.00986" in swin.links
    assert r"from $\mathcal{O}\left(N^2\right)$ to $\mathcal{O}\left(N\right)$" in rnn.abstract  # math kept
    assert rnn.authors[-1] == "François Fleuret"


def test_atom_api_error_entry_is_reported():
    (item,) = list(read_papers(DATA / "arxiv_api_error.xml"))
    assert isinstance(item, SkippedEntry) and "arXiv API error: incorrect id format for 1234.12345" in item.reason


def test_truncated_atom_keeps_complete_entries_and_reports_the_cut_one(tmp_path):
    truncated = cut(tmp_path, ATOM, "<name>Yutong Lin</name>")         # inside the second entry
    items = list(read_papers(truncated))
    assert [type(i).__name__ for i in items] == ["Paper", "SkippedEntry"]
    assert items[0].title == VOLO
    assert items[1].source.line == 59 and "ends inside this entry" in items[1].reason


def test_a_malformed_atom_entry_is_skipped_and_the_rest_read(tmp_path):
    text = ATOM.read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace("<name>Yutong Lin</name>", "<name>Yutong Lin</nam>"), encoding="utf-8")
    items = list(read_papers(broken))
    assert [getattr(i, "title", None) for i in items] == [VOLO, None, RNN]
    assert items[1].source.line == 59 and "malformed XML" in items[1].reason


# --------------------------------------------------------------------------- arXiv snapshot

def test_snapshot_records_map_versions_authors_and_references():
    got = by_title(papers(SNAPSHOT))
    convnext = got["A ConvNet for the 2020s"]
    assert (convnext.id, convnext.arxiv_id, convnext.url) == ("2201.03545v2", "2201.03545", "https://arxiv.org/abs/2201.03545")
    assert (convnext.date, convnext.updated) == ("2022-01-10", "2022-03-03")   # first version, update_date
    assert convnext.authors[0] == "Zhuang Liu" and convnext.categories == ("cs.CV",)
    old = got["The Large N Limit of Superconformal Field Theories and Supergravity"]
    assert (old.arxiv_id, old.doi, old.venue) == ("hep-th/9711200", "10.1023/a:1026654312961",
                                                  "Adv.Theor.Math.Phys.2:231-252,1998")
    assert "large $N$ limit" in old.abstract and not old.abstract.startswith(" ")
    assert got[RNN].authors[-1] == "François Fleuret"          # "Fran\\c{c}ois" in authors_parsed
    assert got[RNN].source.line == 6


def test_snapshot_bad_lines_are_reported_with_their_line():
    bad = skipped(SNAPSHOT)
    assert [(s.source.line, s.reason.split(":")[0]) for s in bad] == [(4, "not valid JSON"), (7, "not valid JSON")]
    assert len(papers(SNAPSHOT)) == 5


@pytest.mark.parametrize("wanted,titles,rejected,reported", [
    (["cs.CV"], ["A ConvNet for the 2020s"], 4, {4, 7}),
    (["cs"], ["A ConvNet for the 2020s", "Attention Is All You Need",
              "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", RNN], 1, {4, 7}),
    (["hep-th", "stat.ML"], ["The Large N Limit of Superconformal Field Theories and Supergravity", RNN], 4, {4}),
    (["CS.cv"], ["A ConvNet for the 2020s"], 4, {4, 7}),      # case-insensitive
    (["cs.C"], [], 6, {4}),                                   # a prefix is an archive, not any string start
])
def test_snapshot_category_filter(wanted, titles, rejected, reported):
    flt = CategoryFilter(wanted)
    items = list(read_papers(SNAPSHOT, categories=flt))
    assert [p.title for p in items if isinstance(p, Paper)] == titles
    assert flt.rejected == rejected
    # line 4 has no categories field to filter on: it is parsed, and reported; line 7 (cs.CV, cut
    # off after its categories) is reported only when it is inside the slice
    assert {s.source.line for s in items if isinstance(s, SkippedEntry)} == reported


def test_snapshot_filter_drops_lines_before_parsing_them(monkeypatch):
    """The filter must be cheap per line: a line outside the slice is never handed to the JSON parser."""
    import kg.readers.arxiv as arxiv_reader

    parsed = []

    class CountingJson:
        @staticmethod
        def loads(data):
            parsed.append(data)
            return json.loads(data)

    monkeypatch.setattr(arxiv_reader, "json", CountingJson)
    assert [p.title for p in papers(SNAPSHOT, categories=CategoryFilter(["hep-th"]))] == [
        "The Large N Limit of Superconformal Field Theories and Supergravity"]
    assert len(parsed) == 2     # the hep-th line and line 4 (no categories field); none of the others


def test_category_filter_applies_to_every_reader():
    flt = CategoryFilter(["cs.CV"])
    assert [p.title for p in papers(ATOM, categories=flt)] == [VOLO, SWIN]
    assert flt.rejected == 1
    assert papers(OPENALEX, categories=CategoryFilter(["cs"])) == []   # OpenAlex topics are not arXiv categories


# --------------------------------------------------------------------------- OpenAlex

def test_openalex_page_abstracts_are_rebuilt_and_metadata_mapped():
    got = by_title(papers(OPENALEX))
    assert list(got) == [SWIN, VOLO]
    swin, volo = got[SWIN], got[VOLO]
    assert swin.abstract.startswith("This paper presents a new vision Transformer, called Swin Transformer, that")
    assert swin.abstract.endswith("also prove beneficial for all-MLP architectures.")
    assert (swin.id, swin.doi, swin.arxiv_id) == ("W3138516171", "10.1109/iccv48922.2021.00986", "2103.14030")
    assert swin.date == "2021-10-01" and swin.authors[:2] == ("Ze Liu", "Yutong Lin")
    assert swin.venue == "2021 IEEE/CVF International Conference on Computer Vision (ICCV)"
    assert swin.categories == ("Advanced Neural Network Applications", "Computer science", "Artificial intelligence")
    assert "https://openalex.org/W3138516171" in swin.links
    assert volo.arxiv_id == "2106.13112"          # from the arXiv DOI 10.48550/arxiv.2106.13112
    (missing,) = skipped(OPENALEX)
    assert missing.source.line == 1188 and missing.reason.startswith("W2194775991: no abstract")


def test_openalex_json_lines_and_a_single_work(tmp_path):
    results = json.loads(OPENALEX.read_text(encoding="utf-8"))["results"]
    lines = tmp_path / "works.jsonl"
    lines.write_text("\n".join(json.dumps(w) for w in results) + "\n", encoding="utf-8")
    assert detect_format(lines) == "openalex"
    assert [p.title for p in papers(lines)] == [SWIN, VOLO]
    assert [s.source.line for s in skipped(lines)] == [3]
    single = tmp_path / "work.json"
    single.write_text(json.dumps(results[1], indent=2), encoding="utf-8")
    assert [p.title for p in papers(single)] == [VOLO]


def test_truncated_openalex_page_keeps_complete_works(tmp_path):
    truncated = cut(tmp_path, OPENALEX, '"display_name": "VOLO: Vision Outlooker for Visual Recognition"')
    items = list(read_papers(truncated))
    assert [type(i).__name__ for i in items] == ["Paper", "SkippedEntry"]
    assert items[0].title == SWIN
    assert items[1].source.line == 714 and "ends inside this record" in items[1].reason


def test_a_broken_work_in_the_middle_is_skipped_and_the_next_read(tmp_path):
    text = OPENALEX.read_text(encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text(text.replace('"language": "en",', '"language": en,', 1), encoding="utf-8")
    items = list(read_papers(broken, "openalex"))
    assert [getattr(i, "title", None) for i in items] == [None, VOLO, None]
    assert items[0].source.line == 10 and items[0].reason.startswith("not valid JSON")


# --------------------------------------------------------------------------- Semantic Scholar

def test_semantic_scholar_search_page():
    got = by_title(papers(S2))
    attention = got["Attention is All you Need"]
    assert (attention.id, attention.arxiv_id, attention.date) == (
        "204e3073870fae3d05bcbc2f6a8e263d9b72e776", "1706.03762", "2017-06-12")
    assert attention.url == "https://www.semanticscholar.org/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776"
    assert attention.authors[1] == "Noam M. Shazeer" and attention.categories == ("Computer Science",)
    assert attention.venue == "Neural Information Processing Systems"
    mamba = got["Mamba: Linear-Time Sequence Modeling with Selective State Spaces"]
    assert mamba.links == ("https://arxiv.org/pdf/2312.00752",)
    (missing,) = skipped(S2)
    assert missing.source.line == 118 and "no abstract" in missing.reason


def test_semantic_scholar_batch_array_with_unknown_ids_and_single_paper(tmp_path):
    data = json.loads(S2.read_text(encoding="utf-8"))["data"]
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([data[0], None, {**data[1], "abstract": None, "year": 2023}], indent=1),
                     encoding="utf-8")
    items = list(read_papers(batch))
    assert [getattr(i, "title", None) for i in items] == ["Attention is All you Need", None, None]
    assert "null entry" in items[1].reason and "no abstract" in items[2].reason
    single = tmp_path / "paper.json"
    single.write_text(json.dumps({**data[1], "publicationDate": None}), encoding="utf-8")
    (mamba,) = papers(single)
    assert mamba.date == "2023" and mamba.arxiv_id == "2312.00752"


# --------------------------------------------------------------------------- BibTeX

def test_bibtex_fields_macros_and_latex():
    got = by_title(papers(BIB))
    convnext = got["A ConvNet for the 2020s"]                        # {ConvNet} braces dropped
    assert convnext.date == "2022-06"                                # month = jun (a macro)
    assert convnext.venue.startswith("Proceedings of the IEEE/CVF Conference")   # @string cvpr, quoted
    assert convnext.authors == ("Zhuang Liu", "Hanzi Mao", "Chao-Yuan Wu", "Christoph Feichtenhofer",
                                "Trevor Darrell", "Saining Xie")    # "Last, First" over two lines
    assert convnext.doi == "10.1109/cvpr52688.2022.01167" and convnext.id == "liu2022convnet"
    assert convnext.abstract.startswith("The \u201cRoaring 20s\u201d of visual recognition")
    assert "87.8% ImageNet top-1 accuracy" in convnext.abstract
    rnn = got[RNN]
    assert rnn.authors[-1] == "François Fleuret" and rnn.date == "2020-07"
    assert (rnn.arxiv_id, rnn.categories, rnn.venue) == ("2006.16236", ("cs.LG",), "International Conference on Machine Learning (ICML)")
    causal = got["Toward Causal Representation Learning"]            # quoted abstract, {\"o}
    assert causal.authors[0] == "Bernhard Schölkopf" and causal.authors[3] == "Nan Rosemary Ke"
    assert "A central problem for AI and causality" in causal.abstract
    swin = got[SWIN]
    assert (swin.arxiv_id, swin.categories, swin.date, swin.url) == ("2103.14030", ("cs.CV",), "2021-03",
                                                                     "https://arxiv.org/abs/2103.14030")


def test_bibtex_entries_without_abstract_or_with_unbalanced_braces_are_reported():
    bad = skipped(BIB)
    assert [(s.source.line, s.reason[:40]) for s in bad] == [
        (69, "@inproceedings{he2016deep}: no abstract "),
        (77, "@inproceedings{huang2017densely}: unbala"),
    ]
    assert "'title'" in bad[1].reason and "(line 78)" in bad[1].reason
    assert [p.title for p in papers(BIB)][-1] == SWIN               # the entry after the broken one


def test_bibtex_parentheses_extra_brace_and_concatenation(tmp_path):
    bib = tmp_path / "more.bib"
    bib.write_text("""@string{pre = "Proc. "}
@article(paren2020,
  title = "Parentheses " # {Work},
  author = "Doe, Jane and others",
  year = 2020, month = "11",
  journal = pre # {Things},
  abstract = {We propose ParenNet, which outperforms ResNet-50 on CIFAR-10.}
)
@article{extra2021,
  title = {One Brace Too Many}},
  abstract = {Lost after the brace.}
}
@misc{after2022, title = {Still Read}, abstract = {We propose LateNet.}, year = {2022}, month = {Feb}}
""", encoding="utf-8")
    items = list(read_papers(bib))
    first, broken, last = items
    assert (first.title, first.authors, first.date, first.venue) == ("Parentheses Work", ("Jane Doe",), "2020-11", "Proc. Things")
    assert isinstance(broken, SkippedEntry) and broken.source.line == 9 and "a '}' too many" in broken.reason
    assert (last.title, last.date) == ("Still Read", "2022-02")


# --------------------------------------------------------------------------- into the graph

@pytest.fixture(scope="module")
def samples_build(tmp_path_factory):
    """(report, graph) of a memory build and (report, graph) of a streaming build of the samples."""
    base = tmp_path_factory.mktemp("samples")
    mem = build(SAMPLES, base / "mem", BuildOptions(store="memory"))
    stream = build(SAMPLES, base / "stream")
    return ((mem, Graph().parse(base / "mem" / "graph.ttl")), (stream, Graph().parse(base / "stream" / "graph.ttl")),
            base)


def test_one_node_per_paper_across_sources_in_both_build_paths(samples_build):
    (mem, g), (stream, g2), _ = samples_build
    assert isomorphic(g, g2)
    assert mem.papers == stream.papers == 8 and mem.duplicates == stream.duplicates == 8
    titles = sorted(str(t) for t in g.objects(None, DCTERMS.title))
    assert len(titles) == 8 and len(set(g.subjects(RDF.type, KGO.Paper))) == 8
    swin = paper_iri(paper_key(SWIN))                                 # keyed by the first source's title
    assert {str(s).split("/")[-1].split(":")[0] for s in g.objects(swin, KGO.source)} == {
        "arxiv_query.xml", "openalex_works.json", "sources.bib"}
    assert set(g.objects(swin, OWL.sameAs)) == {URIRef("http://arxiv.org/abs/2103.14030"),
                                                URIRef("https://doi.org/10.1109/iccv48922.2021.00986")}
    assert g.value(swin, DCTERMS.date) == Literal("2021-03-25")      # the first source's value wins
    assert Literal("Advanced Neural Network Applications") in set(g.objects(swin, KGO.category))  # united
    # Attention from the snapshot and "Attention is All you Need" from Semantic Scholar: one node
    attention = paper_iri(paper_key("Attention Is All You Need"))
    assert g.value(attention, DCTERMS.title) == Literal("Attention Is All You Need")
    assert len(set(g.objects(attention, KGO.source))) == 2


def test_authors_are_person_nodes_with_names(samples_build):
    (_, g), _, _ = samples_build
    rnn = paper_iri(paper_key(RNN))
    fleuret = URIRef("https://w3id.org/kgpaper/id/author/francois-fleuret")
    assert fleuret in set(g.objects(rnn, DCTERMS.creator))
    assert (fleuret, RDF.type, FOAF.Person) in g and g.value(fleuret, FOAF.name) == Literal("François Fleuret")
    assert author_key("Fleuret, Fran\u00e7ois") == author_key("FRANCOIS FLEURET") == "francois-fleuret"
    for paper in g.subjects(RDF.type, KGO.Paper):
        for person in g.objects(paper, DCTERMS.creator):
            assert (person, RDF.type, FOAF.Person) in g and g.value(person, FOAF.name) is not None
    assert len(set(g.subjects(RDF.type, FOAF.Person))) > 40


def test_metadata_properties_in_the_graph(samples_build):
    (_, g), _, _ = samples_build
    volo = paper_iri(paper_key(VOLO))
    assert g.value(volo, KGO.arxivId) == Literal("2106.13112")
    assert g.value(volo, DCTERMS.identifier) == Literal("2106.13112v2")
    assert g.value(volo, SCHEMA.url) == Literal("http://arxiv.org/abs/2106.13112v2", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#anyURI"))
    assert URIRef("https://openalex.org/W3173893011") in set(g.objects(volo, RDFS.seeAlso))
    assert g.value(volo, DCTERMS.modified) == Literal("2021-06-28")
    old = paper_iri(paper_key("The Large N Limit of Superconformal Field Theories and Supergravity"))
    assert (old, OWL.sameAs, URIRef("http://arxiv.org/abs/hep-th/9711200")) in g
    assert g.value(old, KGO.venue) == Literal("Adv.Theor.Math.Phys.2:231-252,1998")


def test_bad_input_is_counted_in_the_build_summary(samples_build):
    (mem, _), (stream, _), base = samples_build
    for report in (mem, stream):
        assert report.entries == 8 + 8 + 6 and len(report.skipped) == 6   # papers, duplicates, skipped
        assert {s["source"].split("sources/")[-1] for s in report.skipped} == {
            "arxiv_snapshot.jsonl:4", "arxiv_snapshot.jsonl:7", "openalex_works.json:1188",
            "s2_search.json:118", "sources.bib:69", "sources.bib:77"}
    saved = json.loads((base / "stream" / "report.json").read_text(encoding="utf-8"))
    assert len(saved["skipped"]) == 6


def test_the_samples_build_conforms_to_the_shapes(samples_build):
    from kg.validate import validate

    (_, g), _, _ = samples_build
    report = validate(g)
    assert report.conforms, [str(v) for v in report.violations[:5]]


def test_a_title_variant_with_the_same_arxiv_id_or_doi_joins_the_node(tmp_path):
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"title": "Seed Title Only", "abstract": "We propose SeedNet for things. " * 5}) + "\n"
                     + json.dumps({"title": "Another Paper", "doi": "10.1000/XYZ", "abstract": "We propose AnoNet. " * 5})
                     + "\n", encoding="utf-8")
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps({"title": "Seed title only!", "arxiv_id": "2401.00001", "authors": ["A. One"],
                                  "abstract": "Other text."}) + "\n"
                      + json.dumps({"title": "A Renamed Journal Version", "arxiv_id": "2401.00001v3",
                                    "date": "2024-01", "abstract": "Renamed."}) + "\n"
                      + json.dumps({"title": "Another paper (journal version)", "doi": "10.1000/xyz",
                                    "abstract": "Longer.", "url": "https://example.org/x"}) + "\n", encoding="utf-8")
    mem = build([first, second], tmp_path / "mem", BuildOptions(store="memory"))
    stream = build([first, second], tmp_path / "stream")
    assert mem.papers == stream.papers == 2 and mem.duplicates == stream.duplicates == 3
    g = Graph().parse(tmp_path / "mem" / "graph.ttl")
    assert isomorphic(g, Graph().parse(tmp_path / "stream" / "graph.ttl"))
    seed = paper_iri(paper_key("Seed Title Only"))                   # the seed's IRI does not move
    assert g.value(seed, KGO.arxivId) == Literal("2401.00001")        # by loose title ("Seed title only!")
    assert g.value(seed, DCTERMS.date) == Literal("2024-01")          # by arXiv id, under another title
    assert {str(t) for t in g.objects(None, DCTERMS.title)} == {"Seed Title Only", "Another Paper"}
    assert g.value(seed, DCTERMS.abstract).startswith("We propose SeedNet")
    assert g.value(paper_iri(paper_key("Another Paper")), SCHEMA.url) is not None


def test_an_incremental_build_enriches_a_known_paper_like_a_one_shot_build(tmp_path):
    listing = tmp_path / "listing.jsonl"
    volo = papers(ATOM)[0]
    listing.write_text(json.dumps({"title": "VOLO: Vision Outlooker for Visual  Recognition", "abstract": volo.abstract})
                       + "\n", encoding="utf-8")
    build([listing], tmp_path / "inc")
    second = build([ATOM], tmp_path / "inc")
    assert second.store["mode"] == "incremental" and second.store["known_papers"] == 1
    build([listing, ATOM], tmp_path / "once", BuildOptions(store="memory"))
    inc = Graph().parse(tmp_path / "inc" / "graph.ttl")
    assert isomorphic(inc, Graph().parse(tmp_path / "once" / "graph.ttl"))
    node = paper_iri(paper_key("VOLO: Vision Outlooker for Visual  Recognition"))
    assert len(set(inc.objects(node, DCTERMS.creator))) == 5
    again = build([ATOM], tmp_path / "inc")               # nothing new: nothing changes
    assert again.store["changed"] is False


def test_seed_papers_keep_their_iris_and_gain_metadata(seed_files, tmp_path):
    report = build([*seed_files, ATOM], tmp_path / "out", BuildOptions(store="memory"))
    assert report.papers == 301 + 2                                   # VOLO is a seed; Swin and RNN are not
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    node = paper_iri(paper_key(VOLO))
    assert g.value(node, KGO.arxivId) == Literal("2106.13112")
    assert len(set(g.objects(node, KGO.source))) == 3                 # two seed listings and the Atom file


# --------------------------------------------------------------------------- kg build --category

def test_build_category_option_slices_the_snapshot(tmp_path):
    out = tmp_path / "cv"
    result = CliRunner().invoke(main, ["build", str(SNAPSHOT), str(ATOM), "--category", "cs.CV", "--category", "stat.ML",
                                       "--out", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "4 papers, 1 duplicates merged, 2 skipped, 3 outside --category" in result.output
    g = Graph().parse(out / "graph.ttl")
    assert {str(t) for t in g.objects(None, DCTERMS.title)} == {"A ConvNet for the 2020s", RNN, SWIN, VOLO}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["filtered"] == 3 and report["entries"] == 4 + 1 + 2 + 3   # papers, duplicate, skipped, filtered
    mem = build([SNAPSHOT, ATOM], tmp_path / "mem", BuildOptions(store="memory", categories=["cs.CV", "stat.ML"]))
    assert (mem.papers, mem.filtered, mem.entries) == (4, 3, report["entries"])


# --------------------------------------------------------------------------- SPARQL examples of the README

README_QUERIES = {
    "papers_by_author": """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?title ?date WHERE {
  ?author foaf:name "François Fleuret" .
  ?paper dcterms:creator ?author ; dcterms:title ?title .
  OPTIONAL { ?paper dcterms:date ?date }
} ORDER BY ?date""",
    "methods_per_month": """
PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?month (COUNT(DISTINCT ?m) AS ?methods) (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?proposed) WHERE {
  ?paper kgo:proposes ?m ; dcterms:date ?date .
  ?m rdfs:label ?name .
  FILTER (STRLEN(?date) >= 7)
  BIND (SUBSTR(?date, 1, 7) AS ?month)
} GROUP BY ?month ORDER BY ?month""",
    "datasets_per_category": """
PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?category (COUNT(DISTINCT ?d) AS ?datasets) (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?names) WHERE {
  ?paper kgo:category ?category ; kgo:evaluatesOn ?d .
  ?d rdfs:label ?name .
} GROUP BY ?category ORDER BY DESC(?datasets) ?category""",
}


def test_readme_sparql_examples_run_on_the_samples(samples_build):
    from kg.query import run_query
    from kg.store import load_graph

    *_, base = samples_build
    g = load_graph(base / "stream")
    rows = {name: run_query(g, q).rows
            for name, q in README_QUERIES.items()}
    assert rows["papers_by_author"] == [[RNN, "2020-06-29"]]
    months = {r[0]: r[2] for r in rows["methods_per_month"]}
    assert "VOLO" in months["2021-06"] and "Swin Transformer" in months["2021-03"] and "ConvNeXt" in months["2022-01"]
    per_category = {r[0]: (int(r[1]), set(r[2].split(", "))) for r in rows["datasets_per_category"]}
    assert per_category["cs.CV"] == (4, {"ImageNet-1K", "ADE20K", "COCO", "Cityscapes"})
    assert {"WMT14 English-German", "WMT14 English-French"} <= per_category["cs.CL"][1]   # "WMT 2014 English-to-German"


# --------------------------------------------------------------------------- kg fetch arxiv

class FakeClock:
    """Time that passes only when the client sleeps: spacing is checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class ArxivStub:
    """A local stand-in for export.arxiv.org/api/query serving the recorded-format pages by
    ``start``; ``script`` lists (status, body or file, headers) answers served before them."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.requests: list[dict] = []
        self.times: list[float] = []
        self.script: list[tuple[int, bytes, dict]] = []
        self.pages = {0: (DATA / "arxiv_api_page1.xml").read_bytes(), 2: (DATA / "arxiv_api_page2.xml").read_bytes()}
        self.clock = clock
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:   # noqa: N802 (http.server's name)
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                stub.requests.append(query)
                stub.times.append(stub.clock.now if stub.clock else 0.0)
                if stub.script:
                    status, body, headers = stub.script.pop(0)
                else:
                    status, body, headers = 200, stub.pages.get(int(query.get("start", 0)), b""), {}
                self.send_response(status)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/query"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    server = ArxivStub()
    yield server
    server.close()


def test_fetch_pages_through_the_results_and_writes_a_file_kg_build_reads(stub, tmp_path):
    out = tmp_path / "cv.xml"
    report = fetch_arxiv("cat:cs.CV AND ti:vision", out, max_results=10, page_size=2, delay=0.01, api_url=stub.url)
    assert [(r["search_query"], r["start"], r["max_results"]) for r in stub.requests] == [
        ("cat:cs.CV AND ti:vision", "0", "2"), ("cat:cs.CV AND ti:vision", "2", "2")]
    assert (report.entries, report.total_results, report.requests, report.complete) == (3, 3, 2, True)
    assert detect_format(out) == "arxiv"
    assert [p.title for p in papers(out)] == [VOLO, SWIN, RNN]
    assert papers(out)[1].doi == "10.1109/iccv48922.2021.00986"      # entries are copied whole
    result = build([out], tmp_path / "g", BuildOptions(store="memory"))
    assert result.papers == 3 and not result.skipped


def test_fetch_stops_at_max_results(stub, tmp_path):
    report = fetch_arxiv("cat:cs.CV AND ti:vision", tmp_path / "one.xml", max_results=1, page_size=2, delay=0.01,
                         api_url=stub.url)
    assert report.entries == 1 and [r["max_results"] for r in stub.requests] == ["1"]


def test_default_spacing_is_three_seconds_between_requests(tmp_path):
    clock = FakeClock()
    server = ArxivStub(clock)
    try:
        server.script = [(503, b"busy", {"Retry-After": "1"})]       # the first answer: try again later
        report = fetch_arxiv("cat:cs.CV AND ti:vision", tmp_path / "x.xml", max_results=3, page_size=2,
                             api_url=server.url, clock=clock)           # default delay
    finally:
        server.close()
    assert report.requests == 3 and report.retries == 1 and report.entries == 3
    gaps = [b - a for a, b in zip(server.times, server.times[1:])]
    assert len(gaps) == 2 and all(g >= 3.0 for g in gaps)
    assert gaps[0] >= 6.0                                              # a retry backs off beyond the delay
    assert clock.slept and min(clock.slept) >= 3.0 - 1e-9


def test_retries_are_bounded(tmp_path):
    clock = FakeClock()
    server = ArxivStub(clock)
    try:
        server.script = [(503, b"down", {})] * 10
        with pytest.raises(FetchError, match="after 3 attempts: HTTP 503"):
            fetch_arxiv("x", tmp_path / "x.xml", retries=2, api_url=server.url, clock=clock)
    finally:
        server.close()
    assert len(server.requests) == 3 and not (tmp_path / "x.xml").exists()
    gaps = [b - a for a, b in zip(server.times, server.times[1:])]
    assert gaps[0] >= 6.0 and gaps[1] > gaps[0]                       # growing waits


def test_an_empty_page_before_the_end_is_retried(stub, tmp_path):
    empty = (DATA / "arxiv_api_page2.xml").read_text(encoding="utf-8")
    empty = empty[:empty.index("  <entry>")] + "</feed>\n"
    stub.script = [(200, (DATA / "arxiv_api_page1.xml").read_bytes(), {}), (200, empty.encode(), {})]
    report = fetch_arxiv("q", tmp_path / "x.xml", max_results=3, page_size=2, delay=0.01, api_url=stub.url)
    assert report.entries == 3 and report.retries == 1


def test_a_page_failing_for_good_keeps_what_was_fetched(stub, tmp_path):
    stub.script = [(200, (DATA / "arxiv_api_page1.xml").read_bytes(), {})] + [(500, b"oops", {})] * 3
    out = tmp_path / "partial.xml"
    report = fetch_arxiv("q", out, max_results=3, page_size=2, delay=0.01, retries=2, api_url=stub.url)
    assert (report.entries, report.complete) == (2, False) and "HTTP 500" in report.error
    assert [p.title for p in papers(out)] == [VOLO, SWIN]


def test_a_refused_query_fails_at_once(stub, tmp_path):
    stub.script = [(200, (DATA / "arxiv_api_error.xml").read_bytes(), {})]
    with pytest.raises(FetchError, match="incorrect id format"):
        fetch_arxiv("id:1234.12345", tmp_path / "x.xml", delay=0.01, api_url=stub.url)
    stub.script = [(400, b"bad query", {})]
    with pytest.raises(FetchError, match="HTTP 400"):
        fetch_arxiv("((", tmp_path / "x.xml", delay=0.01, api_url=stub.url)
    assert len(stub.requests) == 2


def test_unreachable_server_is_retried_then_reported(tmp_path):
    import socket

    with socket.socket() as s:                                         # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clock = FakeClock()
    with pytest.raises(FetchError, match="cannot reach 127.0.0.1"):
        fetch_arxiv("q", tmp_path / "x.xml", retries=1, api_url=f"http://127.0.0.1:{port}/api/query", clock=clock)
    assert sum(clock.slept) >= 6.0


def test_fetch_command(stub, tmp_path):
    out = tmp_path / "cli.xml"
    result = CliRunner().invoke(main, ["fetch", "arxiv", "cat:cs.CV AND ti:vision", "--max", "2", "-o", str(out),
                                       "--api-url", stub.url])
    assert result.exit_code == 0, result.output
    assert f"wrote 2 papers to {out}" in result.output
    assert [p.title for p in papers(out)] == [VOLO, SWIN]
    too_fast = CliRunner().invoke(main, ["fetch", "arxiv", "q", "-o", str(out), "--delay", "1"])
    assert too_fast.exit_code == 2 and "--delay" in too_fast.output
