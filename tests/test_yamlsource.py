"""Input safety of the YAML reader: plain data only, every refusal names file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.yamlsource import MAX_BYTES, YamlProblem, parse_text, read_document


def refusal(text: str) -> str:
    with pytest.raises(YamlProblem) as raised:
        parse_text(text, "x.yml")
    return str(raised.value)


def test_dates_stay_the_strings_editors_wrote() -> None:
    assert parse_text("as_of: 2022-11-25\n", "x.yml").data == {"as_of": "2022-11-25"}


def test_duplicate_key_is_refused_naming_both_lines() -> None:
    assert refusal("a: 1\nb: 2\na: 3\n") == "x.yml:3:1: a: 字段「a」重复出现（第 1 行已有），请只保留一个"


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9)
    )
    assert "不支持锚点和别名" in refusal(bomb)


@pytest.mark.parametrize(
    "text",
    ["a: !!python/object/apply:os.system ['echo hacked']\n", "a: !!python/name:os.system\n", "a: !custom {x: 1}\n"],
)
def test_custom_tags_are_refused(text: str) -> None:
    assert "不支持自定义标签" in refusal(text)


def test_merge_keys_are_refused() -> None:
    assert "不支持合并键" in refusal("base: {x: 1}\nc:\n  <<: {y: 2}\n")


def test_deep_nesting_is_refused() -> None:
    assert "嵌套层级太深" in refusal("[" * 20000 + "]" * 20000)


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    file = tmp_path / "big.yml"
    file.write_bytes(b"a: " + b"x" * (MAX_BYTES + 1) + b"\n")
    with pytest.raises(YamlProblem, match="文件太大"):
        read_document(file, "big.yml")


def test_binary_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "b.yml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(YamlProblem, match="不是文本文件"):
        read_document(binary, "b.yml")
    gbk = tmp_path / "g.yml"
    gbk.write_bytes("title: ok\nsummary: 社区\n".encode("gbk"))
    with pytest.raises(YamlProblem) as raised:
        read_document(gbk, "g.yml")
    assert str(raised.value) == "g.yml:2:1: 文件不是 UTF-8 编码，请在编辑器里另存为 UTF-8"


def test_tab_indentation_is_explained() -> None:
    assert "Tab" in refusal("a:\n\t- x\n")
