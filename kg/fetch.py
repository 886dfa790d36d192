"""``kg fetch arxiv``: query the arXiv API and save the results as one Atom file ``kg build`` reads.

The client pages politely, as arXiv's API terms ask: at most one request every 3 seconds
(``delay``, measured from the start of one request to the start of the next, retries included),
pages of ``page_size`` results, and a bounded number of retries (``retries``) with a growing
wait for answers that may succeed later: connection errors, time-outs, HTTP 429 and 5xx
(``Retry-After`` honoured), a page that does not parse, and the empty page arXiv sometimes
returns before the end of the results. Anything else (HTTP 400, an error entry for a malformed
query) fails at once.

Time is read and spent through a :class:`Clock`, so tests run at full speed and can check the
spacing with a fake clock; HTTP goes through ``urllib`` (no dependency).
"""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from kg.files import write_atomic

ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_DELAY = 3.0        # seconds between requests, as arXiv asks
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 2000       # the API's limit per request
DEFAULT_RETRIES = 3
DEFAULT_TIMEOUT = 30.0
MAX_RETRY_AFTER = 300.0    # a server's Retry-After longer than this is not waited for
RETRY_STATUSES = (429, 500, 502, 503, 504)
SORT_BY = ("relevance", "lastUpdatedDate", "submittedDate")
SORT_ORDER = ("ascending", "descending")

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
ARXIV = "http://arxiv.org/schemas/atom"


class FetchError(Exception):
    """The API could not be queried (after the allowed retries), or refused the query."""


class Clock(Protocol):
    """Where the client reads the time and waits; :class:`SystemClock` in real use."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class FetchReport:
    """What a fetch did: entries written, requests made, whether every wanted result came."""

    query: str
    output: str = ""
    wanted: int = 0
    entries: int = 0
    total_results: int | None = None   # what the API says the query matches
    requests: int = 0
    retries: int = 0
    duplicates: int = 0                # entries a later page repeated (results shift while paging)
    complete: bool = False
    error: str = ""                    # why fetching stopped early (entries before it are written)
    seconds: float = 0.0
    waits: list[float] = field(default_factory=list)   # seconds slept before each request

    def to_dict(self) -> dict:
        return asdict(self)


ProgressFn = Callable[[FetchReport], None]


class _Pacer:
    """Keeps request starts at least ``delay`` seconds apart (longer when a retry backs off)."""

    def __init__(self, clock: Clock, delay: float) -> None:
        self.clock, self.delay = clock, delay
        self.last: float | None = None

    def wait(self, at_least: float = 0.0) -> float:
        gap = max(self.delay, at_least)
        slept = 0.0
        if self.last is not None:
            slept = max(0.0, self.last + gap - self.clock.monotonic())
            if slept:
                self.clock.sleep(slept)
        self.last = self.clock.monotonic()
        return slept


def _user_agent() -> str:
    try:
        from importlib.metadata import version

        v = version("kg-papers")
    except Exception:   # not installed as a distribution (running from a checkout)
        v = "dev"
    return f"kg-papers/{v} (offline knowledge-graph builder; polite paging, 1 request / 3 s)"


def _http_get(url: str, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET; an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, headers={"User-Agent": _user_agent()})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers.items()) if exc.headers else {}, exc.read()


@dataclass
class _Page:
    total: int | None
    entries: list[ET.Element]


class _Retry(Exception):
    def __init__(self, reason: str, wait: float = 0.0) -> None:
        super().__init__(reason)
        self.wait = wait


def _parse_page(body: bytes) -> _Page:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise _Retry(f"the response is not well-formed XML ({exc})") from None
    if root.tag != f"{{{ATOM}}}feed":
        raise _Retry(f"the response is not an Atom feed (root {root.tag})")
    entries = root.findall(f"{{{ATOM}}}entry")
    for entry in entries:
        entry_id = entry.findtext(f"{{{ATOM}}}id") or ""
        if "/api/errors" in entry_id:
            raise FetchError(f"arXiv refused the query: {(entry.findtext(f'{{{ATOM}}}summary') or entry_id).strip()}")
    total_text = (root.findtext(f"{{{OPENSEARCH}}}totalResults") or "").strip()
    return _Page(int(total_text) if total_text.isdigit() else None, entries)


def _retry_after(headers: dict[str, str]) -> float:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "")
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        return 0.0   # an HTTP date: fall back to the client's own backoff


def fetch_arxiv(query: str, output: str | Path, *, max_results: int = 100, page_size: int = DEFAULT_PAGE_SIZE,
                sort_by: str | None = None, sort_order: str | None = None, delay: float = DEFAULT_DELAY,
                retries: int = DEFAULT_RETRIES, timeout: float = DEFAULT_TIMEOUT, api_url: str = ARXIV_API,
                clock: Clock | None = None, progress: ProgressFn | None = None) -> FetchReport:
    """Fetch up to ``max_results`` papers matching ``query`` (arXiv search syntax, e.g.
    ``cat:cs.CV AND ti:transformer``) and write them to ``output`` as one Atom feed.

    Raises :class:`FetchError` when nothing could be fetched. When a later page fails for good,
    the entries fetched before it are written and ``report.error`` says why it stopped
    (``report.complete`` is False).
    """
    if max_results < 1:
        raise ValueError("max_results must be at least 1")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    if sort_by is not None and sort_by not in SORT_BY:
        raise ValueError(f"sort_by must be one of {', '.join(SORT_BY)}")
    if sort_order is not None and sort_order not in SORT_ORDER:
        raise ValueError(f"sort_order must be one of {', '.join(SORT_ORDER)}")
    clock = clock or SystemClock()
    pacer = _Pacer(clock, delay)
    report = FetchReport(query=query, wanted=max_results)
    started = clock.monotonic()
    entries: list[ET.Element] = []
    seen: set[str] = set()
    start = 0
    while len(entries) < max_results:
        params = {"search_query": query, "start": start, "max_results": min(page_size, max_results - len(entries))}
        if sort_by:
            params["sortBy"] = sort_by
        if sort_order:
            params["sortOrder"] = sort_order
        url = f"{api_url}?{urllib.parse.urlencode(params)}"
        try:
            page = _get_page(url, start, report, pacer, delay, retries, timeout)
        except FetchError as exc:
            if not entries:
                raise
            report.error = str(exc)
            break
        if report.total_results is None:
            report.total_results = page.total
        for entry in page.entries:
            key = (entry.findtext(f"{{{ATOM}}}id") or "").strip()
            if key in seen:
                report.duplicates += 1
                continue
            seen.add(key)
            entries.append(entry)
        start += len(page.entries)
        if progress:
            report.entries = len(entries)
            progress(report)
        total = page.total if page.total is not None else report.total_results
        if not page.entries or (total is not None and start >= total):
            break
    entries = entries[:max_results]
    report.entries = len(entries)
    report.complete = not report.error
    if not entries:
        report.seconds = round(clock.monotonic() - started, 3)
        return report   # the query matches nothing: no file is written
    _write_feed(Path(output), query, entries, report.total_results)
    report.output = str(output)
    report.seconds = round(clock.monotonic() - started, 3)
    return report


def _get_page(url: str, start: int, report: FetchReport, pacer: _Pacer, delay: float, retries: int,
              timeout: float) -> _Page:
    """One page, retried up to ``retries`` times; every request is paced."""
    backoff = 0.0
    reason = ""
    for attempt in range(retries + 1):
        report.waits.append(round(pacer.wait(backoff), 3))
        report.requests += 1
        if attempt:
            report.retries += 1
        try:
            status, headers, body = _http_get(url, timeout)
        except (urllib.error.URLError, OSError) as exc:   # refused, reset, DNS, time-out
            reason = f"cannot reach {urllib.parse.urlsplit(url).netloc}: {getattr(exc, 'reason', exc)}"
            backoff = delay * 2 ** (attempt + 1)
            continue
        try:
            if status in RETRY_STATUSES:
                raise _Retry(f"HTTP {status}", _retry_after(headers))
            if status != 200:
                raise FetchError(f"HTTP {status} from the arXiv API: {body[:200].decode('utf-8', 'replace').strip()}")
            page = _parse_page(body)
            if not page.entries and page.total is not None and start < page.total:
                raise _Retry(f"an empty page at {start} of {page.total} results")   # a known arXiv hiccup
            return page
        except _Retry as exc:
            reason = str(exc)
            backoff = max(exc.wait, delay * 2 ** (attempt + 1))
    raise FetchError(f"giving up on {url} after {retries + 1} attempts: {reason}")


def _write_feed(path: Path, query: str, entries: list[ET.Element], total: int | None) -> None:
    """One Atom feed of every entry, shaped like an API response (so the arxiv reader reads it)."""
    ET.register_namespace("", ATOM)
    ET.register_namespace("opensearch", OPENSEARCH)
    ET.register_namespace("arxiv", ARXIV)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"ArXiv Query: search_query={query}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{ARXIV_API}?{urllib.parse.urlencode({'search_query': query})}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    ET.SubElement(feed, f"{{{OPENSEARCH}}}totalResults").text = str(total if total is not None else len(entries))
    ET.SubElement(feed, f"{{{OPENSEARCH}}}startIndex").text = "0"
    ET.SubElement(feed, f"{{{OPENSEARCH}}}itemsPerPage").text = str(len(entries))
    feed.extend(entries)
    ET.indent(feed, space="  ")
    data = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    write_atomic(path, lambda p: p.write_bytes(data + b"\n"))
