"""L2-regularised logistic regression over sparse named features, in plain Python.

Why this model: a few hundred annotated papers give a few thousand candidates, too few for
anything that must learn its own representation; the features are hand-described (shape,
position, context words, vocabulary), so a linear model over them is the strongest thing the
data supports without overfitting, its weights are readable ("title prefix +2.1, after 'such
as' -1.4"), inference is a dot product (no numpy at run time) and training is deterministic.

>>> rows = [({"a": 1.0}, 1), ({"a": 1.0}, 1), ({"b": 1.0}, 0), ({"b": 1.0, "a": 1.0}, 0)]
>>> model = train_logistic(rows, epochs=200)
>>> model.probability({"a": 1.0}) > 0.5 > model.probability({"b": 1.0})
True
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Features = Mapping[str, float]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class LogisticModel:
    """Weights by feature name, a bias, and the probability above which a candidate is kept;
    ``group_thresholds`` may set another cut for a group of candidates (e.g. those no rule
    found, which need more evidence than those a precise rule found)."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5
    group_thresholds: dict[str, float] = field(default_factory=dict)

    def probability(self, features: Features) -> float:
        # math.fsum: exact, so the order of the features (a set's, which differs between
        # processes) never changes a decision near its threshold
        w = self.weights
        return _sigmoid(math.fsum([self.bias, *(w.get(k, 0.0) * v for k, v in features.items())]))

    def cut(self, group: str = "") -> float:
        return self.group_thresholds.get(group, self.threshold)

    def accepts(self, features: Features, group: str = "") -> bool:
        return self.probability(features) >= self.cut(group)

    def to_json(self) -> dict:
        return {"bias": round(self.bias, 6), "threshold": round(self.threshold, 4),
                "group_thresholds": {k: round(v, 4) for k, v in sorted(self.group_thresholds.items())},
                "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-6}}

    @classmethod
    def from_json(cls, data: Mapping) -> LogisticModel:
        return cls(dict(data["weights"]), float(data["bias"]), float(data.get("threshold", 0.5)),
                   {k: float(v) for k, v in data.get("group_thresholds", {}).items()})


def train_logistic(rows: Sequence[tuple[Features, int]], l2: float = 0.01, epochs: int = 300,
                   rate: float = 0.5) -> LogisticModel:
    """Fit by full-batch gradient descent with AdaGrad steps: no randomness, so the same rows give
    the same model. ``l2`` is the penalty per example (weights shrink towards 0, the bias is free)."""
    if not rows:
        raise ValueError("no training rows")
    n = len(rows)
    weights: dict[str, float] = {}
    grad_sq: dict[str, float] = {}
    bias, bias_sq = 0.0, 0.0
    for _ in range(epochs):
        grad: dict[str, float] = {}
        gbias = 0.0
        for feats, label in rows:
            p = _sigmoid(math.fsum([bias, *(weights.get(k, 0.0) * v for k, v in feats.items())]))
            err = p - label
            gbias += err
            for k, v in feats.items():
                grad[k] = grad.get(k, 0.0) + err * v
        for k, g in grad.items():
            g = g / n + l2 * weights.get(k, 0.0)
            grad_sq[k] = grad_sq.get(k, 0.0) + g * g
            weights[k] = weights.get(k, 0.0) - rate * g / (math.sqrt(grad_sq[k]) + 1e-8)
        gbias /= n
        bias_sq += gbias * gbias
        bias -= rate * gbias / (math.sqrt(bias_sq) + 1e-8)
    return LogisticModel(weights, bias)


def best_threshold(scored: Sequence[tuple[float, int]], missed: int = 0) -> float:
    """The probability cut that maximises F1 over ``scored`` (probability, label) pairs, with
    ``missed`` further positives no candidate covers (they count against recall whatever the cut).

    >>> best_threshold([(0.9, 1), (0.7, 1), (0.6, 0), (0.2, 0)])
    0.65
    """
    positives = sum(label for _, label in scored) + missed
    if not positives:
        return 0.5
    ordered = sorted(scored, key=lambda x: -x[0])
    best, cut, tp = -1.0, 0.5, 0
    for i, (p, label) in enumerate(ordered):
        tp += label
        f1 = 2 * tp / (i + 1 + positives)
        nxt = ordered[i + 1][0] if i + 1 < len(ordered) else 0.0
        if f1 > best and p > nxt:
            best, cut = f1, round((p + nxt) / 2, 4)
    return cut


def best_group_thresholds(scored: Sequence[tuple[float, int, str]], missed: int = 0,
                          rounds: int = 3, beta: float = 1.0) -> dict[str, float]:
    """Per group, the cut that maximises F-beta (F1 by default; ``beta`` > 1 weighs recall more)
    over all ``scored`` (probability, label, group) candidates together, found by coordinate
    ascent (each group's cut with the others fixed).

    >>> cuts = best_group_thresholds([(0.9, 1, "a"), (0.4, 1, "a"), (0.9, 0, "b"), (0.95, 1, "b")])
    >>> cuts["a"] < 0.4 and 0.9 < cuts["b"] < 0.95
    True
    """
    groups = sorted({g for _, _, g in scored})
    positives = sum(y for _, y, _ in scored) + missed
    if not positives:
        return {g: 0.5 for g in groups}
    cuts = {g: 0.5 for g in groups}

    b2 = beta * beta

    def f1(c: dict[str, float]) -> float:
        kept = [(p, y) for p, y, g in scored if p >= c[g]]
        tp = sum(y for _, y in kept)
        return (1 + b2) * tp / (len(kept) + b2 * positives) if kept else 0.0

    for _ in range(rounds):
        for g in groups:
            probs = sorted({p for p, _, gg in scored if gg == g}, reverse=True)
            options = [1.01] + [round((a + b) / 2, 4) for a, b in zip(probs, probs[1:] + [0.0])]
            best = max(options, key=lambda t: (f1({**cuts, g: t}), t))
            cuts[g] = best
    return cuts
