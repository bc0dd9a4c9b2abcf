"""The benchmark harnesses run (at a tiny size): they are measured with `make bench` and `make bench-search`,
never timed here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .bench import run, search_latency
from .conftest import Project


def test_harness_measures_both_builds_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert run.main(["--sizes", "3", "--out", str(out)]) == 0
    (row,) = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert row["cases"] == 3
    for key in ("ours_s", "stock_s", "ratio", "ours_mb", "stock_mb", "serve_edit_s", "ours_search_kb", "stock_search_kb"):
        assert row[key] > 0, key
    assert "cases | ours s | stock s | ratio" in capsys.readouterr().out


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
