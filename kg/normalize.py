"""Surface forms → entities: one node per real entity (ViT = ViTs = Vision Transformer).

Names the vocabulary knows resolve to its concept (canonical label, family membership); any
other name becomes an entity keyed by its case-folded alphanumeric form, so "Next-ViT" and
"NextViT" meet in one node across papers without a global pass over the corpus. Tasks and
metrics resolve through their vocabularies the same way ("top-1" = top-1 accuracy, "COCO
detection" = object detection); a metric the vocabulary knows carries its direction.

A result's method is the paper's own method when the name is one of its own or a variant of one
("iFormer-S" of iFormer), else a known method (its variant too: "DeiT-Ti" is DeiT), else a new
entity; the variant's name stays with the result (``kgo:methodLabel``) and on the entity as a label.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from kg.records import Entity, Extraction, Fact, Paper
from kg.text import match_key
from kg.vocab import Vocabulary


def entity_key(surface: str) -> str:
    """IRI-safe key of a name the vocabulary does not know.

    >>> entity_key("Next-ViT") == entity_key("NextViT") == "nextvit"
    True
    """
    key = match_key(surface)
    return quote(key, safe="") if key else "x" + str(abs(hash(surface)))


def resolve(surface: str, kind: str, vocab: Vocabulary, aliases: Iterable[str] = ()) -> Entity:
    """The entity a name refers to."""
    for name in (surface, *aliases):
        concept = vocab.lookup(name, kind=kind)
        if concept is not None:
            key = (concept.key, kind, concept.label, concept.families, concept.is_family)
            entities = vocab.memo("entities")
            entity = entities.get(key)
            if entity is None:
                # (a task's broader tasks stay in the vocabulary: family_keys are method families)
                families = concept.families if kind == "method" else ()
                entity = entities.put(key, Entity(concept.key, kind, concept.label, families,  # type: ignore[arg-type]
                                               concept.is_family, True, concept.higher_is_better))
            return entity
    # (a frozen dataclass costs a microsecond to make and most names recur, in a paper and across papers)
    entities = vocab.memo("entities")
    entity = entities.get((surface, kind))
    if entity is None:
        entity = entities.put((surface, kind), Entity(entity_key(surface), kind, surface))  # type: ignore[arg-type]
    return entity


def normalise(paper: Paper, extractions: Iterable[Extraction], vocab: Vocabulary) -> list[Fact]:
    """Resolve every extraction's subject and object into entities.

    Within one paper, a name the paper itself defines ("Vision Outlooker (VOLO)") and its aliases
    resolve to the same entity.
    """
    local: dict[str, Entity] = {}
    facts: list[Fact] = []
    extractions = list(extractions)
    for ex in extractions:  # register the paper's own names (and aliases) first
        if ex.predicate == "proposes":
            # the paper's own name decides; an alias ("Efficient Vision Mamba") must not turn a
            # new method into a known one it merely resembles
            entity = resolve(ex.object, "method", vocab)
            bare = _KIND_NOUN.sub("", ex.object)
            if not entity.in_vocabulary and bare != ex.object:
                known = vocab.lookup(bare, kind="method")
                if known is not None and not known.is_family:
                    entity = resolve(bare, "method", vocab)   # "NASNet architecture" is NASNet
            for name in (ex.object, *ex.object_aliases):
                local.setdefault(match_key(name), entity)

    def entity_for(name: str, kind: str, aliases: tuple[str, ...] = ()) -> Entity:
        hit = local.get(match_key(name)) if kind == "method" else None
        return hit or resolve(name, kind, vocab, aliases)

    def method_of_result(name: str) -> Entity:
        hit = local.get(match_key(name))
        if hit is not None or vocab.lookup(name, kind="method") is not None:
            return hit or resolve(name, "method", vocab)
        base = name
        while True:   # "iFormer-S" → iFormer, "ViT-B/16" → ViT, "SVT-H-S" → SVT
            shorter = _VARIANT_SUFFIX.sub("", base)
            if shorter == base or not shorter:
                break
            base = shorter
            hit = local.get(match_key(base))
            if hit is not None or vocab.lookup(base, kind="method") is not None:
                return hit or resolve(base, "method", vocab)
        return resolve(name, "method", vocab)

    for ex in extractions:
        if ex.predicate == "reportsResult":
            facts.append(Fact(paper, method_of_result(ex.subject), ex.predicate,
                              resolve(ex.object, "dataset", vocab, ex.object_aliases), ex,
                              resolve(ex.metric, "metric", vocab)))
            continue
        subject = None if ex.subject_kind == "paper" else entity_for(ex.subject, ex.subject_kind, ex.subject_aliases)
        obj = entity_for(ex.object, ex.object_kind, ex.object_aliases)
        if subject is not None and subject.key == obj.key:
            continue  # "X outperforms X" after normalisation says nothing
        facts.append(Fact(paper, subject, ex.predicate, obj, ex))
    return facts


# A kind noun after a name ("NASNet architecture", "U-Net model"): the name is the method
_KIND_NOUN = re.compile(r"\s+(?:architectures?|networks?|models?|framework)$", re.IGNORECASE)
# A model variant's suffix: size letters and names, depths, patch sizes ("-S", "-Tiny", "-B/16", "-D3")
_VARIANT_SUFFIX = re.compile(
    r"(?:[-\s](?:T|S|M|B|L|H|G|N|X|XS|XL|XXL|Ti|Tiny|Small|Base|Medium|Large|Huge|Giant|Gaint|Nano|Mini|Micro|"
    r"[A-Z]?\d+[A-Za-z]?|[BDLSW]\d+)|/\d+)$")
