"""CPU per fact of the N-Triples mapping: the one mapping (:mod:`kg.graph`) against the hand-written
N-Triples writers it replaced (issue 22), side by side in one run (a script, not a test).

    python -m bench.mapping_cost [--rounds 30]

Reads and extracts the seed listings (examples/seeds/) once, outside the timing, then writes the
N-Triples of every fact (and, for information, of every paper and entity label) ``--rounds``
times through each path, alternating round by round so that the machine's load falls on both
alike, and prints the least CPU time of a round (this process, ``time.process_time``) per item and
the ratio.
It first checks that both paths write the same bytes.

``_old_*`` below is a frozen copy of the hand-written writers of kg/rdf.py before the move (the
speed to match), not used anywhere else.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.graph.iris import KGO, entity_id, family_id, paper_id, result_id, statement_id
from kg.graph.mapping import (EntityLabels, entity_label, entity_triples, fact_triples, metadata_triples,
                              paper_triples)
from kg.graph.ntriples import iri, lines, string, term
from kg.records import Fact, Paper
from kg.build.worker import extract_facts
from kg.readers import read_papers

ROOT = Path(__file__).resolve().parent.parent

# ---- the old hand-written writers (kg/rdf.py at 57bd9fc), frozen ----

_NT = {name: iri(str(t)) for name, t in {
    "type": RDF.type, "Statement": RDF.Statement, "subject": RDF.subject, "predicate": RDF.predicate,
    "object": RDF.object, "derived": PROV.wasDerivedFrom, "evidence": KGO.evidence,
    "start": KGO.evidenceStart, "end": KGO.evidenceEnd, "extractor": KGO.extractor,
    "confidence": KGO.confidence, "outcome": KGO.outcome, "Paper": KGO.Paper, "title": DCTERMS.title,
    "abstract": DCTERMS.abstract, "source": KGO.source, "label": RDFS.label, "altLabel": SKOS.altLabel,
    "memberOf": KGO.memberOf, "Method": KGO.Method, "MethodFamily": KGO.MethodFamily,
    "Dataset": KGO.Dataset, "Task": KGO.Task, "Metric": KGO.Metric}.items()}
_NT_INTEGER = "^^" + iri(str(XSD.integer))
_NT_DECIMAL = "^^" + iri(str(XSD.decimal))
_NT_CONFIDENCE: dict[float, str] = {}
_NT_PREDICATES: dict[str, str] = {}
_NT_EXTRACTORS: dict[str, str] = {}


def _old_value_literal(value: str) -> Literal:
    whole, _, fraction = value.partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    if not fraction:
        return Literal(whole, datatype=XSD.integer)
    return Literal(f"{whole}.{fraction}", datatype=XSD.decimal)


def _old_result_triples(fact: Fact) -> Iterator[tuple]:
    ex = fact.extraction
    p_iri = URIRef(paper_id(fact.paper.key))
    r = URIRef(result_id(fact))
    metric = URIRef(entity_id(fact.metric))
    yield p_iri, KGO.reportsResult, r
    yield r, RDF.type, KGO.Result
    yield r, KGO.method, URIRef(entity_id(fact.subject))
    yield r, KGO.dataset, URIRef(entity_id(fact.object))
    yield r, KGO.metric, metric
    yield r, KGO.value, _old_value_literal(ex.value)
    yield r, KGO.methodLabel, Literal(ex.subject)
    yield r, PROV.wasDerivedFrom, p_iri
    yield r, KGO.evidence, Literal(ex.evidence.sentence)
    yield r, KGO.evidenceStart, Literal(ex.evidence.start, datatype=XSD.integer)
    yield r, KGO.evidenceEnd, Literal(ex.evidence.end, datatype=XSD.integer)
    yield r, KGO.extractor, Literal(ex.extractor)
    yield r, KGO.confidence, Literal(Decimal(str(round(ex.confidence, 2))), datatype=XSD.decimal)
    if fact.metric.higher_is_better is not None:
        yield metric, KGO.higherIsBetter, Literal(fact.metric.higher_is_better)


def _old_lines(triples) -> str:
    return "".join([f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples])


def _old_fact_ntriples(fact: Fact) -> str:
    if fact.predicate == "reportsResult":
        return _old_lines(_old_result_triples(fact))
    ex = fact.extraction
    key = fact.paper.key
    p_iri = paper_id(key)
    subject = p_iri if fact.subject is None else entity_id(fact.subject)
    obj = entity_id(fact.object)
    st = statement_id(key, fact.predicate, subject, obj)
    p = _NT_PREDICATES.get(fact.predicate)
    if p is None:
        p = iri(f"{KGO}{fact.predicate}")
        if len(_NT_PREDICATES) < 1000:
            _NT_PREDICATES[fact.predicate] = p
    extractor = _NT_EXTRACTORS.get(ex.extractor)
    if extractor is None:
        extractor = string(ex.extractor)
        if len(_NT_EXTRACTORS) < 1000:
            _NT_EXTRACTORS[ex.extractor] = extractor
    s, o, paper, node = iri(subject), iri(obj), iri(p_iri), f"<{st}>"
    nt = _NT
    confidence = _NT_CONFIDENCE.get(ex.confidence)
    if confidence is None:
        confidence = f'"{Decimal(str(round(ex.confidence, 2)))}"{_NT_DECIMAL}'
        if len(_NT_CONFIDENCE) < 1000:
            _NT_CONFIDENCE[ex.confidence] = confidence
    out = (f"{s} {p} {o} .\n"
           f"{node} {nt['type']} {nt['Statement']} .\n"
           f"{node} {nt['subject']} {s} .\n"
           f"{node} {nt['predicate']} {p} .\n"
           f"{node} {nt['object']} {o} .\n"
           f"{node} {nt['derived']} {paper} .\n"
           f"{node} {nt['evidence']} {string(ex.evidence.sentence)} .\n"
           f'{node} {nt["start"]} "{int(ex.evidence.start)}"{_NT_INTEGER} .\n'
           f'{node} {nt["end"]} "{int(ex.evidence.end)}"{_NT_INTEGER} .\n'
           f"{node} {nt['extractor']} {extractor} .\n"
           f"{node} {nt['confidence']} {confidence} .\n")
    if ex.outcome:
        out += f"{node} {nt['outcome']} {string(ex.outcome)} .\n"
    return out


def _old_paper_ntriples(paper: Paper, sources=()) -> str:
    s = iri(paper_id(paper.key))
    nt = _NT
    out = [f"{s} {nt['type']} {nt['Paper']} .\n",
           f"{s} {nt['title']} {string(paper.title)} .\n",
           f"{s} {nt['abstract']} {string(paper.abstract)} .\n"]
    out.extend(f"{s} {nt['source']} {string(f'{src.path}:{src.line}' if src.line else src.path)} .\n"
               for src in {paper.source, *sources} if src.path)
    out.append(lines(metadata_triples(paper)))   # (the old one wrote these from rdflib terms)
    return "".join(out)


def _old_entity_ntriples(entity, label: str, alt_labels) -> str:
    nt = _NT
    s = iri(entity_id(entity))
    kind = (nt["Dataset"] if entity.kind == "dataset" else nt["Task"] if entity.kind == "task"
            else nt["Metric"] if entity.kind == "metric" else nt["MethodFamily"] if entity.is_family else nt["Method"])
    out = [f"{s} {nt['type']} {kind} .\n"]
    if entity.is_family:
        out.append(f"{s} {nt['type']} {nt['Method']} .\n")
    out.append(f"{s} {nt['label']} {string(label)} .\n")
    for alt in sorted(set(alt_labels) - {label}):
        out.append(f"{s} {nt['altLabel']} {string(alt)} .\n")
    for family in entity.family_keys:
        out.append(f"{s} {nt['memberOf']} {iri(family_id(family))} .\n")
    return "".join(out)


# ---- the measurement ----

def _seed_inputs():
    papers: dict[str, Paper] = {}
    for f in sorted((ROOT / "examples" / "seeds").iterdir()):
        for item in read_papers(f):
            if isinstance(item, Paper):
                papers.setdefault(item.key, item)
    list(extract_facts(list(papers.values())[:5]))   # (loads the vocabulary and the model)
    t = time.process_time()
    facts = list(extract_facts(list(papers.values())))
    extract_cpu = time.process_time() - t
    labels = EntityLabels()
    for fact in facts:
        labels.add_fact(fact)
    entities = [(e, entity_label(e, labels.surfaces[i]), labels.surfaces[i]) for i, e in labels.entities.items()]
    return list(papers.values()), facts, entities, extract_cpu


def _best_cpu(items: list, paths: dict, rounds: int) -> dict[str, float]:
    """The least CPU seconds a round of each path took (rounds alternate between the paths; the
    least is the one the machine's other load disturbed least)."""
    best = dict.fromkeys(paths, float("inf"))
    for _ in range(rounds):
        for name, write in paths.items():
            t = time.process_time()
            for x in items:
                write(x)
            best[name] = min(best[name], time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    papers, facts, entities, extract_cpu = _seed_inputs()
    plain = [f for f in facts if f.predicate != "reportsResult"]
    kinds = {
        "facts": (facts, _old_fact_ntriples, lambda f: lines(fact_triples(f))),
        "  not results": (plain, _old_fact_ntriples, lambda f: lines(fact_triples(f))),
        "papers": (papers, _old_paper_ntriples, lambda p: lines(paper_triples(p))),
        "entities": (entities, lambda e: _old_entity_ntriples(*e), lambda e: lines(entity_triples(*e))),
    }
    for name, (items, old, new) in kinds.items():
        differ = [x for x in items if old(x) != new(x)]
        assert not differ, f"{name}: the paths write different text for {len(differ)} of {len(items)}"
    print(f"{len(facts)} facts ({len(facts) - len(plain)} results), {len(papers)} papers, {len(entities)} "
          f"entities; {args.rounds} rounds; both paths write the same bytes")
    print(f"(extracting them took {1e6 * extract_cpu / len(facts):.0f} µs CPU per fact)")
    for name, (items, old, new) in kinds.items():
        cpu = _best_cpu(items, {"old": old, "new": new}, args.rounds)
        n = len(items)
        print(f"{name:14s} old {1e6 * cpu['old'] / n:6.2f} µs  new {1e6 * cpu['new'] / n:6.2f} µs  "
              f"ratio new/old {cpu['new'] / cpu['old']:.2f}")


if __name__ == "__main__":
    main()
