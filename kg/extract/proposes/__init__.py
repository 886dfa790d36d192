"""paper → proposes → method: the paper's own contributions, its main method first.

:mod:`.rules` finds them with hand rules (title prefixes, proposal sentences, coined names,
"Long Form (ABBR)" definitions); :mod:`.learned` makes the rules candidate generators and lets a
trained model decide. Which one runs is the document's choice: the model if it has a
``proposes`` decision, else the rules. Other extractors ask :func:`find_proposals` and
:func:`primary_method` ("our method" resolves to the main method).
"""
from __future__ import annotations

from collections.abc import Iterator

from kg.extract import Document, register_extractor
from kg.extract.proposes.learned import decide_proposals
from kg.extract.proposes.rules import Proposal, rule_proposals
from kg.records import Extraction

__all__ = ["Proposal", "extract_proposes", "find_proposals", "own_names", "primary_method"]


def find_proposals(doc: Document) -> list[Proposal]:
    """Every named contribution of the paper, primary first: the model's decision over the
    candidates (:mod:`.learned`) when the document has one, else the rules'. Cached."""
    if "proposals" not in doc.cache:
        decide = doc.model.get("proposes") if doc.model is not None else None
        if decide is not None:
            doc.cache["proposals"] = decide_proposals(doc, decide, doc.model.get("primary"),
                                                      doc.model.meta.get("proposes_min_origins", 1))
        else:
            doc.cache["proposals"] = rule_proposals(doc)
    return doc.cache["proposals"]


def own_names(doc: Document) -> list[str]:
    """The names (and aliases) of everything the paper proposes."""
    return [n for p in find_proposals(doc) for n in (p.name, *p.aliases)]


def primary_method(doc: Document) -> Proposal | None:
    """The paper's main method, or None when it proposes no named method."""
    proposals = find_proposals(doc)
    return proposals[0] if proposals else None


@register_extractor("proposes", "proposes")
def extract_proposes(doc: Document) -> Iterator[Extraction]:
    """paper proposes method, from titles, proposal sentences and coined names."""
    for i, p in enumerate(find_proposals(doc)):
        sentence = p.sentence or doc.title_sentence
        yield Extraction(
            paper_key=doc.paper.key,
            subject=doc.paper.title,
            subject_kind="paper",
            predicate="proposes",
            object=p.name,
            object_kind="method",
            evidence=doc.evidence(sentence),
            extractor=f"proposes/{p.origin}",
            confidence=round(p.confidence if i else max(p.confidence, 0.8), 2),
            object_aliases=tuple(a for a in p.aliases if a and a != p.name),
        )
