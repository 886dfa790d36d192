"""Reading the files researchers have (issue 21, items 1-5 and 11): reference-manager and database
exports as tables (Zotero, Scopus, Web of Science, spreadsheets), CSV dialects and encodings,
folders read by content, short hand-typed listings, RIS and CSL-JSON; the sample listings in
the repository. The sample exports are small hand-made files in tests/data/sources/."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, RDF

from kg.cli import main
from kg.records import Paper, SkippedEntry, author_key
from kg.build import BuildOptions, build
from kg.readers import (ReaderError, ReaderWarning, ReadOptions, available_readers, detect_format, plan_inputs,
                        read_papers)
from kg.readers.tabular import HEADER_ALIASES, sniff_delimiter, split_authors

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "data" / "sources"

VIT = "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"
SWIN = "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows"
CONVNEXT = "A ConvNet for the 2020s"
TITLES = [VIT, SWIN, CONVNEXT]
VIT_AUTHORS = ("Alexey Dosovitskiy", "Lucas Beyer", "Alexander Kolesnikov")
LONG = ("We propose QNet, a tiny network for reading receipts on phones. Experiments on a new receipt "
        "benchmark show that QNet outperforms ResNet-50 and MobileNetV2 in accuracy and speed, with half "
        "the parameters of the strongest baseline and no extra training data at all.")


def read(path, fmt=None, **options) -> tuple[list[Paper], list[SkippedEntry], list[ReaderWarning]]:
    warnings: list[ReaderWarning] = []
    items = list(read_papers(path, fmt, options=ReadOptions(**options) if options else None,
                             on_warning=warnings.append))
    return ([i for i in items if isinstance(i, Paper)], [i for i in items if isinstance(i, SkippedEntry)], warnings)


def run(*args, ok: bool = True):
    res = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert res.exit_code == 0, res.output
    return res


# --------------------------------------------------------------------------- 1. tables users have

def test_zotero_csv_export_is_read_with_its_metadata():
    papers, skipped, warnings = read(SOURCES / "zotero.csv")
    assert detect_format(SOURCES / "zotero.csv") == "csv"
    assert [p.title for p in papers] == TITLES
    vit = papers[0]
    assert vit.abstract.startswith("While the Transformer architecture") and vit.abstract.endswith("to train.")
    assert vit.authors == VIT_AUTHORS                       # "Dosovitskiy, Alexey; Beyer, Lucas; ..."
    assert (vit.date, vit.venue, vit.doi, vit.arxiv_id, vit.url, vit.id) == (
        "2021-05-03", "International Conference on Learning Representations", "10.48550/arxiv.2010.11929",
        "2010.11929", "https://arxiv.org/abs/2010.11929", "9ZK3Q2AB")   # "Key", after a UTF-8 BOM
    assert [(s.source.line, s.reason) for s in skipped] == [(5, "missing abstract: 'Reading notes: ViT vs CNNs'")]
    assert warnings == []


@pytest.mark.parametrize("name", ["zotero.csv", "scopus.csv", "wos_savedrecs.txt", "semicolon_cp1252.csv"])
def test_export_headers_are_recognised(name):
    """Zotero, Scopus ("Author full names" with ids, "Source title"), Web of Science tab-delimited
    ("TI", "AB", "AF", "PY", "SO", "DI", with a BOM and a tab at the end of every line), Excel."""
    papers, skipped, _ = read(SOURCES / name)
    assert [p.title for p in papers] == TITLES
    assert papers[0].authors == VIT_AUTHORS
    assert papers[0].date.startswith("2021") and papers[0].venue
    assert all(p.abstract.endswith(".") and len(p.abstract) > 200 for p in papers)


def test_spreadsheet_headers_in_any_case(tmp_path):
    f = tmp_path / "sheet.csv"
    f.write_text(f'TITLE,Abstract,author,YEAR,Venue,doi,URL\n'
                 f'QNet,"{LONG}","Dosovitskiy, Alexey",2023,CVPR,https://doi.org/10.1/QN,https://q.net\n',
                 encoding="utf-8")
    (p,), _, _ = read(f)
    assert (p.title, p.authors, p.date, p.venue, p.doi, p.url) == (
        "QNet", ("Alexey Dosovitskiy",), "2023", "CVPR", "10.1/qn", "https://q.net")


def test_a_table_is_never_read_as_listing_text(tmp_path):
    """A .csv whose header no alias names is refused naming the file and --columns, not read as
    a Hugging Face listing (whose sniffer takes a short line followed by a long one)."""
    f = tmp_path / "papers.csv"
    f.write_text(f'Headline,Summary Text\nQNet,"{LONG}"\n', encoding="utf-8")
    assert detect_format(f) == "csv"
    with pytest.raises(ReaderError) as err:
        read(f)
    assert err.value.path == str(f) and "no 'title' column" in str(err.value) and "--columns" in str(err.value)
    assert "'Headline'" in str(err.value)   # the headers it has


def test_columns_option_maps_any_header(tmp_path):
    f = tmp_path / "papers.csv"
    f.write_text(f'Headline,Summary Text,Writers\nQNet,"{LONG}",Alexey Dosovitskiy and Lucas Beyer\n',
                 encoding="utf-8")
    (p,), _, _ = read(f, columns={"title": "Headline", "abstract": "summary text", "author": "Writers"})
    assert (p.title, p.abstract, p.authors) == ("QNet", LONG, ("Alexey Dosovitskiy", "Lucas Beyer"))
    with pytest.raises(ReaderError, match="--columns abstract=Nope: no such column"):
        read(f, columns={"title": "Headline", "abstract": "Nope"})
    out = tmp_path / "out"
    res = run("build", f, "--out", out, "--no-html", "--columns", "title=Headline,abstract=Summary Text")
    assert "1 papers" in res.output
    bad = run("build", f, "--out", out, "--columns", "titel=Headline", ok=False)
    assert bad.exit_code == 2 and "unknown field 'titel'" in bad.output


def test_header_aliases_are_data(tmp_path, monkeypatch):
    """Recognising another export's header is one entry in HEADER_ALIASES, not a new branch."""
    f = tmp_path / "export.csv"
    f.write_text(f'Article Name,Resumen\nQNet,"{LONG}"\n', encoding="utf-8")
    with pytest.raises(ReaderError):
        read(f)
    monkeypatch.setitem(HEADER_ALIASES, "title", HEADER_ALIASES["title"] + ("article name",))
    monkeypatch.setitem(HEADER_ALIASES, "abstract", HEADER_ALIASES["abstract"] + ("resumen",))
    (p,), _, _ = read(f)
    assert (p.title, p.abstract) == ("QNet", LONG)


@pytest.mark.parametrize("cell,names", [
    ("Dosovitskiy, Alexey; Beyer, Lucas", ("Alexey Dosovitskiy", "Lucas Beyer")),
    ("Dosovitskiy, Alexey", ("Alexey Dosovitskiy",)),
    ("Alexey Dosovitskiy", ("Alexey Dosovitskiy",)),
    ("Alexey Dosovitskiy, Lucas Beyer", ("Alexey Dosovitskiy", "Lucas Beyer")),
    ("Alexey Dosovitskiy and Lucas Beyer", ("Alexey Dosovitskiy", "Lucas Beyer")),
    ("Dosovitskiy, A.; Beyer, L.", ("A. Dosovitskiy", "L. Beyer")),
    ("Dosovitskiy, Alexey (57188715000); Beyer, Lucas (57200000001)", ("Alexey Dosovitskiy", "Lucas Beyer")),
    ("[No author name available]", ()),
])
def test_author_cells_are_split_into_people(cell, names):
    assert split_authors(cell) == names


def test_last_first_and_first_last_are_one_person(tmp_path):
    """The Zotero export's "Dosovitskiy, Alexey" and a JSON listing's "Alexey Dosovitskiy" are
    one foaf:Person node."""
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"title": "QNet", "abstract": LONG, "authors": ["Alexey Dosovitskiy"]}) + "\n",
                     encoding="utf-8")
    assert author_key("Dosovitskiy, Alexey") == author_key("Alexey Dosovitskiy")
    build([SOURCES / "zotero.csv", other], tmp_path / "out", BuildOptions(store="memory"))
    g = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    people = {a for a in g.subjects(RDF.type, FOAF.Person) if "Dosovitskiy" in " ".join(map(str, g.objects(a, FOAF.name)))}
    assert len(people) == 1
    (person,) = people
    assert len(set(g.subjects(DCTERMS.creator, person))) == 2
    assert {str(n) for n in g.objects(person, FOAF.name)} == {"Alexey Dosovitskiy"}


# --------------------------------------------------------------------------- 2. CSV dialects

def test_semicolon_cp1252_spreadsheet_with_a_short_row():
    f = SOURCES / "semicolon_cp1252.csv"
    papers, skipped, warnings = read(f)
    assert [p.title for p in papers] == TITLES and skipped == []
    assert "ResNet – while" in papers[0].abstract and "Dosovitskiy’s words" in papers[0].abstract
    assert "résumé: très bien" in papers[2].abstract
    assert papers[1].venue == "ICCV; oral"                      # a quoted delimiter stays in its cell
    assert (papers[2].date, papers[2].venue) == ("", "")        # the row's last cells were dropped: padded
    assert papers[2].authors == ("Zhuang Liu", "Hanzi Mao", "Chao-Yuan Wu")
    (w,) = warnings
    assert w.source.path == str(f) and w.source.line == 2 and "cp1252" in w.message and "--encoding" in w.message
    # said explicitly, there is nothing to warn about
    papers2, _, warnings2 = read(f, encoding="cp1252")
    assert papers2 == papers and warnings2 == []


def test_encoding_fallback_is_in_the_build_report_and_summary(tmp_path):
    f = SOURCES / "semicolon_cp1252.csv"
    report = build([f], tmp_path / "lib", BuildOptions(store="memory"))
    assert report.papers == 3 and [w["source"] for w in report.warnings] == [f"{f}:2"]
    assert "read as cp1252" in report.warnings[0]["message"]
    assert json.loads((tmp_path / "lib" / "report.json").read_text())["warnings"] == report.warnings
    res = run("build", f, "--out", tmp_path / "cli", "--no-html")
    assert re.search(rf"warning {re.escape(str(f))}:2: not UTF-8 \(byte 0x96 on line 2\): read as cp1252", res.output)


@pytest.mark.parametrize("lines,delimiter", [
    (["Title;Abstract;Authors", 'QNet;"We propose QNet, which is small, fast, good.";"Doe, J"'], ";"),
    (["title,abstract", 'QNet,"a; b; c; d; e"', 'RNet,"f; g; h"'], ","),
    (["TI\tAB\tAU\t", "QNet\tWe propose QNet, with commas, many.\tDoe, J\t"], "\t"),
    (["title|abstract|year", "QNet|We propose QNet, small.|2021", "RNet|Short|"], "|"),
])
def test_delimiter_is_detected(lines, delimiter):
    assert sniff_delimiter(lines) == delimiter


def test_short_rows_are_padded_and_long_rows_reported(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(f'title,abstract,year,venue\nQNet,"{LONG}"\nRNet,"{LONG}",2021,CVPR,,\nSNet,"{LONG}",2021,CVPR,extra\n',
                 encoding="utf-8")
    papers, skipped, _ = read(f)
    assert [(p.title, p.date, p.venue) for p in papers] == [("QNet", "", ""), ("RNet", "2021", "CVPR")]
    assert [(s.source.line, s.reason) for s in skipped] == [(4, "row has 5 cells, header has 4")]


def test_encodings_bom_and_utf16(tmp_path):
    text = f'Title\tAbstract\nCafé-Net\t"{LONG}"\n'
    bom = tmp_path / "bom.csv"
    bom.write_bytes(text.encode("utf-8-sig"))
    utf16 = tmp_path / "unicode.txt"        # Excel's "Unicode text" and Web of Science's UTF-16 exports
    utf16.write_bytes(text.encode("utf-16"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(text.encode("latin-1"))
    for f, options in ((bom, {}), (utf16, {}), (latin, {"encoding": "latin-1"})):
        (p,), _, warnings = read(f, "csv", **options)
        assert (p.title, p.abstract, warnings) == ("Café-Net", LONG, []), f
    res = run("build", latin, "--encoding", "no-such-codec", "--out", tmp_path / "out", ok=False)
    assert res.exit_code != 0 and "unknown encoding 'no-such-codec'" in res.output


# --------------------------------------------------------------------------- 3. folders read by content

def test_folder_with_only_an_arxiv_xml_builds(tmp_path):
    d = tmp_path / "fetched"
    d.mkdir()
    shutil.copy(SOURCES / "arxiv_query.xml", d / "vit.xml")     # what `kg fetch arxiv -o vit.xml` writes
    res = run("build", d, "--out", tmp_path / "out", "--no-html")
    assert "3 papers" in res.output and f"read {d / 'vit.xml'} (arxiv)" in res.output


def test_folder_summary_names_files_read_and_left_out(tmp_path):
    d = tmp_path / "library"
    (d / "exports").mkdir(parents=True)
    (d / ".git").mkdir()
    shutil.copy(SOURCES / "arxiv_query.xml", d / "vit.xml")
    shutil.copy(SOURCES / "zotero.ris", d / "exports" / "zotero.ris")
    shutil.copy(SOURCES / "zotero.csl.json", d / "exports" / "library.json")
    (d / "exports" / "listing").write_text(f"QNet\n\n{LONG}\n", encoding="utf-8")   # no extension: left out
    (d / "README.md").write_text("# My papers\n\n" + LONG + "\n", encoding="utf-8")
    (d / "paper.pdf").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    (d / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    plan = plan_inputs([d])
    assert plan.files == [d / "exports" / "library.json", d / "exports" / "zotero.ris", d / "vit.xml"]
    assert plan.readers == {str(d / "vit.xml"): "arxiv"}       # the others: by extension at read time
    left = {Path(x["file"]).name: x["reason"] for x in plan.left_out}
    assert set(left) == {".git", "listing", "README.md", "paper.pdf"}
    assert left[".git"] == "hidden folder" and "no reader recognises" in left["README.md"]
    res = run("build", d, "--out", tmp_path / "out", "--no-html", "--json")
    report = json.loads(res.output[res.output.index("{"):res.output.rindex("}") + 1])
    assert report["readers"] == {str(d / "exports" / "library.json"): "csljson",
                                 str(d / "exports" / "zotero.ris"): "ris", str(d / "vit.xml"): "arxiv"}
    assert {Path(x["file"]).name for x in report["left_out"]} == set(left)
    text = run("build", d, "--out", tmp_path / "out2", "--no-html").output
    for name in ("README.md", "paper.pdf", "listing", ".git"):
        assert re.search(rf"left out \S*{re.escape(name)}: ", text), (name, text)
    assert f"read {d / 'exports' / 'zotero.ris'} (ris)" in text


def test_folder_with_no_listing_names_why(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    (d / "notes.md").write_text("nothing here\n", encoding="utf-8")
    res = run("build", d, "--out", tmp_path / "out", ok=False)
    assert res.exit_code != 0 and "no listing file" in res.output
    assert f"left out {d / 'notes.md'}: no reader recognises its content" in res.output


# --------------------------------------------------------------------------- 4. short listings

def test_two_paragraph_listing_with_one_sentence_abstracts():
    papers, skipped, _ = read(SOURCES / "short_listing.txt")
    assert [(p.title, p.abstract, p.source.line) for p in papers] == [
        ("QNet: A Tiny Network", "We propose QNet, which outperforms ResNet on ImageNet.", 1),
        ("PicoFormer: Attention on a Budget",
         "We introduce PicoFormer, which beats DeiT on CIFAR-100 with a tenth of the parameters.", 5)]
    assert skipped == []


def test_short_title_before_a_long_abstract_is_still_a_title(tmp_path):
    f = tmp_path / "listing.txt"
    f.write_text(f"Orphan Title\n\nShortNet: Small Is Enough.\n\n{LONG}\n\nQNet\n\nWe propose QNet.\n", encoding="utf-8")
    papers, skipped, _ = read(f)
    assert [(p.title, p.abstract) for p in papers] == [("ShortNet: Small Is Enough.", LONG), ("QNet", "We propose QNet.")]
    assert [(s.source.line, s.reason) for s in skipped] == [(1, "title without an abstract: 'Orphan Title'")]


def test_seed_listings_read_exactly_as_before(seed_files):
    """The page dumps: per file papers and skips, and the 301 distinct titles (their hash, taken
    before the paragraph pairing was added)."""
    counts, titles = {}, set()
    for f in seed_files:
        papers, skipped, _ = read(f)
        counts[f.name] = (len(papers), len(skipped))
        titles |= {p.title for p in papers}
    assert counts == {"000_7544ea6f0ac777fa.txt": (85, 0), "001_ef83e399b34372ae.txt": (61, 0),
                      "002_7e0a6b93031322ac.txt": (76, 0), "003_64d030fb4f95c469.txt": (119, 0)}
    assert len(titles) == 301
    assert hashlib.sha256("\n".join(sorted(titles)).encode()).hexdigest() == \
        "7e5b9dd6250eaff26171192426ed8f97e8d4c381e26e6ef73b9ede8745e04065"


# --------------------------------------------------------------------------- 5. RIS and CSL-JSON

def test_ris_and_csljson_are_registered_readers():
    readers = available_readers()
    assert {"ris", "csljson"} <= set(readers)
    assert ".ris" in readers["ris"].extensions


@pytest.mark.parametrize("name,reader", [("zotero.ris", "ris"), ("zotero.csl.json", "csljson")])
def test_reference_manager_exports_keep_their_metadata(tmp_path, name, reader):
    f = tmp_path / "export.txt"                # detected by content, whatever the name
    shutil.copy(SOURCES / name, f)
    assert detect_format(f) == reader
    papers, skipped, _ = read(f)
    assert [p.title for p in papers] == TITLES
    vit = papers[0]
    assert vit.authors == VIT_AUTHORS
    assert (vit.date, vit.doi, vit.arxiv_id, vit.url, vit.venue) == (
        "2021-05-03", "10.48550/arxiv.2010.11929", "2010.11929", "https://arxiv.org/abs/2010.11929",
        "International Conference on Learning Representations")
    assert vit.abstract.startswith("While the Transformer") and "remains limited. We show" in vit.abstract
    assert papers[2].date == "2022-06-19" and papers[2].authors[2] == "Chao-Yuan Wu"
    assert len(skipped) == 1 and "missing abstract" in skipped[0].reason and skipped[0].source.line > 1


def test_ris_records_cut_short_and_stray_lines(tmp_path):
    f = tmp_path / "cut.ris"
    f.write_text(f"PY  - 2020\nTY  - JOUR\nTI  - QNet\nAU  - Doe, Jane\nAB  - {LONG}\nAI - based readers agree.\n"
                 "PY  - 2023///\n", encoding="utf-8")   # no ER line: the file was cut
    assert detect_format(f) == "ris"   # a stray line first: chosen by the extension
    papers, skipped, _ = read(f, "ris")
    assert [(p.title, p.authors, p.date) for p in papers] == [("QNet", ("Jane Doe",), "2023")]
    assert papers[0].abstract == LONG + " AI - based readers agree."   # a wrapped line, not a tag
    assert [(s.source.line, s.reason) for s in skipped] == [(1, "PY line outside a record (no TY before it)")]


def test_csljson_names_dates_and_markup(tmp_path):
    f = tmp_path / "items.json"
    f.write_text(json.dumps([{
        "id": 7, "type": "article-journal", "title": "<i>QNet</i>: small",
        "abstract": "<jats:p>We propose QNet &amp; more.</jats:p>",
        "author": [{"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
                   {"family": "Doe", "given": "John", "suffix": "Jr."}, {"literal": "The QNet Team"}],
        "issued": {"date-parts": [["2021", "6"]]}, "container-title": "Journal of Q"}]), encoding="utf-8")
    assert detect_format(f) == "csljson"       # not the plain JSON reader, which loses authors and dates
    (p,), _, _ = read(f)
    assert (p.title, p.abstract, p.authors, p.date, p.venue, p.id) == (
        "QNet: small", "We propose QNet & more.", ("Ludwig van Beethoven", "John Doe Jr.", "The QNet Team"),
        "2021-06", "Journal of Q", "7")


# --------------------------------------------------------------------------- done when

@pytest.fixture(scope="module")
def arxiv_folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fetched")
    shutil.copy(SOURCES / "arxiv_query.xml", d / "vit.xml")
    return d


@pytest.mark.parametrize("source", ["zotero.csv", "semicolon_cp1252.csv", "arxiv folder", "short_listing.txt",
                                    "zotero.ris", "zotero.csl.json"])
def test_users_files_build_and_validate(tmp_path, source, arxiv_folder):
    path = arxiv_folder if source == "arxiv folder" else SOURCES / source
    out = tmp_path / "out"
    res = run("build", path, "--out", out)
    assert re.search(r"read \d+ entries from 1 file\(s\): [1-9]\d* papers", res.output), res.output
    assert "file error" not in res.output
    val = run("validate", out, ok=False)
    assert val.exit_code == 0 and "conforms" in val.output, val.output


# --------------------------------------------------------------------------- 11. examples in the repository

def test_tests_and_help_use_the_repository_examples():
    assert len(list((ROOT / "examples" / "seeds").glob("*.txt"))) == 4
    for f in sorted((ROOT / "tests").glob("*.py")):
        if f.name == Path(__file__).name:
            continue
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"""["']shared["']|\.\./shared|parent / "shared\"""", text), f
    for args in (["--help"], ["build", "--help"]):
        text = run(*args).output
        assert "examples/seeds/" in text and "../shared" not in text
