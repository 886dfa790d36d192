"""`kg validate` time against store size (a script, not a test).

    python -m bench.validate_cost [--sizes 1000,2000,4000] [--repeat 3]

Builds each prefix of the synthetic corpus (:mod:`bench.synth`) into a store, then validates
it ``--repeat`` times and prints the best CPU time of this process (``time.process_time``) per
size and its ratio to the smallest size's: twice the papers should cost about twice the time
(the shapes run as a fixed set of SPARQL queries on the store; pySHACL on the same stores grew
2.1x from 1k to 2k papers, then 25x from 2k to 4k).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.synth import generate
from kg.build import BuildOptions, build
from kg.store import load_graph
from kg.validate import validate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,2000,4000", help="papers per store, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lines = generate(sizes[-1], tmp / "synthetic.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        best = {}
        for n in sizes:
            listing = tmp / f"synthetic-{n}.jsonl"
            listing.write_text("".join(lines[:n]), encoding="utf-8")
            build([listing], tmp / str(n), BuildOptions(turtle=False, workers=1))
            graph = load_graph(tmp / str(n), backend="store")
            times = []
            for _ in range(args.repeat):
                t = time.process_time()
                report = validate(graph)
                times.append(time.process_time() - t)
            best[n] = min(times)
            print(f"{n:7d} papers {report.triples:9d} triples  {best[n]:6.2f} s CPU  "
                  f"x{best[n] / best[sizes[0]]:.2f} the {sizes[0]}-paper time  "
                  f"({'conforms' if report.conforms else 'does not conform'})", flush=True)


if __name__ == "__main__":
    main()
