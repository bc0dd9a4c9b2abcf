"""Read one YAML file safely and remember where every value came from.

Only plain data is accepted: a safe loader, no anchors or aliases (they are how alias
bombs work and case records never need them), no duplicate keys (PyYAML would keep the
last one silently), no timestamps turned into dates (dates stay the strings editors wrote),
and a size limit checked before parsing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 256 * 1024

Location = tuple[int, int]
KeyPath = tuple[str | int, ...]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves ``2022-11-25`` as the string the editor wrote."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """A parsed YAML document with the (line, column) of every key path."""

    path: str
    data: Any
    locations: dict[KeyPath, Location] = field(default_factory=dict)
    label: Callable[[KeyPath], str] = field(default=lambda key_path: dotted(key_path))  # names a field in messages

    def locate(self, key_path: KeyPath) -> Location:
        """The location of the deepest known prefix of ``key_path``."""
        for end in range(len(key_path), -1, -1):
            if key_path[:end] in self.locations:
                return self.locations[key_path[:end]]
        return (1, 1)

    def problem(self, key_path: KeyPath, message: str) -> Problem:
        line, column = self.locate(key_path)
        return Problem(self.path, line, column, self.label(key_path), message)


class YamlProblem(Exception):
    """The file cannot be read as plain YAML data."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def dotted(key_path: KeyPath) -> str:
    """``("statistics", 2, "value")`` → ``statistics[2].value``."""
    text = ""
    for key in key_path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def read_document(file: Path, display_path: str) -> Document:
    """Parse ``file``; raise :class:`YamlProblem` naming the line when it is not plain data."""
    return parse_bytes(file.read_bytes(), display_path)


Label = Callable[[KeyPath], str]


def parse_bytes(raw: bytes, display_path: str, label: Label = dotted) -> Document:
    """Parse the bytes of a file, refusing what is too big, binary or not UTF-8 before parsing."""
    if len(raw) > MAX_BYTES:
        raise _problem(display_path, 1, 1, f"文件太大（{len(raw) // 1024} KB），一条记录最多 {MAX_BYTES // 1024} KB")
    if b"\x00" in raw:
        raise _problem(display_path, 1, 1, "这不是文本文件（含有二进制内容），请用 UTF-8 编码的 YAML 文本")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise _problem(display_path, line, 1, "文件不是 UTF-8 编码，请在编辑器里另存为 UTF-8") from None
    return parse_text(text, display_path, label)


def parse_text(text: str, display_path: str, label: Label = dotted) -> Document:
    """Parse YAML text into plain data with locations; ``label`` names fields in messages."""
    loader = _PlainLoader(text)
    try:
        node = loader.get_single_node()
        document = Document(display_path, None, label=label)
        if node is not None:
            document.data = _Builder(loader, document, text).build(node, ())
        return document
    except yaml.MarkedYAMLError as error:
        # An unclosed quote is found at the end of the file; where it opened is what helps.
        opened = error.context_mark if "quoted scalar" in (error.context or "") else None
        mark = opened or error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _problem(display_path, line, column, f"YAML 格式错误：{_yaml_reason(error)}") from None
    except yaml.YAMLError as error:
        raise _problem(display_path, 1, 1, f"YAML 格式错误：{error}") from None
    except RecursionError:
        raise _problem(display_path, 1, 1, "嵌套层级太深，不像是一条案例记录") from None
    finally:
        loader.dispose()


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording marks."""

    def __init__(self, loader: Any, document: Document, text: str):
        self.loader = loader
        self.document = document
        self.text = text
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, key_path: KeyPath) -> Any:
        self._refuse_reuse(node)
        self.document.locations.setdefault(key_path, _location(node))
        if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_COLLECTION_TAGS:
            line, column = _location(node)
            raise _problem(self.document.path, line, column, _CUSTOM_TAG)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, key_path + (index,)) for index, item in enumerate(node.value)]
        value = self.loader.construct_object(node)
        if not (isinstance(value, str) and isinstance(node, yaml.ScalarNode)):
            return value
        if node.style in (">", None) and node.end_mark.line > node.start_mark.line:  # folded over several lines
            return _refold(value, self.text[node.start_mark.index:node.end_mark.index], header=node.style == ">")
        return value

    def _mapping(self, node: yaml.MappingNode, key_path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line, column = _location(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _problem(self.document.path, line, column, "不支持合并键 <<，请把内容直接写出来")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _problem(self.document.path, line, column, "字段名必须是简单文字")
            key = str(self.loader.construct_object(key_node))
            if key in result:
                first_line = self.document.locations[key_path + (key,)][0]
                raise _problem(self.document.path, line, column, f"字段「{key}」重复出现（第 {first_line} 行已有），请只保留一个",
                               self.document.label(key_path + (key,)))
            self.document.locations[key_path + (key,)] = (line, column)
            result[key] = self.build(value_node, key_path + (key,))
        return result

    def _refuse_reuse(self, node: yaml.Node) -> None:
        # The composer hands back the same node object for every alias of an anchor.
        if id(node) in self.seen:
            line, column = _location(node)
            raise _problem(self.document.path, line, column, "不支持锚点和别名（& 和 *），请把内容直接写出来")
        self.seen.add(id(node))


# Folding joins wrapped lines with a space; between Chinese characters that space was never written.
WIDE_CHARACTER = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’…—]"
_WIDE = re.compile(WIDE_CHARACTER)


def _refold(value: str, raw: str, header: bool) -> str:
    """``value`` with the spaces that folding put at line breaks between two Chinese characters
    removed; spaces the editor typed inside a line (《… …》) are kept. ``raw`` is the scalar's source."""
    lines = [line.strip(" \t") for line in raw.split("\n")[1 if header else 0:]]
    kept, position = [], 0
    for line in filter(None, lines):
        found = value.find(line, position)
        if found < 0:  # not a simple fold (escapes, more-indented lines): leave YAML's reading
            return value
        joint = value[position:found]
        if joint == " " and position and _WIDE.match(value[position - 1]) and _WIDE.match(line[0]):
            joint = ""
        kept.append(joint + line)
        position = found + len(line)
    return "".join(kept) + value[position:]


_PLAIN_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_CUSTOM_TAG = "不支持自定义标签（!!python 等），只能写普通文字、数字、列表和字段"


def _location(node: yaml.Node) -> Location:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _problem(path: str, line: int, column: int, message: str, field: str = "") -> YamlProblem:
    return YamlProblem(Problem(path, line, column, field, message))


# Substrings of the messages of both the C and the pure-Python parser.
_YAML_REASONS = {
    "cannot start any token": "这里有不能出现的字符（常见原因：用了 Tab 缩进，请改用空格；或行首是 @ `）",
    "mapping values are not allowed": "这里不能出现“冒号加空格”（若是正文，请给整段加引号）",
    "could not find expected ':'": "缺少冒号，或上一行的引号没有闭合",
    "found undefined alias": "使用了未定义的别名 *",
    "expected <block end>": "缩进没有对齐",
    "did not find expected key": "缩进没有对齐，或少了冒号、列表的短横线",
    "did not find expected '-'": "列表项要以短横线 - 开头，并与上一项对齐",
    "quoted scalar": "引号没有闭合",
    "could not determine a constructor": _CUSTOM_TAG,
}


def _yaml_reason(error: yaml.MarkedYAMLError) -> str:
    text = f"{error.context or ''} {error.problem or ''}"
    for english, chinese in _YAML_REASONS.items():
        if english in text:
            return chinese
    return error.problem or error.context or "无法解析"
