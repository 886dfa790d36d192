"""kg leaderboard on real inputs: the four seed listings and the annotated papers."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
ANNOTATED = ROOT / "examples" / "annotated"


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    from kg.build import build

    assert len(SEEDS) == 4
    out = tmp_path_factory.mktemp("seeds")
    build(SEEDS, out)
    return out


@pytest.fixture(scope="module")
def seeds_graph(seeds_out):
    from kg.store import load_graph
    return load_graph(seeds_out)


def _numbers(text: str) -> set[float]:
    return {float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)}


def test_imagenet_top1_board_has_cnns_and_vits_each_value_in_its_sentence(seeds_graph):
    from kg.leaderboard import leaderboards

    boards = leaderboards(seeds_graph, "ImageNet-1K", "top-1 accuracy")
    assert len(boards) == 1
    rows = boards[0].rows
    assert len(rows) >= 15
    families = " ".join(r.family for r in rows)
    assert "CNN" in families and "Vision Transformer" in families
    for r in rows:
        assert float(r.value) in _numbers(r.evidence), (r.value, r.evidence)
    values = [float(r.value) for r in rows]
    assert values == sorted(values, reverse=True)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_names_go_through_the_vocabularies(seeds_graph):
    from kg.leaderboard import leaderboards

    a = leaderboards(seeds_graph, "ImageNet", "top-1")
    b = leaderboards(seeds_graph, "ImageNet-1K", "top-1 accuracy")
    assert a and [r.result for r in a[0].rows] == [r.result for r in b[0].rows]


def test_no_metric_gives_one_board_per_metric(seeds_graph):
    from kg.leaderboard import format_boards, leaderboards

    boards = leaderboards(seeds_graph, "ImageNet-1K")
    metrics = [b.metric for b in boards]
    assert len(metrics) >= 2 and len(set(metrics)) == len(metrics) and "top-1 accuracy" in metrics
    assert all(r.metric == b.metric for b in boards for r in b.rows)
    assert format_boards(boards).count("ImageNet-1K — ") == len(boards)


def test_lower_is_better_metrics_rank_ascending(tmp_path):
    """An error rate ranks the smallest first (the annotated papers report top-5 errors)."""
    from kg.leaderboard import leaderboards
    from kg.build import build
    from kg.store import load_graph

    build([ANNOTATED / "train_papers.jsonl"], tmp_path)
    boards = [b for b in leaderboards(load_graph(tmp_path), "ImageNet-1K") if b.higher_is_better is False]
    assert boards
    for b in boards:
        values = [float(r.value) for r in b.rows]
        assert values == sorted(values)


def test_task_filter_keeps_papers_on_the_task(seeds_graph):
    from kg.leaderboard import leaderboards

    everything = sum(len(b.rows) for b in leaderboards(seeds_graph, "COCO"))
    detection = sum(len(b.rows) for b in leaderboards(seeds_graph, "COCO", task="detection"))
    nothing = leaderboards(seeds_graph, "COCO", task="speech recognition")
    assert 0 < detection <= everything and not nothing


def test_cli_csv_header_and_table(seeds_out):
    from kg.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["leaderboard", str(seeds_out), "--dataset", "ImageNet", "--metric", "top-1",
                               "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(io.StringIO(out.output)))
    assert rows[0][:8] == ["rank", "method", "family", "value", "metric", "dataset", "paper", "evidence"]
    assert len(rows) >= 16
    table = runner.invoke(main, ["leaderboard", str(seeds_out), "--dataset", "ImageNet-1K"])
    assert table.exit_code == 0 and "top-1 accuracy (higher is better)" in table.output
    missing = runner.invoke(main, ["leaderboard", str(seeds_out), "--dataset", "NoSuchSet"])
    assert missing.exit_code == 1


def test_an_empty_board_says_what_there_is_instead(seeds_out, seeds_graph):
    """Asked for a dataset with no results, the command names those that have some, most first;
    asked for a metric the dataset has no results in, it names the dataset's metrics."""
    from kg.cli import main
    from kg.leaderboard import boards_available

    available = boards_available(seeds_graph)
    assert available[0][:2] == ("ImageNet-1K", "top-1 accuracy") and available[0][2] >= 15
    assert [n for _, _, n in available] == sorted((n for _, _, n in available), reverse=True)
    assert {x for _, x, _ in boards_available(seeds_graph, "ImageNet")} >= {"top-1 accuracy"}
    runner = CliRunner()
    missing = runner.invoke(main, ["leaderboard", str(seeds_out), "--dataset", "SQuAD"])
    assert missing.exit_code == 1
    assert "no results on 'SQuAD'; datasets with results: ImageNet-1K (" in missing.output
    metric = runner.invoke(main, ["leaderboard", str(seeds_out), "--dataset", "COCO", "--metric", "BLEU"])
    assert metric.exit_code == 1 and "its metrics: " in metric.output and "AP (" in metric.output


def test_an_edition_has_its_own_board_and_the_series_names_its_editions(seeds_out):
    """SSD's "72.1% mAP on VOC2007 test" ranks on PASCAL VOC 2007; asked for the series, the
    command names the editions instead of mixing their boards."""
    from kg.cli import main

    runner = CliRunner()
    board = runner.invoke(main, ["leaderboard", str(seeds_out), "--dataset", "VOC2007", "--metric", "mAP",
                                 "--format", "csv"])
    assert board.exit_code == 0, board.output
    rows = list(csv.DictReader(io.StringIO(board.output)))
    assert rows and {r["dataset"] for r in rows} == {"PASCAL VOC 2007"}
    assert any(r["method"] == "SSD" and r["value"] == "72.1" for r in rows)
    series = runner.invoke(main, ["leaderboard", str(seeds_out), "--dataset", "PASCAL VOC"])
    assert series.exit_code == 1 and "PASCAL VOC 2007, PASCAL VOC 2012" in series.output


@pytest.mark.parametrize("name,params", [("leaderboard", {"dataset": "ImageNet-1K", "metric": "top-1 accuracy"}),
                                         ("tasks_by_papers", {}),
                                         ("methods_for_task", {"task": "object detection"})])
def test_named_queries(seeds_graph, name, params):
    from kg.query import run_named

    result = run_named(seeds_graph, name, params)
    assert len(result.rows) >= 5
    if name == "leaderboard":
        assert len(result.rows) >= 15
        values = [float(r[result.columns.index("value")]) for r in result.rows]
        assert values == sorted(values, reverse=True)


def test_a_dataset_whose_bare_name_is_ambiguous_has_a_board_under_that_name(tmp_path):
    """The vocabulary matches "MARS" in text only as "the MARS dataset" (the bare word names a
    planet too), yet the graph labels the dataset "MARS" and the board is asked for by that name."""
    from kg.build import build
    from kg.leaderboard import leaderboards
    from kg.store import load_graph

    listing = tmp_path / "papers.jsonl"
    listing.write_text(json.dumps({
        "title": "TempoNet: Temporal Aggregation for Video Person Re-identification",
        "abstract": "We propose TempoNet, a temporal aggregation network for video-based person "
                    "re-identification. On the MARS dataset, TempoNet achieves 86.4% mAP and 90.2% rank-1 "
                    "accuracy, outperforming previous methods."}) + "\n", encoding="utf-8")
    build([listing], tmp_path / "out")
    boards = {b.metric: b for b in leaderboards(load_graph(tmp_path / "out"), "MARS")}
    assert set(boards) == {"mAP", "rank-1 accuracy"}
    assert [(r.method, r.value, r.dataset) for r in boards["mAP"].rows] == [("TempoNet", "86.4", "MARS")]
