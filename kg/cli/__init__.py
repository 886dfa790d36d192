"""The ``kg`` command: thin click commands over library functions (the library never prints).

One module per group of commands: :mod:`kg.cli.build_commands` (build, formats),
:mod:`kg.cli.graph_commands` (query, stats, viz, leaderboard, analyze, export, validate),
:mod:`kg.cli.remote_commands` (fetch, push, serve), :mod:`kg.cli.learn_commands` (train,
evaluate); :mod:`kg.cli.common` holds what they share.
"""
from __future__ import annotations

import click

from kg.cli.build_commands import build, formats
from kg.cli.graph_commands import analyze, export, leaderboard, query, stats, validate, viz
from kg.cli.learn_commands import evaluate, train
from kg.cli.remote_commands import fetch, push, serve

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-papers")
def main() -> None:
    """Build a knowledge graph of research papers: read listings, extract
    proposes / evaluatesOn / comparesTo triples with evidence, store RDF, query,
    analyse, visualise and export it.

    \b
    Example:
      kg build examples/seeds/*.txt --out output/
      kg build examples/seeds/ --out output/
      kg query output/ --named most_compared_methods
    """


for command in (build, query, stats, viz, leaderboard, analyze, export, validate, fetch, formats, push, serve,
                train, evaluate):
    main.add_command(command)
