"""Surface forms → entities: one node per real entity (ViT = ViTs = Vision Transformer).

Names the vocabulary knows resolve to its concept (canonical label, family membership); any
other name becomes an entity keyed by its case-folded alphanumeric form, so "Next-ViT" and
"NextViT" meet in one node across papers without a global pass over the corpus.
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from kg.model import Entity, Extraction, Fact, Paper
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
            entity = _ENTITIES.get(key)
            if entity is None:
                entity = _remember(key, Entity(concept.key, kind, concept.label, concept.families,  # type: ignore[arg-type]
                                               concept.is_family, True))
            return entity
    entity = _ENTITIES.get((surface, kind))
    if entity is None:
        entity = _remember((surface, kind), Entity(entity_key(surface), kind, surface))  # type: ignore[arg-type]
    return entity


# Entities made lately, by what makes them (a concept's fields, or an unknown name and its kind):
# a frozen dataclass costs a microsecond to make and most names recur, in a paper and across papers
_ENTITIES: dict[tuple, Entity] = {}


def _remember(key: tuple, entity: Entity) -> Entity:
    if len(_ENTITIES) >= 100_000:
        _ENTITIES.clear()
    _ENTITIES[key] = entity
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
            for name in (ex.object, *ex.object_aliases):
                local.setdefault(match_key(name), entity)

    def entity_for(name: str, kind: str, aliases: tuple[str, ...] = ()) -> Entity:
        hit = local.get(match_key(name)) if kind == "method" else None
        return hit or resolve(name, kind, vocab, aliases)

    for ex in extractions:
        subject = None if ex.subject_kind == "paper" else entity_for(ex.subject, ex.subject_kind, ex.subject_aliases)
        obj = entity_for(ex.object, ex.object_kind, ex.object_aliases)
        if subject is not None and subject.key == obj.key:
            continue  # "X outperforms X" after normalisation says nothing
        facts.append(Fact(paper, subject, ex.predicate, obj, ex))
    return facts
