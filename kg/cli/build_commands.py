"""``kg build`` (with its summary) and ``kg formats``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.common import fail


@click.command()
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
        fail(str(exc))
    except OSError as exc:   # a read-only or missing output folder, a full disk: no traceback
        fail(_os_error(exc, out_dir))
    finally:
        if bar:
            bar.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report))
    if not report.ok:
        fail("no paper could be read; previous outputs left untouched")


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


@click.command("formats")
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
