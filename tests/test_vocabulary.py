"""Each vocabulary has one source, the schema: what the other modules use is read from it."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from casebook import model, schema
from casebook.load import load_casebook
from casebook.problems import InvalidInput

from .conftest import EXAMPLE_RECORD

REGISTRIES = Path(__file__).parent / "golden" / "registries"


def report_for(tmp_path: Path, practices: str | None = None, sources: str | None = None) -> str:
    cases = tmp_path / "cases"
    (cases / "records" / "changchun").mkdir(parents=True)
    for name in ("sources.yml", "practices.yml", "problems.yml"):
        shutil.copy(REGISTRIES / name, cases / name)
    if practices:
        (cases / "practices.yml").write_text((cases / "practices.yml").read_text(encoding="utf-8") + practices, encoding="utf-8")
    if sources:
        (cases / "sources.yml").write_text((cases / "sources.yml").read_text(encoding="utf-8") + sources, encoding="utf-8")
    shutil.copy(EXAMPLE_RECORD, cases / "records" / "changchun" / EXAMPLE_RECORD.name)
    with pytest.raises(InvalidInput) as raised:
        load_casebook(cases, base=tmp_path)
    return raised.value.report()


def test_a_registry_id_follows_the_case_id_rule_and_gets_its_advice(tmp_path: Path) -> None:
    lines = (REGISTRIES / "practices.yml").read_text(encoding="utf-8").count("\n")
    report = report_for(tmp_path, practices="- id: Hongxin_Wuye\n  name: 示例做法\n  description: 只为测试编号规则。\n")
    assert f"cases/practices.yml:{lines + 1}:3: 第" in report
    assert "只能用小写字母、数字和连字符，如 jiushengci-fengchao" in report


def test_a_source_date_follows_the_statistics_date_rule(tmp_path: Path) -> None:
    source = ("- id: shili-laiyuan\n  publication: 示例报\n  title: 示例标题\n  author: 未署名\n  date: 2022-13\n")
    report = report_for(tmp_path, sources=source)
    assert "日期（date）" in report and "写成 2022、2022-10 或 2022-10-31" in report


def test_levels_and_region_fields_come_from_the_schema() -> None:
    case = json.loads(schema.schema_text("case"))
    assert model.LEVELS == tuple(case["properties"]["level"]["enum"]), "every level needs a slug in x-slugs, in order"
    assert len(set(model.LEVEL_SLUGS.values())) == len(model.LEVELS)
    assert model.REGION_FIELDS == tuple(field.name for field in dataclasses.fields(model.Region))
    assert model.REGION_LEVEL_NAMES["city"] == case["properties"]["region"]["properties"]["city"]["title"]


def test_the_id_rule_is_written_once_and_registries_refer_to_it() -> None:
    written = json.dumps(schema.id_pattern())
    assert sum(schema.schema_text(kind).count(written) for kind in schema.SCHEMA_FILES) == 1
    for kind in ("sources", "practices", "problems", "metrics", "redirects"):
        assert '"$ref": "case.schema.json#/$defs/id"' in schema.schema_text(kind)
