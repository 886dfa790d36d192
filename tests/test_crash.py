"""Crash safety of ``kg build`` (issue 7): a build killed at any point leaves the previous store and
outputs intact and queryable, the next build completes and is right, and two builds of one folder
never run at once.

Builds that get killed run as subprocesses in their own session (process group); a finaliser
kills whatever of that group is left, and every wait has a deadline."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.oxstore import LOCK_FILE, StoreBusy, build_lock, current_generation, generations, store_root
from kg.store import load_graph
from kg.build import BuildOptions
from kg.build.store_build import build_store
from kg.page import build_with_page

OUTPUTS = ("graph.ttl", "graph.html", "report.json")


# --------------------------------------------------------------------------- helpers

def snapshot(out: Path) -> dict:
    """What a killed build must not change: output bytes, the pointer, the live generation."""
    state = {name: (out / name).read_bytes() for name in OUTPUTS if (out / name).exists()}
    pointer = store_root(out) / "CURRENT"
    state["CURRENT"] = pointer.read_bytes() if pointer.exists() else None
    return state


def triples_in_store(out: Path) -> set:
    return set(load_graph(out, backend="store"))


def ttl(path: Path) -> set:
    return set(Graph().parse(path / "graph.ttl" if path.is_dir() else path, format="turtle"))


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            pids.append(int(entry))
    return pids


class Group:
    """A command started in a new session; ``stop()`` kills what is left of its process group."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pgid = self.proc.pid

    def stop(self) -> None:
        if group_members(self.pgid):
            try:
                os.killpg(self.pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()


@pytest.fixture
def groups():
    started: list[Group] = []
    yield lambda args, log: started.append(Group(args, log)) or started[-1]
    for g in started:
        g.stop()


def wait_for(condition, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def kg_command(*args) -> list[str]:
    return [sys.executable, "-m", "kg.cli", *map(str, args)]


# --------------------------------------------------------------------------- inputs

def write_jsonl(path: Path, papers) -> Path:
    path.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in papers), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(seed_papers, tmp_path_factory) -> dict[str, Path]:
    """Listings made of the seed papers: 'first' (25 papers), 'both' (those and 25 more) and 'big'
    (3000 papers: the seeds with a variant number in each title, ~5 MB)."""
    root = tmp_path_factory.mktemp("crash_inputs")
    papers = [(p.title, p.abstract) for p in seed_papers.values()]
    big = [(f"{t} (variant {i})", a) for i in range(10) for t, a in papers][:3000]
    return {"first": write_jsonl(root / "first.jsonl", papers[:25]),
            "both": write_jsonl(root / "both.jsonl", papers[:50]),
            "big": write_jsonl(root / "big.jsonl", big)}


@pytest.fixture(scope="module")
def first_store(inputs, tmp_path_factory) -> Path:
    """A folder built from 'first' (copied by each test that changes it)."""
    out = tmp_path_factory.mktemp("first_store") / "out"
    build_with_page([inputs["first"]], out)
    return out


@pytest.fixture(scope="module")
def both_reference(inputs, tmp_path_factory) -> set:
    """The graph a single build of 'first' and 'both' gives: what every recovery must end with."""
    out = tmp_path_factory.mktemp("both_ref") / "out"
    build_store([inputs["first"], inputs["both"]], out)
    return ttl(out)


@pytest.fixture(scope="module")
def two_seed_store(seed_files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("two_seeds") / "out"
    build_with_page(seed_files[:2], out)
    return out


def assert_recovered(out: Path, reference: set) -> None:
    """After a build following a crash: the outputs are the live generation's and right, and no
    leftover of the killed build remains."""
    live = current_generation(out)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["store"]["generation"] == live.name
    assert ttl(out) == reference and triples_in_store(out) == reference
    assert (out / "graph.html").stat().st_size > 1000
    assert [g.name for g in generations(out)][-1] == live.name and len(generations(out)) <= 2
    assert not list(out.glob(".*.tmp")) and not [p for p in store_root(out).iterdir()
                                                 if p.name != "CURRENT" and p not in generations(out)]


# --------------------------------------------------------------------------- SIGKILL from outside

def test_sigkill_mid_build_leaves_the_previous_store_and_outputs(two_seed_store, inputs, seed_files, seeds_ttl,
                                                                 tmp_path, groups):
    out = tmp_path / "out"
    shutil.copytree(two_seed_store, out)
    before, live_before = snapshot(out), current_generation(out)
    triples_before = triples_in_store(out)
    assert before["graph.html"] and len(triples_before) > 1000

    t0 = time.monotonic()
    build = groups(kg_command("build", inputs["big"], "--out", out, "--workers", 2, "--no-html"), tmp_path / "big.log")
    in_progress = lambda: [g for g in generations(out) if g.name > live_before.name]  # noqa: E731
    assert wait_for(lambda: in_progress() and (in_progress()[0] / "side.sqlite").exists(), 60), \
        (tmp_path / "big.log").read_text()
    time.sleep(1.0)   # into the extraction and bulk loading
    assert build.proc.poll() is None, "the build finished before it could be killed: make the input bigger"

    # meanwhile: readers see the previous graph; a second build is refused, naming the lock
    assert triples_in_store(out) == triples_before
    with pytest.raises(StoreBusy) as busy:
        build_with_page([seed_files[0]], out, BuildOptions(wait=0))
    assert LOCK_FILE in str(busy.value) and f"pid {build.proc.pid}" in str(busy.value)
    refused = CliRunner().invoke(main, ["build", str(seed_files[0]), "--out", str(out)])
    assert refused.exit_code != 0 and LOCK_FILE in refused.output and "another kg build" in refused.output
    assert build.proc.poll() is None

    gen = in_progress()[0]
    loaded = sum(f.stat().st_size for f in (gen / "oxigraph").iterdir() if f.is_file())
    killed_at = time.monotonic() - t0
    os.kill(build.proc.pid, signal.SIGKILL)          # the build process only, as `kill -9 PID` does
    assert build.proc.wait(10) == -signal.SIGKILL
    # its worker processes notice and exit by themselves (no orphans left computing)
    assert wait_for(lambda: not group_members(build.pgid), 15), group_members(build.pgid)
    print(f"\nkilled `kg build` of 3000 papers (--workers 2) after {killed_at:.1f}s, in generation {gen.name} "
          f"({loaded} bytes in its oxigraph/); previous generation {live_before.name} and outputs intact")

    # everything the killed build could have touched is as it was
    assert snapshot(out) == before
    assert current_generation(out) == live_before and gen.exists()
    assert triples_in_store(out) == triples_before
    q = CliRunner().invoke(main, ["query", str(out), "--named", "datasets_by_papers", "--format", "csv"])
    assert q.exit_code == 0 and "ImageNet" in q.output

    # the next build completes and is right: the four seeds, nothing of the killed build
    report = build_with_page(seed_files, out)
    assert report.store["mode"] == "incremental" and report.store["known_papers"] > 0
    assert not gen.exists() or current_generation(out) == gen
    assert_recovered(out, set(seeds_ttl))
    assert "(variant" not in (out / "graph.ttl").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- kills at chosen points

INJECT = textwrap.dedent("""
    import os, signal, sys
    import kg.build.labels, kg.build.sidetable, kg.build.staging, kg.oxstore, kg.page
    from kg.build import BuildOptions
    point, out, *listings = sys.argv[1:]
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    if point == "extract":                    # after the second batch reached the store
        add, n = kg.build.sidetable.SideTable.add_batch, []
        def add_batch(self, result):
            add(self, result); n.append(1)
            if len(n) == 2: die()
        kg.build.sidetable.SideTable.add_batch = add_batch
    elif point == "labels":                   # everything extracted, labels spooled, not yet loaded
        kg.build.labels.load_labels = lambda *a: die()
    elif point == "staging":                  # graph.ttl written to its temporary file
        stage = kg.build.staging.stage_file
        def staged(path, write):
            tmp = stage(path, write)
            if path.name == "graph.ttl": die()
            return tmp
        kg.build.staging.stage_file = staged
    elif point == "published":                # CURRENT swapped, no output moved yet
        publish = kg.oxstore.publish
        def published(*a):
            publish(*a); die()
        kg.oxstore.publish = published
    elif point == "moving":                   # graph.ttl moved into place, graph.html and report.json not
        replace, n = os.replace, []
        def moving(src, dst):
            replace(src, dst); n.append(dst)
            if str(dst).endswith("graph.ttl"): die()
        os.replace = moving
    kg.page.build_with_page(listings, out, BuildOptions(workers=1, batch_size=10))
    print("not killed")
""")


@pytest.mark.parametrize("point", ["extract", "labels", "staging", "published", "moving", "first build"])
def test_a_build_killed_at_any_point_recovers(point, first_store, inputs, both_reference, tmp_path):
    out = tmp_path / "out"
    if point != "first build":
        shutil.copytree(first_store, out)
    before = snapshot(out) if out.exists() else {"CURRENT": None}
    script = tmp_path / "inject.py"
    script.write_text(INJECT, encoding="utf-8")
    killed_point = "labels" if point == "first build" else point
    proc = subprocess.run([sys.executable, str(script), killed_point, str(out), str(inputs["first"]),
                           str(inputs["both"])],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr

    if point in ("published", "moving"):
        # the new generation is complete and live; outputs are (partly) the previous ones
        assert snapshot(out)["CURRENT"] != before["CURRENT"]
        assert triples_in_store(out) == both_reference
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert report["store"]["generation"] != current_generation(out).name   # it knows it is stale
        if point == "published":
            assert (out / "graph.ttl").read_bytes() == before["graph.ttl"]
        else:
            assert ttl(out) == both_reference and (out / "graph.html").read_bytes() == before["graph.html"]
    else:
        assert snapshot(out) == before                       # outputs and pointer untouched
        if point != "first build":
            assert len(triples_in_store(out)) > 100
        assert any(g.name > (before["CURRENT"] or b"").decode().strip() for g in generations(out))  # the leftover
        if point == "staging":
            assert list(out.glob(".graph.ttl.*.tmp"))

    report = build_with_page([inputs["first"], inputs["both"]], out)   # the next build
    assert report.ok
    assert_recovered(out, both_reference)
    if point == "first build":
        assert [g.name for g in generations(out)] == ["g000001"]


# --------------------------------------------------------------------------- one build at a time

def test_a_second_build_refuses_or_waits(first_store, inputs, both_reference, tmp_path, groups):
    out = tmp_path / "out"
    shutil.copytree(first_store, out)
    before = snapshot(out)
    release = threading.Event()
    held = threading.Event()

    def hold() -> None:
        with build_lock(out):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        assert held.wait(10)
        refused = subprocess.run(kg_command("build", inputs["first"], inputs["both"], "--out", out),
                                 capture_output=True, text=True,
                                 timeout=60)
        assert refused.returncode != 0
        assert LOCK_FILE in refused.stderr and f"pid {os.getpid()}" in refused.stderr, refused.stderr
        assert snapshot(out) == before

        t0 = time.monotonic()
        waiter = groups(kg_command("build", inputs["first"], inputs["both"], "--out", out, "--wait", 60),
                        tmp_path / "wait.log")
        time.sleep(1.5)
        assert waiter.proc.poll() is None        # waiting for the lock
        assert snapshot(out) == before
    finally:
        release.set()
        holder.join(10)
    assert waiter.proc.wait(60) == 0, (tmp_path / "wait.log").read_text()
    assert time.monotonic() - t0 >= 1.5
    assert_recovered(out, both_reference)

    short = subprocess.run(kg_command("build", inputs["first"], inputs["both"], "--out", out, "--wait", "0.3"),
                           capture_output=True,
                           text=True, timeout=60)
    assert short.returncode == 0 and "nothing changed" in short.stdout   # lock free again: runs at once


def test_atomic_writes_keep_the_old_file_on_failure_and_get_shareable_permissions(tmp_path):
    from kg.files import write_atomic

    target = tmp_path / "graph.ttl"
    write_atomic(target, lambda p: p.write_text("first"))
    old_umask = os.umask(0o022)
    try:
        write_atomic(target, lambda p: p.write_text("second"))
    finally:
        os.umask(old_umask)
    assert target.read_text() == "second"
    assert target.stat().st_mode & 0o777 == 0o644     # not mkstemp's owner-only 0600

    def half_then_crash(p: Path) -> None:
        p.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, half_then_crash)
    assert target.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]    # no temporary left behind
