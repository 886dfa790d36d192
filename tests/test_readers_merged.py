"""Where the hardened readers (issue 23) meet the readers for users' files (issue 21): the line
bounds and decoding report in the paragraph-layout listing reader and with --encoding, the
encoding guess for tables with invalid bytes, escaped file names in every list of the build
summary, folders with links read by content, and the spelling a store remembers for a file."""
from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

import kg.readers.lines as line_reader  # owns MAX_LINE_BYTES, the bound on one line
from kg.cli import main
from kg.records import Paper, SkippedEntry
from kg.build import BuildOptions, build
from kg.readers import ReaderError, ReaderWarning, ReadOptions, display_path, plan_inputs, read_papers

LONG = ("We propose QNet, a tiny network for reading receipts on phones. Experiments on a new receipt "
        "benchmark show that QNet outperforms ResNet-50 and MobileNetV2 in accuracy and speed, with half "
        "the parameters of the strongest baseline and no extra training data at all.")


def read_all(path: Path, fmt: str | None = None, **options) -> tuple[list, list[ReaderWarning], ReaderError | None]:
    items: list = []
    warnings: list[ReaderWarning] = []
    try:
        for item in read_papers(path, fmt, options=ReadOptions(**options) if options else None,
                                on_warning=warnings.append):
            items.append(item)
    except ReaderError as exc:
        return items, warnings, exc
    return items, warnings, None


def papers(items) -> list[tuple[str, str]]:
    return [(p.title, p.abstract) for p in items if isinstance(p, Paper)]


def test_paragraph_listing_skips_an_over_long_line_and_keeps_pairing(tmp_path, monkeypatch):
    monkeypatch.setattr(line_reader, "MAX_LINE_BYTES", 4096)
    f = tmp_path / "short.txt"
    f.write_text("QNet: A Tiny Network\n\nWe propose QNet, which outperforms ResNet on ImageNet.\n\n"
                 + "x" * 10_000 + "\n\nPicoFormer: Attention on a Budget\n\n"
                 "We introduce PicoFormer, which beats DeiT on CIFAR-100.\n", encoding="utf-8")
    items, _, error = read_all(f)
    assert error is None
    assert papers(items) == [("QNet: A Tiny Network", "We propose QNet, which outperforms ResNet on ImageNet."),
                             ("PicoFormer: Attention on a Budget",
                              "We introduce PicoFormer, which beats DeiT on CIFAR-100.")]
    (skipped,) = [i for i in items if isinstance(i, SkippedEntry)]
    assert skipped.source.line == 5 and "over the limit of 4,096" in skipped.reason


def test_invalid_byte_in_a_listing_is_counted_once_and_leaves_out_its_entry(tmp_path):
    f = tmp_path / "listing.txt"
    f.write_bytes(b"Good Title\n\n" + LONG.encode() + b"\n\nBad \xff Title\n\n" + LONG.encode() + b"\n")
    items, _, error = read_all(f)
    assert papers(items) == [("Good Title", LONG)]
    # the layout is looked at first, then read: the bad line is noted on the reading only
    assert error is not None and error.line == 5
    assert "invalid UTF-8 (byte 0xff) on 1 line, the first here; 1 entry holding them left out" in str(error)


def test_listing_with_encoding_option_is_streamed_with_line_bounds(tmp_path, monkeypatch):
    monkeypatch.setattr(line_reader, "MAX_LINE_BYTES", 4096)
    f = tmp_path / "cp1252.txt"
    f.write_bytes("Café-Net: Receipts\n\n".encode("cp1252") + LONG.encode("cp1252")
                  + b"\n\n" + b"y" * 9000 + b"\n")
    items, warnings, error = read_all(f, encoding="cp1252")
    assert error is None and warnings == []
    assert papers(items) == [("Café-Net: Receipts", LONG)]
    assert [i.source.line for i in items if isinstance(i, SkippedEntry)] == [5]


def test_table_neither_utf8_nor_cp1252_leaves_out_the_rows_with_bad_bytes(tmp_path):
    f = tmp_path / "t.csv"
    # 0x81 is undefined in cp1252: no guess decodes the file, the other rows are still read
    cell = b'"' + LONG.encode() + b'"'
    f.write_bytes(b"title,abstract\nGood," + cell + b"\nBad \x81 row," + cell + b"\nAlso Good," + cell + b"\n")
    items, warnings, error = read_all(f)
    assert [t for t, _ in papers(items)] == ["Good", "Also Good"] and warnings == []
    assert error is not None and error.line == 3 and "invalid UTF-8 (byte 0x81)" in str(error)


def test_table_with_a_utf8_bom_is_not_guessed_as_cp1252(tmp_path):
    f = tmp_path / "bom.csv"
    cell = b'"' + LONG.encode() + b'"'
    f.write_bytes(b"\xef\xbb\xbftitle,abstract\nCaf\xc3\xa9," + cell + b"\nBad \xe9," + cell + b"\n")
    items, warnings, error = read_all(f)
    # the mark says UTF-8: no cp1252 guess (which would turn "Café" into "CafÃ©")
    assert [t for t, _ in papers(items)] == ["Café"] and warnings == []
    assert error is not None and error.line == 3 and "invalid UTF-8 (byte 0xe9)" in str(error)


def test_build_summary_and_report_escape_file_names_everywhere(tmp_path):
    d = tmp_path / "library"
    d.mkdir()
    read_name = "a\nread fake.jsonl (jsonl)\u202etxt.csv"
    (d / read_name).write_bytes(b"title;abstract\nCaf\xe9-Net;" + LONG.encode("cp1252") + b"\n")  # cp1252 guess
    left_name = "notes\n  left out forged.md"
    (d / left_name).write_text("# notes\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(d), "--out", str(out), "--no-html", "--store", "memory"])
    assert res.exit_code == 0, res.output
    assert "\u202e" not in res.output
    lines = res.output.splitlines()
    assert not any(line.startswith(("read fake", "  left out forged")) for line in lines)
    shown_read, shown_left = display_path(d / read_name), display_path(d / left_name)
    assert "\\n" in shown_read and "\\u202e" in shown_read
    assert f"  read {shown_read} (csv)" in lines
    assert any(line.startswith(f"  left out {shown_left}: ") for line in lines)
    assert any(line.startswith(f"  warning {shown_read}:2: not UTF-8") for line in lines)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["files"] == [shown_read] and report["readers"] == {shown_read: "csv"}
    assert [x["file"] for x in report["left_out"]] == [shown_left]
    assert [w["source"] for w in report["warnings"]] == [f"{shown_read}:2"]


def test_linked_folders_are_read_by_content_once_and_a_loop_is_named(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "feed.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001v1</id>'
        f"<title>QNet</title><summary>{LONG}</summary></entry></feed>\n", encoding="utf-8")
    (real / "README.md").write_text("# notes\n", encoding="utf-8")
    top = tmp_path / "top"
    top.mkdir()
    os.symlink(real, top / "linked")
    os.symlink(top, top / "loop")
    plan = plan_inputs([top, real / "feed.xml"])
    assert plan.files == [top / "linked" / "feed.xml"]        # the same file given again: read once
    assert plan.readers == {str(top / "linked" / "feed.xml"): "arxiv"}
    left = {x["file"]: x["reason"] for x in plan.left_out}
    assert "no reader recognises" in left[str(top / "linked" / "README.md")]
    assert left[str(top / "loop")] == "a link to a folder already read"


def test_a_store_keeps_the_name_it_first_read_a_file_under(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    f = tmp_path / "data" / "p.jsonl"
    f.write_text(json.dumps({"title": "Once", "abstract": LONG}) + "\n", encoding="utf-8")
    os.symlink(f, tmp_path / "link.jsonl")
    first = build([str(f)], "out")
    assert first.files == [str(f)]               # named as given: absolute here
    for spelling in ("data/p.jsonl", "./data/../link.jsonl"):
        again = build([spelling], "out")
        assert again.files == [str(f)] and again.store["new_sources"] == 0 and not again.store["changed"], spelling
    fresh = build(["data/p.jsonl"], "out", BuildOptions(fresh=True))
    assert fresh.files == ["data/p.jsonl"]       # a fresh store names it as given now
