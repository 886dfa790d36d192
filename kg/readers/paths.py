"""File names as a build spells them (:func:`canonical_path`: without detours) and shows them
(:func:`display_path`: escaped where a terminal, a report line or strict JSON could not carry them)."""
from __future__ import annotations

import os
import re
from pathlib import Path


def canonical_path(path: str | Path) -> Path:
    """A path spelt without detours: ``./a.txt`` and ``sub/../a.txt`` become ``a.txt``; relative
    stays relative and absolute stays absolute, so that messages and the report name a file as it
    was given. Links are not resolved: a listing keeps the name it was given. (The same file given
    in two spellings is read once, :func:`kg.readers.plan_inputs`; a store remembers the spelling it first
    read a file under, :func:`kg.build.store_build.build_store`.)

    >>> str(canonical_path("./x/../papers.jsonl")), str(canonical_path("/data//x/../papers.jsonl"))
    ('papers.jsonl', '/data/papers.jsonl')
    """
    return Path(os.path.normpath(os.fspath(path)))


# Characters shown escaped in file names: C0/C1 controls (a newline would forge a report line),
# bidirectional overrides and marks (U+202E shows "txt.exe" as "exe.txt") and lone surrogates
# (bytes of a name that is not UTF-8; they cannot be written as UTF-8 or strict JSON).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                         "\u2066-\u2069\ud800-\udfff\\\\]")


def _escape_char(match: re.Match) -> str:
    c = match.group(0)
    if c == "\\":
        return "\\\\"
    if "\udc80" <= c <= "\udcff":     # an undecodable byte of the name (os.fsdecode): shown as that byte
        return f"\\x{ord(c) - 0xdc00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
        f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def display_path(path: str | Path) -> str:
    r"""A file name as it can be shown in a terminal, a report line or strict JSON: control
    characters, bidirectional controls and undecodable bytes escaped Python-style (backslashes
    are doubled only in a name that needs escaping, so ordinary paths read as given).

    >>> display_path("a\nb\u202etxt.exe"), display_path("plain/name.txt")
    ('a\\nb\\u202etxt.exe', 'plain/name.txt')
    """
    text = os.fspath(path)
    if not _UNSHOWABLE.search(text.replace("\\", "")):
        return text
    return _UNSHOWABLE.sub(_escape_char, text)
