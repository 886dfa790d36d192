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
      kg build examples/seeds/*.txt --out output/
      kg build examples/seeds/ --out output/
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
@click.option("--no-turtle", is_flag=True,
              help="Skip writing graph.ttl (big stores: query the store, `kg export` when a file is needed).")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.option("--workers", "-j", type=click.IntRange(1), default=None,
              help="Extraction processes (default: all cores for inputs over a few MB, else 1).")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Extract on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786 (needs kg-papers[dask]).")
@click.option("--fresh", is_flag=True, help="Start from an empty store instead of adding to the folder's store.")
@click.option("--reextract", is_flag=True, help="Extract the papers already in the store again (automatic when "
              "the extractors, vocabulary or --min-confidence changed).")
@click.option("--wait", type=click.FloatRange(0), default=0.0, show_default=True, metavar="SECONDS",
              help="Wait this long for another build of the same folder to finish, then give up.")
@click.option("--store", "store_kind", type=click.Choice(["oxigraph", "memory"]), default="oxigraph",
              show_default=True, help="oxigraph: persistent store in DIR/store (incremental); memory: "
              "plain in-memory rdflib build, outputs replaced.")
@click.option("--category", "categories", multiple=True, metavar="CAT",
              help="Keep only papers in this arXiv category or archive (cs.CV, or cs for every cs.*); "
              "repeatable. Papers without categories are left out too.")
@click.option("--columns", "columns", metavar="FIELD=HEADER,...", callback=lambda c, p, v: _parse_columns(v),
              help="Which CSV/TSV column holds which field when the header is not one the reader knows, "
              "e.g. title=Headline,abstract=Summary (fields: title, abstract, authors, year, date, venue, "
              "doi, url, id).")
@click.option("--encoding", default=None, metavar="NAME",
              help="Text encoding of CSV, TSV, RIS and text listings (default: UTF-8, else cp1252 with a "
              "warning for tables and RIS), e.g. cp1252, latin-1, utf-16.")
@click.option("--model", "model", default=None, metavar="MODEL",
              help="Extraction model file written by `kg train` (default: the shipped model; "
              "'rules' for the hand-written rules alone).")
def build(listings, out_dir, fmt, min_confidence, no_html, no_turtle, as_json, workers, dask_address, fresh,
          reextract, wait, store_kind, categories, columns, encoding, model) -> None:
    """Read LISTINGS (files, or folders: the listing files under them), extract triples and
    write the graph to --out.

    Formats are recognised by content: Hugging Face listing text, JSON / JSON Lines, CSV / TSV
    (Zotero, Mendeley, Scopus, Web of Science and spreadsheet exports), RIS, CSL-JSON, BibTeX,
    arXiv Atom (.xml), OpenAlex, Semantic Scholar. In a folder, files no reader recognises are
    left out and named in the summary.

    The graph goes into a persistent Oxigraph store in DIR/store: building again into the same
    folder adds new papers only (the same input twice changes nothing); a killed build leaves
    the previous store and outputs intact; two builds of one folder never run at once.

    \b
    Example:
      kg build examples/seeds/*.txt --out output/
      kg build examples/seeds/ --out output/
      kg build papers.jsonl papers.csv --out output/ --min-confidence 0.7
      kg build zotero.csv zotero.ris library.json --out output/
      kg build sheet.csv --columns title=Headline,abstract=Summary --encoding cp1252 --out output/
      kg build big.jsonl --out big/ --workers 2 --no-html --no-turtle
      kg build big.jsonl --out big/ --dask tcp://scheduler:8786
      kg build arxiv-metadata-oai-snapshot.json --category cs.CV --category cs.LG --out cv/
      kg build arxiv.xml openalex.json s2.json refs.bib --out output/
    """
    from kg.build import BuildOptions
    from kg.oxstore import StoreBusy, StoreError
    from kg.page import build_with_page

    bar = None
    if store_kind == "oxigraph" and not as_json and sys.stderr.isatty():
        from kg.progress import TerminalProgress
        bar = TerminalProgress(sys.stderr)
    try:
        options = BuildOptions(format=fmt, min_confidence=min_confidence, store=store_kind, workers=workers,
                               dask=dask_address, fresh=fresh, reextract=reextract, wait=wait, categories=categories,
                               turtle=not no_turtle, columns=columns, encoding=encoding, model=model)
        report = build_with_page(listings, out_dir, options, progress=bar, page=not no_html)
    except (StoreBusy, StoreError, ValueError, RuntimeError) as exc:
        _fail(str(exc))
    except OSError as exc:   # a read-only or missing output folder, a full disk: no traceback
        _fail(_os_error(exc, out_dir))
    finally:
        if bar:
            bar.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report))
    if not report.ok:
        _fail("no paper could be read; previous outputs left untouched")


def _parse_columns(value: str | None) -> dict[str, str]:
    """``title=Headline,abstract=Summary`` → {"title": "Headline", "abstract": "Summary"}."""
    from kg.readers.tabular import HEADER_ALIASES

    columns: dict[str, str] = {}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        field, sep, header = part.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise click.BadParameter(f"{part.strip()!r}: expected FIELD=HEADER, e.g. title=Headline")
        field = field.strip().lower()
        if field not in HEADER_ALIASES and field != "author":
            raise click.BadParameter(f"unknown field {field!r} (fields: {', '.join(HEADER_ALIASES)})")
        columns[field] = header.strip()
    return columns


_LISTED = 20   # files, left-out files and warnings named in the summary (all of them in report.json)


def _os_error(exc: OSError, out_dir: Path) -> str:
    """What an OSError during a build says, as one line naming the file (escaped for display)."""
    from kg.readers import display_path

    where = display_path(exc.filename) if exc.filename else display_path(out_dir)
    return f"cannot write the build to {display_path(out_dir)}: {where}: {exc.strerror or exc}"


def format_report(report) -> str:
    lines = [f"read {report.entries} entries from {len(report.files)} file(s): "
             f"{report.papers} papers, {report.duplicates} duplicates merged, {len(report.skipped)} skipped"
             + (f", {report.filtered} outside --category" if report.filtered else "")]
    readers = list(report.readers.items())
    for path, reader in readers[:_LISTED]:
        lines.append(f"  read {path} ({reader})")
    if len(readers) > _LISTED:
        lines.append(f"  … {len(readers) - _LISTED} more files read (see report.json)")
    for item in report.left_out[:_LISTED]:
        lines.append(f"  left out {item['file']}: {item['reason']}")
    if len(report.left_out) > _LISTED:
        lines.append(f"  … {len(report.left_out) - _LISTED} more files left out (see report.json)")
    for w in report.warnings[:_LISTED]:
        lines.append(f"  warning {w['source']}: {w['message']}")
    if len(report.warnings) > _LISTED:
        lines.append(f"  … {len(report.warnings) - _LISTED} more warnings (see report.json)")
    for err in report.file_errors:
        lines.append(f"  file error: {err}")
    for s in report.skipped[:20]:
        lines.append(f"  skipped {s['source']}: {s['reason']}")
    if len(report.skipped) > 20:
        lines.append(f"  … {len(report.skipped) - 20} more skipped entries (see report.json)")
    if report.ok:
        rel = ", ".join(f"{v} {k}" for k, v in sorted(report.relations.items())) or "no relations"
        from kg.analysis import entity_counts_text

        ent = entity_counts_text(report.entities)
        incremental = (report.store or {}).get("mode") == "incremental"   # totals of every build into the store
        lines.append(f"{'relations' if incremental else 'extracted'} {rel}; entities: {ent}")
        lines.append(f"{report.triples} RDF triples in {report.seconds.get('total', 0):.1f}s")
        st = report.store
        if st:
            how = (f"{st['new_papers']} new papers" + (f", {st['reextracted']} re-extracted" if st["reextracted"] else "")
                   + f", {st['known_papers']} already there, {st['new_sources']} new listings"
                   + (f", {sum(st['relations_extracted'].values())} relations extracted"
                      if incremental and st.get("relations_extracted") else ""))
            lines.append(f"store {st['path']} ({st['mode']}): {how}"
                         + ("" if st["changed"] else " - nothing changed"))
            if st.get("html_skipped"):
                lines.append(f"  {st['html_skipped']}")
        lines.extend(f"wrote {o}" for o in report.outputs)
    return "\n".join(lines)


@main.command()
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
        _fail("give either a GRAPH or --endpoint, not both", 2)
    chosen = [x for x in (sparql, query_file, named) if x]
    if len(chosen) != 1:
        _fail("give exactly one of SPARQL, --file or --named (or --list)", 2)
    bindings = {}
    for p in param:
        if "=" not in p:
            _fail(f"--param wants NAME=VALUE, got {p!r}", 2)
        k, v = p.split("=", 1)
        bindings[k.strip()] = v
    if (limit or offset or all_rows) and (endpoint or not named):
        _fail("--limit, --offset and --all page a --named query on a GRAPH (write LIMIT in your own query)", 2)
    if all_rows and (limit or offset):
        _fail("give either --all or --limit/--offset", 2)
    if endpoint:
        _query_endpoint(endpoint, sparql, query_file, named, bindings, fmt, wide)
        return
    if graph is None:
        _fail("give a GRAPH (build folder or RDF file) or --endpoint URL", 2)
    g = _load(Path(graph), backend="store")
    try:
        if named:
            result = run_named(g, named, bindings, page=None if all_rows else (limit or DEFAULT_PAGE), offset=offset)
        else:
            text = query_file.read_text(encoding="utf-8") if query_file else sparql
            result = run_text(g, text, bindings)
    except KeyError as exc:
        _fail(str(exc.args[0]), 2)
    except QuerySyntaxError as exc:   # the position in the user's text, not in ours with prefixes
        _fail(str(exc), 2)
    except Exception as exc:  # a query that parses but cannot run: the engine's words
        _fail(f"query failed: {exc}", 2)
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
            _fail(f"no named query {named!r}; known: {', '.join(queries)}", 2)
        try:
            check_parameters(queries[named], bindings)
        except KeyError as exc:
            _fail(str(exc.args[0]), 2)
        text = queries[named].text
    else:
        text = _with_prefixes(query_file.read_text(encoding="utf-8") if query_file else sparql)
    try:
        result = remote_query(endpoint, text, bindings)
    except (RemoteError, ValueError) as exc:
        _fail(str(exc), 2)
    click.echo(format_result(result, fmt, max_width=None if wide else 60))
    if result.truncated:    # on stderr: the rows on stdout stay machine-readable
        click.echo(f"warning: the endpoint cut this result ({result.truncated}); "
                   "ask for fewer rows (LIMIT) or raise the server's --max-rows", err=True)


def _with_prefixes(text: str) -> str:
    """Let users write kgo:, rdfs:, dcterms:, skos:, prov: without declaring them."""
    from kg.query import with_prefixes

    return with_prefixes(text)[0]


def _load(location: Path, backend: str = "auto"):
    from kg.store import GraphNotFound, load_graph

    try:
        return load_graph(location, backend=backend)
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


@main.command()
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
    g = _load(graph)
    try:
        view = build_view(g, options)
    except FocusNotFound as exc:
        _fail(f"--focus {exc}")
    target = output or ((graph if graph.is_dir() else graph.parent) / "graph.html")
    page = render_view(view)
    write_atomic(target, lambda p: p.write_text(page, encoding="utf-8"))
    click.echo(f"wrote {target} ({len(view.pg.nodes):,} nodes, {len(view.pg.edges):,} edges)")
    for note in view.notes:
        click.echo(f"note: {note}")


@main.command()
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
    from kg.leaderboard import format_boards, leaderboards

    boards = leaderboards(_load(graph), dataset, metric, task)
    if not boards:
        _fail(f"no results on {dataset!r}" + (f" for {metric!r}" if metric else "")
              + (f" in papers on {task!r}" if task else ""), 1)
    click.echo(format_boards(boards, fmt))


@main.command()
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

    g = _load(graph)
    target = out_dir or (graph if graph.is_dir() else graph.parent)
    written = write_report(run_analysis(g, top=top), target, plots=not no_plots, top=top)
    click.echo(written.markdown)
    for note in written.notes:
        click.echo(f"note: {note}", err=True)
    click.echo("wrote " + ", ".join(str(f) for f in written.files))


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
    from kg.oxstore import triple_count

    g = _load(graph, backend="store")
    if output:
        write(g, output, fmt)
        click.echo(f"wrote {output} ({triple_count(g)} triples)")
    else:
        click.echo(serialize(g, fmt))


@main.command()
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

    g = _load(graph, backend="store")   # the shapes run as SPARQL on Oxigraph: no copy into rdflib
    try:
        report = run_validate(g, shapes, engine=engine)
    except Exception as exc:  # unreadable shapes: pySHACL's / the parser's words
        _fail(f"cannot validate: {exc}", 2)
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


@main.group()
def fetch() -> None:
    """Download paper metadata from an online source into a file `kg build` reads.

    \b
    Example:
      kg fetch arxiv "cat:cs.CV AND ti:transformer" --max 200 -o cv.xml
      kg build cv.xml --out output/
    """


@fetch.command("arxiv")
@click.argument("query")
@click.option("--max", "max_results", type=click.IntRange(1), default=100, show_default=True,
              help="Most papers to fetch.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Atom file to write (kg build reads it).")
@click.option("--page-size", type=click.IntRange(1, 2000), default=100, show_default=True,
              help="Results per request.")
@click.option("--sort", "sort_by", type=click.Choice(["relevance", "lastUpdatedDate", "submittedDate"]),
              default=None, help="Order of results (the API's default: relevance).")
@click.option("--order", "sort_order", type=click.Choice(["ascending", "descending"]), default=None)
@click.option("--delay", type=click.FloatRange(3.0), default=3.0, show_default=True, metavar="SECONDS",
              help="Seconds between requests (arXiv asks for at least 3).")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Retries of a failed request (connection errors, 429, 5xx), with growing waits.")
@click.option("--api-url", default="https://export.arxiv.org/api/query", show_default=True,
              help="The API endpoint (a mirror, or a local server in tests).")
def fetch_arxiv_command(query, max_results, output, page_size, sort_by, sort_order, delay, retries, api_url) -> None:
    """Query the arXiv API with QUERY (arXiv search syntax) and write the results to --output.

    Pages politely: one request every --delay seconds, bounded retries. When a later page
    fails for good, the papers fetched before it are written and the exit status is 1.

    \b
    Example:
      kg fetch arxiv "cat:cs.CV AND abs:segmentation" --max 300 -o seg.xml
      kg fetch arxiv "au:Hinton" --sort submittedDate --order descending -o hinton.xml
    """
    from kg.fetch import FetchError, fetch_arxiv

    def show(rep) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{rep.entries}/{min(rep.wanted, rep.total_results or rep.wanted)} entries", err=True, nl=False)

    try:
        report = fetch_arxiv(query, output, max_results=max_results, page_size=page_size, sort_by=sort_by,
                             sort_order=sort_order, delay=delay, retries=retries, api_url=api_url, progress=show)
    except FetchError as exc:
        _fail(str(exc))
    if sys.stderr.isatty():
        click.echo("", err=True)
    if not report.entries:
        _fail(f"no paper matches {query!r}; nothing written")
    click.echo(f"wrote {report.entries} papers to {report.output} ({report.total_results} match the query; "
               f"{report.requests} requests, {report.seconds:.1f}s)")
    if report.error:
        _fail(f"stopped early: {report.error}")


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


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--endpoint", "-e", metavar="URL", required=True,
              help="SPARQL 1.1 Graph Store endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                   "http://host:3030/ds/data (Fuseki).")
@click.option("--graph-iri", "graph_iri", metavar="IRI", default=None,
              help="Push into this named graph (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to what the target graph holds instead of replacing it.")
@click.option("--chunk", "chunk", type=click.IntRange(1), default=500_000, show_default=True,
              help="Triples per HTTP request.")
@click.option("--timeout", type=click.FloatRange(1), default=600.0, show_default=True, help="Seconds per request.")
def push(graph, endpoint, graph_iri, append, chunk, timeout) -> None:
    """Send GRAPH to a SPARQL server with the SPARQL 1.1 Graph Store HTTP Protocol.

    The first request replaces the target graph (PUT) unless --append; big graphs go as several
    N-Triples requests. Query it afterwards with kg query --endpoint.

    \b
    Example:
      oxigraph serve --location /tmp/ox --bind 127.0.0.1:7878 &
      kg push output/ --endpoint http://127.0.0.1:7878/store
      kg query --endpoint http://127.0.0.1:7878/query --named datasets_by_papers
    """
    from kg.remote import RemoteError, push as run_push
    from kg.store import GraphNotFound

    try:
        rep = run_push(graph, endpoint, graph=graph_iri, replace=not append, chunk_triples=chunk, timeout=timeout)
    except GraphNotFound as exc:
        _fail(str(exc))
    except RemoteError as exc:
        _fail(str(exc))
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    click.echo(f"pushed {rep.triples} triples to {target} of {endpoint} in {rep.requests} request(s), {rep.seconds:.1f}s")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port (0: any free port). Not Oxigraph server's 7878, so both can run.")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True,
              help="Most solutions (or triples) returned; a cut result has the X-KG-Truncated header.")
@click.option("--max-bytes", type=click.IntRange(1024), default=32 << 20, show_default=True,
              help="Most bytes in one answer's body; a cut result has the X-KG-Truncated header.")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True, help="Queries answered at once.")
@click.option("--read-timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds a connection may stay silent, or take to send its request, before it is closed.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable; '*': any). Loopback names "
                   "and the bound address are always accepted; others are refused (DNS rebinding).")
@click.option("--cors", metavar="ORIGIN", default=None,
              help="Let browser pages from ORIGIN (or '*') read answers (CORS headers); off by default.")
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
def serve(graph, host, port, timeout, max_rows, max_bytes, workers, read_timeout, allow_hosts, cors, quiet) -> None:
    """Serve GRAPH as a read-only SPARQL 1.1 endpoint (GET/POST /sparql) for other tools.

    Updates are refused, and so are federated queries (SERVICE): the server never sends a
    request for a caller. Each query runs under a time limit in a worker process that is
    stopped when it overruns, and results are capped at --max-rows and --max-bytes. SELECT
    answers come as SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as N-Triples, Turtle,
    RDF/XML or JSON-LD, by the Accept header. A build into the same folder may run meanwhile:
    queries switch to the new graph once it is complete.

    \b
    Example:
      kg serve output/
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' http://127.0.0.1:8765/sparql
      kg query --endpoint http://127.0.0.1:8765/sparql --named most_compared_methods
      kg serve output/ --cors https://yasgui.triply.cc
    """
    from kg.serve import make_server
    from kg.store import GraphNotFound

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: binding {host}: anyone who can reach this address can query the graph", err=True)
    try:
        server = make_server(graph, host, port, timeout=timeout, max_rows=max_rows, workers=workers,
                             log=None if quiet else (lambda m: click.echo(m, err=True)), max_bytes=max_bytes,
                             read_timeout=read_timeout, allowed_hosts=allow_hosts, cors=cors)
    except GraphNotFound as exc:
        _fail(str(exc))
    except (OSError, RuntimeError) as exc:
        _fail(f"cannot serve {graph}: {exc}")
    click.echo(f"serving {graph} read-only at {server.url} (timeout {timeout:g}s, max {max_rows} rows); Ctrl-C stops",
               err=False)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":
    main()


@main.command()
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
        _fail(str(exc))
    save_model(model, out)
    sizes = ", ".join(f"{k} {v}" for k, v in model.meta["candidates"].items())
    click.echo(f"trained on {len(annotated)} annotated papers (candidates: {sizes}); wrote {out}")


@main.command()
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
        _fail(f"cannot read {gold}: {exc}")
    graph = _load(Path(source))
    scores = score_graph(graph, annotations)
    if as_json:
        click.echo(json.dumps({k: v for k, v in scores.items() if k != "errors"} | {"errors": scores["errors"][:show_errors]}, indent=2))
    else:
        click.echo(format_scores(scores, show_errors))
