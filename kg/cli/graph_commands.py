"""The commands that read a built graph: query, stats, viz, leaderboard, analyze, export, validate."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.common import fail, open_graph


@click.command()
@click.argument("graph", required=False)
@click.argument("sparql", required=False)
@click.option("--endpoint", "-e", metavar="URL", default=None,
              help="Query a SPARQL 1.1 Protocol endpoint instead of a local GRAPH (e.g. http://host:7878/query).")
@click.option("--file", "-f", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--named", "-n", help="Run a shipped query by name (see --list).")
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="Bind a named query's parameter.")
@click.option("--list", "list_queries", is_flag=True, help="List the shipped named queries.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Rows of a named listing to show (default: 1000). A longer listing comes in store order.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="First row of a named listing's page.")
@click.option("--all", "all_rows", is_flag=True, help="Every row of a named listing, sorted (slow on big graphs).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--wide", is_flag=True, help="Table: show long cells whole (by default cut at 60 characters, with a note).")
def query(graph, sparql, endpoint, query_file, named, param, list_queries, limit, offset, all_rows, fmt, wide) -> None:
    """Run a SPARQL query against GRAPH (a build folder or an RDF file), or against a SPARQL
    endpoint with --endpoint. Local build folders are queried with Oxigraph, in place.

    \b
    Example:
      kg query output/ "SELECT ?m WHERE { ?p kgo:proposes ?x . ?x rdfs:label ?m } LIMIT 5"
      kg query output/ --named compared_against --param method=ResNet
      kg query output/ --file q.rq --format csv
      kg query --endpoint http://127.0.0.1:7878/query --named most_compared_methods
      kg query output/ --named proposed_methods --limit 100 --offset 100
    """
    from kg.query import DEFAULT_PAGE, QuerySyntaxError, format_result, named_queries, run_named, run_text

    if list_queries:
        for q in named_queries().values():
            params = f"  (params: {', '.join(q.parameters)})" if q.parameters else ""
            click.echo(f"{q.name:24s} {q.description}{params}")
        return
    if endpoint and sparql is None and graph is not None:   # kg query --endpoint URL "SELECT ..."
        graph, sparql = None, graph
    if endpoint and graph is not None:
        fail("give either a GRAPH or --endpoint, not both", 2)
    chosen = [x for x in (sparql, query_file, named) if x]
    if len(chosen) != 1:
        fail("give exactly one of SPARQL, --file or --named (or --list)", 2)
    bindings = {}
    for p in param:
        if "=" not in p:
            fail(f"--param wants NAME=VALUE, got {p!r}", 2)
        k, v = p.split("=", 1)
        bindings[k.strip()] = v
    if (limit or offset or all_rows) and (endpoint or not named):
        fail("--limit, --offset and --all page a --named query on a GRAPH (write LIMIT in your own query)", 2)
    if all_rows and (limit or offset):
        fail("give either --all or --limit/--offset", 2)
    if endpoint:
        _query_endpoint(endpoint, sparql, query_file, named, bindings, fmt, wide)
        return
    if graph is None:
        fail("give a GRAPH (build folder or RDF file) or --endpoint URL", 2)
    g = open_graph(Path(graph), backend="store")
    try:
        if named:
            result = run_named(g, named, bindings, page=None if all_rows else (limit or DEFAULT_PAGE), offset=offset)
        else:
            text = query_file.read_text(encoding="utf-8") if query_file else sparql
            result = run_text(g, text, bindings)
    except KeyError as exc:
        fail(str(exc.args[0]), 2)
    except QuerySyntaxError as exc:   # the position in the user's text, not in ours with prefixes
        fail(str(exc), 2)
    except Exception as exc:  # a query that parses but cannot run: the engine's words
        fail(f"query failed: {exc}", 2)
    click.echo(format_result(result, fmt, max_width=None if wide else 60))
    if result.truncated:    # on stderr: the rows on stdout stay machine-readable
        click.echo(f"note: {result.truncated}", err=True)
    for hint in result.hints:
        click.echo(f"note: {hint}", err=True)


def _query_endpoint(endpoint, sparql, query_file, named, bindings, fmt, wide=False) -> None:
    from kg.query import check_parameters, format_result, named_queries
    from kg.remote import RemoteError, query as remote_query

    if named:
        queries = named_queries()
        if named not in queries:
            fail(f"no named query {named!r}; known: {', '.join(queries)}", 2)
        try:
            check_parameters(queries[named], bindings)
        except KeyError as exc:
            fail(str(exc.args[0]), 2)
        text = queries[named].text
    else:
        text = _with_prefixes(query_file.read_text(encoding="utf-8") if query_file else sparql)
    try:
        result = remote_query(endpoint, text, bindings)
    except (RemoteError, ValueError) as exc:
        fail(str(exc), 2)
    click.echo(format_result(result, fmt, max_width=None if wide else 60))
    if result.truncated:    # on stderr: the rows on stdout stay machine-readable
        click.echo(f"warning: the endpoint cut this result ({result.truncated}); "
                   "ask for fewer rows (LIMIT) or raise the server's --max-rows", err=True)


def _with_prefixes(text: str) -> str:
    """Let users write kgo:, rdfs:, dcterms:, skos:, prov: without declaring them."""
    from kg.query import with_prefixes

    return with_prefixes(text)[0]



@click.command()
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

    result = summary(to_networkx(open_graph(graph)), n=top)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    from kg.analysis import entity_counts_text

    click.echo("nodes:  " + entity_counts_text(result["nodes"]))
    click.echo("edges:  " + ", ".join(f"{v} {k}" for k, v in result["edges"].items()))
    comps = result["components"]
    click.echo(f"components: {comps['count']} (largest: {', '.join(map(str, comps['largest']))})")
    for title, key in (("top methods by degree", "top_methods_by_degree"),
                       ("top methods by PageRank (comparison network)", "top_methods_by_pagerank"),
                       ("most used datasets", "most_used_datasets")):
        click.echo(f"\n{title}:")
        for label, value in result[key]:
            click.echo(f"  {value:>8}  {label}")
    click.echo("\nmost compared pairs: papers, and outcomes from the first method's side")
    for row in result["most_compared_pairs"]:
        outcomes = ", ".join(f"{k} {v}" for k, v in row["outcomes"].items())
        click.echo(f"  {row['papers']:>3}  {row['a']} vs {row['b']}" + (f"  ({row['a']}: {outcomes})" if outcomes else ""))


def _names(value: str | None) -> tuple[str, ...]:
    """A comma-separated option value as a tuple ("method, dataset" → ("method", "dataset"))."""
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@click.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="HTML file to write (default: graph.html in the build folder).")
@click.option("--focus", "-f", multiple=True, metavar="NAME",
              help="Centre on the node with this name (label, other name or paper title, any case); repeatable.")
@click.option("--depth", "-d", type=click.IntRange(0), default=1, show_default=True,
              help="With --focus: how many edges away from it to show.")
@click.option("--types", "-t", metavar="TYPES",
              help="Node types to show, comma-separated: paper, method, family, dataset. Without papers, "
                   "methods link to the datasets their papers evaluate on.")
@click.option("--relation", "-r", metavar="RELATIONS",
              help="Relations to show, comma-separated: proposes, evaluatesOn, comparesTo, memberOf.")
@click.option("--max-nodes", type=click.IntRange(1), default=1500, show_default=True,
              help="Show at most this many nodes, the most connected; the page says when some are left out.")
def viz(graph, output, focus, depth, types, relation, max_nodes) -> None:
    """Write an interactive, offline HTML view of GRAPH: positions computed here, no physics in
    the browser, legend, tooltips with the papers and sentences, a search box.

    \b
    Example:
      kg viz output/ -o graph.html
      kg viz output/ --focus ResNet --depth 2 -o resnet.html
      kg viz output/ --types method,dataset -o methods-datasets.html
      kg viz output/ --relation comparesTo -o comparisons.html
      kg viz output/ --max-nodes 5000
    """
    from kg.files import write_atomic
    from kg.viz import FocusNotFound, ViewOptions, build_view, render_view

    try:
        options = ViewOptions(focus=tuple(focus), depth=depth, types=_names(types), relations=_names(relation),
                              max_nodes=max_nodes)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    g = open_graph(graph)
    try:
        view = build_view(g, options)
    except FocusNotFound as exc:
        fail(f"--focus {exc}")
    target = output or ((graph if graph.is_dir() else graph.parent) / "graph.html")
    page = render_view(view)
    write_atomic(target, lambda p: p.write_text(page, encoding="utf-8"))
    click.echo(f"wrote {target} ({len(view.pg.nodes):,} nodes, {len(view.pg.edges):,} edges)")
    for note in view.notes:
        click.echo(f"note: {note}")


@click.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--dataset", "-d", required=True, help="The dataset (any name the vocabulary knows: ImageNet = ImageNet-1K).")
@click.option("--metric", "-m", default=None, help="Only this metric (top-1 = top-1 accuracy); default: one table per metric.")
@click.option("--task", "-t", default=None, help="Only results of papers that address this task (or a narrower one).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def leaderboard(graph, dataset, metric, task, fmt) -> None:
    """Rank the results reported on a dataset, best first in the metric's direction, each with its
    method's family, the paper and the sentence that states the value.

    \b
    Example:
      kg leaderboard output/ --dataset ImageNet-1K --metric "top-1 accuracy"
      kg leaderboard output/ --dataset COCO --task "object detection" --format csv
    """
    from kg.leaderboard import boards_available, dataset_editions, format_boards, leaderboards

    g = open_graph(graph)
    boards = leaderboards(g, dataset, metric, task)
    if not boards:
        # say what there is instead: a series' editions, the dataset's metrics, other datasets
        editions = dataset_editions(dataset)
        own = [] if editions else boards_available(g, dataset)
        if editions:
            hint = f"; its editions are datasets of their own: {', '.join(editions)}"
        elif own and metric:
            hint = "; its metrics: " + ", ".join(f"{x} ({n})" for _, x, n in own)
        elif own:
            hint = ""     # (results on it, none in papers on the task)
        else:
            hint = _datasets_with_results(boards_available(g))
        fail(f"no results on {dataset!r}" + (f" for {metric!r}" if metric else "")
             + (f" in papers on {task!r}" if task else "") + hint, 1)
    click.echo(format_boards(boards, fmt))


def _datasets_with_results(boards: list[tuple[str, str, int]], most: int = 8) -> str:
    counts: dict[str, int] = {}
    for d, _, n in boards:
        counts[d] = counts.get(d, 0) + n
    if not counts:
        return "; the graph holds no results"
    ranked = sorted(counts, key=lambda d: (-counts[d], d))
    more = f", … ({len(ranked) - most} more)" if len(ranked) > most else ""
    return "; datasets with results: " + ", ".join(f"{d} ({counts[d]})" for d in ranked[:most]) + more


@click.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for analysis.md, analysis.json and the plots (default: the build folder).")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="How many rows per ranking.")
@click.option("--no-plots", is_flag=True, help="Skip the PNG plots (they need matplotlib).")
def analyze(graph, out_dir, top, no_plots) -> None:
    """Write the analysis report of GRAPH and print it: most influential methods (PageRank on the
    comparison network), most used datasets, communities of methods, most compared pairs, and the
    family matrix (how CNNs, vision transformers, hybrids, MLPs, SSMs… fare against each other,
    with the papers behind each cell), and the best result of each family per dataset and metric
    (ranked as kg leaderboard ranks, with paper and sentence). Markdown + JSON, and PNG plots
    with matplotlib.

    \b
    Example:
      kg analyze output/
      kg analyze output/ -o report/ --top 20
      kg analyze output/graph.ttl -o report/ --no-plots
    """
    from kg.report import analyze as run_analysis, write_report

    g = open_graph(graph)
    target = out_dir or (graph if graph.is_dir() else graph.parent)
    written = write_report(run_analysis(g, top=top), target, plots=not no_plots, top=top)
    click.echo(written.markdown)
    for note in written.notes:
        click.echo(f"note: {note}", err=True)
    click.echo("wrote " + ", ".join(str(f) for f in written.files))


@click.command()
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
    from kg.oxstore import triple_count

    g = open_graph(graph, backend="store")
    if output:
        write(g, output, fmt)
        click.echo(f"wrote {output} ({triple_count(g)} triples)")
    else:
        click.echo(serialize(g, fmt))


@click.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="SHACL shapes to use (default: ontology/shapes.ttl).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--engine", type=click.Choice(["auto", "sparql", "pyshacl"]), default="auto", show_default=True,
              help="sparql: the shapes as SPARQL on Oxigraph (linear, on the store in place); pyshacl: "
                   "pySHACL in memory (slow on big graphs); auto: sparql unless the shapes need pySHACL.")
def validate(graph, shapes, fmt, engine) -> None:
    """Check GRAPH against the SHACL shapes of the graph contract (each constraint run as
    SPARQL on Oxigraph; pySHACL for shapes beyond the SHACL Core features this covers).

    One line per violation ("paper/…: dcterms:title — exactly one title
    expected, found 2"). Exit code 0: conforms; 1: violations; 2: the
    graph or the shapes cannot be read.

    \b
    Example:
      kg validate output/
      kg validate graph.ttl --format json
    """
    from kg.validate import validate as run_validate

    g = open_graph(graph, backend="store")   # the shapes run as SPARQL on Oxigraph: no copy into rdflib
    try:
        report = run_validate(g, shapes, engine=engine)
    except Exception as exc:  # unreadable shapes: pySHACL's / the parser's words
        fail(f"cannot validate: {exc}", 2)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        shown = 200
        for v in report.violations[:shown]:
            click.echo(str(v))
        if len(report.violations) > shown:
            click.echo(f"… {len(report.violations) - shown} more (--format json lists them all)")
        for rule, count in sorted(report.by_rule.items(), key=lambda kv: -kv[1]) if not report.conforms else ():
            click.echo(f"  {count:>5} × {rule}")
        click.echo(report.summary())
    if not report.conforms:
        sys.exit(1)
