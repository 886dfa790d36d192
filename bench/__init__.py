"""Benchmarks (scripts, not tests): scale, extraction quality and cost, the synthetic corpus; see ``bench/README.md``."""
