"""The learned extraction's commands: train, evaluate."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.common import fail, open_graph


@click.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--papers", "-p", "paper_files", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="A listing holding the annotated papers' titles and abstracts (any format `kg build` "
              "reads); repeatable. Not needed when the annotations carry an 'abstract' key.")
@click.option("--output", "-o", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The model file to write (JSON).")
def train(gold, paper_files, out) -> None:
    """Train the extraction model from annotated papers (GOLD: JSON files in the annotation
    guideline's format, examples/annotated/GUIDELINE.md) and write it to --output.

    The same annotations give the same model, byte for byte. Use it with `kg build --model`.

    \b
    Example:
      kg train examples/annotated/gold_train.json -p examples/annotated/train_papers.jsonl -o my-model.json
      kg build my-papers.jsonl --out out/ --model my-model.json
      kg evaluate my-gold.json out/
    """
    from kg.learn.gold import load_annotated
    from kg.learn.model import save_model
    from kg.learn.train import train_model

    try:
        annotated = load_annotated(gold, paper_files)
        model = train_model(annotated)
    except ValueError as exc:
        fail(str(exc))
    save_model(model, out)
    sizes = ", ".join(f"{k} {v}" for k, v in model.meta["candidates"].items())
    click.echo(f"trained on {len(annotated)} annotated papers (candidates: {sizes}); wrote {out}")


@click.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("source")
@click.option("--show-errors", default=0, show_default=True, type=click.IntRange(0),
              help="List the misses and extras of this many papers.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(gold, source, show_errors, as_json) -> None:
    """Score a built graph (SOURCE: a build folder or an RDF file) against annotated papers
    (GOLD, the guideline's JSON): precision, recall and F1 per relation, the main method found,
    and with --show-errors what was missed and what was extra.

    \b
    Example:
      kg build examples/annotated/dev_papers.txt --out dev/ --no-html
      kg evaluate examples/annotated/gold_dev.json dev/ --show-errors 10
    """
    from kg.learn.evaluate import format_scores, score_graph

    try:
        annotations = json.loads(gold.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        fail(f"cannot read {gold}: {exc}")
    graph = open_graph(Path(source))
    scores = score_graph(graph, annotations)
    if as_json:
        click.echo(json.dumps({k: v for k, v in scores.items() if k != "errors"} | {"errors": scores["errors"][:show_errors]}, indent=2))
    else:
        click.echo(format_scores(scores, show_errors))
