"""The JSON Schemas of records and registries, and their errors in plain Chinese.

The schema files in ``schema/`` are the single source of truth: this module validates
with them, editors' tools read them, and the site publishes them.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Iterator, cast

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from ..problems import Problem, closest
from ..yamlsource import Document, KeyPath

SCHEMA_FILES = {"case": "case.schema.json", "sources": "sources.schema.json", "practices": "practices.schema.json",
                "problems": "problems.schema.json", "redirects": "redirects.schema.json", "metrics": "metrics.schema.json"}

_KINDS = {name: kind for kind, name in SCHEMA_FILES.items()}

_TYPES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
          "array": "列表（每项以 - 开头）", "object": "字段集合（每行 名称: 内容）", "null": "空"}


def schema_text(kind: str) -> str:
    """The schema file as published (bytes of the file in the package)."""
    return resources.files(__package__).joinpath(SCHEMA_FILES[kind]).read_text(encoding="utf-8")


@cache
def _schema(kind: str) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(schema_text(kind)))


@cache
def _by_address() -> dict[str, dict[str, Any]]:
    """Every schema by its ``$id``: the registries refer to ``case.schema.json#/$defs/…`` for what they share."""
    return {_schema(kind)["$id"]: _schema(kind) for kind in SCHEMA_FILES}


@cache
def _validator(kind: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resources((address, Resource.from_contents(schema))
                                                        for address, schema in _by_address().items())
    return Draft202012Validator(_schema(kind), registry=registry)


@cache
def _is_valid(kind: str) -> Any:
    """A compiled validator: ten times faster than jsonschema on a record, but with terse English
    errors, so it only answers whether ``check`` needs jsonschema to explain what is wrong."""
    # Fresh copies: fastjsonschema rewrites the $ref of the schemas it compiles.
    schemas = {address: _ref_beside(copy.deepcopy(schema)) for address, schema in _by_address().items()}
    return fastjsonschema.compile(_ref_beside(copy.deepcopy(_schema(kind))), use_formats=False,
                                  handlers={"https": schemas.__getitem__})


def _ref_beside(node: Any) -> Any:
    """The schema with each ``$ref`` that has other keywords beside it (``{"$ref": prose, "maxLength": 300}``)
    moved into an ``allOf``: fastjsonschema, like draft 7, reads only the ``$ref`` and would let a 302-character
    summary pass, where draft 2020-12 (jsonschema, the editor's page) applies both."""
    if isinstance(node, list):
        return [_ref_beside(item) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: _ref_beside(value) for key, value in node.items()}
    if "$ref" in found and len(found) > 1:
        found["allOf"] = [*found.get("allOf", []), {"$ref": found.pop("$ref")}]
    return found


# The vocabularies other modules use, read from the schema: it is their one source.

def id_pattern() -> str:
    """What every id of the casebook (cases, sources, practices, problems, metrics) looks like: an address part."""
    return cast(str, _schema("case")["$defs"]["id"]["pattern"])


def levels() -> dict[str, str]:
    """Each level a case can be at → the slug of its page's address (``x-slugs``: permanent, never renamed)."""
    return dict(_schema("case")["properties"]["level"]["x-slugs"])


def region_fields() -> dict[str, str]:
    """The fields of a region from the province down → what an editor calls each (市（州） …)."""
    return {name: field["title"] for name, field in _schema("case")["properties"]["region"]["properties"].items()}


def city_folders() -> dict[str, str]:
    """Each city the schema allows → the folder under ``records/`` where its records live."""
    return dict(_schema("case")["properties"]["region"]["properties"]["city"]["x-folders"])


def check(kind: str, document: Document) -> list[Problem]:
    """Every schema problem of ``document``, in Chinese, located by line."""
    try:
        _is_valid(kind)(document.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    validator = _validator(kind)
    problems: list[Problem] = []
    for error in validator.iter_errors(document.data):
        for key_path, message in _explain(error, validator.schema):
            problems.append(document.problem(key_path, message))
    return problems


def _explain(error: ValidationError, root: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    key_path: KeyPath = tuple(error.absolute_path)
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        for name in value:
            if isinstance(error.instance, dict) and name not in error.instance:
                yield key_path + (name,), f"缺少必填字段，请补上「{name}:」"
    elif kind == "additionalProperties":
        allowed = sorted(_properties(error.schema))
        for name in sorted(set(error.instance) - set(allowed)):
            yield key_path + (name,), _unknown_field(name, allowed)
    elif kind == "type" and key_path[-1:] == ("value",) and isinstance(error.instance, (int, float)):
        number = error.instance
        yield key_path, f"数值要连同单位按原文写成文字，如「{number}人」「{number}个」，这里只写了数字 {number}"
    elif kind == "type":
        expected = value if isinstance(value, list) else [value]
        yield key_path, f"应为{'或'.join(_TYPES[t] for t in expected)}，这里写的是{_shown(error.instance)}"
    elif kind == "enum":
        yield key_path, f"「{error.instance}」不在可选范围内（可选：{'、'.join(map(str, value))}）"
    elif kind == "const":
        yield key_path, f"只能是 {value}"
    elif kind == "pattern":
        yield key_path, f"格式不对：「{error.instance}」（{_hint(root, key_path)}）"
    elif kind in ("minLength", "maxLength"):
        length = len(error.instance)
        limit = "至少" if kind == "minLength" else "最多"
        yield key_path, f"长度为 {length} 个字，{limit} {value} 个字"
    elif kind == "minItems":
        yield key_path, f"至少要有 {value} 项"
    elif kind == "uniqueItems":
        yield key_path, "列表中有重复的项"
    elif kind in ("minimum", "maximum"):
        yield key_path, f"数值 {error.instance} 超出范围（{'不小于' if kind == 'minimum' else '不大于'} {value}）"
    else:
        yield key_path, f"不符合格式要求（{error.message}）"


def field_label(kind: str, key_path: KeyPath) -> str:
    """A field as an editor reads it: ``("statistics", 2, "metric")`` → ``第3条数据 · 指标（metric）``."""
    root = _validator(kind).schema
    node: dict[str, Any] = root
    parts: list[str] = []
    for key in key_path:
        node = _resolve(root, node)
        if isinstance(key, int):
            listed = parts.pop() if parts else ""
            parts.append(f"第{key + 1}条{listed}" if listed else f"第{key + 1}项")
            node = node.get("items", {})
        else:
            node = _properties(node).get(key, {})
            parts.append(node.get("title", key))
    if key_path and isinstance(key_path[-1], str):
        parts[-1] = f"{parts[-1]}（{key_path[-1]}）" if parts[-1] != key_path[-1] else parts[-1]
    return " · ".join(parts)


@dataclass(frozen=True)
class Field:
    """One field of a record as the codebook (编辑规范) explains it, straight from the schema."""

    path: str  # region.city, measures[].title
    title: str
    description: str
    kind: str  # 文字, 整数, 列表 …
    required: bool
    choices: tuple[str, ...] = ()


def field_schema(kind: str, key_path: KeyPath) -> dict[str, Any]:
    """The schema of one field (``("statistics", 0, "as_of")``), for formats that describe the same values."""
    root = _validator(kind).schema
    return _resolve(root, _subschema(root, key_path))


def codebook(kind: str) -> list[Field]:
    """Every field of the schema in order, nested fields after their parent."""
    root = _validator(kind).schema
    return list(_fields(root, root, ""))


def _fields(root: dict[str, Any], node: dict[str, Any], prefix: str) -> Iterator[Field]:
    node = _resolve(root, node)
    required = set(node.get("required", ()))
    for name, sub in _properties(node).items():
        sub = _resolve(root, sub)
        types = sub.get("type", "string")
        shown = "或".join(_TYPES[t] for t in (types if isinstance(types, list) else [types]))
        yield Field(f"{prefix}{name}", sub.get("title", name), sub.get("description", ""), shown, name in required,
                    tuple(map(str, sub.get("enum", ()))))
        yield from _fields(root, sub, f"{prefix}{name}.")
        if "items" in sub:
            yield from _fields(root, sub["items"], f"{prefix}{name}[].")


def _unknown_field(name: str, allowed: list[str]) -> str:
    close = closest(name, allowed, limit=1)
    guess = f"是不是「{close[0]}」？" if close else ""
    return f"未知字段「{name}」，{guess}可用字段：{'、'.join(allowed)}"


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    return schema.get("properties", {})


def _subschema(root: dict[str, Any], key_path: KeyPath) -> dict[str, Any]:
    """The schema that describes the value at ``key_path``, following items and $ref."""
    node = root
    for key in key_path:
        node = _resolve(root, node)
        node = node.get("items", {}) if isinstance(key, int) else _properties(node).get(str(key), {})
    return node


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with what its ``$ref`` points at (in this schema, or ``case.schema.json#/$defs/…``)."""
    address, _, pointer = node.get("$ref", "").partition("#/$defs/")
    if not pointer:
        return node
    defined = _schema(_KINDS[address])["$defs"] if address else root["$defs"]
    return {**defined[pointer], **{k: v for k, v in node.items() if k != "$ref"}}


def _title(root: dict[str, Any], key_path: KeyPath) -> str:
    return _subschema(root, key_path).get("title", str(key_path[-1]))


_PATTERN_HINTS = {
    r"^\d{4}": "写成 2022、2022-10 或 2022-10-31",
    r"^https?": "只能是 http:// 或 https:// 开头、不含空格和引号的网址",
    r"^[a-z0-9]+": "只能用小写字母、数字和连字符，如 jiushengci-fengchao",
}


def _hint(root: dict[str, Any], key_path: KeyPath) -> str:
    pattern = _resolve(root, _subschema(root, key_path)).get("pattern", "")
    for prefix, hint in _PATTERN_HINTS.items():
        if re.match(re.escape(prefix), pattern):
            return hint
    return f"应匹配 {pattern}"


def _shown(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (dict, list)):
        return _TYPES["object" if isinstance(value, dict) else "array"]
    return f"「{value}」"
