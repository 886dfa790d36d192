"""The commands that talk to other servers or serve the graph: fetch, push, serve."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.common import fail


@click.group()
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
        fail(str(exc))
    if sys.stderr.isatty():
        click.echo("", err=True)
    if not report.entries:
        fail(f"no paper matches {query!r}; nothing written")
    click.echo(f"wrote {report.entries} papers to {report.output} ({report.total_results} match the query; "
               f"{report.requests} requests, {report.seconds:.1f}s)")
    if report.error:
        fail(f"stopped early: {report.error}")


@click.command()
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
      oxigraph serve --location oxigraph-data/ --bind 127.0.0.1:7878 &
      kg push output/ --endpoint http://127.0.0.1:7878/store
      kg query --endpoint http://127.0.0.1:7878/query --named datasets_by_papers
    """
    from kg.remote import RemoteError, push as run_push
    from kg.store import GraphNotFound

    try:
        rep = run_push(graph, endpoint, graph=graph_iri, replace=not append, chunk_triples=chunk, timeout=timeout)
    except GraphNotFound as exc:
        fail(str(exc))
    except RemoteError as exc:
        fail(str(exc))
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    click.echo(f"pushed {rep.triples} triples to {target} of {endpoint} in {rep.requests} request(s), {rep.seconds:.1f}s")


@click.command()
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
        fail(str(exc))
    except (OSError, RuntimeError) as exc:
        fail(f"cannot serve {graph}: {exc}")
    click.echo(f"serving {graph} read-only at {server.url} (timeout {timeout:g}s, max {max_rows} rows); Ctrl-C stops",
               err=False)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
