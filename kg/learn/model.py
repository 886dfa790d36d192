"""The trained extraction model: one :class:`~kg.learn.linear.LogisticModel` per decision, in one
JSON file.

Decisions: ``proposes`` (is a candidate the paper's own contribution), ``primary`` (is it the main
one), ``evaluatesOn`` (is a dataset mention evaluated on, not only pre-trained on or cited) and
``comparesTo`` (does a cue-bound mention pair state a comparison), ``addressesTask`` (is a task
the paper's problem, not background). A model may hold any of them;
a decision it lacks falls back to the rules. The shipped default lives in
``kg/models/default.json`` (trained by ``kg train`` on ``examples/annotated/``).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.files import write_atomic
from kg.learn.linear import LogisticModel

DECISIONS = ("proposes", "primary", "evaluatesOn", "comparesTo", "addressesTask")
FORMAT = "kg-extraction-model/1"
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "default.json"
RULES = "rules"    # ``--model rules``: no learned decision, the hand-written rules alone


@dataclass(frozen=True)
class ExtractionModel:
    decisions: dict[str, LogisticModel] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)     # training data, seed, sizes: what made it; and
    # proposes_min_origins, which extraction reads (kg.learn.train.fewest_origins_kept)

    def get(self, decision: str) -> LogisticModel | None:
        return self.decisions.get(decision)

    def to_json(self) -> dict:
        return {"format": FORMAT, "meta": self.meta,
                "decisions": {k: m.to_json() for k, m in sorted(self.decisions.items())}}

    @classmethod
    def from_json(cls, data: dict) -> ExtractionModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a kg extraction model (format {data.get('format')!r}, expected {FORMAT!r})")
        unknown = set(data["decisions"]) - set(DECISIONS)
        if unknown:
            raise ValueError(f"unknown decisions in model: {', '.join(sorted(unknown))}")
        return cls({k: LogisticModel.from_json(v) for k, v in data["decisions"].items()}, dict(data.get("meta", {})))


def save_model(model: ExtractionModel, path: str | Path) -> None:
    text = json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n"
    write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def model_file(spec: str | Path | None) -> Path | None:
    """The file a ``--model`` value names: None → the shipped default (if present), "rules" → none."""
    if spec is None:
        return DEFAULT_MODEL if DEFAULT_MODEL.is_file() else None
    if str(spec) == RULES:
        return None
    path = Path(spec)
    if not path.is_file():
        raise ValueError(f"model file not found: {spec}")
    return path.resolve()


@lru_cache(maxsize=4)
def _load(path: str) -> ExtractionModel:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read model {path}: {exc}") from exc
    return ExtractionModel.from_json(data)


def load_model(spec: str | Path | None = None) -> ExtractionModel | None:
    """The model a ``--model`` value names, loaded once per process; None: rules only."""
    path = model_file(spec)
    return _load(str(path)) if path is not None else None


def model_fingerprint(spec: str | Path | None) -> str:
    """What a build's extraction depends on in the model: the file's bytes ("" for rules)."""
    path = model_file(spec)
    return hashlib.sha1(path.read_bytes()).hexdigest() if path is not None else ""
