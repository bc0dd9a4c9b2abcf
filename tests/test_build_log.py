"""What an editor reads in the build's log: the validator's reminders, and nothing from the libraries."""

from __future__ import annotations

import sys

from tests.conftest import EXAMPLE_RECORD, Project, run

EXAMPLE = "changchun/jiushengci-fengchao.yml"


def test_a_record_entered_twice_is_a_warning_that_fails_the_strict_build(project: Project) -> None:
    again = EXAMPLE_RECORD.read_text(encoding="utf-8").replace("id: jiushengci-fengchao\n", "id: jiushengci-fengchao-again\n")
    project.add_record("changchun/jiushengci-fengchao-again.yml", again)
    lenient = run([sys.executable, "-m", "mkdocs", "build"], project.path)
    assert lenient.returncode == 0, lenient.stderr
    warning = ("cases/records/changchun/jiushengci-fengchao-again.yml:1:1: 标题（title）: 与 cases/records/changchun/"
               "jiushengci-fengchao.yml")
    assert warning in lenient.stderr
    assert "请确认不是同一个案例重复录入（提醒）" in lenient.stderr
    strict = project.build()
    assert strict.returncode == 1
    assert warning in strict.stderr and "Aborted with 2 warnings in strict mode!" in strict.stderr


def test_a_record_in_another_citys_folder_is_a_warning_in_the_build(project: Project) -> None:
    records = project.path / "cases" / "records"
    (records / "jilin-shi").mkdir()
    (records / EXAMPLE).rename(records / "jilin-shi" / "jiushengci-fengchao.yml")
    result = project.build()
    assert result.returncode == 1
    assert "jilin-shi/jiushengci-fengchao.yml:1:1: 长春市的案例应放在 cases/records/changchun/ 文件夹里" in result.stderr


def test_the_build_log_holds_no_dictionary_chatter_and_jieba_keeps_its_cache_in_the_project(project: Project) -> None:
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "prefix dict" not in result.stderr.lower() and "Loading model" not in result.stderr
    assert [line for line in result.stderr.splitlines() if not line.startswith("INFO")] == []
    assert list((project.path / ".cache").glob("jieba*.cache"))
