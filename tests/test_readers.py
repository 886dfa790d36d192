"""Reading listings: both Hugging Face layouts and their page chrome (real seeds and hand-written
listings), JSON Lines / JSON / CSV with optional metadata, format detection and --format, the
readers registry, and every kind of bad input reported with file and line."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.records import Paper, SkippedEntry
from kg.readers import ReaderError, available_readers, detect_format, read_papers, register_reader
from kg.readers import _REGISTRY  # noqa: PLC2701 (the toy reader is removed again in teardown)

ABSTRACT = ("We propose a tiny network for reading receipts. It runs on phones. "
            "Experiments on a new receipt benchmark show gains over prior art in accuracy and speed, "
            "with half the parameters of the strongest baseline and no extra training data at all.")
ABSTRACT2 = ("Receipts are everywhere, yet reading them is hard. We collect a dataset of ten thousand "
             "receipts and study how well current models read them. Our findings show that layout "
             "matters more than resolution, and that small models trained on it beat large general ones.")
# Every line of the seeds that is not a title or an abstract (page chrome).
SEED_CHROME = {"new", "Subscribe", "byAK and the research community", "Mar 11", "Mar 13",
               "Get trending papers in your email inbox!", "Get trending papers in your email inbox once a day!"}
SEED_COUNTS = {"000": 85, "001": 61, "002": 76, "003": 119}


def items_of(path, fmt=None) -> list:
    return list(read_papers(path, fmt))


def papers_of(path, fmt=None) -> list[Paper]:
    return [x for x in read_papers(path, fmt) if isinstance(x, Paper)]


def reader_error(path, fmt=None) -> ReaderError:
    with pytest.raises(ReaderError) as err:
        list(read_papers(path, fmt))
    return err.value


# --------------------------------------------------------------------------- the real seeds

def test_seeds_give_341_entries_and_301_distinct_papers(seed_files):
    entries = [x for f in seed_files for x in read_papers(f)]
    assert [x for x in entries if not isinstance(x, Paper)] == []
    assert len(entries) == 341
    assert len({p.key for p in entries}) == 301
    assert {f.name[:3]: len(papers_of(f)) for f in seed_files} == SEED_COUNTS


def test_seeds_are_detected_as_listings(seed_files):
    assert [detect_format(f) for f in seed_files] == ["hf-listing"] * 4


def test_both_real_layouts(seed_files):
    blank_separated, consecutive = seed_files[:3], seed_files[3]
    for f in blank_separated:   # title, blank line, abstract, blank line, ...
        text = f.read_text(encoding="utf-8")
        assert "\n\n" in text
        papers = papers_of(f)
        assert len(papers) > 50, f
        for p in papers:
            lines = text.splitlines()
            assert lines[p.source.line] == ""   # the line after the title is blank
    text = consecutive.read_text(encoding="utf-8")
    assert "\n\n" not in text.strip()    # title and abstract on consecutive lines
    lines = text.splitlines()
    papers = papers_of(consecutive)
    assert len(papers) > 50
    for p in papers:
        assert lines[p.source.line] == p.abstract   # the abstract is the very next line


def test_every_seed_line_is_a_title_an_abstract_or_chrome(seed_files):
    """Nothing in the seeds is dropped silently: each non-blank line is accounted for."""
    for f in seed_files:
        lines = f.read_text(encoding="utf-8").splitlines()
        used: set[int] = set()
        for p in papers_of(f):
            title_line = lines[p.source.line - 1]
            assert title_line == p.title or title_line.endswith(p.title), (f.name, p.source.line)
            used.add(p.source.line - 1)
            used.add(lines.index(p.abstract))   # the abstract is a whole line, verbatim
        rest = {l.strip() for i, l in enumerate(lines) if i not in used and l.strip()}
        assert rest <= SEED_CHROME, (f.name, rest - SEED_CHROME)


def test_chrome_glued_to_a_real_title_is_removed(seed_files):
    consecutive = seed_files[3]
    assert "SubscribeVoxCeleb: a large-scale speaker identification dataset" in consecutive.read_text()
    (vox,) = [p for p in papers_of(consecutive) if "VoxCeleb" in p.title[:10]]
    assert vox.title == "VoxCeleb: a large-scale speaker identification dataset"
    assert vox.source.line == 3 and vox.source.path == str(consecutive)
    assert vox.abstract.startswith("Most existing datasets for speaker identification")
    titles = {p.title for f in seed_files for p in papers_of(f)}
    assert not titles & SEED_CHROME
    for t in titles:
        assert not t.startswith(("Subscribe", "Get trending", "byAK")), t


def test_scirex_jsonl_is_read_with_ids(seed_files):
    path = seed_files[0].parent.parent / "external" / "scirex_train.jsonl"
    items = items_of(path)
    assert detect_format(path) == "jsonl"
    assert len(items) == 296 and all(isinstance(x, Paper) for x in items)
    assert all(len(p.id) == 40 and p.title and len(p.abstract) > 100 for p in items)
    assert [p.source.line for p in items] == list(range(1, 297))


# --------------------------------------------------------------------------- hand-written listings

def test_blank_line_layout(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
                 f"Mar 11\n\nReceiptNet: Reading Receipts\n\n{ABSTRACT}\n\nNew Insights into Receipt Reading\n\n{ABSTRACT2}\n",
                 encoding="utf-8")
    ps = papers_of(f)
    assert [(p.title, p.abstract, p.source.line) for p in ps] == [
        ("ReceiptNet: Reading Receipts", ABSTRACT, 11),
        ("New Insights into Receipt Reading", ABSTRACT2, 15),   # a title starting with "New" is kept
    ]
    assert all(p.source.reader == "hf-listing" and p.source.path == str(f) for p in ps)


def test_consecutive_layout_with_glued_chrome(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text("Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"
                 f"SubscribeReceiptNet: Reading Receipts\n{ABSTRACT}\n"
                 f"byAK and the research communityMar Madness: Receipts in March\n{ABSTRACT2}\n"
                 f"Third Title\n{ABSTRACT}\n", encoding="utf-8")
    ps = papers_of(f)
    assert [(p.title, p.abstract, p.source.line) for p in ps] == [
        ("ReceiptNet: Reading Receipts", ABSTRACT, 3),
        ("Mar Madness: Receipts in March", ABSTRACT2, 5),
        ("Third Title", ABSTRACT, 7),
    ]


def test_title_without_abstract_and_abstract_without_title_are_reported(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text(f"Subscribe\n\n{ABSTRACT2}\n\nLonely Title\n\nReceiptNet: Reading Receipts\n\n{ABSTRACT}\n\n"
                 "Trailing Title\n", encoding="utf-8")
    items = items_of(f)
    assert [type(x).__name__ for x in items] == ["SkippedEntry", "SkippedEntry", "Paper", "SkippedEntry"]
    skipped = [x for x in items if isinstance(x, SkippedEntry)]
    assert [(s.source.path, s.source.line) for s in skipped] == [(str(f), 3), (str(f), 5), (str(f), 11)]
    assert "abstract without a title" in skipped[0].reason
    assert "title without an abstract" in skipped[1].reason and "Lonely Title" in skipped[1].reason
    assert "Trailing Title" in skipped[2].reason


# --------------------------------------------------------------------------- JSON Lines, JSON, CSV

RECORD = {"title": "ReceiptNet", "abstract": ABSTRACT, "id": "2401.00001", "url": "https://e.org/1",
          "date": "2024-01-02", "authors": ["A. One", "B. Two"]}


def metadata(p: Paper) -> tuple:
    return p.title, p.abstract, p.id, p.url, p.date, p.authors


EXPECTED = ("ReceiptNet", ABSTRACT, "2401.00001", "https://e.org/1", "2024-01-02", ("A. One", "B. Two"))


def test_jsonl_with_every_optional_field_and_bad_lines(tmp_path):
    f = tmp_path / "p.jsonl"
    f.write_text("\n".join([json.dumps(RECORD), "{not json", json.dumps({"title": "No abstract here"}),
                            json.dumps({"abstract": ABSTRACT}), "[1, 2]", "",
                            json.dumps({"Title": "Minimal", "Abstract": ABSTRACT2})]) + "\n", encoding="utf-8")
    items = items_of(f)
    assert metadata(items[0]) == EXPECTED and items[0].source.line == 1
    assert [(type(x).__name__, x.source.line) for x in items[1:]] == [
        ("SkippedEntry", 2), ("SkippedEntry", 3), ("SkippedEntry", 4), ("SkippedEntry", 5), ("Paper", 7)]
    assert "not valid JSON" in items[1].reason
    assert "missing abstract" in items[2].reason and "No abstract here" in items[2].reason
    assert "missing title" in items[3].reason
    assert "not an object" in items[4].reason
    assert metadata(items[5]) == ("Minimal", ABSTRACT2, "", "", "", ())   # optional fields stay empty


def test_json_array_and_papers_object(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps([RECORD, RECORD | {"title": "Other", "authors": "C. Three and D. Four"},
                             {"title": "No abstract"}]), encoding="utf-8")
    items = items_of(f)
    assert metadata(items[0]) == EXPECTED
    assert items[1].title == "Other" and items[1].authors == ("C. Three", "D. Four")
    assert isinstance(items[2], SkippedEntry) and items[2].source.path == f"{f}#3"
    g = tmp_path / "wrapped.json"
    g.write_text(json.dumps({"papers": [RECORD]}), encoding="utf-8")
    assert [metadata(p) for p in papers_of(g)] == [EXPECTED]


def test_csv_and_tsv_with_optional_columns(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text('Title,Abstract,ID,URL,Date,Authors\n'
                 f'ReceiptNet,"{ABSTRACT}",2401.00001,https://e.org/1,2024-01-02,A. One; B. Two\n'
                 'bad,row,with,too,many,cells,here\n'
                 f'"A title\nover two lines","{ABSTRACT2}",,,,\n'
                 'Only a title,,,,,\n', encoding="utf-8")
    items = items_of(f)
    assert metadata(items[0]) == EXPECTED and items[0].source.line == 2
    assert isinstance(items[1], SkippedEntry) and items[1].source.line == 3
    assert "7 cells" in items[1].reason and "header has 6" in items[1].reason
    assert items[2].title == "A title over two lines" and items[2].source.line == 4   # where the row starts
    assert isinstance(items[3], SkippedEntry) and items[3].source.line == 6 and "missing abstract" in items[3].reason
    t = tmp_path / "p.tsv"
    t.write_text(f"title\tabstract\tauthors\nReceiptNet\t{ABSTRACT}\tA. One|B. Two\n", encoding="utf-8")
    (p,) = items_of(t)
    assert (p.title, p.abstract, p.authors) == ("ReceiptNet", ABSTRACT, ("A. One", "B. Two"))


def test_latex_markup_in_json_and_csv_abstracts_is_resolved_and_titles_stay(tmp_path):
    # an OpenReview export: font commands and an escaped percent in the abstract, math kept as written
    abstract = (r"We propose \textbf{DyNet}, a dynamic network. It is 3.2\% more accurate at "
                r"$O(\sqrt{T})$ cost than Erd\H{o}s's \emph{static} baseline.")
    record = {"title": r"\textit{DyNet}: Dynamic Networks", "abstract": abstract}
    f = tmp_path / "openreview.jsonl"
    f.write_text(json.dumps(record) + "\n", encoding="utf-8")
    c = tmp_path / "zotero.csv"
    c.write_text("Title,Abstract Note\n" + f'"{record["title"]}","{abstract}"\n', encoding="utf-8")
    for path in (f, c):
        (p,) = papers_of(path)
        assert p.abstract == ("We propose DyNet, a dynamic network. It is 3.2% more accurate at "
                              r"$O(\sqrt{T})$ cost than Erdős's static baseline.")
        assert p.title == record["title"]     # how annotations and other tools name the paper
    plain = {"title": "Sets", "abstract": r"Sets {1, 2} of cost O(\sqrt{T}) in C:\data are kept."}
    f.write_text(json.dumps(plain) + "\n", encoding="utf-8")
    assert papers_of(f)[0].abstract == plain["abstract"]


# --------------------------------------------------------------------------- detection and --format

@pytest.mark.parametrize("name,content,expected", [
    ("listing.data", json.dumps(RECORD) + "\n", "jsonl"),
    ("papers.txt", json.dumps([RECORD]), "json"),
    ("weird.txt", f'title,abstract\nT,"{ABSTRACT}"\n', "csv"),
    ("hf.md", f"Subscribe\n\nReceiptNet\n\n{ABSTRACT}\n", "hf-listing"),
    ("hf.jsonl", f"ReceiptNet\n{ABSTRACT}\n", "hf-listing"),   # content beats the extension
])
def test_format_is_detected_from_content(tmp_path, name, content, expected):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    assert detect_format(f) == expected
    assert [p.title for p in papers_of(f)] in (["ReceiptNet"], ["T"])


def test_extension_decides_when_content_does_not(tmp_path):
    f = tmp_path / "short.txt"   # one short line: no sniffer claims it
    f.write_text("just a line\n", encoding="utf-8")
    assert detect_format(f) == "hf-listing"
    g = tmp_path / "short.dat"
    g.write_text("just a line\n", encoding="utf-8")
    assert "unknown format" in str(reader_error(g)) and str(g) in str(reader_error(g))


def test_format_override(tmp_path):
    # The first line is truncated, so nothing sniffs the file; --format jsonl reads it anyway.
    f = tmp_path / "dump.data"
    f.write_text('{"title": "cut off\n' + json.dumps(RECORD) + "\n", encoding="utf-8")
    assert "unknown format" in str(reader_error(f))
    items = items_of(f, "jsonl")
    assert isinstance(items[0], SkippedEntry) and items[0].source.line == 1
    assert metadata(items[1]) == EXPECTED
    # and an override wins over what detection would pick
    g = tmp_path / "p.jsonl"
    g.write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    assert detect_format(g) == "jsonl"
    assert [type(x).__name__ for x in items_of(g, "hf-listing")] == ["SkippedEntry"]


# --------------------------------------------------------------------------- the registry

@pytest.fixture
def toy_reader():
    """A reader added with one register_reader call; removed from the registry in teardown."""
    @register_reader("toy", extensions=(".toy",), sniff=lambda head: head.startswith("TOY\n"))
    def read_toy(path):
        """Toy format: a TOY line, then title|abstract lines."""
        from kg.records import SourceRef

        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()[1:], 2):
            title, abstract = line.split("|")
            yield Paper(title, abstract, SourceRef(str(path), n, "toy"))

    yield "toy"
    _REGISTRY.pop("toy", None)
    assert "toy" not in available_readers()


def test_adding_a_reader_is_one_registration(tmp_path, toy_reader):
    assert toy_reader in available_readers()
    assert available_readers()["toy"].description.startswith("Toy format")
    f = tmp_path / "x.anything"
    f.write_text(f"TOY\nA title|{ABSTRACT}\nB title|{ABSTRACT2}\n", encoding="utf-8")
    assert detect_format(f) == "toy"                       # picked by content
    assert [(p.title, p.source.line) for p in papers_of(f)] == [("A title", 2), ("B title", 3)]
    g = tmp_path / "y.toy"
    g.write_text(f"A title|{ABSTRACT}\n", encoding="utf-8")
    assert detect_format(g) == "toy"                       # picked by extension


def test_builtin_readers_are_registered():
    assert {"hf-listing", "jsonl", "json", "csv"} <= set(available_readers())
    assert "toy" not in available_readers()   # the toy reader of another test did not leak


# --------------------------------------------------------------------------- bad input

def test_missing_file(tmp_path):
    err = reader_error(tmp_path / "missing.txt")
    assert str(tmp_path / "missing.txt") in str(err) and "no such file" in str(err)


def test_directory_is_not_a_file(tmp_path):
    for fmt in (None, "csv"):
        err = reader_error(tmp_path, fmt)
        assert str(tmp_path) in str(err) and "directory" in str(err).lower()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    f = tmp_path / "locked.txt"
    f.write_text(f"Title\n\n{ABSTRACT}\n", encoding="utf-8")
    f.chmod(0)
    try:
        err = reader_error(f)
        assert str(f) in str(err) and "cannot read" in str(err)
    finally:
        f.chmod(0o644)


@pytest.mark.parametrize("content,fmt", [(b"", None), (b"  \n\n\t\n", None), (b"", "hf-listing"),
                                         (b"\n\n", "jsonl"), (b"", "csv")])
def test_empty_file(tmp_path, content, fmt):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    err = reader_error(f, fmt)
    assert str(err) == f"{f}: empty file"


@pytest.mark.parametrize("content,fmt,reason", [
    ("new\n\nSubscribe\n\nMar 11\n", None, "no entries"),         # only page chrome
    ("[]", None, "no entries"),
    ("title,abstract\n", None, "no entries"),
    ('{"papers": 3}', "json", "expected a JSON array"),
    ("id,name\n1,x\n", "csv", "no 'title' column"),
])
def test_files_without_entries_are_errors_not_silence(tmp_path, content, fmt, reason):
    f = tmp_path / "nothing.dat"
    f.write_text(content, encoding="utf-8")
    err = reader_error(f, fmt)
    assert str(f) in str(err) and reason in str(err)


def test_unknown_format(tmp_path):
    f = tmp_path / "blob.bin"
    f.write_bytes(b"\x00\x01\x02 binary?")
    err = reader_error(f)
    assert str(f) in str(err) and "unknown format" in str(err) and "--format" in str(err)
    g = tmp_path / "ok.txt"
    g.write_text(f"Title\n\n{ABSTRACT}\n", encoding="utf-8")
    err = reader_error(g, "nope")
    assert str(g) in str(err) and "unknown format 'nope'" in str(err) and "hf-listing" in str(err)


@pytest.mark.parametrize("name,good,fmt", [
    ("bad.txt", f"Title\n\n{ABSTRACT}\n", None),
    ("bad.jsonl", json.dumps(RECORD) + "\n", None),
    ("bad.csv", f'title,abstract\nT,"{ABSTRACT}"\n', None),
    ("bad.json", "[\n" + json.dumps(RECORD) + ",\n", "json"),
])
def test_invalid_utf8_names_file_and_line(tmp_path, name, good, fmt):
    f = tmp_path / name
    data = good.encode("utf-8")
    # a table that is not UTF-8 is read as cp1252 (tests/test_readers_users.py): 0x81 is not cp1252 either
    f.write_bytes(data + (b"caf\xe9 \x81\xff\n" if name.endswith(".csv") else b"caf\xe9 \xff\xfe\n"))
    err = reader_error(f, fmt)
    assert err.path == str(f) and "invalid UTF-8" in str(err)
    assert err.line == data.count(b"\n") + 1
    assert str(err).startswith(f"{f}:{err.line}: ")


def test_invalid_json_document_names_the_line(tmp_path):
    f = tmp_path / "broken.json"
    f.write_text("[\n" + json.dumps(RECORD) + ",\n{oops}\n]", encoding="utf-8")
    err = reader_error(f)
    assert err.line == 3 and str(f) in str(err) and "not valid JSON" in str(err)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .-\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2003é")), max_size=30))
def test_field_text_is_respaced_as_split_and_join_would(text):
    """Tabular readers give every field single spaces and no ends of whitespace; the fast path for
    fields that are spaced already must agree with splitting and joining on every input."""
    from kg.readers.tabular import _as_text

    assert _as_text(text) == " ".join(text.split())
    assert _as_text([text, "a\tb"]) == " ".join([" ".join(text.split()), "a b"])
