"""``data/datapackage.json``: the exported files described as a Frictionless Data Package (v2), so that
statistics software and scripts know what every column means, its type, its unit and how to read it.

Vocabularies come from where they are defined: the qualifiers from :mod:`casebook.numbers`, patterns
from the record schema, levels and trust grades from the model and :mod:`casebook.trust`. Nothing here
depends on the time of the build: the package has no ``created`` date.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from typing import Any

from . import numbers, schema
from .citation import reference
from .export import STATISTIC_COLUMNS
from .model import LEVELS, Casebook
from .paths import (CASES_JSON, DATA_OVERVIEW, DATAPACKAGE, STATISTICS_CSV, STATISTICS_JSON, STATISTICS_TABLE_SCHEMA,
                    metric_csv, page_url)
from .trust import COMPLETENESS_RULES, VERIFICATION_RULES

TITLE = "吉林基层治理案例库数据"
DESCRIPTION = ("吉林省党建引领基层治理案例的清单和案例中的数字。每个数字保留原文写法，另给规范值、单位、限定词（下限、约数等）、"
               "数据时间和出处。")
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CSV_FORMAT, JSON_FORMAT = ("csv", "text/csv"), ("json", "application/json")
# The CSV files start with a byte-order mark (for Excel and WPS). The standard asks for an IANA name, which
# utf-8-sig is not; frictionless and other UTF-8 readers skip the mark (tests/test_datapackage.py checks it).
ENCODING = "utf-8"
# How the CSV writes true and false (export._cell): the words a Chinese spreadsheet shows.
TRUE_WORDS, FALSE_WORDS = ["是"], ["否"]


@dataclass(frozen=True)
class Resource:
    """One exported file: where it is in the site, its name in the package and what it holds.
    ``fields`` is its Table Schema; the tables of figures share one, ``statistics.tableschema.json``."""

    path: str
    name: str
    title: str
    description: str
    format: tuple[str, str]  # (format, media type)
    fields: tuple[dict[str, Any], ...] | None = None


def resources(casebook: Casebook) -> list[Resource]:
    """Every file the export writes (``export.files``): the whole casebook's first, then each metric's by path."""
    listed = [
        Resource(CASES_JSON, "cases", "案例清单", "每个案例一项：地区、层级、年份、做法、问题、摘要、可信程度和来源。",
                 JSON_FORMAT, _case_fields()),
        Resource(STATISTICS_JSON, "statistics-json", "全部数据（JSON）",
                 "与 statistics.csv 相同的数据：数值是 JSON 的数字，as_of_estimated 是 true 或 false。", JSON_FORMAT),
        Resource(STATISTICS_CSV, "statistics", "全部数据",
                 "案例中的全部数字，每个数字一行，单位见 unit 列。Excel、WPS 可直接打开。",
                 CSV_FORMAT),
    ]
    # The unit is stated for the whole file: a metric's figures are all in the unit of the catalogue.
    by_metric = [Resource(metric_csv(metric.id), f"metric-{metric.id}", metric.name,
                          f"{metric.definition}单位：{metric.unit or '无'}。", CSV_FORMAT)
                 for metric in casebook.metrics.values()]
    return listed + sorted(by_metric, key=lambda resource: resource.path)


def files(casebook: Casebook, exports: dict[str, str], site_url: str = "", directory_urls: bool = True) -> dict[str, str]:
    """The package descriptor and the figures' Table Schema, as path in the site → text, for ``exports``
    (path → text, from ``export.files``)."""
    described = resources(casebook)
    disagree = sorted(set(exports) ^ {resource.path for resource in described})
    if disagree:  # a file written but not described, or described but not written
        raise ValueError(f"datapackage.json and the exported files disagree: {', '.join(disagree)}")
    package: dict[str, Any] = {"$schema": PROFILE, "name": "jilin-casebook-data", "title": TITLE, "description": DESCRIPTION}
    if site_url:
        package["homepage"] = site_url + page_url(DATA_OVERVIEW, directory_urls)
    package["sources"] = [_source(casebook, source_id) for source_id in _cited_sources(casebook)]
    package["resources"] = [_resource(resource) for resource in described]
    return {DATAPACKAGE: _json(package), STATISTICS_TABLE_SCHEMA: _json({"fields": list(_statistic_fields())})}


def _json(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n"


def _resource(resource: Resource) -> dict[str, Any]:
    """A resource descriptor; paths are relative to datapackage.json. The CSV dialect is the standard's default."""
    data_format, media_type = resource.format
    return {
        "name": resource.name, "type": "table", "path": _relative(resource.path),
        "title": resource.title, "description": resource.description,
        "format": data_format, "mediatype": media_type, "encoding": ENCODING,
        "schema": {"fields": list(resource.fields)} if resource.fields else _relative(STATISTICS_TABLE_SCHEMA),
    }


def _relative(path: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(DATAPACKAGE))


def _cited_sources(casebook: Casebook) -> list[str]:
    return sorted({source_id for case in casebook.cases for source_id in case.source_ids})


def _source(casebook: Casebook, source_id: str) -> dict[str, str]:
    source = casebook.sources[source_id]
    entry = {"title": reference(source)}
    if source.url:
        entry["path"] = source.url
    return entry


def _field(name: str, kind: str, title: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "title": title, "description": description, **extra}


def _pattern(*key_path: str | int) -> str:
    return str(schema.field_schema("case", key_path)["pattern"])


def _statistic_fields() -> tuple[dict[str, Any], ...]:
    """The columns of statistics.csv, statistics.json and the metrics' CSV files."""
    unit = "单位见 unit 列。"
    required = {"required": True}
    fields = {
        "case_id": _field("case_id", "string", "案例编号", "数字所在案例的编号；案例页面在 cases/<编号>/。",
                          constraints={**required, "pattern": _pattern("id")}),
        "case_title": _field("case_title", "string", "案例标题", "数字所在案例的标题。", constraints=required),
        "region": _field("region", "string", "地区", "数字所指的地区：原文写明的统计范围，否则为案例所在地；全省记作吉林省。",
                         constraints=required),
        "metric": _field("metric", "string", "指标", "数的是什么，指标目录中的名称。", constraints=required),
        "metric_id": _field("metric_id", "string", "指标编号", "指标目录中的编号；指标页面在 metrics/<编号>/。",
                            constraints={"pattern": _pattern("id")}),
        "value": _field("value", "number", "规范值", f"从原文写法读出的数（“1.1万”为 11000）。{unit}"
                        "是下限、约数还是确数，看 qualifier 列。", constraints=required),
        "upper": _field("upper", "number", "上限", f"原文是区间（如“7—8个”）时区间的上限，否则为空。{unit}"),
        "unit": _field("unit", "string", "单位", "原文写的单位，换算成指标目录的单位；原文没写单位时为空。"),
        "qualifier": _qualifier_field(),
        "as_of": _field("as_of", "string", "数据时间",
                        "数字所指的时间，写到原文能确定的程度：年（2022）、年月（2022-11）或年月日（2022-11-25）。"
                        "三种写法混在一列，没有一种日期类型能全部读出，所以按文字给出，用格式检查。",
                        constraints={**required, "pattern": _pattern("statistics", 0, "as_of")}),
        "as_of_estimated": _field("as_of_estimated", "boolean", "时间为推断", "原文没写明时间、由上下文推断时为“是”。",
                                  trueValues=TRUE_WORDS, falseValues=FALSE_WORDS, constraints=required),
        "source_id": _field("source_id", "string", "出处编号", "这个数字的出处，即 cases.json 中案例 sources 里的 id。",
                            constraints={**required, "pattern": _pattern("sources", 0)}),
        "phrase": _field("phrase", "string", "原文写法", "原文怎么写的，如“6100多个”“94.1%以上”。", constraints=required),
        "note": _field("note", "string", "备注", "口径说明等。"),
    }
    return tuple(fields[name] for name in STATISTIC_COLUMNS)


def _qualifier_field() -> dict[str, Any]:
    """Which bound the value is. The empty cell is a value here (an exact figure), not a missing one."""
    written: dict[str, list[str]] = {}
    for word, bound in numbers.QUALIFIERS.items():
        written.setdefault(bound, []).append(word)
    categories = [{"value": bound, "label": meaning + (f"（原文写作{'、'.join(written[bound])}）" if bound in written else "")}
                  for bound, meaning in numbers.MEANINGS.items()]
    summary = "；".join(f"“{c['value']}”为{c['label']}" if c["value"] else f"空为{c['label']}" for c in categories)
    return _field("qualifier", "string", "限定词", f"规范值是下限、约数、上限、区间还是确数。{summary}。",
                  categories=categories, missingValues=[], constraints={"enum": list(numbers.MEANINGS)})


def _case_fields() -> tuple[dict[str, Any], ...]:
    return (
        _field("id", "string", "案例编号", "永久编号；案例页面在 cases/<编号>/。",
               constraints={"required": True, "pattern": _pattern("id")}),
        _field("title", "string", "标题", "案例名称。", constraints={"required": True}),
        _field("url", "string", "网址", "案例页面的地址（站点地址未设定时是相对于站点根目录的路径）。",
               constraints={"required": True}),
        _field("region", "array", "地区", "从省到社区的地名，写到已知的最细一级。", constraints={"required": True}),
        _field("level", "string", "层级", f"做法在哪一级组织实施：{'、'.join(LEVELS)}。",
               constraints={"required": True, "enum": list(LEVELS)}),
        _field("year", "integer", "年份", "案例所描述情况的年份。", constraints={"required": True}),
        _field("since", "integer", "起始年份", "做法开始实施的年份；不知道时为空。"),
        _field("practices", "array", "做法", "做法词表中的名称。", constraints={"required": True}),
        _field("problems", "array", "问题", "案例应对的问题，问题词表中的名称。", constraints={"required": True}),
        _field("summary", "string", "摘要", "一两句话的概括。", constraints={"required": True}),
        _field("completeness", "string", "记录完整程度",
               "；".join(f"{grade}：{rule}" for grade, rule in COMPLETENESS_RULES.items()) + "。",
               constraints={"required": True, "enum": list(COMPLETENESS_RULES)}),
        _field("verification", "string", "来源印证",
               "；".join(f"{grade}：{rule}" for grade, rule in VERIFICATION_RULES.items()) + "。",
               constraints={"required": True, "enum": list(VERIFICATION_RULES)}),
        _field("sources", "array", "来源", "案例依据的资料，每篇一项：id、citation（GB/T 7714 著录）、刊物、题名、作者、日期、"
               "版次、网址、访问日期等。", constraints={"required": True}),
    )
