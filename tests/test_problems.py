"""From the problem on a reader's desk to the cases that met it; how far to trust each case; the codebook."""

from __future__ import annotations

import json
import re

import pytest

from casebook.schema import schema_text

from .conftest import EXAMPLE_RECORD, Project, built, example_project
from .search.evaluate import search
from .test_build import CASE_PAGE, text_of

PROBLEMS = """\
- id: xiaoqu-wuye-guanli-nan
  name: 小区和物业管理难
  description: 小区没人管、物业服务差、业主和物业矛盾多。
- id: laojiu-xiaoqu-wuren-guan
  name: 老旧小区没人管
  aliases: [弃管小区, 小区没有物业]
  broader: 小区和物业管理难
  description: 老旧小区没有物业或物业撤走，垃圾、维修、停车等事情没人负责。
- id: lao-ren-chifan-nan
  name: 老人吃饭难
  aliases: [老年人吃饭]
  description: 独居和高龄老人做饭难、吃不上热饭。
"""


def with_problems(project: Project, *names: str, record: str | None = None) -> None:
    (project.path / "cases" / "problems.yml").write_text(PROBLEMS, encoding="utf-8")
    text = record or EXAMPLE_RECORD.read_text(encoding="utf-8")
    text = re.sub(r"^problems: .*\n", "", text, flags=re.MULTILINE)
    text = re.sub(r"^(practices: .*\n)", rf"\1problems: [{', '.join(names)}]\n", text, count=1, flags=re.MULTILINE)
    project.add_record("changchun/jiushengci-fengchao.yml", text)


@pytest.fixture(scope="module")
def problem_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example record with a registered problem, built once for the tests that only read it."""
    made = example_project(tmp_path_factory.mktemp("problems"))
    with_problems(made, "老旧小区没人管")
    return built(made)


def test_unknown_problem_fails_with_suggestions_and_how_to_register(project: Project) -> None:
    with_problems(project, "老旧小区没有人管", "弃管小区")
    result = project.validate()
    assert result.returncode == 1
    assert ("第1条问题: 未知的问题「老旧小区没有人管」，是不是：老旧小区没人管？"
            "若是新问题，请在 cases/problems.yml 末尾登记") in result.stdout
    assert "第2条问题: 「弃管小区」是「老旧小区没人管」的别名，请写「老旧小区没人管」" in result.stdout


def test_problem_pages_list_practices_and_cases_and_search_knows_everyday_words(problem_site: Project) -> None:
    narrow = text_of(problem_site.page("problems/laojiu-xiaoqu-wuren-guan/index.html"))
    assert "常见说法 ：弃管小区、小区没有物业" in narrow
    assert "蜂巢自治 （1 个案例）" in narrow and "居民自治 （1 个案例）" in narrow
    assert "案例（1）" in narrow and "九圣祠社区“蜂巢自治”" in narrow
    broad = text_of(problem_site.page("problems/xiaoqu-wuye-guanli-nan/index.html"))
    # Gathered from below: the narrower problem and its case.
    assert "具体问题 ：老旧小区没人管" in broad.replace("： ", "：") and "九圣祠社区“蜂巢自治”" in broad
    assert "还没有案例" in text_of(problem_site.page("problems/lao-ren-chifan-nan/index.html"))
    assert '<a href="../../problems/laojiu-xiaoqu-wuren-guan/">老旧小区没人管</a>' in problem_site.page(CASE_PAGE)
    home = text_of(problem_site.page("index.html"))
    assert home.index("遇到什么问题") < home.index("按做法")  # the first way in
    [found] = search(problem_site.path / "site", ["小区没有物业"])
    assert "cases/jiushengci-fengchao/" in found[:3]


def test_thin_and_full_records_get_their_trust_levels(project: Project) -> None:
    with_problems(project, "老旧小区没人管")
    full = (project.path / "cases" / "records" / "changchun" / "jiushengci-fengchao.yml").read_text(encoding="utf-8")
    thin = re.sub(r"^background: >-\n(?:  .*\n)+", "background: 小区没人管。\n", full, flags=re.MULTILINE)
    thin = re.sub(r"^statistics:\n(?:  .*\n)+", "", thin, flags=re.MULTILINE)
    thin = re.sub(r"^  - title: 老党员挑头当支部书记\n(?:    .*\n)+^  - title: 三方商量物业事\n(?:    .*\n)+", "", thin,
                  flags=re.MULTILINE)
    thin = thin.replace("sources: [jlrb-2022-gaoqing-hongqi, bao-2022-changchun-zhenxing]",
                        "sources: [bao-2022-changchun-zhenxing]")
    thin = thin.replace("id: jiushengci-fengchao", "id: jiushengci-thin")
    thin = thin.replace("title: 九圣祠社区“蜂巢自治”", "title: 某社区试点")
    project.add_record("changchun/jiushengci-thin.yml", thin)
    assert project.validate().returncode == 0
    assert project.build().returncode == 0
    assert "可信程度 ：多个来源互证 · 记录完整" in text_of(project.page(CASE_PAGE))
    sketch = text_of(project.page("cases/jiushengci-thin/index.html"))
    assert "可信程度 ：单一来源 · 记录概要" in sketch
    assert "这条记录还缺什么（给编辑看） 背景写明为什么做（30字以上）；两条以上具体做法；至少一条数据；两篇以上来源。" in sketch
    browse = project.page("browse/index.html")
    assert 'data-verification="单一来源" data-completeness="概要"' in browse
    assert 'data-verification="多个来源互证" data-completeness="完整"' in browse
    # Strongest evidence first on the problem page.
    page = text_of(project.page("problems/laojiu-xiaoqu-wuren-guan/index.html"))
    assert page.index("九圣祠社区“蜂巢自治”") < page.index("某社区试点")
    registry = project.path / "cases" / "sources.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "- id: bao-2022-changchun-zhenxing\n", "- id: bao-2022-changchun-zhenxing\n  url: https://example.org/r.html\n"
        "  accessed: 2026-11-29\n  repost_site: 某转载网\n"), encoding="utf-8")
    assert project.build().returncode == 0
    assert "可信程度 ：据转载 · 记录概要" in text_of(project.page("cases/jiushengci-thin/index.html"))


def schema_fields(node: dict, prefix: str, defs: dict) -> list[str]:
    """Every field path of the schema, walked here independently of the code that renders the codebook."""
    found = []
    for name, sub in node.get("properties", {}).items():
        sub = defs.get(sub.get("$ref", "").removeprefix("#/$defs/"), sub) if "$ref" in sub else sub
        found.append(prefix + name)
        found += schema_fields(sub, f"{prefix}{name}.", defs)
        items = sub.get("items", {})
        items = defs.get(items.get("$ref", "").removeprefix("#/$defs/"), items) if "$ref" in items else items
        found += schema_fields(items, f"{prefix}{name}[].", defs)
    return found


def test_codebook_page_matches_the_schema(problem_site: Project) -> None:
    page = problem_site.page("editorial/index.html")
    schema = json.loads(schema_text("case"))
    shown = re.findall(r'<td data-label="字段"><code>([^<]+)</code></td><td data-label="名称">([^<]+)</td>', page)
    assert [path for path, _ in shown] == schema_fields(schema, "", schema["$defs"])
    assert ("problems", "问题") in shown and ("region.city", "市（州）") in shown
    assert "可选：长春市、吉林市" in page
    for level in ("完整", "部分", "概要", "多个来源互证", "单一来源", "据转载"):
        assert f"<strong>{level}</strong>" in page
