"""Annotated papers: the guideline's JSON (``examples/annotated/GUIDELINE.md``) joined to the
papers' text, and the name matching the scorer uses.

A gold file is a JSON array of objects with ``title``, ``proposes``, ``evaluates_on``,
``compares_to`` (and ``tasks``, ``results``); the abstracts come from listing files (any format
``kg build`` reads), matched by title, or from an ``abstract`` key in the gold object itself.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.records import Paper, SkippedEntry
from kg.readers import read_papers


def norm(name: str) -> str:
    """The scorer's name key: case, punctuation and spaces ignored, a trailing plural "s" too.

    >>> norm("Vision Transformers") == norm("vision-transformer")
    True
    """
    s = re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", str(name)).lower())
    return s[:-1] if len(s) > 3 and s.endswith("s") else s


def title_key(title: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(title))).strip().lower()


@dataclass(frozen=True)
class AnnotatedPaper:
    paper: Paper
    gold: dict

    def entity_names(self, key: str, primary_only: bool = False) -> list[set[str]]:
        """The gold entities under ``key`` ("proposes", "evaluates_on"), each a set of name keys."""
        return [{norm(n) for n in item["names"]} for item in self.gold.get(key, [])
                if not primary_only or item.get("primary")]

    def pairs(self) -> list[tuple[set[str], set[str]]]:
        return [({norm(n) for n in c["a"]}, {norm(n) for n in c["b"]}) for c in self.gold.get("compares_to", [])]


def load_annotated(gold_files: Iterable[str | Path], paper_files: Iterable[str | Path] = ()) -> list[AnnotatedPaper]:
    """Every gold object joined to its paper. Raises ValueError naming the titles it cannot find."""
    by_title: dict[str, Paper] = {}
    for path in paper_files:
        for item in read_papers(path):
            if not isinstance(item, SkippedEntry):
                by_title.setdefault(title_key(item.title), item)
    out, missing = [], []
    for path in gold_files:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read annotations {path}: {exc}") from exc
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a JSON array of annotated papers")
        for g in data:
            if not isinstance(g, dict) or "title" not in g:
                raise ValueError(f"{path}: every annotation needs a 'title'")
            paper = by_title.get(title_key(g["title"]))
            if paper is None and g.get("abstract"):
                paper = Paper(g["title"], g["abstract"])
            if paper is None:
                missing.append(g["title"])
                continue
            out.append(AnnotatedPaper(paper, g))
    if missing:
        raise ValueError(f"{len(missing)} annotated paper(s) not found in the papers given "
                         f"(--papers FILE, or an 'abstract' key): {missing[0][:80]!r}" + (" ..." if len(missing) > 1 else ""))
    return out


def fold_of(title: str, folds: int, salt: str = "") -> int:
    """The cross-validation fold of a paper: a hash of its title, so folds never depend on order;
    another ``salt`` deals the papers into other folds (repeated cross-validation).

    >>> fold_of("VOLO: Vision Outlooker for Visual Recognition", 5) == fold_of("volo:  vision outlooker for visual recognition", 5)
    True
    """

    return int(hashlib.sha1((salt + title_key(title)).encode("utf-8")).hexdigest(), 16) % folds
