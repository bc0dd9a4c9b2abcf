"""The casebook's own records: valid, cited, and written in our own words."""

from __future__ import annotations

import pytest

from casebook.copycheck import copied_runs, record_texts
from casebook.load import load_casebook

from .conftest import CASEBOOK, SEEDS


def test_real_casebook_is_valid_and_substantial() -> None:
    casebook = load_casebook(CASEBOOK / "cases", base=CASEBOOK)
    assert len(casebook.cases) >= 35
    assert casebook.statistics_count >= 150
    cited = {source for case in casebook.cases for source in case.source_ids}
    assert cited == set(casebook.sources), "every registered source is cited by some case"
    used = {name for case in casebook.cases for name in case.practices}
    assert used <= set(casebook.practices)
    # Every case names a problem, and every problem is met by some case (directly or through a narrower one).
    assert all(case.problems for case in casebook.cases)
    named = {name for case in casebook.cases for name in case.problems}
    met = named | {casebook.problems[name].broader for name in named}
    assert set(casebook.problems) <= met


def test_conflicting_figures_are_both_kept() -> None:
    casebook = load_casebook(CASEBOOK / "cases", base=CASEBOOK)
    phrases = {stat.quantity.phrase for case in casebook.cases for stat in case.statistics}
    # 楼栋长、单元长: 31.94万余 (2020 article) and 40多万 (2022 article) both stay.
    assert {"31.94万余", "40多万名"} <= phrases


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles are not beside the repository")
def test_no_sentence_is_copied_from_the_source_articles() -> None:
    # The same check editors run with `casebook check-copy ARTICLE`, over every file under cases/.
    records = list(record_texts([CASEBOOK / "cases"], CASEBOOK))
    copied = [str(run) for seed in sorted(SEEDS.glob("*.txt")) for run in copied_runs(seed.read_text(encoding="utf-8"), records)]
    assert records and not copied, "\n".join(copied)


def test_records_start_with_the_schema_line_for_editors() -> None:
    for file in sorted((CASEBOOK / "cases" / "records").rglob("*.yml")):
        first = file.read_text(encoding="utf-8").split("\n", 1)[0]
        depth = len(file.relative_to(CASEBOOK).parts) - 1
        assert first == f"# yaml-language-server: $schema={'../' * depth}plugins/casebook/schema/case.schema.json", file
        assert (file.parent / first.split("=", 1)[1]).resolve().is_file()
