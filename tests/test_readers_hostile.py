"""Hostile input to the readers (issue 23, items 2, 3, 4, 6 and the readers' part of 8): every
file becomes papers and skipped entries with reasons, in bounded memory and linear time."""
from __future__ import annotations

import errno
import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.readers.lines as line_reader  # owns MAX_LINE_BYTES, the bound on one line
from kg.cli import main
from kg.records import Paper, SkippedEntry
from kg.build.inputs import read_corpus
from kg.readers import ReaderError, input_files, read_papers

ABSTRACT = ("We propose FooNet, a convolutional network for image classification. FooNet outperforms "
            "ResNet-50 on ImageNet by 2.1 points of top-1 accuracy while using half the parameters.")


def items_of(path: Path, fmt: str | None = None) -> tuple[list, ReaderError | None]:
    """Everything read_papers yields for ``path``, and the ReaderError it ends with, if any."""
    out: list = []
    try:
        for item in read_papers(path, fmt):
            out.append(item)
    except ReaderError as exc:
        return out, exc
    return out, None


def papers_of(items) -> list[Paper]:
    return [i for i in items if isinstance(i, Paper)]


def skipped_of(items) -> list[SkippedEntry]:
    return [i for i in items if isinstance(i, SkippedEntry)]


def cpu_seconds(fn, repeat: int = 3) -> float:
    """Best of ``repeat`` runs in process CPU time (other processes' load does not count)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


# --------------------------------------------------------------------------- item 2: BibTeX macros

def macro_bomb() -> str:
    """The red team's 1.4 KB file: m30 is 3^30 copies of m0 (2.3 GB before MemoryError)."""
    lines = ['@string{m0 = "' + "x" * 40 + '"}']
    lines += [f"@string{{m{i} = m{i - 1} # m{i - 1} # m{i - 1}}}" for i in range(1, 31)]
    lines.append("@article{bomb,\n  title = {Macro Bomb},\n  abstract = m30\n}")
    lines.append("@article{after,\n  title = {The Entry After},\n  abstract = {" + ABSTRACT + "}\n}")
    return "\n".join(lines) + "\n"


def test_bibtex_macro_bomb_is_one_skipped_entry_and_the_rest_is_read(tmp_path):
    f = tmp_path / "bomb.bib"
    f.write_text(macro_bomb(), encoding="utf-8")
    assert 1200 < f.stat().st_size < 1500
    tracemalloc.start()
    try:
        items, error = items_of(f)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error is None
    assert peak < 64 * 2**20, f"{peak:,} bytes"
    assert [p.title for p in papers_of(items)] == ["The Entry After"]
    bomb = [s for s in skipped_of(items) if "@article{bomb}" in s.reason]
    assert len(bomb) == 1 and "macro 'm30'" in bomb[0].reason and "longer than" in bomb[0].reason
    assert bomb[0].source.path == str(f) and bomb[0].source.line == 32
    # the definition that went over the bound is named too
    assert any(s.reason.startswith("@string{m") and "longer than 2,097,152 characters" in s.reason
               for s in skipped_of(items))


def test_bibtex_macro_used_by_many_entries_stops_at_the_file_budget(tmp_path, monkeypatch):
    from kg.readers import bibtex

    monkeypatch.setattr(bibtex, "MACRO_BUDGET_CHARS", 1_000_000)
    big = "We propose BigNet. " * 5_000   # 95,000 characters
    entries = [f"@string{{big = {{{big}}}}}"]
    entries += [f"@article{{e{i}, title = {{Entry {i}}}, abstract = big}}" for i in range(40)]
    f = tmp_path / "reuse.bib"
    f.write_text("\n".join(entries) + "\n", encoding="utf-8")
    items, error = items_of(f)
    assert error is None and len(items) == 40
    read, refused = papers_of(items), skipped_of(items)
    # the budget: 1,000,000 + 8 characters a character of the file, 95,000 a use of the macro
    budget = 1_000_000 + 8 * len(f.read_text(encoding="utf-8"))
    assert len(read) == budget // len(big) == 18 and all(p.abstract.startswith("We propose BigNet.") for p in read)
    assert [p.id for p in read] == [f"e{i}" for i in range(18)]
    assert len(refused) == 40 - 18
    assert all("macros expand to more than" in s.reason and "'big'" in s.reason for s in refused)


def test_bibtex_value_joined_from_too_many_parts_is_skipped(tmp_path):
    f = tmp_path / "pieces.bib"
    f.write_text("@article{many, title = {Many}, abstract = " + " # ".join(["{a}"] * 10_001) + "}\n"
                 "@article{fine, title = {Fine}, abstract = {" + ABSTRACT + "}}\n", encoding="utf-8")
    items, error = items_of(f)
    assert error is None and [p.title for p in papers_of(items)] == ["Fine"]
    (skip,) = skipped_of(items)
    assert "@article{many}" in skip.reason and "more than 10,000 parts" in skip.reason


# --------------------------------------------------------------------------- item 3: field bounds

BIG_ABSTRACT = "We propose HugeNet. " * 60_000   # 1.2 M characters, over the 1 Mi bound


def oversized_file(tmp_path: Path, fmt: str) -> Path:
    """A file in ``fmt`` with a good paper, one whose abstract is over the bound, another good one."""
    good = [("Good One", ABSTRACT), ("Too Long", BIG_ABSTRACT), ("Good Two", ABSTRACT)]
    if fmt == "jsonl":
        text = "".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in good)
    elif fmt == "json":
        text = json.dumps([{"title": t, "abstract": a} for t, a in good], indent=1)
    elif fmt == "csv":
        text = "title,abstract\n" + "".join(f'"{t}","{a}"\n' for t, a in good)
    elif fmt == "hf-listing":
        text = "".join(f"{t}\n\n{a}\n\n" for t, a in good)
    elif fmt == "bibtex":
        text = "".join(f"@article{{k{i},\n  title = {{{t}}},\n  abstract = {{{a}}}\n}}\n" for i, (t, a) in enumerate(good))
    elif fmt == "arxiv":
        text = ('<feed xmlns="http://www.w3.org/2005/Atom">\n' + "".join(
            f"<entry>\n<id>http://arxiv.org/abs/2106.0000{i}v1</id>\n<title>{t}</title>\n<summary>{a}</summary>\n</entry>\n"
            for i, (t, a) in enumerate(good)) + "</feed>\n")
    elif fmt == "arxiv-snapshot":
        text = "".join(json.dumps({"id": f"0704.000{i}", "title": t, "abstract": a, "authors_parsed": [],
                                   "versions": [], "update_date": "2008-01-01"}) + "\n" for i, (t, a) in enumerate(good))
    elif fmt == "openalex":
        text = json.dumps({"results": [{"id": f"https://openalex.org/W{i}", "title": t,
                                        "abstract_inverted_index": {w: [j] for j, w in enumerate(a.split())}
                                        if len(a) < 10_000 else {a: [0]}} for i, (t, a) in enumerate(good)]}, indent=1)
    elif fmt == "s2":
        text = json.dumps({"data": [{"paperId": f"p{i}", "title": t, "abstract": a} for i, (t, a) in enumerate(good)]},
                          indent=1)
    f = tmp_path / f"big.{fmt}"
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "hf-listing", "bibtex", "arxiv", "arxiv-snapshot",
                                 "openalex", "s2"])
def test_an_abstract_over_the_bound_is_skipped_naming_file_and_line_in_every_reader(tmp_path, fmt):
    f = oversized_file(tmp_path, fmt)
    items, error = items_of(f, fmt)
    assert error is None
    assert [p.title for p in papers_of(items)] == ["Good One", "Good Two"]
    (skip,) = skipped_of(items)
    assert "abstract of 1,199,999 characters, over the limit of 1,048,576" in skip.reason
    assert skip.source.path.startswith(str(f))
    if fmt != "json":   # a JSON document read as a whole has entry numbers, not lines
        assert skip.source.line > 1


def test_a_title_over_the_bound_and_a_long_metadata_value_are_skipped(tmp_path):
    f = tmp_path / "t.jsonl"
    f.write_text("\n".join([json.dumps({"title": "T" * 5000, "abstract": ABSTRACT}),
                            json.dumps({"title": "Long URL", "abstract": ABSTRACT, "url": "u" * 70_000}),
                            json.dumps({"title": "Many Authors", "abstract": ABSTRACT, "authors": ["A"] * 10_001}),
                            json.dumps({"title": "Fine", "abstract": ABSTRACT})]) + "\n", encoding="utf-8")
    items, error = items_of(f)
    assert error is None and [p.title for p in papers_of(items)] == ["Fine"]
    reasons = [(s.source.line, s.reason[:50]) for s in skipped_of(items)]
    assert reasons == [(1, "title of 5,000 characters, over the limit of 4,096"),
                       (2, "url: a value of 70,000 characters, over the limit "),
                       (3, "authors: 10,001 values, over the limit of 10,000: ")]


def test_a_line_over_the_length_bound_is_skipped_unparsed_in_bounded_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(line_reader, "MAX_LINE_BYTES", 1 << 20)
    parsed: list[int] = []
    from kg.readers import jsondocs

    real = jsondocs.load_json
    monkeypatch.setattr("kg.readers.tabular.load_json", lambda text: parsed.append(len(text)) or real(text))
    f = tmp_path / "huge.jsonl"
    with open(f, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": "Before", "abstract": ABSTRACT}) + "\n")
        fh.write('{"title": "Huge", "abstract": "' + "x" * (24 << 20) + '"}\n')   # 24 MiB on one line
        fh.write(json.dumps({"title": "After", "abstract": ABSTRACT}) + "\n")
    tracemalloc.start()
    try:
        items, error = items_of(f)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error is None and [p.title for p in papers_of(items)] == ["Before", "After"]
    (skip,) = skipped_of(items)
    assert skip.source.line == 2 and "line of 25,165,857 bytes, over the limit of 1,048,576" in skip.reason
    assert len(parsed) == 2 and max(parsed) < 1000      # the long line never reached the JSON parser
    assert peak < 8 << 20, f"{peak:,} bytes"            # never held whole


# --------------------------------------------------------------------------- item 4: wrong JSON types

def test_wrong_json_types_in_known_fields_are_tolerated(tmp_path):
    s2 = tmp_path / "s2.json"
    s2.write_text(json.dumps([{"paperId": "p1", "title": "S2 Paper", "abstract": ABSTRACT, "fieldsOfStudy": 1,
                               "s2FieldsOfStudy": {"x": 1}, "authors": 3.5}]), encoding="utf-8")
    oa = tmp_path / "oa.json"
    oa.write_text(json.dumps([{"id": "https://openalex.org/W1", "title": "OA Work", "authorships": 5,
                               "abstract_inverted_index": {"We": [0], "win.": [1]}, "locations": 7,
                               "topics": True, "concepts": "x"}]), encoding="utf-8")
    (s2_paper,), error = items_of(s2, "s2")
    assert error is None and s2_paper.title == "S2 Paper" and s2_paper.categories == () and s2_paper.authors == ()
    (oa_paper,), error = items_of(oa, "openalex")
    assert error is None and oa_paper.abstract == "We win." and oa_paper.authors == ()


HUGE_INT = "9" * 5000


@pytest.mark.parametrize("fmt,text", [
    ("jsonl", '{"title": "Bad", "abstract": "x", "n": %s}\n{"title": "Good", "abstract": "%s"}\n' % (HUGE_INT, ABSTRACT)),
    ("openalex", '[{"id": "https://openalex.org/W1", "n": %s},\n {"id": "https://openalex.org/W2", "title": "Good", '
                 '"abstract_inverted_index": {"Good": [0]}}]' % HUGE_INT),
    ("s2", '{"data": [{"paperId": "a", "n": %s},\n {"paperId": "b", "title": "Good", "abstract": "%s"}]}' % (HUGE_INT, ABSTRACT)),
    ("arxiv-snapshot", '{"id": "1", "n": %s, "authors_parsed": []}\n{"id": "2", "title": "Good", "abstract": "%s"}\n'
                       % (HUGE_INT, ABSTRACT)),
])
def test_an_integer_over_4300_digits_is_one_skipped_entry(tmp_path, fmt, text):
    f = tmp_path / "ints.in"
    f.write_text(text, encoding="utf-8")
    items, error = items_of(f, fmt)
    assert error is None and [p.title for p in papers_of(items)] == ["Good"]
    (skip,) = skipped_of(items)
    assert skip.source.path == str(f) and skip.source.line == 1 and "4300 digits" in skip.reason


def test_json_nested_100000_deep_fails_one_file_naming_it_and_the_others_are_read(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"title": "Good", "abstract": ABSTRACT}) + "\n", encoding="utf-8")
    deep_lines = tmp_path / "deep.jsonl"
    deep_lines.write_text(json.dumps({"title": "First", "abstract": ABSTRACT}) + "\n" + "[" * 100_000 + "\n"
                          + json.dumps({"title": "Also Good", "abstract": ABSTRACT}) + "\n", encoding="utf-8")
    deep_doc = tmp_path / "deep.json"
    deep_doc.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    deep_oa = tmp_path / "deep-oa.json"
    deep_oa.write_text('[{"abstract_inverted_index": ' + "[" * 100_000 + "]" * 100_000 + "},\n"
                       '{"id": "https://openalex.org/W2", "title": "OA Good", "abstract_inverted_index": {"Yes": [0]}}]',
                       encoding="utf-8")
    from kg.build import BuildReport

    report = BuildReport()
    read_corpus([deep_doc, deep_lines, deep_oa, good], format=None, report=report)
    assert report.papers == 4   # "First", "Also Good", "OA Good", "Good"
    assert any(s["source"] == f"{deep_lines}:2" and "nested too deeply" in s["reason"] for s in report.skipped)
    assert any(s["source"] == f"{deep_oa}:1" and "nested too deeply" in s["reason"] for s in report.skipped)
    assert any(str(deep_doc) in e and "nested too deeply" in e for e in report.file_errors + [
        s["reason"] for s in report.skipped if str(deep_doc) in s["source"]])


# --------------------------------------------------------------------------- item 6: linear readers

def ratio(make, read, n: int) -> float:
    """CPU of reading 4n entries over that of n: linear ~4, quadratic ~16 (a wide gap, so the
    machine's noise cannot cross it)."""
    small, large = make(n), make(4 * n)
    return cpu_seconds(lambda: read(large)) / max(cpu_seconds(lambda: read(small)), 1e-6)


def test_bibtex_entries_on_one_line_read_in_linear_time(tmp_path):
    def make(n: int) -> Path:
        f = tmp_path / f"one-line-{n}.bib"
        f.write_text(" ".join(f"@article{{k{i}, title = {{Title {i}}}, abstract = {{We propose Net{i}.}}}}"
                              for i in range(n)), encoding="utf-8")
        return f

    read = lambda f: sum(1 for _ in read_papers(f, "bibtex"))
    assert read(make(10)) == 10
    r = ratio(make, read, 2000)   # before: 8,000 entries took 231 s, quadratic
    assert r < 8, r


def test_atom_feed_of_unclosed_entries_reads_in_linear_time(tmp_path):
    def make(n: int) -> Path:
        f = tmp_path / f"unclosed-{n}.atom"
        f.write_text('<feed xmlns="http://www.w3.org/2005/Atom">\n' + "<entry><title>x</title>\n" * n
                     + "<entry><id>http://arxiv.org/abs/1</id><title>Closed</title><summary>We win.</summary></entry>\n",
                     encoding="utf-8")
        return f

    items, _ = items_of(make(3), "arxiv")
    assert [getattr(i, "title", None) for i in items][-1] == "Closed" and len(skipped_of(items)) == 3
    assert all("no end tag" in s.reason for s in skipped_of(items))
    r = ratio(make, lambda f: sum(1 for _ in read_papers(f, "arxiv")), 2000)   # before: 8,000 took 64 s
    assert r < 8, r


@pytest.mark.parametrize("fmt", ["openalex", "s2"])
def test_json_array_of_works_reads_in_linear_time(tmp_path, fmt):
    def make(n: int) -> Path:
        if fmt == "openalex":
            works = [{"id": f"https://openalex.org/W{i}", "title": f"Work {i}",
                      "abstract_inverted_index": {"We": [0], "win.": [1]}} for i in range(n)]
        else:
            works = [{"paperId": f"p{i}", "title": f"Paper {i}", "abstract": "We win."} for i in range(n)]
        f = tmp_path / f"{fmt}-{n}.json"
        f.write_text(json.dumps(works, indent=2), encoding="utf-8")
        return f

    read = lambda f: sum(1 for _ in read_papers(f, fmt))
    assert read(make(5)) == 5
    r = ratio(make, read, 2500)   # before: 40,000 works took 361 s
    assert r < 8, r


# --------------------------------------------------------------------------- item 8: every entry accounted

def test_invalid_utf8_in_one_jsonl_line_does_not_stop_the_file(tmp_path):
    f = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"title": f"Paper {i}", "abstract": ABSTRACT}).encode() for i in range(4)]
    lines[1] = lines[1].replace(b"Paper 1", b"Paper \xff1")
    f.write_bytes(b"\n".join(lines) + b"\n")
    items, error = items_of(f)
    assert [p.title for p in papers_of(items)] == ["Paper 0", "Paper 2", "Paper 3"]
    assert error is not None and error.line == 2
    assert str(error).startswith(f"{f}:2: invalid UTF-8 (byte 0xff) on 1 line")
    assert "1 entry holding them left out, 3 other entries read" in str(error)


def test_invalid_utf8_in_bibtex_and_atom_entries_leaves_out_that_entry_only(tmp_path):
    bib = tmp_path / "bad.bib"
    bib.write_bytes(b"".join(b"@article{k%d, title = {Paper %d%s}, abstract = {%s}}\n"
                             % (i, i, b"\xe9" if i == 1 else b"", ABSTRACT.encode()) for i in range(3)))
    items, error = items_of(bib)
    assert [p.title for p in papers_of(items)] == ["Paper 0", "Paper 2"]
    assert error.line == 2 and "invalid UTF-8 (byte 0xe9)" in str(error)
    atom = tmp_path / "bad.atom"
    atom.write_bytes(b'<feed xmlns="http://www.w3.org/2005/Atom">\n' + b"".join(
        b"<entry><id>http://arxiv.org/abs/%d</id><title>Paper %d%s</title><summary>We win.</summary></entry>\n"
        % (i, i, b"\xff" if i == 1 else b"") for i in range(3)) + b"</feed>\n")
    items, error = items_of(atom)
    assert [p.title for p in papers_of(items)] == ["Paper 0", "Paper 2"]
    assert error.line == 3 and "invalid UTF-8 (byte 0xff)" in str(error)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(tmp_path, encoding):
    records = [{"title": "Unicode Ünïcödé", "abstract": ABSTRACT}, {"title": "Second", "abstract": ABSTRACT}]
    text = "\ufeff" + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    for name, fmt in (("p.jsonl", None), ("p.bib", None), ("p.csv", None)):
        f = tmp_path / name
        if name == "p.bib":
            body = "\ufeff" + "".join(f"@article{{k{i}, title = {{{r['title']}}}, abstract = {{{r['abstract']}}}}}\n"
                                      for i, r in enumerate(records))
        elif name == "p.csv":
            body = "\ufeff" + "title,abstract\n" + "".join(f"\"{r['title']}\",\"{r['abstract']}\"\n" for r in records)
        else:
            body = text
        f.write_bytes(body.encode(encoding) if encoding != "utf-16" else body.encode("utf-16-le"))
        items, error = items_of(f, fmt)
        assert error is None, (name, error)
        assert [p.title for p in papers_of(items)] == ["Unicode Ünïcödé", "Second"], name


def run_cli(*args) -> tuple[int, str]:
    res = CliRunner().invoke(main, [str(a) for a in args])
    return res.exit_code, res.output + (f"\n{res.exception!r}" if res.exception and not isinstance(res.exception, SystemExit) else "")


def test_dev_zero_is_refused_cleanly(tmp_path):
    code, out = run_cli("build", "/dev/zero", "--format", "jsonl", "--out", tmp_path / "out")
    assert code == 1 and "/dev/zero: not a regular file (a character device)" in out
    assert "Traceback" not in out and "Error(" not in out


def test_unwritable_output_and_full_disk_are_one_error_line(tmp_path, monkeypatch):
    listing = tmp_path / "l.jsonl"
    listing.write_text(json.dumps({"title": "A Paper", "abstract": ABSTRACT}) + "\n", encoding="utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, out = run_cli("build", listing, "--out", blocker / "out")   # the output folder cannot exist
    assert code == 1 and out.startswith(f"error: cannot write the build to {blocker / 'out'}") and "Not a directory" in out
    import kg.build.staging

    def full(path, write):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(kg.build.staging, "stage_file", full)
    code, out = run_cli("build", listing, "--out", tmp_path / "out")
    assert code == 1 and "No space left on device" in out and "Traceback" not in out and "OSError(" not in out


def test_one_file_by_relative_and_absolute_path_is_one_listing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    f = tmp_path / "p.jsonl"
    f.write_text(json.dumps({"title": "Once", "abstract": ABSTRACT}) + "\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    assert input_files(["p.jsonl", str(f), "./p.jsonl", "sub/../p.jsonl"]) == [Path("p.jsonl")]
    os.symlink(f, tmp_path / "link.jsonl")
    assert input_files(["p.jsonl", "link.jsonl"]) == [Path("p.jsonl")]
    code, out = run_cli("build", "p.jsonl", "--out", "out")
    assert code == 0, out
    code, out = run_cli("build", str(f), "--out", "out")
    assert code == 0 and "0 new listings" in out and "nothing changed" in out, out


def test_symlinked_folders_are_followed_without_looping(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.jsonl").write_text(json.dumps({"title": "A", "abstract": ABSTRACT}) + "\n", encoding="utf-8")
    top = tmp_path / "top"
    top.mkdir()
    (top / "b.jsonl").write_text(json.dumps({"title": "B", "abstract": ABSTRACT}) + "\n", encoding="utf-8")
    os.symlink(real, top / "linked")
    os.symlink(top, top / "loop")            # a cycle
    files = input_files([top])
    assert [f.name for f in files] == ["b.jsonl", "a.jsonl"] or [f.name for f in files] == ["a.jsonl", "b.jsonl"]
    assert len(files) == 2


def test_file_names_are_escaped_in_messages_and_reports(tmp_path):
    from kg.readers import display_path

    name = "evil\nskipped fake.jsonl: forged\u202etxt.exe"
    f = tmp_path / name
    f.write_text(json.dumps({"title": "No abstract"}) + "\n" + json.dumps({"title": "Good", "abstract": ABSTRACT})
                 + "\n", encoding="utf-8")
    raw = tmp_path / os.fsdecode(b"latin-\xe9.jsonl")
    raw.write_text("{broken\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out = run_cli("build", f, raw, "--out", out_dir, "--store", "memory")
    assert code == 0, out
    assert "\u202e" not in out and "\udce9" not in out
    assert all(not line.startswith("skipped fake") for line in out.splitlines())
    assert display_path(f) + ":1: missing abstract" in out and "evil\\nskipped fake.jsonl: forged\\u202etxt.exe" in out
    assert display_path(raw) + ":1: not valid JSON" in out and "latin-\\xe9.jsonl" in out
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    sources = [s["source"] for s in report["skipped"]]
    assert sources == [display_path(f) + ":1", display_path(raw) + ":1"]
    assert all(c.isprintable() and not "\ud800" <= c <= "\udfff" for s in sources for c in s)
