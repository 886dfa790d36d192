"""Learning the extractors' decisions from annotated papers.

The extractors in :mod:`kg.extract` propose *candidates* with high recall (title segments,
acronym definitions, names after proposal cues, vocabulary matches, mention pairs around
comparison cues) and describe each by a few dozen named features; a trained model decides which
candidates are facts. This package holds the model (:mod:`kg.learn.linear`), its file format and
the shipped default (:mod:`kg.learn.model`), the annotations it learns from
(:mod:`kg.learn.gold`), training (:mod:`kg.learn.train`) and scoring (:mod:`kg.learn.evaluate`).
Inference needs nothing beyond the standard library.
"""
