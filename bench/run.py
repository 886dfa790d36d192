"""Benchmark ``kg build`` on SYNTHETIC corpora (see :mod:`bench.synth`): build throughput (extract +
store: ``kg build --no-html --no-turtle``; Turtle is measured apart, as ``kg export``), peak
memory (the build's whole process tree), store size on disk, Turtle / N-Triples export time and
the latency of every named query, and the same run's plain in-memory rdflib path
(``BuildOptions(store="memory")``) for comparison, as long as it finishes under a time and memory cap.

Every measured step runs in a fresh subprocess (so Python start-up, imports and the vocabulary
load are part of the build time, as they are for a user), watched by a sampler that sums the
resident memory of the subprocess and all its descendants (extraction workers, forkserver)
every 0.2 s; a step over its memory cap or timeout is killed and reported as such.

    python -m bench.run --sizes 10k,100k --out /tmp/kg-bench
    python -m bench.run --sizes 1M --paths store --out /tmp/kg-bench     # results.json is merged

Results: ``OUT/results.json`` (every number, merged across runs) and ``OUT/results.md`` (the
Markdown tables, also printed). Nothing here is a test: it takes minutes to hours.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
GiB = 2 ** 30
MiB = 2 ** 20


# --------------------------------------------------------------------------- process tree memory

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


HZ = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process so far."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def machine_busy() -> float:
    """CPU seconds all CPUs of the machine have been busy since boot (from /proc/stat)."""
    with open("/proc/stat", "rb") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / HZ


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak of the summed RSS (and PSS) of a process and its descendants; kills the process
    group when the RSS sum passes ``cap`` bytes."""

    def __init__(self, pid: int, cap: int | None = None, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.cap, self.interval = pid, cap, interval
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.cpu: dict[int, float] = {}    # last CPU seconds seen per process of the tree
        self.over_cap = False
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = _tree(self.pid)
            for p in pids:
                c = _cpu_seconds(p)
                if c is not None:
                    self.cpu[p] = c
            rss = sum(_rss(p) for p in pids)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_procs = max(self.peak_procs, len(pids))
            if rss * 1.0 >= self.peak_rss * 0.9:      # PSS is costlier to read: only near the peak
                self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))
            if self.cap and rss > self.cap and not self.over_cap:
                self.over_cap = True
                _kill_group(self.pid)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)   # the step's own session: it and its workers, nothing else
    except ProcessLookupError:
        pass


def run_step(cmd: list[str], timeout: float | None = None, cap: int | None = None,
             log: Path | None = None) -> dict:
    """Run ``cmd`` in its own session, timed and memory-sampled; its stdout is returned."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    err = open(log, "ab") if log else subprocess.DEVNULL
    busy0 = machine_busy()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, env=env, start_new_session=True)
    sampler = TreeSampler(proc.pid, cap)
    sampler.start()
    timed_out = False
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    busy = machine_busy() - busy0
    sampler.stop()
    cpu = sum(sampler.cpu.values())
    if log:
        err.close()
    status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
    if timed_out:
        status = f"timeout ({timeout:g}s)"
    elif sampler.over_cap:
        status = f"over memory cap ({cap / GiB:.1f} GiB)"
    return {"cmd": " ".join(cmd), "status": status, "seconds": round(wall, 3),
            "peak_rss": sampler.peak_rss, "peak_pss": sampler.peak_pss, "processes": sampler.peak_procs,
            "cpu_seconds": round(cpu, 1),
            # CPU the rest of the machine used meanwhile, as a share of all its CPUs: other work
            # on a shared machine slows the step down by about this much
            "others_cpu_share": round(max(0.0, busy - cpu) / (wall * (os.cpu_count() or 1)), 3),
            "stdout": out.decode("utf-8", "replace")}


def _json_tail(text: str):
    """The last JSON document printed (helpers print one JSON object on the last line)."""
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def du(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


# --------------------------------------------------------------------------- helper subcommands
# (run in the measured subprocesses)

def _choose_method(graph) -> str:
    from kg.query import run_named

    rows = run_named(graph, "most_compared_methods").rows
    return rows[0][0] if rows else "ResNet"


def helper_queries(location: str, repeat: int, backend: str, typical: str | None = None, whole: bool = True) -> dict:
    """Latency of each named query as ``kg query --named`` runs it (first run, then the median of
    ``repeat`` more): aggregates from the stats graph when the store has one, listings as their
    first page. Queries with a parameter run twice: bound to the most compared method (the biggest
    hub: the worst case, its result grows with the corpus) and, as "<name> (typical)", to
    ``typical``. With ``whole``, once more each the slow way: every row of a listing, sorted
    (``--all``), and an aggregate counted live over every statement."""
    from kg.query import DEFAULT_PAGE, has_stats, named_queries, run_named, run_query
    from kg.store import load_graph

    t0 = time.perf_counter()
    graph = load_graph(location, backend=backend)
    load_s = time.perf_counter() - t0
    stats = has_stats(graph)
    hub = None
    out = {}
    names = sorted(named_queries(), key=lambda n: n != "most_compared_methods")   # it picks the parameter
    for name in names:
        q = named_queries()[name]
        runs = [(name, {})]
        if q.parameters:
            hub = hub or _choose_method(graph)
            runs = [(name, {p: hub for p in q.parameters})]
            if typical:
                runs.append((f"{name} (typical)", {p: typical for p in q.parameters}))
        for label, bindings in runs:
            times, rows, truncated = [], 0, ""
            for _ in range(1 + repeat):
                t = time.perf_counter()
                result = run_named(graph, name, bindings, page=DEFAULT_PAGE)
                times.append(time.perf_counter() - t)
                rows, truncated = len(result.rows), result.truncated
            entry = {"first": round(times[0], 4), "median": round(statistics.median(times[1:] or times), 4),
                     "rows": rows, "bindings": bindings, "paged": bool(truncated),
                     "from_stats": bool(stats and q.stats_text)}
            if whole and (truncated or entry["from_stats"]):
                t = time.perf_counter()
                n = (len(run_query(graph, q.text, bindings).rows) if entry["from_stats"]
                     else len(run_named(graph, name, bindings).rows))
                entry["whole"] = {"seconds": round(time.perf_counter() - t, 4), "rows": n}
            out[label] = entry
    return {"load_seconds": round(load_s, 3), "stats_graph": stats, "queries": out}


def helper_export(location: str, target: str, fmt: str) -> dict:
    from kg.export import export
    from kg.store import load_graph

    graph = load_graph(location, backend="store")
    t0 = time.perf_counter()
    export(graph, target, fmt)
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 3), "bytes": os.path.getsize(target)}


def helper_memory_build(corpus: str, out: str) -> dict:
    from kg.build import BuildOptions, build

    t0 = time.perf_counter()
    report = build([corpus], out, BuildOptions(store="memory"))
    return {"seconds": round(time.perf_counter() - t0, 3), "triples": report.triples,
            "papers": report.papers, "stages": report.seconds}


def helper_memory_queries(out: str, repeat: int, typical: str | None) -> dict:
    """Named queries on the memory path's graph: graph.ttl parsed into rdflib's memory store."""
    return helper_queries(str(Path(out) / "graph.ttl"), repeat, "memory", typical, whole=False)


def typical_method(n: int) -> str:
    """A method of ordinary popularity: the primary method of synthetic paper min(1000, n-1)."""
    from bench.synth import method_name

    return method_name(min(1000, n - 1))


# --------------------------------------------------------------------------- the benchmark

def py() -> list[str]:
    return [sys.executable]


def bench_size(n: int, args, results: dict, log: Path) -> dict:
    from bench.synth import generate, size_label

    label = size_label(n)
    out = Path(args.out)
    entry: dict = {"size": n, "label": label}
    t = time.perf_counter()
    corpus = generate(n, out / "corpus" / f"synthetic-{label}.jsonl", seed=args.seed)
    entry["corpus"] = {"path": str(corpus), "bytes": corpus.stat().st_size,
                       "generate_seconds": round(time.perf_counter() - t, 1)}
    _say(f"[{label}] corpus {corpus} ({corpus.stat().st_size / MiB:.0f} MiB)")

    if "store" in args.paths:
        run_dir = out / "runs" / label / "store"
        shutil.rmtree(run_dir, ignore_errors=True)
        cmd = py() + ["-m", "kg.cli", "build", str(corpus), "--out", str(run_dir), "--fresh", "--no-html", "--no-turtle", "--json"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        _say(f"[{label}] store build: {' '.join(cmd)}")
        step = run_step(cmd, timeout=args.timeout, cap=int(args.store_cap_gb * GiB), log=log)
        report = _json_tail(step.pop("stdout")) or {}
        store = {**step, "papers": report.get("papers"), "triples": report.get("triples"),
                 "entities": report.get("entities"), "relations": report.get("relations"),
                 "stages": report.get("seconds"), "workers": (report.get("store") or {}).get("workers")}
        if step["status"] == "ok":
            from kg.oxstore import current_generation

            gen = current_generation(run_dir)
            store["store_bytes"] = du(gen)
            store["oxigraph_bytes"] = du(gen / "oxigraph")
            store["side_bytes"] = (gen / "side.sqlite").stat().st_size
            store["abstracts_per_s"] = round(n / step["seconds"], 1)
            _say(f"[{label}] built in {step['seconds']:.1f}s ({store['abstracts_per_s']:.0f} abstracts/s), "
                 f"{store['triples']} triples, peak RSS {step['peak_rss'] / GiB:.2f} GiB")
            exports = {}
            for fmt, ext in [(f, e) for f, e in (("turtle", "ttl"), ("nt", "nt")) if f in args.exports]:
                target = out / "runs" / label / f"export.{ext}"
                st = run_step(py() + ["-m", "bench.run", "_export", str(run_dir), str(target), fmt],
                              timeout=args.timeout, log=log)
                res = _json_tail(st.pop("stdout")) or {}
                exports[fmt] = {**st, **res}
                if fmt == "turtle" and res.get("bytes"):
                    store["graph_ttl_bytes"] = res["bytes"]
                if res.get("seconds") and store["triples"]:
                    exports[fmt]["us_per_triple"] = round(1e6 * res["seconds"] / store["triples"], 3)
                target.unlink(missing_ok=True)
                _say(f"[{label}] export {fmt}: {res.get('seconds')}s ({st['status']})")
            store["export"] = exports
            st = run_step(py() + ["-m", "bench.run", "_queries", str(run_dir), "--repeat", str(args.repeat),
                                  "--typical", typical_method(n)], timeout=args.timeout, log=log)
            res = _json_tail(st.pop("stdout")) or {}
            store["queries"] = {**st, **res}
            _say(f"[{label}] queries: " + ", ".join(f"{k} {v['median']:.3f}s"
                                                   for k, v in res.get("queries", {}).items()))
        else:
            _say(f"[{label}] store build failed: {step['status']}")
        entry["store"] = store
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)

    if "memory" in args.paths:
        if n > args.memory_max:
            entry["memory"] = {"status": f"not run (size above --memory-max {args.memory_max})"}
        else:
            mem_dir = out / "runs" / label / "memory"
            shutil.rmtree(mem_dir, ignore_errors=True)
            cmd = py() + ["-m", "bench.run", "_memory_build", str(corpus), str(mem_dir)]
            _say(f"[{label}] memory build (cap {args.memory_timeout:g}s, {args.memory_cap_gb:g} GiB)")
            step = run_step(cmd, timeout=args.memory_timeout, cap=int(args.memory_cap_gb * GiB), log=log)
            res = _json_tail(step.pop("stdout")) or {}
            mem = {**step, **{k: v for k, v in res.items() if k != "seconds"}, "inner_seconds": res.get("seconds")}
            if step["status"] == "ok":
                mem["abstracts_per_s"] = round(n / step["seconds"], 1)
                mem["graph_ttl_bytes"] = (mem_dir / "graph.ttl").stat().st_size
                _say(f"[{label}] memory path built in {step['seconds']:.1f}s, peak RSS {step['peak_rss'] / GiB:.2f} GiB")
                if args.memory_queries:
                    st = run_step(py() + ["-m", "bench.run", "_memory_queries", str(mem_dir), "--repeat", "1",
                                          "--typical", typical_method(n)],
                                  timeout=args.memory_timeout, cap=int(args.memory_cap_gb * GiB), log=log)
                    res = _json_tail(st.pop("stdout")) or {}
                    mem["queries"] = {**st, **res}
                    _say(f"[{label}] memory-path queries: {st['status']}")
            else:
                _say(f"[{label}] memory path: {step['status']} after {step['seconds']:.0f}s")
            entry["memory"] = mem
            if not args.keep:
                shutil.rmtree(mem_dir, ignore_errors=True)
    return entry


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- report

def _gib(b) -> str:
    return "–" if not b else f"{b / GiB:.2f} GiB"


def _mib(b) -> str:
    return "–" if not b else (f"{b / GiB:.2f} GiB" if b >= GiB else f"{b / MiB:.0f} MiB")


def _s(x) -> str:
    if x is None:
        return "–"
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def markdown(results: dict) -> str:
    sizes = sorted(results.get("sizes", {}).values(), key=lambda e: e["size"])
    out = [f"Machine: {results.get('machine', {}).get('cpus')} CPUs, "
           f"{results.get('machine', {}).get('mem_gib')} GiB RAM, Python {results.get('machine', {}).get('python')}; "
           "corpora: bench/synth.py (synthetic).", ""]
    out += ["### `kg build` (Oxigraph store, streaming)", "",
            "| abstracts | triples | build (wall) | abstracts/s | CPU (tree) | others' CPU | extract / labels / write "
            "| peak RSS (tree) | peak PSS | store on disk | graph.ttl | Turtle export | N-Triples export "
            "| Turtle µs/triple |",
            "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for e in sizes:
        s = e.get("store")
        if not s:
            continue
        if s.get("status") != "ok":
            out.append(f"| {e['label']} | – | {s.get('status')} after {_s(s.get('seconds'))} | | | | | "
                       f"{_gib(s.get('peak_rss'))} | | | | | | |")
            continue
        st = s.get("stages") or {}
        ex = s.get("export", {})
        out.append(f"| {e['label']} | {s['triples']:,} | {_s(s['seconds'])} | {s['abstracts_per_s']:,.0f} | "
                   f"{s.get('cpu_seconds', 0):.0f} s | {100 * s.get('others_cpu_share', 0):.0f}% | "
                   f"{st.get('extract', 0):.0f} / {st.get('labels', 0):.0f} / {st.get('write', 0):.0f} s | "
                   f"{_gib(s['peak_rss'])} | {_gib(s['peak_pss'])} | {_mib(s.get('store_bytes'))} | "
                   f"{_mib(s.get('graph_ttl_bytes'))} | {_s(ex.get('turtle', {}).get('seconds'))} | "
                   f"{_s(ex.get('nt', {}).get('seconds'))} | {ex.get('turtle', {}).get('us_per_triple', '–')} |")
    qsizes = [e for e in sizes if (e.get("store") or {}).get("queries", {}).get("queries")]
    if qsizes:
        names = sorted({q for e in qsizes for q in e["store"]["queries"]["queries"]})
        out += ["", "### Named queries on the store, as `kg query --named` runs them (median of repeated runs; "
                "first run in brackets; rows)", "",
                "Aggregates read the stats graph the build keeps (kg/stats.py); listings return their first "
                f"page (1,000 rows; a listing that fits in a page comes whole and sorted). In the last columns, "
                "one run of the slow way: a listing's every row sorted (`--all`), an aggregate counted live "
                "over every statement.", "",
                "| query | " + " | ".join(e["label"] for e in qsizes) + " | "
                + " | ".join(f"{e['label']}: all rows / live" for e in qsizes) + " |",
                "|---|" + "---:|" * (2 * len(qsizes))]
        for name in names:
            cells, slow = [], []
            for e in qsizes:
                q = e["store"]["queries"]["queries"].get(name)
                how = " stats" if q and q.get("from_stats") else (" page" if q and q.get("paged") else "")
                cells.append("–" if not q else f"{_s(q['median'])} ({_s(q['first'])}; {q['rows']:,}{how})")
                w = (q or {}).get("whole")
                slow.append("–" if not w else f"{_s(w['seconds'])} ({w['rows']:,})")
            out.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(slow) + " |")
        notes = []
        for e in qsizes:
            qs = e["store"]["queries"]["queries"]
            hub = next((list(q["bindings"].values())[0] for k, q in qs.items() if q["bindings"] and "(typical)" not in k), None)
            typ = next((list(q["bindings"].values())[0] for k, q in qs.items() if "(typical)" in k), None)
            notes.append(f"{e['label']}: hub `{hub}`" + (f", typical `{typ}`" if typ else ""))
        out += ["", "Parameters of compared_against / evidence_for (the most compared method, and an ordinary one): "
                + "; ".join(notes)]
    msizes = [e for e in sizes if e.get("memory")]
    if msizes:
        out += ["", "### Plain in-memory rdflib path (`BuildOptions(store=\"memory\")`) vs the store path, same corpus", "",
                "| abstracts | memory path (wall) | its CPU | its peak RSS | store path (wall) | its CPU | its peak RSS "
                "| wall ratio memory/store | RSS ratio | memory path: graph.ttl write | memory path: named queries "
                "(sum of medians) | store: named queries (sum) |",
                "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for e in msizes:
            m, s = e["memory"], e.get("store") or {}
            ok = m.get("status") == "ok"
            ratio = f"{m['seconds'] / s['seconds']:.2f}×" if ok and s.get("status") == "ok" else "–"
            rss_ratio = f"{m['peak_rss'] / s['peak_rss']:.2f}×" if ok and s.get("peak_rss") else "–"
            mq = m.get("queries") or {}
            mq_sum = (sum(q["median"] for q in mq.get("queries", {}).values())
                      if mq.get("status") == "ok" and mq.get("queries") else None)
            sq = (s.get("queries") or {}).get("queries") or {}
            sq_sum = sum(q["median"] for q in sq.values()) if sq else None
            mq_text = _s(mq_sum) if mq_sum is not None else (mq.get("status") or "–")
            what = _s(m["seconds"]) if ok else (m.get("status") or "–") + (
                f" after {_s(m.get('seconds'))}" if m.get("seconds") else "")
            write = (m.get("stages") or {}).get("write")
            out.append(f"| {e['label']} | {what} | {_s(m.get('cpu_seconds'))} | {_gib(m.get('peak_rss'))} "
                       f"| {_s(s.get('seconds'))} | {_s(s.get('cpu_seconds'))} | {_gib(s.get('peak_rss'))} | {ratio} "
                       f"| {rss_ratio} | {_s(write)} | {mq_text} | {_s(sq_sum)} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0].startswith("_"):      # a helper inside a measured subprocess
        return _helper(argv)
    from bench.synth import parse_size

    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k", help="comma-separated corpus sizes, e.g. 10k,100k,1M (default: 10k)")
    ap.add_argument("--out", default="/tmp/kg-bench", help="working folder: corpora, stores, results (default: %(default)s)")
    ap.add_argument("--paths", default="store,memory",
                    help="which build paths: store (kg build, Oxigraph), memory (BuildOptions(store='memory')); default: both")
    ap.add_argument("--workers", type=int, default=None, help="kg build --workers (default: kg's own choice)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each named query after the first (default: 3)")
    ap.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per store-path step (default: 3 h)")
    ap.add_argument("--store-cap-gb", type=float, default=16, help="memory cap of a store-path step (default: 16)")
    ap.add_argument("--memory-max", type=parse_size, default=parse_size("100k"),
                    help="largest size the memory path is tried at (default: 100k)")
    ap.add_argument("--memory-timeout", type=float, default=900, help="time cap of the memory path (default: 900 s)")
    ap.add_argument("--memory-cap-gb", type=float, default=8, help="memory cap of the memory path (default: 8 GiB)")
    ap.add_argument("--no-memory-queries", dest="memory_queries", action="store_false",
                    help="skip the named queries on the memory path's graph")
    ap.add_argument("--exports", default="turtle,nt", help="exports to time: turtle, nt (default: both)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    ap.add_argument("--keep", action="store_true", help="keep the built stores (default: deleted after measuring)")
    args = ap.parse_args(argv)
    args.paths = {p.strip() for p in args.paths.split(",") if p.strip()}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / "results.json"
    try:
        results = json.loads(results_path.read_text())
    except (OSError, ValueError):
        results = {}
    results["machine"] = {"cpus": os.cpu_count(), "mem_gib": round(os.sysconf("SC_PHYS_PAGES") * PAGE / GiB, 1),
                          "python": platform.python_version(), "platform": platform.platform()}
    results.setdefault("sizes", {})
    log = out / "bench.log"
    for n in sorted(parse_size(s) for s in args.sizes.split(",") if s.strip()):
        entry = bench_size(n, args, results, log)
        entry["command"] = "python -m bench.run " + " ".join(argv)
        entry["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
        previous = results["sizes"].get(entry["label"], {})
        results["sizes"][entry["label"]] = {**previous, **entry}   # a store-only run keeps the memory numbers
        results_path.write_text(json.dumps(results, indent=2))
        (out / "results.md").write_text(markdown(results) + "\n")
    print(markdown(results))
    return 0


def _helper(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run _helper")
    ap.add_argument("helper")
    ap.add_argument("a")
    ap.add_argument("b", nargs="?")
    ap.add_argument("c", nargs="?")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--typical", default=None)
    args = ap.parse_args(argv)
    if args.helper == "_queries":
        res = helper_queries(args.a, args.repeat, "store", args.typical)
    elif args.helper == "_export":
        res = helper_export(args.a, args.b, args.c)
    elif args.helper == "_memory_build":
        res = helper_memory_build(args.a, args.b)
    elif args.helper == "_memory_queries":
        res = helper_memory_queries(args.a, args.repeat, args.typical)
    else:
        raise SystemExit(f"unknown helper {args.helper}")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
