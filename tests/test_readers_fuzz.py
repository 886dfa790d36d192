"""Fuzzing every reader: 2,000 generated inputs each must come out as papers and skipped entries.

The inputs are structure-aware, so that they reach past the first parse error into the mapping
code: JSON records of each source's shape with wrong types in its known fields (numbers where
lists belong, objects where text belongs, integers over 4,300 digits, deep nesting, lone surrogate
escapes), BibTeX built from entries, @string macros, comments and LaTeX, Atom feeds with
unclosed or stray entry tags and entities, CSV rows with quotes and odd cells, listing text with
page chrome; then, for some, byte-level damage (cuts, invalid UTF-8, NUL bytes, byte order marks).
A seeded generator, not hypothesis: the same 18,000 inputs every run, in about a minute.

A reader may end a whole file with a :class:`ReaderError` naming it (a file that is no JSON at
all, a CSV without a title column); any other exception is a failure, shown with its input.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kg.records import Paper, SkippedEntry
from kg.readers import ReaderError, ReaderWarning, get_reader, read_papers
from kg.readers.filters import CategoryFilter

INPUTS_PER_READER = 2_000

WORDS = ["We", "propose", "FooNet", "ResNet-50", "outperforms", "on", "ImageNet", "CIFAR-10", "a", "novel",
         "transformer", "and", "the", "of", "results", "show", "state-of-the-art", "BERT", "GLUE", "."]
NASTY = ["\u202e", "\u200f", "\x00", "\x0b", "\ufffe", "\uffff", "\ud800", "\udfff", "漢字", "עברית", "é", "\n", "\r",
         "\t", "\\", '"', "'", "{", "}", "<", ">", "&", "&amp;", "$x^2$", "\\\"o", "\\v{s}", "\\emph{x}", "--", "~",
         "%", "#", "@", ",", "=", "]]>", "<![CDATA[", "\U0001f600", "\u0301", " and ", "others"]
CATEGORIES = ["cs.CV", "cs.LG", "hep-th", "math.AP", "cs", ""]


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, n)))


def nasty_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 8)):
        roll = rng.random()
        if roll < 0.4:
            parts.append(rng.choice(WORDS))
        elif roll < 0.8:
            parts.append(rng.choice(NASTY))
        else:
            parts.append(chr(rng.choice([rng.randint(0, 0x7f), rng.randint(0x80, 0xffff), rng.randint(0x10000, 0x10ffff)])))
    return " ".join(parts) if rng.random() < 0.5 else "".join(parts)


def good_text(rng: random.Random, long: bool = False) -> str:
    text = sentence(rng, 60 if long else 10)
    return text + (" " + nasty_text(rng) if rng.random() < 0.3 else "")


# --------------------------------------------------------------------------- JSON text with raw tokens

class Raw(str):
    """JSON text written as is (tokens json.dumps cannot or will not write)."""


def raw_token(rng: random.Random) -> Raw:
    depth = rng.choice([2, 50, 2000])
    return Raw(rng.choice([
        "9" * rng.choice([4301, 5000]), "-" + "1" * 4400, "1e999", "-1e400", "NaN", "Infinity", "-Infinity",
        "0.0000000001", "1E+2", '"\\ud800"', '"\\udc80x"', '"\\u0000"', '"\\uffff"', '"\\ud83d\\ude00"',
        "[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth, "[" * depth, "tru", '"unterminated',
    ]))


def wrong_value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.2:
        return rng.choice([True, False])
    if roll < 0.3:
        return rng.choice([0, -1, 1, 2**63, 3.5, -0.0, 10**30])
    if roll < 0.45:
        return nasty_text(rng)
    if roll < 0.55:
        return raw_token(rng)
    if roll < 0.75 and depth < 3:
        return [wrong_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if depth < 3:
        return {rng.choice(["name", "display_name", "url", "category", "x", "", "author", "score"]):
                wrong_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return ""


def to_json(value, rng: random.Random, pretty: bool = False, indent: int = 0) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = "\n" + "  " * (indent + 1) if pretty else ""
        items = [f"{pad}{json.dumps(str(k))}: {to_json(v, rng, pretty, indent + 1)}" for k, v in value.items()]
        return "{" + ",".join(items) + ("\n" + "  " * indent if pretty else "") + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_json(v, rng, pretty, indent + 1) for v in value) + "]"
    return json.dumps(value, ensure_ascii=rng.random() < 0.5)


def mutate_record(record: dict, rng: random.Random) -> dict:
    """Wrong types in a few known fields, some fields dropped, a stray key added."""
    out = dict(record)
    for key in list(out):
        roll = rng.random()
        if roll < 0.15:
            out[key] = wrong_value(rng)
        elif roll < 0.22:
            del out[key]
    if rng.random() < 0.2:
        out[nasty_text(rng)] = wrong_value(rng)
    return out


def generic_record(rng: random.Random) -> dict:
    return {"title": good_text(rng), "abstract": good_text(rng, True), "id": str(rng.randint(0, 99)),
            "url": "https://x.org/" + nasty_text(rng), "date": "2021-0" + str(rng.randint(1, 9)),
            "authors": rng.choice([["A. Author", "B. Writer"], "A. Author and B. Writer; C", [{"name": "N"}]]),
            "doi": "10.1/" + nasty_text(rng), "arxiv_id": "2106.13112", "categories": rng.sample(CATEGORIES, 2),
            "summary": good_text(rng)}


def openalex_record(rng: random.Random) -> dict:
    words = sentence(rng, 30).split() or ["x"]
    index: dict = {}
    for i, w in enumerate(words):
        index.setdefault(w, []).append(i)
    return {"id": f"https://openalex.org/W{rng.randint(1, 10**9)}", "title": good_text(rng),
            "display_name": good_text(rng), "abstract_inverted_index": index,
            "ids": {"doi": "https://doi.org/10.48550/arXiv.2106.13112"}, "doi": "10.1/x",
            "locations": [{"landing_page_url": "https://arxiv.org/abs/2106.13112v2", "pdf_url": None}],
            "primary_location": {"landing_page_url": "https://x.org", "source": {"display_name": "ICCV"}},
            "authorships": [{"author": {"display_name": "Ze Liu"}}, {"author": None}],
            "topics": [{"display_name": "Vision"}], "concepts": [{"display_name": "CV", "score": 0.9}],
            "publication_date": "2021-03-25", "publication_year": 2021}


def s2_record(rng: random.Random) -> dict:
    return {"paperId": f"{rng.randint(0, 10**12):x}", "corpusid": rng.randint(0, 10**6), "title": good_text(rng),
            "abstract": good_text(rng, True), "externalIds": {"ArXiv": "2106.13112", "DOI": "10.1/X"},
            "journal": {"name": "TPAMI"}, "fieldsOfStudy": ["Computer Science"],
            "s2FieldsOfStudy": [{"category": "Computer Science", "source": "s2"}],
            "authors": [{"authorId": "1", "name": "Ze Liu"}], "year": 2021, "url": "https://s2.org/p",
            "openAccessPdf": {"url": "https://x.org/p.pdf"}, "publicationDate": "2021-03-25", "venue": "ICCV"}


def snapshot_record(rng: random.Random) -> dict:
    return {"id": "0704.0001", "submitter": "X", "authors": "A. Author and B. Writer, C. Third",
            "title": good_text(rng), "comments": None, "journal-ref": nasty_text(rng), "doi": "10.1/x",
            "categories": " ".join(rng.sample(CATEGORIES, 2)), "abstract": good_text(rng, True),
            "versions": [{"version": "v1", "created": rng.choice(["Mon, 2 Apr 2007 19:18:42 GMT", "bogus", ""])}],
            "update_date": "2008-11-13", "authors_parsed": [["Author", "A.", ""], ["Writer", "B"]]}


def json_lines(make, rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.7:
            lines.append(to_json(mutate_record(make(rng), rng), rng))
        elif roll < 0.8:
            lines.append(to_json(wrong_value(rng), rng))
        elif roll < 0.9:
            lines.append(to_json({"results": [mutate_record(make(rng), rng)]}, rng))
        else:
            lines.append("")
    return "\n".join(lines) + rng.choice(["\n", "", "\r\n"])


def json_document(make, rng: random.Random) -> str:
    pretty = rng.random() < 0.5
    records = [mutate_record(make(rng), rng) if rng.random() < 0.85 else wrong_value(rng)
               for _ in range(rng.randint(0, 5))]
    roll = rng.random()
    if roll < 0.5:
        doc = records
    elif roll < 0.7:
        doc = {"meta": {"count": len(records)}, "results": records}
    elif roll < 0.8:
        doc = {"total": len(records), "data": records}
    elif roll < 0.9:
        doc = {"papers": records}
    else:
        doc = records[0] if records else {}
    text = to_json(doc, rng, pretty)
    if rng.random() < 0.25:   # a truncated download, or a broken element in the middle
        text = text[:rng.randint(0, len(text))] if rng.random() < 0.5 else text.replace("}, {", "}, {]", 1)
    return text


# --------------------------------------------------------------------------- other formats

def bib_value(rng: random.Random, macros: list[str]) -> str:
    roll = rng.random()
    if roll < 0.45:
        inner = good_text(rng)
        if rng.random() < 0.3:
            inner = "{" + inner + "} " + rng.choice(["{\\\"o}", "\\'e", "{\\ss}", "$\\alpha$", "\\emph{x}", "{{x}}"])
        return "{" + inner + "}"
    if roll < 0.65:
        return '"' + good_text(rng).replace('"', "") + '"'
    if roll < 0.75:
        return str(rng.randint(0, 3000))
    if roll < 0.9 and macros:
        return " # ".join(rng.choice(macros + ["jan", "undefined"]) for _ in range(rng.randint(1, 3)))
    return nasty_text(rng) if rng.random() < 0.5 else "{" + nasty_text(rng) + "}"


def bibtex_file(rng: random.Random) -> str:
    parts, macros = [], []
    for i in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.2:
            name = f"m{i}"
            parts.append(f"@string{{{name} = {bib_value(rng, macros)}}}")
            macros.append(name)
        elif roll < 0.27:
            parts.append(rng.choice(["@comment{" + nasty_text(rng) + "}", "@preamble{ \"\\newcommand\" }",
                                     "% a comment line", nasty_text(rng)]))
        else:
            kind = rng.choice(["article", "inproceedings", "misc", "online", "book", "Article", "weird-type"])
            opener, closer = ("{", "}") if rng.random() < 0.85 else ("(", ")")
            fields = {"title": None, "abstract": None, "author": None, "year": None, "month": None,
                      "doi": None, "url": None, "eprint": None, "archiveprefix": None, "primaryclass": None,
                      "journal": None, "date": None}
            chosen = rng.sample(list(fields)[2:], rng.randint(0, len(fields) - 2))
            chosen += ["title", "abstract"] if rng.random() < 0.8 else rng.sample(["title", "abstract"], rng.randint(0, 2))
            rng.shuffle(chosen)
            body = ",\n  ".join(f"{name} = {bib_value(rng, macros)}" for name in chosen)
            key = rng.choice([f"key{i}"] * 6 + ["", "k,ey", nasty_text(rng)])
            parts.append(f"@{kind}{opener}{key},\n  {body}\n{closer}")
    joiner = rng.choice(["\n\n", "\n", " ", ""])
    return joiner.join(parts)


ATOM_NS = 'xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'


def xml_text(rng: random.Random) -> str:
    text = good_text(rng)
    if rng.random() < 0.8:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if rng.random() < 0.1:
        text += rng.choice(["&bogus;", "&#0;", "&#x10FFFF;", "<![CDATA[ x < y ]]>", "&#xD800;", "<b>bold</b>"])
    return text


def atom_entry(rng: random.Random) -> str:
    core = [f"<id>http://arxiv.org/abs/2106.{rng.randint(10000, 99999)}v{rng.randint(1, 3)}</id>",
            f"<title>{xml_text(rng)}</title>", f"<summary>{xml_text(rng)} {xml_text(rng)}</summary>"]
    children = [
        f"<author><name>{xml_text(rng)}</name></author>",
        f'<arxiv:primary_category term="{rng.choice(CATEGORIES)}"/>', f'<category term="{rng.choice(CATEGORIES)}"/>',
        f'<link rel="{rng.choice(["alternate", "related"])}" href="http://arxiv.org/abs/x"/>', '<link title="pdf"/>',
        f"<arxiv:doi>10.1/{rng.randint(0, 9)}</arxiv:doi>", f"<arxiv:journal_ref>{xml_text(rng)}</arxiv:journal_ref>",
        "<published>2021-06-24T17:59:59Z</published>", "<updated>bogus</updated>",
        "<x>" * 30 + "deep" + "</x>" * 30,
    ] + (["<id>http://arxiv.org/api/errors#x</id>"] if rng.random() < 0.05 else [])
    chosen = (core if rng.random() < 0.8 else rng.sample(core, rng.randint(0, 3)))
    chosen += rng.sample(children, rng.randint(0, len(children)))
    rng.shuffle(chosen)
    close = rng.choice(["</entry>"] * 8 + ["", "</entry >", "</entr>"])
    return "<entry>" + "".join(chosen) + close


def atom_file(rng: random.Random) -> str:
    head = rng.choice(['<?xml version="1.0" encoding="UTF-8"?>\n', "", '<?xml version="1.0" encoding="latin-1"?>'])
    feed = rng.choice([f"<feed {ATOM_NS}>", f"<feed {ATOM_NS}/>", "<feed>", f"<feed {ATOM_NS}><title>q</title>"])
    entries = [atom_entry(rng) for _ in range(rng.randint(0, 5))]
    if rng.random() < 0.1:
        entries.insert(0, "</entry>")
    tail = rng.choice(["</feed>"] * 5 + ["", "</feed><extra/>"])
    return head + feed + "\n" + "\n".join(entries) + "\n" + tail


def csv_file(rng: random.Random) -> str:
    columns = ["title", "abstract"] + rng.sample(["id", "url", "date", "authors", "doi", "categories", "x"], 3)
    rng.shuffle(columns)
    if rng.random() < 0.1:
        columns.remove("title")
    delimiter = rng.choice([",", ",", "\t", ";"])

    def cell(name: str) -> str:
        value = good_text(rng, name == "abstract") if rng.random() < 0.8 else nasty_text(rng)
        roll = rng.random()
        if roll < 0.5:
            return '"' + value.replace('"', '""') + '"'
        if roll < 0.55:
            return '"' + value    # an unbalanced quote
        return value.replace("\n", " ")

    rows = [delimiter.join(columns)]
    for _ in range(rng.randint(0, 5)):
        cells = [cell(c) for c in columns]
        if rng.random() < 0.15:
            cells = cells[:rng.randint(0, len(cells))]
        rows.append(delimiter.join(cells))
    return "\n".join(rows) + rng.choice(["\n", "", "\r\n"])


CHROME = ["new", "Subscribe", "Get trending papers in your email inbox!", "byAK and the research community",
          "Mar 11", "12 upvotes", "·", "Submitted by someone"]


def listing_file(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.35:
            lines.append(rng.choice(["", "Subscribe", "Get trending papers in your email inbox!"]) + good_text(rng))
        elif roll < 0.7:
            lines.append(" ".join(good_text(rng, True) for _ in range(4)) + " Results show it. We win.")
        elif roll < 0.85:
            lines.append(rng.choice(CHROME))
        else:
            lines.append(nasty_text(rng))
        lines.extend([""] * rng.randint(0, 2))
    return "\n".join(lines)


RIS_TAGS = ["TY", "TI", "T1", "AB", "N2", "AU", "A1", "PY", "Y1", "DA", "DO", "UR", "JO", "T2", "KW", "ER", "ID", "XX"]


def ris_file(rng: random.Random) -> str:
    """RIS records: the usual tags in any order, wrapped abstracts, missing ER, stray lines, bad tags."""
    lines = []
    for _ in range(rng.randint(0, 5)):
        if rng.random() < 0.9:
            lines.append("TY  - " + rng.choice(["JOUR", "CONF", "GEN", "", "x" * 50]))
        fields = [("TI", good_text(rng)), ("AB", good_text(rng, True)), ("AU", "Doe, Jane"),
                  ("AU", nasty_text(rng)), ("PY", rng.choice(["2021", "2021///", "abc", "99999999999999999999"])),
                  ("DA", rng.choice(["2021/03/04", "2021/13/40", ""])), ("DO", rng.choice(["10.1/x", ""])),
                  ("UR", "https://arxiv.org/abs/2103.00001"), ("JO", good_text(rng))]
        if rng.random() < 0.3:
            rng.shuffle(fields)
        for tag, value in fields[:rng.randint(len(fields) - 4, len(fields))]:
            if rng.random() < 0.1:
                tag = rng.choice(RIS_TAGS)
            sep = rng.choice(["  - ", "  - ", " - ", "-", "  -"])
            lines.append(f"{tag}{sep}{value if rng.random() < 0.9 else nasty_text(rng)}")
            if tag in ("AB", "N2") and rng.random() < 0.3:
                lines.append(good_text(rng))         # a wrapped continuation line
        if rng.random() < 0.85:
            lines.append("ER  - ")
        if rng.random() < 0.1:
            lines.append(nasty_text(rng))
    return "\n".join(lines) + rng.choice(["\n", "", "\r\n"])


def csl_record(rng: random.Random) -> dict:
    record = {"id": rng.choice(["a", 1, None]), "type": rng.choice(["article-journal", "paper-conference", 5]),
              "title": good_text(rng), "abstract": good_text(rng, True),
              "author": [{"family": "Doe", "given": "Jane"}, {"literal": "The Team"}],
              "issued": {"date-parts": [[2021, 3, 4]]}, "DOI": "10.1/x", "URL": "https://example.org/p",
              "container-title": good_text(rng)}
    return mutate_record(record, rng)


# --------------------------------------------------------------------------- damage, encodings

def damage(data: bytes, rng: random.Random) -> bytes:
    """Byte-level damage to some inputs: cuts, invalid UTF-8, NUL, line breaks, byte order marks."""
    roll = rng.random()
    if roll < 0.6:
        return data
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(buf))
        op = rng.random()
        if op < 0.3:
            buf[at:at] = rng.choice([b"\xff", b"\xe9", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\n", b"\r", b"\x80\x80"])
        elif op < 0.5 and buf:
            del buf[at:at + rng.randint(1, 20)]
        elif op < 0.7 and buf:
            buf[min(at, len(buf) - 1)] = rng.randint(0, 255)
        elif op < 0.8:
            del buf[at:]
        else:
            buf[at:at] = data[rng.randint(0, len(data)):][:rng.randint(0, 40)]
    return bytes(buf)


def encode(text: str, rng: random.Random) -> bytes:
    """UTF-8 mostly; some with a byte order mark, some in UTF-16/32; lone surrogates written as
    their (invalid) UTF-8 bytes in a few inputs, as "?" in the others."""
    errors = "surrogatepass" if rng.random() < 0.1 else "replace"
    roll = rng.random()
    if roll < 0.06:
        return "\ufeff".join(["", text]).encode(rng.choice(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]),
                                                errors)
    data = text.encode("utf-8", errors)
    return (b"\xef\xbb\xbf" + data) if roll < 0.1 else data


GENERATORS = {
    "jsonl": lambda rng: json_lines(generic_record, rng),
    "json": lambda rng: json_document(generic_record, rng),
    "csv": csv_file,
    "hf-listing": listing_file,
    "bibtex": bibtex_file,
    "arxiv": atom_file,
    "arxiv-snapshot": lambda rng: json_lines(snapshot_record, rng),
    "openalex": lambda rng: (json_lines if rng.random() < 0.3 else json_document)(openalex_record, rng),
    "s2": lambda rng: (json_lines if rng.random() < 0.3 else json_document)(s2_record, rng),
    "ris": ris_file,
    "csljson": lambda rng: json_document(csl_record, rng),
}


def check_items(items, path: Path, warnings: bool = False) -> int:
    """Every item a paper with text fields or a skipped entry with a reason; with ``warnings`` (a
    reader's own output, not read_papers'), also a ReaderWarning naming the file (a guessed encoding)."""
    n = 0
    for item in items:
        n += 1
        if warnings and isinstance(item, ReaderWarning):
            assert item.source.path == str(path) and item.message, item
        elif isinstance(item, Paper):
            for name, value in vars(item).items():
                if name == "source":
                    continue
                assert isinstance(value, str) or (isinstance(value, tuple) and all(isinstance(v, str) for v in value)), \
                    (name, value)
            assert item.title and item.abstract
        else:
            assert isinstance(item, SkippedEntry) and item.reason, item
    return n


@pytest.mark.parametrize("reader", sorted(GENERATORS))
def test_reader_turns_any_input_into_papers_or_skipped_entries(reader, tmp_path):
    rng = random.Random(f"kg-fuzz-{reader}")
    read = get_reader(reader).read
    path = tmp_path / "input"
    outcomes = {"papers": 0, "skipped": 0, "file errors": 0}
    for case in range(INPUTS_PER_READER):
        data = damage(encode(GENERATORS[reader](rng), rng), rng)
        path.write_bytes(data)
        try:
            if reader == "arxiv-snapshot" and case % 3 == 0:
                items = list(read(path, categories=CategoryFilter(["cs"])))
            else:
                items = list(read(path))
            check_items(items, path, warnings=True)
            # the same through read_papers: bounds, cleaning and the decoding report on top
            checked = list(read_papers(path, reader))
            check_items(checked, path)
        except ReaderError as err:
            assert err.path == str(path), err
            outcomes["file errors"] += 1
            continue
        except Exception as exc:   # pragma: no cover - shown with its input
            raise AssertionError(f"{reader} input #{case} raised {type(exc).__name__}: {exc}\n"
                                 f"input: {data[:3000]!r}") from exc
        outcomes["papers"] += sum(isinstance(i, Paper) for i in items)
        outcomes["skipped"] += sum(isinstance(i, SkippedEntry) for i in items)
    # the generators reach the mapping code: real papers and real skips, not only parse errors
    assert outcomes["papers"] >= INPUTS_PER_READER // 4, outcomes
    assert outcomes["skipped"] >= INPUTS_PER_READER // 20 or reader == "hf-listing", outcomes
