"""``casebook validate``: the build's checks, from the command line, in plain Chinese."""

from __future__ import annotations

import re

from .conftest import EXAMPLE_RECORD, Project


def test_valid_casebook_passes(project: Project) -> None:
    result = project.validate()
    assert result.returncode == 0
    assert re.fullmatch(r"检查通过：1 个案例、1 条数据、\d+ 种做法、5 篇来源。", result.stdout.strip())


def test_every_problem_is_listed_and_exit_is_one(project: Project) -> None:
    text = EXAMPLE_RECORD.read_text(encoding="utf-8")
    project.add_record("changchun/jiushengci-fengchao.yml", text.replace("level: 社区", "level: 小区").replace("year: 2022", "year: 二〇二二"))
    project.add_record("broken/broken.yml", "id: broken\ntitle: '未闭合\n")
    result = project.validate()
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "cases/records/broken/broken.yml:2:8: YAML 格式错误：引号没有闭合",
        "cases/records/changchun/jiushengci-fengchao.yml:9:1: level: 「小区」不在可选范围内（可选：省、市、县区、街道、社区、小区/网格、村）",
        "cases/records/changchun/jiushengci-fengchao.yml:10:1: year: 应为整数，这里写的是「二〇二二」",
    ]
    assert "共 3 处问题" in result.stderr
    assert "Traceback" not in result.stderr


def test_paths_limit_the_report_to_those_files(project: Project) -> None:
    project.add_record("broken/broken.yml", "id: broken\n")
    assert project.validate("cases/records/changchun").returncode == 0
    assert project.validate("cases/records/broken").returncode == 1


def test_github_format_makes_pull_request_annotations(project: Project) -> None:
    project.add_record("broken/broken.yml", "id: broken\ntitle: x\n")
    result = project.validate("--format", "github")
    assert result.returncode == 1
    assert "::error file=cases/records/broken/broken.yml,line=1,col=1::region: 缺少必填字段（地区）" in result.stdout
