"""Reading listings: both Hugging Face layouts, chrome removal, JSON/CSV, detection, bad input."""
from __future__ import annotations

import json

import pytest

from kg.model import Paper, SkippedEntry
from kg.readers import ReaderError, available_readers, detect_format, read_papers, register_reader
from kg.readers import _REGISTRY  # noqa: PLC2701 (the test removes its toy reader again)

ABSTRACT = ("We propose a tiny network for reading receipts. It runs on phones. "
            "Experiments on a new receipt benchmark show gains over prior art in accuracy and speed, "
            "with half the parameters of the strongest baseline and no extra training data at all.")


def papers_of(path, fmt=None):
    return [x for x in read_papers(path, fmt) if isinstance(x, Paper)]


def test_seeds_give_341_entries_and_301_distinct_papers(seed_files):
    entries = [x for f in seed_files for x in read_papers(f)]
    assert all(isinstance(x, Paper) for x in entries)
    assert len(entries) == 341
    assert len({p.key for p in entries}) == 301


def test_glued_chrome_is_removed_from_a_real_title(seed_files):
    titles = {p.title for f in seed_files for p in papers_of(f)}
    assert "VoxCeleb: a large-scale speaker identification dataset" in titles
    assert not any(t.startswith(("Subscribe", "Get trending", "new")) or t in ("Mar 11", "Mar 13") for t in titles)


def test_both_real_layouts_are_read(seed_files):
    blank_separated, consecutive = seed_files[0], seed_files[3]
    assert "\n\n" in blank_separated.read_text()[:2000]
    assert len(papers_of(blank_separated)) > 50 and len(papers_of(consecutive)) > 50


def test_blank_line_layout(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"new\n\nSubscribe\n\nMar 11\n\nReceiptNet: Reading Receipts\n\n{ABSTRACT}\n\nSecond Title\n\n{ABSTRACT}\n")
    assert [p.title for p in papers_of(f)] == ["ReceiptNet: Reading Receipts", "Second Title"]


def test_consecutive_layout_with_glued_chrome(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text(f"Get trending papers in your email inbox!\nSubscribeReceiptNet: Reading Receipts\n{ABSTRACT}\n"
                 f"Second Title\n{ABSTRACT}\n")
    ps = papers_of(f)
    assert [p.title for p in ps] == ["ReceiptNet: Reading Receipts", "Second Title"]
    assert ps[0].source.line == 2 and ps[0].abstract == ABSTRACT


def test_title_without_abstract_is_reported_with_its_line(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text(f"Lonely Title\n\nReceiptNet: Reading Receipts\n\n{ABSTRACT}\n")
    items = list(read_papers(f))
    skipped = [x for x in items if isinstance(x, SkippedEntry)]
    assert len(skipped) == 1 and skipped[0].source.line == 1 and "without an abstract" in skipped[0].reason


def test_jsonl_json_and_csv(tmp_path):
    rec = {"title": "ReceiptNet", "abstract": ABSTRACT, "id": "x1", "url": "https://e.org/1",
           "date": "2024-01-02", "authors": ["A. One", "B. Two"]}
    (tmp_path / "p.jsonl").write_text(json.dumps(rec) + "\n" + "{not json\n" + json.dumps({"title": "No abstract"}) + "\n")
    items = list(read_papers(tmp_path / "p.jsonl"))
    assert items[0].authors == ("A. One", "B. Two") and items[0].url == "https://e.org/1"
    assert isinstance(items[1], SkippedEntry) and items[1].source.line == 2
    assert isinstance(items[2], SkippedEntry) and "missing abstract" in items[2].reason
    (tmp_path / "p.json").write_text(json.dumps([rec, rec | {"title": "Other"}]))
    assert [p.title for p in papers_of(tmp_path / "p.json")] == ["ReceiptNet", "Other"]
    (tmp_path / "p.csv").write_text('title,abstract,authors\nReceiptNet,"' + ABSTRACT + '",A. One; B. Two\nbad,row,with,too,many\n')
    items = list(read_papers(tmp_path / "p.csv"))
    assert items[0].authors == ("A. One", "B. Two")
    assert isinstance(items[1], SkippedEntry) and items[1].source.line == 3


def test_format_is_detected_from_content_and_overridable(tmp_path):
    f = tmp_path / "listing.data"
    f.write_text(json.dumps({"title": "T", "abstract": ABSTRACT}) + "\n")
    assert detect_format(f) == "jsonl"
    g = tmp_path / "weird.txt"
    g.write_text('title,abstract\nT,"' + ABSTRACT + '"\n')
    assert detect_format(g) == "csv"
    assert [p.title for p in papers_of(g, "csv")] == ["T"]


@pytest.mark.parametrize("content,message", [
    (None, "no such file"), (b"", "empty file"), (b"\x00\x01binary?", "unknown format"),
])
def test_unreadable_files_raise_naming_the_file(tmp_path, content, message):
    f = tmp_path / "bad.bin"
    if content is not None:
        f.write_bytes(content)
    with pytest.raises(ReaderError) as err:
        list(read_papers(f))
    assert message in str(err.value) and str(f) in str(err.value)


def test_invalid_utf8_names_the_line(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_bytes(b'{"title": "ok", "abstract": "fine enough text"}\n{"title": "\xff\xfe"}\n')
    with pytest.raises(ReaderError) as err:
        list(read_papers(f))
    assert err.value.line == 2 and "UTF-8" in str(err.value)


def test_adding_a_reader_is_one_registration(tmp_path):
    @register_reader("toy", extensions=(".toy",), sniff=lambda head: head.startswith("TOY"))
    def read_toy(path):
        for n, line in enumerate(path.read_text().splitlines()[1:], 2):
            t, a = line.split("|")
            yield Paper(t, a)

    try:
        f = tmp_path / "x.anything"
        f.write_text("TOY\nA title|" + ABSTRACT + "\n")
        assert "toy" in available_readers() and detect_format(f) == "toy"
        assert [p.title for p in papers_of(f)] == ["A title"]
    finally:
        _REGISTRY.pop("toy", None)
