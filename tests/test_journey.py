"""An editor's whole journey (tests/journey.py walks it once per run, for the suite's shared site), checked
step by step as the editor sees it."""

from __future__ import annotations

import re

from .conftest import Project
from .journey import FILLED, Journey, registered


def test_a_new_article_goes_in_and_builds(journey: Journey) -> None:
    project, cases = journey.project, journey.project.path / "cases"
    made = journey.created
    assert made.returncode == 0, made.stderr
    record = cases / "records" / "jilin-shi" / "ceshi-cun-hezuoshe.yml"
    assert made.stdout.startswith(f"已新建 {record.relative_to(project.path).as_posix()}")
    for blank in FILLED:
        assert blank in journey.blank_record, blank

    checked = journey.validated
    assert checked.returncode == 0, checked.stdout
    summary = re.fullmatch(r"检查通过：(\d+) 个案例、\d+ 条数据、(\d+) 种做法、(\d+) 篇来源。", checked.stdout.splitlines()[-1])
    assert summary, checked.stdout
    records = len(list((cases / "records").rglob("*.yml")))
    counted = (records, registered(cases / "practices.yml"), registered(cases / "sources.yml"))
    assert tuple(map(int, summary.groups())) == counted

    built = journey.built
    assert built.returncode == 0, built.stderr
    page = project.page("cases/ceshi-cun-hezuoshe/index.html")
    assert '<h1 id="page-title">测试村党支部领办合作社</h1>' in page
    assert "120家" in page and "120 户" in page
    assert ("王某，李某. 测试村的合作社 带着村民一起干[N/OL]. 吉林日报，2026-05-12（5）. "
            "https://jlrbszb.cnjiwang.com/pc/paper/c/202605/12/content_000000.html.") in page
    assert "ceshi-cun-hezuoshe" in project.page("practices/ceshi-hezuoshe-lingban/index.html")
    assert "ceshi-cun-hezuoshe" in project.page("metrics/ceshi-rugu-nonghu/index.html")
    assert "ceshi-cun-hezuoshe" in project.page("problems/ceshi-cun-meiyou-chanye/index.html")


def test_every_check_of_the_casebook_runs_with_the_new_article(journey: Journey, built_site: Project) -> None:
    # The shared site is the editor's build: each test that reads the casebook reads it with the article.
    assert built_site.path == journey.project.path
    assert (journey.project.path / "site" / "cases" / "ceshi-cun-hezuoshe" / "index.html").is_file()
