"""Entity labels of a store build: an entity's ``rdfs:label`` depends on every paper that names
it (the most frequent surface form wins), so each entity a build touched is labelled once, at the
end of that build, from the surface counts of all builds in the side table.

Imports the RDF mapping, the side table and the spool loader.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDFS, SKOS

from kg.build.sidetable import SideTable
from kg.build.spool import load_file
from kg.records import Entity
from kg.graph.mapping import entity_label, entity_triples, family_triples
from kg.graph.ntriples import lines

LABEL_CHUNK = 20_000           # entities whose labels are written to the spool file at a time


def spool_labels(side: SideTable, spool: Path) -> None:
    """rdfs:label / skos:altLabel (and types, family links) of every entity this build touched,
    from the surface counts of all builds, and family nodes that are no entity of their own:
    one N-Triples file, bulk-loaded once by :func:`load_labels` (loaded chunk by chunk, a
    1M-paper build made ~60 small loads whose overlapping index files the final compaction
    then had to merge). Written by :func:`kg.graph.ntriples.lines`: a 1M-paper build has ~1M entities, and
    this runs while only the last load keeps the other core busy."""
    with open(spool, "wb") as fh:
        out: list[str] = []
        for row, counts in side.touched_entities():
            iri, kind, key, label, family_keys, is_family, in_vocabulary, first_run = row
            entity = Entity(key, kind, label, tuple(json.loads(family_keys)) if family_keys != "[]" else (),
                            bool(is_family), bool(in_vocabulary))
            out.append(lines(entity_triples(entity, entity_label(entity, counts), counts)))
            if len(out) >= LABEL_CHUNK:
                fh.write("".join(out).encode("utf-8"))
                out.clear()
        out.append(lines(family_triples(side.unowned_families())))
        fh.write("".join(out).encode("utf-8"))


def load_labels(store: ox.Store, side: SideTable, spool: Path) -> None:
    """Replace the labels earlier builds wrote for the entities this one touched (they may
    change) by those :func:`spool_labels` wrote."""
    label_preds = [ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.altLabel))]
    try:
        for iri in side.stale_labels():
            node = ox.NamedNode(iri)
            for pred in label_preds:
                for q in list(store.quads_for_pattern(node, pred, None, ox.DefaultGraph())):
                    store.remove(q)
        load_file(store, spool, spool.stat().st_size)
    finally:
        spool.unlink(missing_ok=True)
