"""The benchmark harnesses run (at a tiny size): they are measured with `make bench` and `make bench-search`,
never timed here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .bench import run, search_latency
from .conftest import Project


def test_harness_measures_both_builds_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Without Chromium the page weight is left out with a note (test_page_weight_of_a_case_page measures it).
    monkeypatch.setattr(search_latency, "CHROMIUM", str(tmp_path / "no-chromium"))
    out = tmp_path / "bench.json"
    assert run.main(["--sizes", "3", "--out", str(out)]) == 0
    (row,) = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert row["cases"] == 3
    for key in ("ours_s", "stock_s", "ratio", "ours_mb", "stock_mb", "warm_s", "warm_mb", "serve_edit_s", "ours_search_kb",
                "stock_search_kb"):
        assert row[key] > 0, key
    low, high = row["warm_s_range"]
    assert low <= row["warm_s"] <= high
    assert "page_kb" not in row
    printed = capsys.readouterr().out
    assert "cases | ours s | stock s | ratio" in printed and "note: no page weight" in printed


def test_budgets_check_linearity_between_consecutive_sizes_and_skip_what_was_not_measured() -> None:
    rows = [{"cases": 100, "ours_s": 1.0}, {"cases": 1000, "ours_s": 2.0, "ratio": 0.2},
            {"cases": 5000, "ours_s": 10.0, "ours_mb": 500}, {"cases": 20000, "ours_s": 50.0}]
    checked = {(item["budget"], item["cases"]): item["met"] for item in run.budgets(rows)}
    assert checked == {("build ≤ 0.25 × stock", 1000): True, ("peak memory ≤ 400 MB", 5000): False,
                       ("per-case cost at 5000 ≤ 1.1 × at 1000", 5000): True,
                       ("per-case cost at 20000 ≤ 1.1 × at 5000", 20000): False}


def test_table_shows_the_spread_of_repeated_builds() -> None:
    row = {"cases": 10, "repeat": 3, "ours_s": 2.0, "ours_s_range": [1.5, 2.5], "ours_mb": 100, "ours_mb_range": [100, 100]}
    assert run.table([row]).splitlines()[-1].startswith("10 | 2.0 (1.5–2.5) | – | – | 100 | ")


@pytest.mark.browser
def test_page_weight_of_a_case_page(example_site: Project, chromium: Any) -> None:
    weight = run.case_page_weight(example_site.path, chromium)
    assert weight["page"] == "cases/jiushengci-fengchao/"
    assert "/cases/jiushengci-fengchao/" in weight["page_files"]  # the document, with what came before the first paint
    assert 0 < weight["page_kb"] <= weight["page_all_kb"]


@pytest.mark.browser
def test_search_measure_counts_the_bytes_fetched_and_finds_a_result(example_site: Project, chromium: Any) -> None:
    measured = search_latency.measure(example_site.path / "site", "蜂巢", runs=1, browser=chromium)
    (searched,) = measured.runs
    assert searched.results > 0 and searched.first
    assert searched.search_bytes > 0 and searched.files
    assert searched.load_bytes > 0
    assert searched.ms is not None  # a first result was timed; how fast is not a test's business
    row = measured.summary()
    assert search_latency.table_row(1, row).startswith("1 | ours | 蜂巢 | ")
