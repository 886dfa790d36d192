"""Extraction CPU per paper, the rules alone against the shipped model, side by side in one run
(a script, not a test).

    python -m bench.extract_cost [--papers 10000]

Builds nothing: reads the synthetic corpus (:mod:`bench.synth`) once, then extracts and
normalises every paper with ``--model rules`` and with the default model, alternating in
blocks so that the machine's load falls on both alike, and prints the CPU time (this process,
``time.process_time``) per paper and the ratio.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.synth import generate
from kg.extract import extract
from kg.learn.model import load_model
from kg.normalize import normalise
from kg.readers import read_papers
from kg.vocab import default_vocabulary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--block", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(args.papers, Path(tmp) / f"synthetic-{args.papers}.jsonl")
        papers = [p for p in read_papers(path) if hasattr(p, "abstract")]
    vocab = default_vocabulary()
    configs = {"rules": None, "model": load_model()}
    cpu = dict.fromkeys(configs, 0.0)
    for p in papers[:20]:                       # warm both (imports, compiled patterns)
        for model in configs.values():
            extract(p, vocab, model=model)
    for start in range(0, len(papers), args.block):
        block = papers[start:start + args.block]
        for name, model in configs.items():
            t = time.process_time()
            for p in block:
                list(normalise(p, extract(p, vocab, model=model), vocab))
            cpu[name] += time.process_time() - t
    n = len(papers)
    for name in configs:
        print(f"{name:6s} {cpu[name]:7.1f} s CPU  {1e6 * cpu[name] / n:8.0f} µs/paper")
    print(f"ratio model / rules: {cpu['model'] / cpu['rules']:.2f} ({n} synthetic papers)")


if __name__ == "__main__":
    main()
