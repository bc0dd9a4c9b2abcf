"""An editor's whole journey, as CONTRIBUTING tells it: a new article's source, a new practice and a
new metric, ``casebook new``, the record filled in, ``casebook validate``, the strict build, the page;
then every check of the suite that reads the real casebook, run against that copy. A valid pull
request must leave the suite green."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from .conftest import ROOT, Project, run

SOURCE = """
- id: jlrb-2026-ceshi-cun
  publication: 吉林日报
  title: 测试村的合作社 带着村民一起干
  author: 王某、李某
  date: 2026-05-12
  page: "05"
  url: https://jlrbszb.cnjiwang.com/pc/paper/c/202605/12/content_000000.html
  accessed: 2026-11-29
"""
PRACTICE = """
- id: ceshi-hezuoshe-lingban
  name: 测试合作社领办
  aliases: [测试领办]
  description: 测试用的做法：村党支部牵头办合作社，村民以土地入股。
"""
PROBLEM = """
- id: ceshi-cun-meiyou-chanye
  name: 测试村没有产业
  aliases: [测试村缺少产业]
  description: 测试用的问题：村里没有能带来收入的产业。
"""
METRIC = """
- id: ceshi-rugu-nonghu
  name: 测试入股农户数
  unit: 户
  other_units: [家]
  definition: 测试用的指标：以土地或资金入股合作社的农户数。
  practice: 测试合作社领办
"""
FILLED = {
    "practices: []": "practices: [测试合作社领办, 网格治理]",
    "problems: []": "problems: [测试村没有产业]",
    'summary: ""': "summary: 测试村党支部牵头办起合作社，村民以土地入股，年底按股分红。",
    'background: ""': "background: 村里青壮年外出多，土地零散，集体没有收入。",
    '  - title: ""\n    text: ""': "  - title: 支部牵头\n    text: 村党支部书记任合作社理事长，党员带头入股。",
    'outcomes:\n  - ""': "outcomes:\n  - 入股农户年底拿到分红。",
    "statistics: []": ("statistics:\n  - metric: 测试入股农户数\n    value: 120家\n    as_of: 2026-05\n"
                       "    source: jlrb-2026-ceshi-cun"),
    "sources: []": "sources: [jlrb-2026-ceshi-cun]",
}


def editors_clone(target: Path) -> Project:
    """The repository as a fresh clone has it (no environment, no built site)."""
    ignored = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "__pycache__", ".pytest_cache", "bench-results")
    shutil.copytree(ROOT, target, ignore=ignored, symlinks=True)
    return Project(target)


def append(file: Path, text: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def registered(file: Path) -> int:
    return len(re.findall(r"^- id: ", file.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_a_new_article_goes_in_and_the_suite_stays_green(tmp_path: Path) -> None:
    project = editors_clone(tmp_path / "clone")
    cases = project.path / "cases"
    append(cases / "sources.yml", SOURCE)
    append(cases / "practices.yml", PRACTICE)
    append(cases / "problems.yml", PROBLEM)
    append(cases / "metrics.yml", METRIC)

    answers = ["--id", "ceshi-cun-hezuoshe", "--title", "测试村党支部领办合作社", "--level", "村", "--year", "2026",
               "--city", "吉林市", "--county", "舒兰市", "--community", "测试村"]
    made = run([sys.executable, "-m", "casebook.cli", "new", *answers], project.path)
    assert made.returncode == 0, made.stderr
    record = cases / "records" / "jilin-shi" / "ceshi-cun-hezuoshe.yml"
    assert made.stdout.startswith(f"已新建 {record.relative_to(project.path).as_posix()}")
    text = record.read_text(encoding="utf-8")
    for blank, filled in FILLED.items():
        assert blank in text, blank
        text = text.replace(blank, filled)
    record.write_text(text, encoding="utf-8")

    checked = project.validate()
    assert checked.returncode == 0, checked.stdout
    summary = re.fullmatch(r"检查通过：(\d+) 个案例、\d+ 条数据、(\d+) 种做法、(\d+) 篇来源。", checked.stdout.splitlines()[-1])
    assert summary, checked.stdout
    records = len(list((cases / "records").rglob("*.yml")))
    counted = (records, registered(cases / "practices.yml"), registered(cases / "sources.yml"))
    assert tuple(map(int, summary.groups())) == counted

    built = project.build()
    assert built.returncode == 0, built.stderr
    page = project.page("cases/ceshi-cun-hezuoshe/index.html")
    assert '<h1 id="page-title">测试村党支部领办合作社</h1>' in page
    assert "120家" in page and "120 户" in page
    assert ("王某，李某. 测试村的合作社 带着村民一起干[N/OL]. 吉林日报，2026-05-12（5）. "
            "https://jlrbszb.cnjiwang.com/pc/paper/c/202605/12/content_000000.html.") in page
    assert "ceshi-cun-hezuoshe" in project.page("practices/ceshi-hezuoshe-lingban/index.html")
    assert "ceshi-cun-hezuoshe" in project.page("metrics/ceshi-rugu-nonghu/index.html")
    assert "ceshi-cun-hezuoshe" in project.page("problems/ceshi-cun-meiyou-chanye/index.html")

    # Every check of the suite that reads the real casebook, pointed at the editor's copy.
    # In one process (-n 0): the suite around this test already keeps the cores busy.
    suite = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
                 "-m", "reads_casebook and not browser", "tests"], ROOT, CASEBOOK_UNDER_TEST=str(project.path), PYTEST_ADDOPTS="")
    assert suite.returncode == 0, suite.stdout[-3000:]
    assert re.search(r"\d+ passed", suite.stdout) and " failed" not in suite.stdout
