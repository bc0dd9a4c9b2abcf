"""The editors' workflow: a new record from the template, checks that explain, warnings, published schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from casebook.newrecord import ask
from casebook.schema import SCHEMA_FILES, schema_text

from .conftest import EXAMPLE_RECORD, ROOT, Project, run

NEW_FLAGS = ["--id", "anshan-test", "--title", "测试社区“新做法”", "--level", "社区", "--year", "2023",
             "--city", "长春市", "--county", "南关区"]


def new(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "casebook.cli", "new", *args], project.path)


def test_new_record_is_explained_then_validates_and_builds_once_filled(project: Project) -> None:
    result = new(project, *NEW_FLAGS)
    assert result.returncode == 0, result.stderr
    file = project.path / "cases" / "records" / "changchun" / "anshan-test.yml"
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../plugins/casebook/schema/case.schema.json\n")
    assert "# 摘要：一两句话概括" in text and '  city: "长春市"' in text and "  # subdistrict:" in text

    unfilled = project.validate()
    assert unfilled.returncode == 1
    assert "cases/records/changchun/anshan-test.yml:27:1: 做法标签（practices）: 至少要有 1 项" in unfilled.stdout
    assert "摘要（summary）: 长度为 0 个字，至少 4 个字" in unfilled.stdout

    registry = project.path / "cases" / "problems.yml"
    entry = "- id: ceshi-wenti\n  name: 测试小区没人管\n  description: 测试用的问题。\n"
    registry.write_text(registry.read_text(encoding="utf-8") + entry, encoding="utf-8")
    filled = (text.replace("practices: []", "practices: [居民自治]").replace("problems: []", "problems: [测试小区没人管]")
              .replace('summary: ""', "summary: 居民自己商量小区的事。")
              .replace('background: ""', "background: 小区没人管。")
              .replace('  - title: ""\n    text: ""', "  - title: 议事会\n    text: 每月开一次议事会。")
              .replace('outcomes:\n  - ""', "outcomes:\n  - 投诉少了很多。")
              .replace("sources: []", "sources: [jlrb-2022-gaoqing-hongqi]"))
    file.write_text(filled, encoding="utf-8")
    assert project.validate().returncode == 0
    assert project.build().returncode == 0
    assert "测试社区“新做法”" in project.page("cases/anshan-test/index.html")


def test_new_refuses_taken_and_malformed_ids_and_never_overwrites(project: Project) -> None:
    taken = new(project, *[("jiushengci-fengchao" if a == "anshan-test" else a) for a in NEW_FLAGS])
    assert taken.returncode == 2 and "编号「jiushengci-fengchao」已被使用" in taken.stderr
    assert project.path.joinpath("cases/records/changchun/jiushengci-fengchao.yml").read_text(encoding="utf-8") == \
        EXAMPLE_RECORD.read_text(encoding="utf-8")
    for bad in ("../../escape", "Upper", "a/b"):
        result = new(project, *[(bad if a == "anshan-test" else a) for a in NEW_FLAGS])
        assert result.returncode == 2 and "不合格式" in result.stderr, bad
    assert not list(project.path.rglob("escape*"))


def test_new_without_a_terminal_asks_for_flags(project: Project) -> None:
    result = new(project, "--title", "只有标题")
    assert result.returncode == 2
    assert result.stderr.strip() == "缺少 --id、--level、--year（不在终端里运行时，请用参数给出）"


def test_new_asks_for_what_the_flags_left_out() -> None:
    answers = iter(["yanji-test", "", "县区", "2022", "延边朝鲜族自治州", "延吉市", "", ""])
    prompts: list[str] = []

    def prompt(text: str) -> str:
        prompts.append(text)
        return next(answers)

    fields = ask(prompt, {"title": "延吉测试"})
    assert fields["case_id"] == "yanji-test" and fields["level"] == "县区" and fields["county"] == "延吉市"
    assert prompts[0].startswith("案例编号") and prompts.count("层级（省、市、县区、街道、社区、小区/网格、村）：") == 2


def test_lookalike_record_gets_a_warning_not_an_error(project: Project) -> None:
    twin = EXAMPLE_RECORD.read_text(encoding="utf-8").replace("id: jiushengci-fengchao", "id: jiushengci-fengchao-2")
    twin = twin.replace("title: 九圣祠社区“蜂巢自治”", "title: 九圣祠社区蜂巢式自治")
    project.add_record("changchun/jiushengci-fengchao-2.yml", twin)
    result = project.validate()
    assert result.returncode == 0
    assert ("cases/records/changchun/jiushengci-fengchao-2.yml:1:1: 标题（title）: "
            "与 cases/records/changchun/jiushengci-fengchao.yml「九圣祠社区“蜂巢自治”」很像（同在九圣祠社区、同为蜂巢自治），"
            "请确认不是同一个案例重复录入（提醒）") in result.stdout
    annotated = project.validate("--format", "github")
    assert "::warning file=cases/records/changchun/jiushengci-fengchao-2.yml,line=1,col=1::标题（title）: 与" in annotated.stdout


def test_schema_is_published_with_chinese_help_for_every_field(built_site: Project) -> None:
    for kind, name in SCHEMA_FILES.items():
        assert (built_site.path / "site" / "schema" / name).read_text(encoding="utf-8") == schema_text(kind)
    schema = json.loads(schema_text("case"))

    def fields(node: dict, path: str) -> list[tuple[str, dict]]:
        found = []
        for key, sub in node.get("properties", {}).items():
            found.append((f"{path}{key}", sub))
            found += fields(sub, f"{path}{key}.")
            found += fields(sub.get("items", {}), f"{path}{key}[].")
        return found

    for path, sub in fields(schema, ""):
        assert re.search(r"[\u4e00-\u9fff]", sub.get("title", "")), path
        assert re.search(r"[\u4e00-\u9fff]", sub.get("description", "")), path


def test_workflow_files_are_valid() -> None:
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    check_jsonschema = str(Path(sys.executable).with_name("check-jsonschema"))
    lint = run([check_jsonschema, "--builtin-schema", "vendor.github-workflows", *workflows], ROOT)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_code_type_checks() -> None:
    mypy = run([sys.executable, "-m", "mypy", "--no-incremental", "--no-error-summary"], ROOT)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_code_passes_ruff_with_its_line_length() -> None:
    ruff = str(Path(sys.executable).with_name("ruff"))
    lint = run([ruff, "check", "--output-format", "concise", "plugins", "tests"], ROOT)  # rules and line length: pyproject.toml
    assert lint.returncode == 0, lint.stdout + lint.stderr
