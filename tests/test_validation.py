"""Validation messages: a bad record in, the exact Chinese message out (golden files).

Regenerate the expected files on purpose with ``UPDATE_GOLDEN=1 make test``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casebook.load import load_casebook
from casebook.problems import InvalidInput, closest

from .conftest import EXAMPLE_RECORD

GOLDEN = Path(__file__).parent / "golden" / "validation"
REGISTRIES = Path(__file__).parent / "golden" / "registries"


def cases_dir(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    (cases / "records").mkdir(parents=True)
    for name in ("sources.yml", "practices.yml", "problems.yml"):
        shutil.copy(REGISTRIES / name, cases / name)
    return cases


def problems_of(cases: Path, base: Path) -> str:
    with pytest.raises(InvalidInput) as raised:
        load_casebook(cases, base=base)
    return raised.value.report() + "\n"


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.yml")))
def test_message_for_bad_record(tmp_path: Path, name: str) -> None:
    cases = cases_dir(tmp_path)
    # Named after the id it carries, so only the defect under test is reported.
    shutil.copy(GOLDEN / f"{name}.yml", cases / "records" / "jiushengci-fengchao.yml")
    actual = problems_of(cases, tmp_path)
    expected = GOLDEN / f"{name}.expected"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    cases = cases_dir(tmp_path)
    for name in ("unknown-field", "bad-enum", "unknown-practice"):
        folder = cases / "records" / name
        folder.mkdir()
        shutil.copy(GOLDEN / f"{name}.yml", folder / "jiushengci-fengchao.yml")
    report = problems_of(cases, tmp_path)
    assert "records/unknown-field/jiushengci-fengchao.yml:13:1: summery: 未知字段「summery」" in report
    assert "records/bad-enum/jiushengci-fengchao.yml:9:1: 层级（level）: 「小区」不在可选范围内" in report
    assert "records/unknown-practice/jiushengci-fengchao.yml:11:13: 第1条做法标签: 未知的做法「蜂巢治理」" in report


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    cases = cases_dir(tmp_path)
    for folder in ("a", "b"):
        (cases / "records" / folder).mkdir()
        shutil.copy(EXAMPLE_RECORD, cases / "records" / folder / "jiushengci-fengchao.yml")
    report = problems_of(cases, tmp_path)
    assert ("cases/records/b/jiushengci-fengchao.yml:1:1: 案例编号（id）: 编号「jiushengci-fengchao」已被 "
            "cases/records/a/jiushengci-fengchao.yml 使用，编号不能重复") in report


def test_alias_of_a_practice_points_to_its_name(tmp_path: Path) -> None:
    cases = cases_dir(tmp_path)
    text = EXAMPLE_RECORD.read_text(encoding="utf-8").replace("[蜂巢自治, 居民自治,", "[蜂巢自治, 小区自治,")
    (cases / "records" / "jiushengci-fengchao.yml").write_text(text, encoding="utf-8")
    assert "第2条做法标签: 「小区自治」是「居民自治」的别名，请写「居民自治」" in problems_of(cases, tmp_path)


def test_broken_registry_does_not_flood_records_with_unknown_sources(tmp_path: Path) -> None:
    cases = cases_dir(tmp_path)
    shutil.copy(EXAMPLE_RECORD, cases / "records" / "jiushengci-fengchao.yml")
    registry = cases / "sources.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("author: 李抑楠", "authr: 李抑楠"), encoding="utf-8")
    report = problems_of(cases, tmp_path)
    assert "cases/sources.yml" in report and "未知字段「authr」" in report
    assert "未知的来源编号" not in report


def test_valid_casebook_loads_with_folded_chinese_text_joined(tmp_path: Path) -> None:
    cases = cases_dir(tmp_path)
    shutil.copy(EXAMPLE_RECORD, cases / "records" / "jiushengci-fengchao.yml")
    casebook = load_casebook(cases, base=tmp_path)
    (case,) = casebook.cases
    assert case.region.path == ("吉林省", "长春市", "南关区", "九圣祠社区")
    # The record folds the summary over two lines; no space may appear between the Chinese characters.
    assert "管理家园，把老党员" in case.summary
    assert case.statistics[0].quantity.qualifier == "至少"


@pytest.mark.parametrize(("typed", "offered"), [
    ("蜂巢治理", ["蜂巢自治"]),
    ("红色物业管理", ["红色物业"]),
    ("执法力量下沉", []),  # not 疫情防控党员下沉: two shared characters are no likeness
    ("五级组织体系", []),  # not 五级包保
    ("jiushengci-fengchoa", ["jiushengci-fengchao"]),
])
def test_suggestions_are_plausible_or_none(typed: str, offered: list[str]) -> None:
    labels = ["蜂巢自治", "居民自治", "红色物业", "疫情防控党员下沉", "五级包保", "网格治理", "jiushengci-fengchao"]
    assert closest(typed, labels)[:len(offered) or None] == offered
