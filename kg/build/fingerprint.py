"""What decides a stored paper's triples, as one hash: a store built under another fingerprint
has its papers extracted again (:mod:`kg.build.store_build`)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from kg.learn.model import model_fingerprint
from kg.vocab import ontology_dir

_KG = Path(__file__).resolve().parent.parent


def extraction_fingerprint(min_confidence: float, model: str | None = None) -> str:
    """Hash of everything that decides a stored paper's triples: extractors, the extraction
    model, normalisation, vocabulary, cues and word lists, RDF mapping, the build and the confidence threshold."""
    files = sorted(_KG.glob("extract/**/*.py")) + sorted(_KG.glob("build/*.py")) + sorted(_KG.glob("graph/*.py")) + [
        _KG / n for n in ("normalize.py", "vocab.py", "text.py", "records.py", "stats.py")]
    # the data the extractors read: vocabulary, cue phrases, stop lists and verbs
    files += sorted((ontology_dir() / "vocab").glob("*.ttl")) + [ontology_dir() / n for n in ("cues.json", "lexicon.json")]
    h = hashlib.sha1(repr(float(min_confidence)).encode() + model_fingerprint(model).encode())
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()
