"""Text as every output can carry it, applied to each paper at the readers' output boundary."""
from __future__ import annotations

import dataclasses
import re

from kg.records import Paper

# Characters no RDF or XML document can carry (lone surrogates: not Unicode scalar values, cannot be
# encoded; C0 controls, DEL, U+FFFE/U+FFFF: not allowed in XML 1.0, so RDF/XML and HTML pages
# break). JSON escapes ("\\ud800", "\\u0000") and undecodable file names bring them in.
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ODD_SPACE = re.compile("[\x0b\x0c]")


def clean_text(text: str) -> str:
    """Text as every output can carry it: vertical tab and form feed become spaces; lone
    surrogates, other C0 controls (tab, LF and CR stay), DEL, U+FFFE and U+FFFF become U+FFFD,
    so the loss shows. Everything else is kept as read.

    >>> clean_text("a\\x00b\\x0cc\\ud800d") == "a\\ufffdb c\\ufffdd"
    True
    """
    if _UNSAFE.search(text):
        text = _UNSAFE.sub("\ufffd", text)
    return _ODD_SPACE.sub(" ", text) if _ODD_SPACE.search(text) else text


# Either kind of character clean_text() changes: one search tells a clean field (nearly all) apart.
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_paper(paper: Paper) -> Paper:
    """A paper with :func:`clean_text` applied to every text field (readers' output boundary)."""
    texts = [paper.source.path]
    for value in vars(paper).values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, tuple):
            texts.extend(v for v in value if isinstance(v, str))
    if not _NEEDS_CLEANING.search(" ".join(texts)):   # one scan (a space is never cleaned)
        return paper
    changes: dict = {}
    for f in dataclasses.fields(paper):
        value = getattr(paper, f.name)
        if isinstance(value, str):
            cleaned = clean_text(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            cleaned = tuple(clean_text(v) for v in value)
        elif f.name == "source":
            cleaned = dataclasses.replace(value, path=clean_text(value.path))
        else:
            continue
        if cleaned != value:
            changes[f.name] = cleaned
    return dataclasses.replace(paper, **changes) if changes else paper
