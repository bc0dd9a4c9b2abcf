"""``casebook validate``: the build's checks, from the command line, in plain Chinese."""

from __future__ import annotations

import re
import sys

import pytest

from .conftest import EXAMPLE_RECORD, Project, run


def registered(project: Project, registry: str) -> int:
    """Entries in one of the project's registries, counted from the file itself."""
    text = (project.path / "cases" / registry).read_text(encoding="utf-8")
    return len(re.findall(r"^- id: ", text, flags=re.MULTILINE))


def test_valid_casebook_passes(project: Project) -> None:
    result = project.validate()
    assert result.returncode == 0
    # The fixture holds one record with one statistic; the registries are the real ones, so their
    # counts come from the files (a registered source must not turn this test red).
    assert result.stdout.strip() == (f"检查通过：1 个案例、1 条数据、{registered(project, 'practices.yml')} 种做法、"
                                     f"{registered(project, 'sources.yml')} 篇来源。")


def test_every_problem_is_listed_and_exit_is_one(project: Project) -> None:
    text = EXAMPLE_RECORD.read_text(encoding="utf-8")
    broken = text.replace("level: 社区", "level: 小区").replace("year: 2022", "year: 二〇二二")
    project.add_record("changchun/jiushengci-fengchao.yml", broken)
    project.add_record("broken/broken.yml", "id: broken\ntitle: '未闭合\n")
    result = project.validate()
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "cases/records/broken/broken.yml:2:8: YAML 格式错误：引号没有闭合",
        "cases/records/changchun/jiushengci-fengchao.yml:9:1: 层级（level）: "
        "「小区」不在可选范围内（可选：省、市、县区、街道、社区、小区/网格、村）",
        "cases/records/changchun/jiushengci-fengchao.yml:10:1: 年份（year）: 应为整数，这里写的是「二〇二二」",
        "共 3 处问题，请按上面的文件和行号逐一修改。",
    ]
    assert result.stderr == ""


def test_paths_limit_the_report_to_those_files(project: Project) -> None:
    project.add_record("broken/broken.yml", "id: broken\n")
    assert project.validate("cases/records/changchun").returncode == 0
    assert project.validate("cases/records/broken").returncode == 1


def test_github_format_makes_pull_request_annotations(project: Project) -> None:
    project.add_record("broken/broken.yml", "id: broken\ntitle: x\n")
    result = project.validate("--format", "github")
    assert result.returncode == 1
    assert "::error file=cases/records/broken/broken.yml,line=1,col=1::地区（region）: 缺少必填字段，请补上「region:」" \
        in result.stdout


def with_statistic(project: Project, metric: str, value: str, as_of: str = "2022-11") -> None:
    """The example record with its one statistic changed as an editor would type it."""
    text = EXAMPLE_RECORD.read_text(encoding="utf-8")
    text = text.replace("  - metric: 套管小区占比\n    value: 75%以上\n    as_of: 2022-11\n",
                        f"  - metric: {metric}\n    value: {value}\n    as_of: {as_of}\n")
    project.add_record("changchun/jiushengci-fengchao.yml", text)


STATISTIC = "cases/records/changchun/jiushengci-fengchao.yml"


def statistic_line(key: str) -> int:
    """The line of the example record's first statistic's ``key`` (the record may gain fields above it)."""
    lines = EXAMPLE_RECORD.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.lstrip(" -").startswith(f"{key}: "))


FIELD_LABELS = {"value": "第1条数据 · 原文数值（value）", "as_of": "第1条数据 · 数据时间（as_of）",
                "metric": "第1条数据 · 指标（metric）"}


@pytest.mark.parametrize(("value", "as_of", "field", "message"), [
    ("4,46%", "2022-11", "value",
     "「4,46%」里的逗号位置不对：千位分隔符应每三位一个（如 3,438个），也可以不写逗号"),
    ("1e308%", "2022-11", "value", "「1e308%」是科学计数法：请按原文写，如 8379人、1.1万人"),
    ("99999999999999999%", "2022-11", "value",
     "「99999999999999999%」大得不像资料里的数字（超过千万亿），请核对原文"),
    ("75", "2022-11", "value",
     "数值要连同单位按原文写成文字，如「75人」「75个」，这里只写了数字 75"),
    ("75%", "2022-02-30", "as_of", "日期「2022-02-30」不存在（这个月没有这一天），请核对原文"),
    ("75%", "2022-13", "as_of", "格式不对：「2022-13」（写成 2022、2022-10 或 2022-10-31）"),
    ("75个", "2022-11", "value",
     "单位「个」不是指标「套管小区占比」的单位（可用：「%」）：请换用单位相同的指标；"
     "若「个」与「%」说的是同一单位，在 cases/metrics.yml 该指标下加 other_units: [个]"),
    ("五六%", "2022-11", "value",
     "「五六%」是约数，没有确定的值：请写成区间（如 5—6个、11—19个），原话写进 note"),
])
def test_impossible_numbers_and_dates_are_refused_with_the_line(project: Project, value: str, as_of: str,
                                                                 field: str, message: str) -> None:
    with_statistic(project, "套管小区占比", value, as_of)
    result = project.validate()
    assert result.returncode == 1
    where = f"{statistic_line(field)}:5: {FIELD_LABELS[field]}"
    assert result.stdout.splitlines() == [f"{STATISTIC}:{where}: {message}", "共 1 处问题，请按上面的文件和行号逐一修改。"]
    assert result.stderr == ""


def test_unreadable_chinese_numeral_says_what_to_write_without_a_python_warning(project: Project) -> None:
    with_statistic(project, "套管小区占比", "千余%")
    result = project.validate()
    assert result.returncode == 1
    assert "读不出数值「千余%」：应是一个数加单位" in result.stdout
    assert result.stderr == ""  # cn2an's UserWarning names a Python file; it must not reach the editor


def test_a_metric_accepts_the_units_it_declares_and_normalises_them(project: Project) -> None:
    metrics = project.path / "cases" / "metrics.yml"
    metrics.write_text(metrics.read_text(encoding="utf-8") + (
        "- id: wangge-yuan-test\n  name: 测试网格员人数\n  unit: 人\n  other_units: [名]\n"
        "  definition: 测试用：配备的网格员人数。\n"), encoding="utf-8")
    with_statistic(project, "测试网格员人数", "80265名")
    assert project.validate().returncode == 0
    with_statistic(project, "测试网格员人数", "80265位")
    refused = project.validate()
    assert refused.returncode == 1
    assert "单位「位」不是指标「测试网格员人数」的单位（可用：「人」、「名」）" in refused.stdout
    with_statistic(project, "测试网格员人数", "80265名")
    assert project.build().returncode == 0
    page = project.page("cases/jiushengci-fengchao/index.html")
    assert "80265名" in page and "80,265 人" in page  # as written, and normalised to the metric's unit


def test_unknown_metric_says_how_to_register_it_and_suggests_only_close_names(project: Project) -> None:
    # A catalogue of our own: what is suggested depends on what is registered.
    (project.path / "cases" / "metrics.yml").write_text(
        "- id: taoguan-xiaoqu-zhanbi\n  name: 套管小区占比\n  unit: '%'\n  definition: 物业套管小区在社区小区中的比重。\n"
        "- id: xiachen-dangyuan\n  name: 疫情防控下沉党员人数\n  unit: 人\n  definition: 下沉到社区参加疫情防控的党员人数。\n",
        encoding="utf-8")
    with_statistic(project, "执法力量下沉人数", "75%")
    result = project.validate()
    assert result.stdout.splitlines()[0] == (
        f"{STATISTIC}:{statistic_line('metric')}:5: {FIELD_LABELS['metric']}: 未知的指标「执法力量下沉人数」。"
        "若是新指标，请在 cases/metrics.yml 末尾登记（id、name、unit、definition）")
    with_statistic(project, "套管小区占", "75%")
    assert "未知的指标「套管小区占」，是不是：套管小区占比？若是新指标" in project.validate().stdout


LEAK = "这一行不应出现在任何输出里"


def test_a_link_is_refused_by_name_and_never_opened(project: Project, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.yml"
    outside.write_text(f"id: {LEAK}\n", encoding="utf-8")
    (project.path / "cases" / "records" / "changchun" / "evil.yml").symlink_to(outside)
    (project.path / "cases" / "records" / "etc").symlink_to(outside.parent, target_is_directory=True)
    for args in ((), ("cases",), ("cases/records/changchun",)):
        result = project.validate(*args)
        assert result.returncode == 1, args
        assert LEAK not in result.stdout + result.stderr
        assert "cases/records/changchun/evil.yml:1:1: 这是符号链接（快捷方式），出于安全不会打开：请换成普通文件" in result.stdout
        assert "没有问题" not in result.stdout
    assert "cases/records/etc:1:1: 这是符号链接" in project.validate("cases").stdout
    build = project.build_command()
    assert build.returncode == 1 and LEAK not in build.stdout + build.stderr
    assert "cases/records/changchun/evil.yml:1:1: 这是符号链接" in build.stderr


def test_a_link_in_docs_stops_the_build_unopened(project: Project, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text(f"# {LEAK}\n", encoding="utf-8")
    (project.path / "docs" / "secret.md").symlink_to(outside)
    build = project.build_command()
    assert build.returncode == 1 and LEAK not in build.stdout + build.stderr
    assert "docs/secret.md:1:1: 这是符号链接（快捷方式），出于安全不会打开：请换成普通文件" in build.stderr
    assert not (project.path / "site" / "secret" / "index.html").exists()


def test_every_yaml_file_under_cases_is_a_record_or_a_registry(project: Project) -> None:
    (project.path / "cases" / "jiushengci-copy.yml").write_text("id: x\n", encoding="utf-8")
    (project.path / "cases" / "records" / "changchun" / "notes.txt").write_text("草稿\n", encoding="utf-8")
    result = project.validate()
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "cases/jiushengci-copy.yml:1:1: 这个 YAML 文件既不是案例记录，也不是登记表（sources.yml、practices.yml、problems.yml、"
        "metrics.yml、redirects.yml）：案例记录请放在 cases/records/<城市文件夹>/ 下，如 cases/records/changchun/",
        "cases/records/changchun/notes.txt:1:1: cases/records/ 里只放 .yml 案例记录：请改成 .yml 文件，或移出这个文件夹",
        "共 2 处问题，请按上面的文件和行号逐一修改。",
    ]


def test_a_record_outside_its_citys_folder_is_a_warning_naming_the_folder(project: Project) -> None:
    moved = project.path / "cases" / "records" / "changchun" / "jiushengci-fengchao.yml"
    target = project.path / "cases" / "records" / "jilin-shi" / "jiushengci-fengchao.yml"
    target.parent.mkdir()
    moved.rename(target)
    result = project.validate()
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        "cases/records/jilin-shi/jiushengci-fengchao.yml:1:1: "
        "长春市的案例应放在 cases/records/changchun/ 文件夹里，请把这个文件移过去（提醒）")


def test_check_copy_lists_each_copied_run_with_file_and_line(project: Project) -> None:
    article = project.path / "article.txt"
    sentence = "社区党委牵头把小区里的物业公司、业主委员会和楼栋长召集到一张桌子上，每月开一次议事会，当场把问题分给责任人。"
    article.write_text(f"本报讯\n\n{sentence}\n其余的内容与案例无关。\n", encoding="utf-8")
    record = project.path / "cases" / "records" / "changchun" / "jiushengci-fengchao.yml"
    text = record.read_text(encoding="utf-8")
    # Re-wrapped over two lines with half-width commas: still the same sentence.
    copied = sentence[:20] + "\n    " + sentence[20:].replace("，", ",")
    record.write_text(text.replace("background: >-\n", f"background: >-\n  {copied}\n", 1), encoding="utf-8")
    line = text.splitlines().index("background: >-") + 2
    result = run([sys.executable, "-m", "casebook.cli", "check-copy", "article.txt"], project.path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(
        f"cases/records/changchun/jiushengci-fengchao.yml:{line}: "
        f"与原文连续 {len(sentence)} 个字相同，请用自己的话改写：「社区党委牵头")
    assert result.stdout.splitlines()[-1] == "共 1 处与原文相同。事实和数字可以照录，句子请用自己的话重写。"
    record.write_text(text, encoding="utf-8")
    clean = run([sys.executable, "-m", "casebook.cli", "check-copy", "article.txt", "cases/records"], project.path)
    assert (clean.returncode, clean.stdout.strip()) == (0, "没有与 article.txt 连续 30 个字以上相同的句子。")
