"""Benchmarks of ``kg build`` at scale (not tests): see ``bench/README.md``."""
