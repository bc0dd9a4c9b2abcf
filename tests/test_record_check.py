"""The editor's page checks a record as `casebook validate` does (issue 19): assets/record-check.js, run in Node.js by
tests/record_check.js, answers the same number phrases, problems, field names and suggestions as the Python checks
on the same inputs. One Node process answers every question; each test compares one part of its answers."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from casebook import editor, schema
from casebook.load import load_casebook
from casebook.numbers import NumberPhraseError, parse_quantity
from casebook.problems import InvalidInput, closest
from casebook.yamlsource import KeyPath, parse_text

from .conftest import CASEBOOK, EXAMPLE_RECORD

RUNNER = Path(__file__).with_name("record_check.js")
CASES = CASEBOOK / "cases"
REGISTRIES = ("sources.yml", "practices.yml", "problems.yml", "metrics.yml")

EDGE_PHRASES = [
    "6100多个", "1.1万", "94.1%以上", "2.1亿元", "7—8个", "近8000人次", "3,438个", "4,46个", "七成半", "五六个", "十几个",
    "1e5", "三名", "十大类", "两个", "约3000户", "2—4万", "8—4个", "100多万余", "", "很多",
    "31.94万余", "280余万元", "700平方米以上", "６１００多个", "49.48%", "0.50个", "007个", "2万—4个", "约100多个",
    "3类31个", "多个", "1万万亿个", "3,438.5万", "1,2345个", "5 000人", "3个\n", "约7—8个", "将近1000户", "1.5倍",
]
# Chinese numerals without digits: numbers.py hands them to cn2an.transform, which record-check.js imitates.
NUMERAL_PHRASES = [
    "近八千人次", "一万二千余人", "十三万六", "一千二", "三百四", "百分之三十", "百分之九十五以上", "两名", "兩名", "两千余人",
    "二十余个", "一百多个", "一千零一十个", "一千十个", "一万零五十人", "三点五个", "三点五万", "半斤", "两年", "十二月",
    "三分之一", "五摄氏度", "零下五摄氏度", "廿个", "壹佰个", "貳名", "貳个", "參个", "〇三个", "负三个", "数十个", "上百个",
    "万余人", "十万余", "一亿二千万元", "一点零个", "零个", "十一万三", "零点零零零零五个", "零点零零零一个", "负零个",
    "负零点零个",
]
# Where the browser's reading is not Python's, and why: each must still differ (or be taken off this list).
KNOWN_DIFFERENCES = {
    "٣名": "Python's \\d takes every script's digits (Decimal reads ٣ as 3); the browser's only 0–9",
    "1234567890123456.3个": "the display's float lies halfway between two tenths: Python rounds to even, toFixed up",
}


def record_phrases() -> list[str]:
    """Every statistic value written in the real records."""
    phrases: set[str] = set()
    for file in sorted((CASES / "records").rglob("*.yml")):
        data = parse_text(file.read_text(encoding="utf-8"), str(file)).data
        phrases.update(statistic["value"] for statistic in data.get("statistics", ()))
    return sorted(phrases)


PHRASES = sorted(set(record_phrases() + EDGE_PHRASES + NUMERAL_PHRASES)) + list(KNOWN_DIFFERENCES)


def python_quantity(phrase: str) -> dict[str, Any]:
    """parse_quantity's answer in the form CasebookCheck.quantity gives it."""
    try:
        found = parse_quantity(phrase)
    except NumberPhraseError as error:
        return {"error": str(error)}
    return {"value": plain_decimal(found.value), "upper": None if found.upper is None else plain_decimal(found.upper),
            "unit": found.unit, "qualifier": found.qualifier, "display": found.display()}


def plain_decimal(number: Decimal) -> str:
    return f"{number.normalize():f}"


# ---- Records: the example record and mutations of it, each with its faults -------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def setting(*key_path: str | int, to: Any) -> Mutation:
    def mutate(record: dict[str, Any]) -> None:
        *parents, last = key_path
        node: Any = record
        for key in parents:
            node = node[key]
        node[last] = to
    return mutate


def removing(*key_path: str | int) -> Mutation:
    def mutate(record: dict[str, Any]) -> None:
        *parents, last = key_path
        node: Any = record
        for key in parents:
            node = node[key]
        del node[last]
    return mutate


def appending(field: str, value: Any) -> Mutation:
    return lambda record: record[field].append(value)


def first_statistic(**values: Any) -> Mutation:
    return lambda record: record["statistics"][0].update(values)


A_PRACTICE_ALIAS = "包保责任制"  # of 五级包保
UNCITED_SOURCE = "zzb-2021-gaige-funeng"  # registered, but not among the example record's sources

MUTATIONS: dict[str, list[Mutation]] = {
    "valid": [],
    "missing title": [removing("title")],
    "title too long": [setting("title", to="九圣祠社区“蜂巢自治”" * 7)],
    "bad id pattern": [setting("id", to="Jiushengci_Fengchao")],
    "id too short": [setting("id", to="ab")],
    "unknown level": [setting("level", to="社区级")],
    "year 1980": [setting("year", to=1980)],
    "year as text": [setting("year", to="2022年")],
    "year as quoted digits": [setting("year", to="2022")],
    "year with a fraction": [setting("year", to=2022.5)],
    "no practices": [setting("practices", to=[])],
    "unknown practice": [setting("practices", 0, to="蜂巢自制")],
    "unknown practice, nothing like it": [setting("practices", 0, to="QQ群管理")],
    "unknown practice, several alike": [setting("practices", 0, to="小区")],
    "alias of a practice": [appending("practices", A_PRACTICE_ALIAS)],
    "duplicate practice": [appending("practices", "蜂巢自治")],
    "practice too short": [setting("practices", 1, to="治")],
    "unknown problem": [setting("problems", 0, to="老旧小区没有人管")],
    "alias of a problem": [setting("problems", 0, to="弃管小区")],
    "unknown source": [appending("sources", "jlrb-2099-weizhi")],
    "source id pattern": [appending("sources", "JLRB 2099")],
    "value 很多": [first_statistic(value="很多")],
    "value 七成半": [first_statistic(value="七成半")],
    "value 1e5": [first_statistic(value="1e5")],
    "value a bare number": [first_statistic(value=75)],
    "value in Chinese numerals": [first_statistic(value="百分之七十五以上")],
    "unknown metric": [first_statistic(metric="套管小区比例")],
    "alias of a metric": [first_statistic(metric="物业套管小区占比")],
    "wrong unit": [first_statistic(value="75个以上")],
    "a metric's other unit": [first_statistic(metric="合作社带动就近务工村民数", value="30名")],
    "as_of 2022-02-30": [first_statistic(as_of="2022-02-30")],
    "as_of a year": [first_statistic(as_of=2022)],
    "as_of 1800": [first_statistic(as_of=1800)],
    "as_of bad form": [first_statistic(as_of="2022/11")],
    "as_of a year in full-width digits": [first_statistic(as_of="２０２２")],
    "as_of with a full-width month": [first_statistic(as_of="２０２２-１１")],
    "as_of with a full-width year, a real day": [first_statistic(as_of="２０２２-11-30")],
    "statistic source not cited": [first_statistic(source=UNCITED_SOURCE)],
    "statistic source unknown": [first_statistic(source="jlrb-2099-weizhi")],
    "statistic without metric": [removing("statistics", 0, "metric")],
    "since after year": [setting("since", to=2023)],
    "since before 1990": [setting("since", to=1989)],
    "summary too long": [setting("summary", to="社区" * 151)],
    "summary beyond prose": [setting("summary", to="社区" * 1001)],
    "no measures": [setting("measures", to=[])],
    "measure without title": [removing("measures", 1, "title")],
    "unknown city": [setting("region", "city", to="长春")],
    "region without province": [removing("region", "province")],
    "region as text": [setting("region", to="长春市南关区")],
    "estimated as text": [first_statistic(as_of_estimated="是")],
    "schema faults hide registry faults": [removing("title"), setting("year", to=1980), setting("practices", 0, to="蜂巢自制"),
                                           first_statistic(as_of="2022-02-30")],
    "several registry faults": [setting("practices", 0, to="蜂巢自制"), appending("sources", "jlrb-2099-weizhi"),
                                first_statistic(metric="套管小区比例", value="七成半"), setting("since", to=2023)],
}


# Mutations Python accepts: a year for as_of, also in full-width digits (the schema's \d takes them), a percentage in
# words, a unit the metric lists as another way to write its own.
VALID = {"valid", "as_of a year", "as_of a year in full-width digits", "value in Chinese numerals", "a metric's other unit"}


def example_data() -> dict[str, Any]:
    """The example record as casebook's loader reads it (its dates stay strings)."""
    return parse_text(EXAMPLE_RECORD.read_text(encoding="utf-8"), "example").data  # type: ignore[no-any-return]


def mutated_records() -> dict[str, tuple[str, dict[str, Any]]]:
    """Each mutation's YAML text, and its data as the loader reads that text back."""
    records = {}
    for name, mutations in MUTATIONS.items():
        record = copy.deepcopy(example_data())
        for mutate in mutations:
            mutate(record)
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
        records[name] = (text, parse_text(text, name).data)
    return records


def python_problems(project: Path, text: str) -> list[tuple[str, str]]:
    """What `casebook validate` reports for a casebook of the registries and this one record: (field, message)."""
    (project / "cases" / "records" / "changchun" / "jiushengci-fengchao.yml").write_text(text, encoding="utf-8")
    try:
        load_casebook(project / "cases")
    except InvalidInput as invalid:
        return sorted((problem.field, problem.message) for problem in invalid.problems)
    return []


def schema_paths(node: dict[str, Any], key_path: KeyPath = ()) -> list[KeyPath]:
    """A key path for every field of the schema, list items included (the second item: index 1)."""
    node = schema.field_schema("case", key_path) if key_path else node
    paths = [key_path] if key_path else []
    for name in node.get("properties", {}):
        paths += schema_paths(node, key_path + (name,))
    if "items" in node:
        paths += schema_paths(node, key_path + (1,))
    return paths


# ---- One Node process answers everything --------------------------------------------------------------------

@pytest.fixture(scope="module")
def parity(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Python's and the browser's answers to the same questions, side by side."""
    data = json.loads(editor.data(load_casebook(CASES), None))
    records = mutated_records()
    project = tmp_path_factory.mktemp("record-check")
    (project / "cases" / "records" / "changchun").mkdir(parents=True)
    for name in REGISTRIES:
        shutil.copy(CASES / name, project / "cases" / name)
    labels = [label for entry in data["practices"] + data["problems"] + data["metrics"]
              for label in [entry["name"], *entry["aliases"]]]
    misspelt = sorted({variant for label in labels[::12] for variant in (label[:-1], label[1:], label[:1] + "的" + label[1:])})
    suggestions = [(name, labels, 6) for name in misspelt] + [(name, [s["id"] for s in data["sources"]], 3)
                                                              for name in ("jlrb-2022-gaoqing", "bao-2022-changchun", "xyz")]
    paths = schema_paths(data["schema"])
    questions = {"data": data, "phrases": PHRASES, "records": [record for _, record in records.values()],
                 "labels": paths, "suggestions": suggestions}
    answer = subprocess.run(["node", str(RUNNER)], input=json.dumps(questions, ensure_ascii=False), capture_output=True,
                            text=True, check=True)
    browser = json.loads(answer.stdout)
    return {
        "phrases": dict(zip(PHRASES, zip([python_quantity(p) for p in PHRASES], browser["phrases"]))),
        "records": {name: (python_problems(project, text), browser_problems)
                    for (name, (text, _)), browser_problems in zip(records.items(), browser["records"])},
        "labels": [(schema.field_label("case", tuple(p)), label) for p, label in zip(paths, browser["labels"])],
        "suggestions": [(closest(name, known, limit), found)
                        for (name, known, limit), found in zip(suggestions, browser["suggestions"])],
    }


@pytest.mark.parametrize("phrase", [p for p in PHRASES if p not in KNOWN_DIFFERENCES])
def test_number_phrase_reads_as_in_python(parity: dict[str, Any], phrase: str) -> None:
    python, browser = parity["phrases"][phrase]
    assert browser == python


@pytest.mark.parametrize("phrase", list(KNOWN_DIFFERENCES))
def test_known_differences_still_differ(parity: dict[str, Any], phrase: str) -> None:
    python, browser = parity["phrases"][phrase]
    assert browser != python, f"「{phrase}」now reads as in Python: take it off KNOWN_DIFFERENCES"


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_record_has_the_problems_casebook_validate_reports(parity: dict[str, Any], mutation: str) -> None:
    python, browser = parity["records"][mutation]
    assert sorted((problem["label"], problem["message"]) for problem in browser) == python
    assert (python == []) == (mutation in VALID)


def test_problems_are_located_by_key_path(parity: dict[str, Any]) -> None:
    _, browser = parity["records"]["several registry faults"]
    assert {tuple(problem["path"]) for problem in browser} == {
        ("practices", 0), ("sources", 2), ("statistics", 0, "value"), ("statistics", 0, "metric"), ("since",)}
    assert all(problem["label"] == schema.field_label("case", tuple(problem["path"])) for problem in browser)


def test_every_field_is_named_as_in_python(parity: dict[str, Any]) -> None:
    assert len(parity["labels"]) > 30
    assert [browser for _, browser in parity["labels"]] == [python for python, _ in parity["labels"]]


def test_suggestions_are_those_of_python(parity: dict[str, Any]) -> None:
    assert any(python for python, _ in parity["suggestions"])
    assert [browser for _, browser in parity["suggestions"]] == [python for python, _ in parity["suggestions"]]
