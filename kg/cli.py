"""The ``kg`` command: thin click commands over library functions (the library never prints)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-papers")
def main() -> None:
    """Build a knowledge graph of research papers: read listings, extract
    proposes / evaluatesOn / comparesTo triples with evidence, store RDF, query,
    analyse, visualise and export it.

    \b
    Example:
      kg build ../shared/seeds/*.txt --out output/
      kg query output/ --named most_compared_methods
    """


@main.command()
@click.argument("listings", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Folder for graph.ttl, graph.html and report.json.")
@click.option("--format", "fmt", default=None, help="Input format for every file (default: detected per file).")
@click.option("--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Keep only triples whose confidence is at least this.")
@click.option("--no-html", is_flag=True, help="Skip writing graph.html.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
def build(listings, out_dir, fmt, min_confidence, no_html, as_json) -> None:
    """Read LISTINGS, extract triples and write the graph to --out.

    \b
    Example:
      kg build ../shared/seeds/*.txt --out output/
      kg build papers.jsonl papers.csv --out output/ --min-confidence 0.7
    """
    from kg.pipeline import build as run_build

    report = run_build(listings, out_dir, format=fmt, min_confidence=min_confidence, html=not no_html)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report))
    if not report.ok:
        _fail("no paper could be read; previous outputs left untouched")


def format_report(report) -> str:
    lines = [f"read {report.entries} entries from {len(report.files)} file(s): "
             f"{report.papers} papers, {report.duplicates} duplicates merged, {len(report.skipped)} skipped"]
    for err in report.file_errors:
        lines.append(f"  file error: {err}")
    for s in report.skipped[:20]:
        lines.append(f"  skipped {s['source']}: {s['reason']}")
    if len(report.skipped) > 20:
        lines.append(f"  … {len(report.skipped) - 20} more skipped entries (see report.json)")
    if report.ok:
        rel = ", ".join(f"{v} {k}" for k, v in sorted(report.relations.items())) or "no relations"
        ent = ", ".join(f"{v} {k}" for k, v in report.entities.items())
        lines.append(f"extracted {rel}; entities: {ent}")
        lines.append(f"{report.triples} RDF triples in {report.seconds.get('total', 0):.1f}s")
        lines.extend(f"wrote {o}" for o in report.outputs)
    return "\n".join(lines)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--named", "-n", help="Run a shipped query by name (see --list).")
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="Bind a named query's parameter.")
@click.option("--list", "list_queries", is_flag=True, help="List the shipped named queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(graph, sparql, query_file, named, param, list_queries, fmt) -> None:
    """Run a SPARQL query against GRAPH (a build folder or an RDF file).

    \b
    Example:
      kg query output/ "SELECT ?m WHERE { ?p kgo:proposes ?x . ?x rdfs:label ?m } LIMIT 5"
      kg query output/ --named compared_against --param method=ResNet
      kg query output/ --file q.rq --format csv
    """
    from kg.query import format_result, named_queries, run_named, run_query

    if list_queries:
        for q in named_queries().values():
            params = f"  (params: {', '.join(q.parameters)})" if q.parameters else ""
            click.echo(f"{q.name:24s} {q.description}{params}")
        return
    chosen = [x for x in (sparql, query_file, named) if x]
    if len(chosen) != 1:
        _fail("give exactly one of SPARQL, --file or --named (or --list)", 2)
    bindings = {}
    for p in param:
        if "=" not in p:
            _fail(f"--param wants NAME=VALUE, got {p!r}", 2)
        k, v = p.split("=", 1)
        bindings[k.strip()] = v
    g = _load(graph)
    try:
        if named:
            result = run_named(g, named, bindings)
        else:
            text = query_file.read_text(encoding="utf-8") if query_file else sparql
            result = run_query(g, _with_prefixes(text), bindings)
    except KeyError as exc:
        _fail(str(exc.args[0]), 2)
    except Exception as exc:  # a malformed query is the user's to fix: show the parser's words
        _fail(f"query failed: {exc}", 2)
    click.echo(format_result(result, fmt))


def _with_prefixes(text: str) -> str:
    """Let users write kgo:, rdfs:, dcterms:, skos:, prov: without declaring them."""
    from kg.rdf import PREFIXES

    decl = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"PREFIX {p}:" not in text)
    return decl + "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n" + text if "PREFIX rdf:" not in text else decl + text


def _load(location: Path):
    from kg.store import GraphNotFound, load_graph

    try:
        return load_graph(location)
    except GraphNotFound as exc:
        _fail(str(exc))
    except Exception as exc:
        _fail(f"{location}: cannot read graph: {exc}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--top", default=10, show_default=True, help="How many rows per ranking.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def stats(graph, top, as_json) -> None:
    """Analyse GRAPH with networkx: counts, top methods, datasets, compared pairs, components.

    \b
    Example:
      kg stats output/
      kg stats output/ --top 20 --json
    """
    from kg.analysis import summary
    from kg.graphview import to_networkx

    result = summary(to_networkx(_load(graph)), n=top)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo("nodes:  " + ", ".join(f"{v} {k}" for k, v in result["nodes"].items()))
    click.echo("edges:  " + ", ".join(f"{v} {k}" for k, v in result["edges"].items()))
    comps = result["components"]
    click.echo(f"components: {comps['count']} (largest: {', '.join(map(str, comps['largest']))})")
    for title, key in (("top methods by degree", "top_methods_by_degree"),
                       ("top methods by PageRank (comparison network)", "top_methods_by_pagerank"),
                       ("most used datasets", "most_used_datasets")):
        click.echo(f"\n{title}:")
        for label, value in result[key]:
            click.echo(f"  {value:>8}  {label}")
    click.echo("\nmost compared pairs:")
    for row in result["most_compared_pairs"]:
        outcomes = ", ".join(f"{k} {v}" for k, v in row["outcomes"].items())
        click.echo(f"  {row['papers']:>3}  {row['a']} ~ {row['b']}  ({outcomes})")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="HTML file to write (default: graph.html in the build folder).")
def viz(graph, output) -> None:
    """Write an interactive, offline HTML view of GRAPH (pyvis / vis-network).

    \b
    Example:
      kg viz output/ -o graph.html
    """
    from kg.pipeline import write_atomic
    from kg.viz import write_html

    g = _load(graph)
    target = output or ((graph if graph.is_dir() else graph.parent) / "graph.html")
    write_atomic(target, lambda p: write_html(g, p))
    click.echo(f"wrote {target}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "nt", "jsonld", "xml", "trig", "nquads"]))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
def export(graph, fmt, output) -> None:
    """Export GRAPH as Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads.

    \b
    Example:
      kg export output/ --format nt -o graph.nt
      kg export output/ --format jsonld > graph.jsonld
    """
    from kg.export import export as write, serialize

    g = _load(graph)
    if output:
        write(g, output, fmt)
        click.echo(f"wrote {output} ({len(g)} triples)")
    else:
        click.echo(serialize(g, fmt))


@main.command("formats")
def formats() -> None:
    """List the input formats (readers registry) and extractors.

    \b
    Example:
      kg formats
    """
    from kg.extract import available_extractors
    from kg.readers import available_readers

    click.echo("readers:")
    for r in available_readers().values():
        click.echo(f"  {r.name:12s} {', '.join(r.extensions):24s} {r.description}")
    click.echo("extractors:")
    for e in available_extractors().values():
        click.echo(f"  {e.name:12s} {e.predicate:12s} {e.description}")


if __name__ == "__main__":
    main()
