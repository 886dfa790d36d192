"""Training: annotated papers → an :class:`~kg.learn.model.ExtractionModel`.

Stage by stage, as extraction runs: the proposes and primary decisions first (on the candidates
of :func:`kg.extract.proposes.learned.proposal_candidates`); then evaluatesOn and comparesTo on candidates
generated with the learned proposals in place, since "our method" and a paper's own names depend
on them. Each candidate is labelled by whether its names meet a gold entity's (the scorer's
matching); the threshold of each decision is the one that maximises F1 on held-out
probabilities (each paper scored by a model trained without it, :func:`_held_out`), gold
entities no candidate covers counted as misses.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from kg.extract import Document
from kg.extract.compares.learned import comparison_candidates, comparison_features
from kg.extract.datasets.learned import dataset_candidates, dataset_features
from kg.extract.features import candidate_group
from kg.extract.proposes import find_proposals, own_names
from kg.extract.proposes.learned import proposal_candidates, proposal_features
from kg.extract.tasks import task_candidates, task_features, task_names
from kg.learn.gold import AnnotatedPaper, norm
from kg.learn.linear import LogisticModel, best_group_thresholds, train_logistic
from kg.learn.model import ExtractionModel
from kg.vocab import Vocabulary, default_vocabulary

Rows = list[tuple[dict[str, float], int, int]]   # (features, label, which paper)
# (a row's group is read from its features: each decision's candidates fall in groups that get
# their own cut, see kg.extract.features.candidate_group)
# per decision: L2 penalty (the decisions with few positives get more)
L2 = {"proposes": 0.03, "primary": 0.002, "evaluatesOn": 0.01, "comparesTo": 0.03, "addressesTask": 0.01}
EPOCHS = 300
CUT_FOLDS = 3   # the cuts are chosen on held-out probabilities, see _held_out
HELD_OUT_CUTS = {"proposes", "evaluatesOn", "comparesTo", "addressesTask"}
# F-beta the cuts maximise: a dataset the paper evaluates on and the graph misses is worse than
# an extra one (users query for "papers on X"; names unknown to the vocabulary, common outside
# vision, are where the model is least sure); a task listed that the paper does not address
# misleads more than one left out (a task is named in many background sentences); a comparison
# claims an outcome, and a wrong one misleads more than a missing one
BETA = {"evaluatesOn": 2.0, "addressesTask": 0.7, "comparesTo": 0.7}


def _fresh(doc: Document) -> Document:
    return Document(doc.paper, doc.vocab, model=doc.model)


def proposal_rows(docs: Sequence[tuple[Document, AnnotatedPaper]],
                  names: list[str] | None = None) -> tuple[Rows, Rows, int, int]:
    """Rows of the proposes and primary decisions, and the gold entities no candidate covers;
    ``names``, when given, receives each row's candidate name (the row builders below alike)."""

    rows, primary_rows, missed, missed_primary = [], [], 0, 0
    for paper, (doc, ann) in enumerate(docs):
        gold = ann.entity_names("proposes")
        gold_primary = ann.entity_names("proposes", primary_only=True)
        covered: set[int] = set()
        covered_primary: set[int] = set()
        for rank, c in enumerate(proposal_candidates(doc)):
            keys = {norm(n) for n in c.names}
            hits = [i for i, g in enumerate(gold) if keys & g]
            phits = [i for i, g in enumerate(gold_primary) if keys & g]
            covered.update(hits)
            covered_primary.update(phits)
            feats = proposal_features(doc, c, rank)
            rows.append((feats, int(bool(hits)), paper))
            primary_rows.append((feats, int(bool(phits)), paper))
            if names is not None:
                names.append(c.name)
        missed += len(gold) - len(covered)
        missed_primary += len(gold_primary) - len(covered_primary)
    return rows, primary_rows, missed, missed_primary


def dataset_rows(docs: Sequence[tuple[Document, AnnotatedPaper]], names: list[str] | None = None) -> tuple[Rows, int]:

    rows, missed = [], 0
    for paper, (doc, ann) in enumerate(docs):
        gold = ann.entity_names("evaluates_on")
        own = {n.casefold() for n in own_names(doc)}
        covered: set[int] = set()
        for c in dataset_candidates(doc):
            keys = {norm(c.surface), norm(c.label)}
            concept = doc.vocab.lookup(c.label, kind="dataset")
            if concept is not None:
                keys |= {norm(a) for a in (concept.label, *concept.aliases)}
            hits = [i for i, g in enumerate(gold) if keys & g]
            covered.update(hits)
            rows.append((dataset_features(doc, c, own), int(bool(hits)), paper))
            if names is not None:
                names.append(c.surface)
        missed += len(gold) - len(covered)
    return rows, missed


def _side_keys(doc: Document, name: str) -> set[str]:

    keys = {norm(name)}
    for p in find_proposals(doc):
        if name.casefold() in {n.casefold() for n in (p.name, *p.aliases)}:
            keys |= {norm(n) for n in (p.name, *p.aliases)}
    concept = doc.vocab.lookup(name, kind="method")
    if concept is not None:
        keys |= {norm(a) for a in (concept.label, *concept.aliases)}
    return keys


def comparison_rows(docs: Sequence[tuple[Document, AnnotatedPaper]],
                    names: list[str] | None = None) -> tuple[Rows, int]:

    rows, missed = [], 0
    for paper, (doc, ann) in enumerate(docs):
        gold = ann.pairs()
        own = {n.casefold() for n in own_names(doc)}
        covered: set[int] = set()
        for c in comparison_candidates(doc):
            e = c.extraction
            a, b = _side_keys(doc, e.subject), _side_keys(doc, e.object)
            hits = [i for i, (ga, gb) in enumerate(gold) if (a & ga and b & gb) or (a & gb and b & ga)]
            covered.update(hits)
            rows.append((comparison_features(doc, c, own), int(bool(hits)), paper))
            if names is not None:
                names.append(f"{e.subject} ~ {e.object}")
        missed += len(gold) - len(covered)
    return rows, missed


def task_rows(docs: Sequence[tuple[Document, AnnotatedPaper]], names: list[str] | None = None) -> tuple[Rows, int]:

    rows, missed = [], 0
    for paper, (doc, ann) in enumerate(docs):
        if "tasks" not in ann.gold:
            continue      # first-round annotations say nothing of tasks
        gold = ann.entity_names("tasks")
        covered: set[int] = set()
        for c in task_candidates(doc):
            keys = {norm(s) for s in task_names(doc, c)}
            if c.concept is not None:
                keys |= {norm(a) for a in (c.concept.label, *c.concept.aliases)}
            hits = [i for i, g in enumerate(gold) if keys & g]
            covered.update(hits)
            rows.append((task_features(doc, c), int(bool(hits)), paper))
            if names is not None:
                names.append(c.surfaces[0])
        missed += len(gold) - len(covered)
    return rows, missed


def _held_out(rows: Rows, decision: str) -> list[tuple[float, int, str]]:
    """Every row's probability from a model trained without its paper (papers in
    ``CUT_FOLDS`` folds by position): the cuts are chosen on these, since a model scoring its
    own training rows is surer of them than it will be of new papers."""
    scored: list[tuple[float, int, str]] = []
    for k in range(CUT_FOLDS):
        train = [(f, y) for f, y, paper in rows if paper % CUT_FOLDS != k]
        test = [(f, y) for f, y, paper in rows if paper % CUT_FOLDS == k]
        if not test:
            continue
        if not any(y for _, y in train) or all(y for _, y in train):
            scored.extend((0.5, y, candidate_group(decision, f)) for f, y in test)
            continue
        m = train_logistic(train, l2=L2[decision], epochs=EPOCHS)
        scored.extend((m.probability(f), y, candidate_group(decision, f)) for f, y in test)
    return scored


def _fit(rows: Rows, missed: int, decision: str) -> LogisticModel:

    if not any(label for _, label, _ in rows) or all(label for _, label, _ in rows):
        raise ValueError(f"cannot train {decision!r}: the annotations give it no positive and negative examples")
    m = train_logistic([(f, y) for f, y, _ in rows], l2=L2[decision], epochs=EPOCHS)
    scored = (_held_out(rows, decision) if decision in HELD_OUT_CUTS else
              [(m.probability(f), y, candidate_group(decision, f)) for f, y, _ in rows])
    cuts = best_group_thresholds(scored, missed, beta=BETA.get(decision, 1.0))
    default = cuts.pop("", 0.5)
    return LogisticModel(m.weights, m.bias, default, cuts)


def fewest_origins_kept(rows: Rows, proposes: LogisticModel, primary: LogisticModel) -> int:
    """The fewest generators (``o:`` features) behind a training candidate that the proposes
    decision keeps or the primary decision could pick as the main method. Extraction does not
    describe candidates with fewer: on the annotated papers, a name found by one generator alone
    (a name-shaped word, a headed noun phrase) is never kept, and those were most of the cost."""
    kept = [f for f, _, _ in rows
            if proposes.probability(f) >= proposes.cut(candidate_group("proposes", f))
            or primary.probability(f) >= primary.threshold]
    return min((sum(k.startswith("o:") for k in f) for f in kept), default=1)


def train_model(annotated: Sequence[AnnotatedPaper], vocab: Vocabulary | None = None,
                progress: Callable[[str], None] | None = None) -> ExtractionModel:
    """A model for every decision the annotations support. Deterministic: the same papers in the
    same order give the same file."""
    vocab = vocab if vocab is not None else default_vocabulary()
    say = progress or (lambda _: None)
    if not annotated:
        raise ValueError("no annotated papers")
    docs = [(Document(a.paper, vocab), a) for a in annotated]
    say("proposes: candidates")
    rows, primary_rows, missed, missed_primary = proposal_rows(docs)
    decisions = {"proposes": _fit(rows, missed, "proposes"), "primary": _fit(primary_rows, missed_primary, "primary")}
    fewest = fewest_origins_kept(rows, decisions["proposes"], decisions["primary"])
    sizes = {"proposes": len(rows), "primary": len(primary_rows)}
    model = ExtractionModel(dict(decisions))
    docs = [(Document(a.paper, vocab, model=model), a) for a in annotated]
    say("evaluatesOn: candidates")
    drows, dmissed = dataset_rows(docs)
    decisions["evaluatesOn"] = _fit(drows, dmissed, "evaluatesOn")
    say("comparesTo: candidates")
    crows, cmissed = comparison_rows(docs)
    decisions["comparesTo"] = _fit(crows, cmissed, "comparesTo")
    trows, tmissed = task_rows(docs)
    if trows:
        say("addressesTask: candidates")
        decisions["addressesTask"] = _fit(trows, tmissed, "addressesTask")
    sizes.update(evaluatesOn=len(drows), comparesTo=len(crows), addressesTask=len(trows))
    meta = {"papers": len(annotated), "candidates": sizes, "epochs": EPOCHS, "l2": L2, "proposes_min_origins": fewest}
    return ExtractionModel(decisions, meta)


def candidate_recall(annotated: Sequence[AnnotatedPaper], vocab: Vocabulary | None = None,
                     model: ExtractionModel | None = None) -> dict[str, float]:
    """Per relation, the share of gold facts some candidate covers (the ceiling of the decisions)."""
    vocab = vocab if vocab is not None else default_vocabulary()
    docs = [(Document(a.paper, vocab, model=model), a) for a in annotated]
    out = {}
    rows, prow, missed, pmissed = proposal_rows([(Document(a.paper, vocab), a) for a in annotated])
    gold = sum(len(a.entity_names("proposes")) for a in annotated)
    pgold = sum(len(a.entity_names("proposes", True)) for a in annotated)
    out["proposes"] = round(1 - missed / gold, 3) if gold else 1.0
    out["primary"] = round(1 - pmissed / pgold, 3) if pgold else 1.0
    drows, dmissed = dataset_rows(docs)
    dgold = sum(len(a.entity_names("evaluates_on")) for a in annotated)
    out["evaluatesOn"] = round(1 - dmissed / dgold, 3) if dgold else 1.0
    crows, cmissed = comparison_rows(docs)
    cgold = sum(len(a.pairs()) for a in annotated)
    out["comparesTo"] = round(1 - cmissed / cgold, 3) if cgold else 1.0
    trows, tmissed = task_rows(docs)
    tgold = sum(len(a.entity_names("tasks")) for a in annotated if "tasks" in a.gold)
    if tgold:
        out["addressesTask"] = round(1 - tmissed / tgold, 3)
    return out
