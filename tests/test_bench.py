"""The benchmark harness runs (at a tiny size): it is measured with `make bench`, never timed here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .bench import run


def test_harness_measures_both_builds_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert run.main(["--sizes", "3", "--out", str(out)]) == 0
    (row,) = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert row["cases"] == 3
    for key in ("ours_s", "stock_s", "ratio", "ours_mb", "stock_mb", "serve_edit_s", "ours_search_kb", "stock_search_kb"):
        assert row[key] > 0, key
    assert "cases | ours s | stock s | ratio" in capsys.readouterr().out
