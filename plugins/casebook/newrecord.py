"""``casebook new``: a record from the template, every field explained in Chinese comments."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from .layout import RECORDS_DIR, city_folder, survey
from .model import LEVELS, REGION_LEVEL_NAMES
from .schema import city_folders, id_pattern

ID_PATTERN = re.compile(id_pattern())


class NewRecordError(Exception):
    """The new record cannot be written; the message says why, in Chinese."""


@dataclass
class NewRecord:
    case_id: str
    title: str
    level: str
    year: int
    city: str | None = None
    county: str | None = None
    subdistrict: str | None = None
    community: str | None = None


def check_id(case_id: str, cases_dir: Path) -> None:
    if not ID_PATTERN.fullmatch(case_id) or not 3 <= len(case_id) <= 60:
        raise NewRecordError(f"编号「{case_id}」不合格式：只用小写字母、数字和连字符，3 到 60 个字符，如 jiushengci-fengchao")
    if any(file.stem == case_id for file in survey(cases_dir, cases_dir.parent)[0]):
        raise NewRecordError(f"编号「{case_id}」已被使用，请换一个")
    redirects = cases_dir / "redirects.yml"
    retired = rf"^\s*-?\s*from:\s*{re.escape(case_id)}\s*$"
    if redirects.exists() and re.search(retired, redirects.read_text(encoding="utf-8"), re.M):
        raise NewRecordError(f"编号「{case_id}」是已停用的旧编号（见 redirects.yml），不能再用")


def write_record(record: NewRecord, cases_dir: Path) -> Path:
    """Write the record into the folder of its city; refuse to overwrite anything."""
    check_id(record.case_id, cases_dir)
    if record.level not in LEVELS:
        raise NewRecordError(f"层级「{record.level}」不在可选范围内（可选：{'、'.join(LEVELS)}）")
    if record.city and record.city not in city_folders():
        raise NewRecordError(f"市（州）「{record.city}」不在可选范围内（可选：{'、'.join(city_folders())}）")
    target = cases_dir / RECORDS_DIR / city_folder(record.city) / f"{record.case_id}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    depth = len(target.relative_to(cases_dir.parent).parts) - 1
    text = _render(record, "../" * depth + "plugins/casebook/schema/case.schema.json")
    with open(target, "x", encoding="utf-8") as handle:  # "x": never replace an existing file
        handle.write(text)
    return target


FIELDS = (
    ("case_id", "案例编号（小写字母、数字、连字符，如 jiushengci-fengchao）", True),
    ("title", "标题（如 九圣祠社区“蜂巢自治”）", True),
    ("level", f"层级（{'、'.join(LEVELS)}）", True),
    ("year", "年份（如 2022）", True),
    ("city", "市（州），省级案例直接回车", False),
    ("county", "县（市、区），不知道就回车", False),
    ("subdistrict", "街道（乡镇），不知道就回车", False),
    ("community", "社区（村），不知道就回车", False),
)


def ask(prompt: Callable[[str], str], given: dict[str, str]) -> dict[str, str]:
    """Ask, in Chinese, for every field the flags left out."""
    answers = dict(given)
    for key, label, required in FIELDS:
        while key not in answers:
            answer = prompt(f"{label}：").strip()
            if answer or not required:
                answers[key] = answer
            else:
                print("这一项必须填写。")
    return answers


def record_from(fields: dict[str, str]) -> NewRecord:
    year = fields.get("year", "")
    if not re.fullmatch(r"\d{4}", year):
        raise NewRecordError(f"年份「{year}」应是四位数字，如 2022")
    places = {key: fields.get(key) or None for key in ("city", "county", "subdistrict", "community")}
    return NewRecord(case_id=fields["case_id"], title=fields["title"], level=fields["level"], year=int(year), **places)


def _render(record: NewRecord, schema_path: str) -> str:
    region = {key: getattr(record, key) for key in ("city", "county", "subdistrict", "community") if getattr(record, key)}
    return record_text({"id": record.case_id, "title": record.title, "region": {"province": "吉林省", **region},
                        "level": record.level, "year": record.year}, schema_path)


# How a record's values are written. The editor's page (assets/editor.js) writes them the same way, into the
# same template (``skeleton``); tests compare the two on the same record. A JSON string is a valid YAML scalar:
# quotes, colons or '#' typed into a field cannot break the file.
def record_text(record: dict[str, Any], schema_path: str) -> str:
    """A record as `casebook new` and the editor's page write it: every field with its comment, empty ones as
    the editor is to fill them in."""
    return _template().render(schema_path=schema_path, **_written(record))


def skeleton(schema_path: str) -> str:
    """The record template with a marker ``⟦name⟧`` for each value, which the editor's page fills in."""
    names = ["id", "title", "level", "year", "since", "practices", "problems", "summary", "background", "measures",
             "outcomes", "conditions", "cautions", "statistics", "sources"]
    values = {name: f"⟦{name}⟧" for name in names}
    region = [(label, f"⟦region.{key}⟧") for key, label in _region_levels()]
    return _template().render(schema_path=schema_path, **values, region=region)


def _written(record: dict[str, Any]) -> dict[str, Any]:
    region = record.get("region", {})
    statistics = "".join(_statistic(entry) for entry in record.get("statistics", ())) or " []"
    return {
        "id": _scalar(record.get("id", ""), plain=ID_PATTERN), "title": _scalar(record.get("title", "")),
        "region": [(label, f"{key}: {_scalar(region[key])}" if region.get(key) else f"# {key}: ")
                   for key, label in _region_levels()],
        "level": _scalar(record.get("level", "")), "year": _scalar(record.get("year", ""), plain=_YEAR),
        "since": f"since: {_scalar(record['since'], plain=_YEAR)}" if record.get("since") else "# since: 2019",
        "practices": _flow(record.get("practices", ())), "problems": _flow(record.get("problems", ())),
        "summary": _scalar(record.get("summary", "")), "background": _scalar(record.get("background", "")),
        "measures": "".join(f"\n  - title: {_scalar(m.get('title', ''))}\n    text: {_scalar(m.get('text', ''))}"
                            for m in record.get("measures") or [{}]),
        "outcomes": "".join(f"\n  - {_scalar(text)}" for text in record.get("outcomes") or [""]),
        "conditions": _block("conditions", record.get("conditions", ())),
        "cautions": _block("cautions", record.get("cautions", ())),
        "statistics": statistics, "sources": _flow(record.get("sources", ())),
    }


def _statistic(entry: dict[str, Any]) -> str:
    lines = [f"metric: {_scalar(entry.get('metric', ''))}", f"value: {_scalar(entry.get('value', ''))}",
             f"as_of: {_scalar(str(entry.get('as_of', '')))}"]
    if entry.get("as_of_estimated"):
        lines.append("as_of_estimated: true")
    if entry.get("scope"):
        lines.append(f"scope: {_scalar(entry['scope'])}")
    lines.append(f"source: {_scalar(entry.get('source', ''), plain=ID_PATTERN)}")
    if entry.get("note"):
        lines.append(f"note: {_scalar(entry['note'])}")
    return "\n  - " + "\n    ".join(lines)


def _block(name: str, items: Any) -> str:
    return f"{name}:" + "".join(f"\n  - {_scalar(text)}" for text in items) if items else f"# {name}: []"


def _flow(items: Any) -> str:
    return "[" + ", ".join(_scalar(item) for item in items) + "]"


_YEAR = re.compile(r"[12]\d{3}")


def _scalar(value: Any, plain: re.Pattern[str] | None = None) -> str:
    """A value as YAML: as typed when it matches ``plain`` (an id, a year), else a JSON string."""
    text = str(value)
    return text if plain is not None and plain.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _region_levels() -> list[tuple[str, str]]:
    return [(key, REGION_LEVEL_NAMES[key]) for key in ("city", "county", "subdistrict", "community")]


def _template() -> Any:
    env = Environment(loader=PackageLoader("casebook", "templates"), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template("new_record.yml.j2")
