"""An editor's whole journey, as CONTRIBUTING tells it, on a fresh copy of the repository: a new article's
source, a new practice, problem and metric, ``casebook new``, the record filled in, ``casebook validate``
and the strict build. The suite's shared site (``built_site``) is that build, so every check that reads the
casebook runs with the new article in it: a valid pull request must leave the suite green.
``tests/test_journey.py`` checks each step as the editor sees it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
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


NEW_RECORD = ["--id", "ceshi-cun-hezuoshe", "--title", "测试村党支部领办合作社", "--level", "村", "--year", "2026",
              "--city", "吉林市", "--county", "舒兰市", "--community", "测试村"]


@dataclass(frozen=True)
class Journey:
    """The copy the editor worked on, and what each command said."""

    project: Project
    created: subprocess.CompletedProcess[str]  # casebook new
    blank_record: str  # the record as casebook new wrote it
    validated: subprocess.CompletedProcess[str]
    built: subprocess.CompletedProcess[str]


def walk(target: Path, **build_env: str) -> Journey:
    project = editors_clone(target)
    cases = project.path / "cases"
    append(cases / "sources.yml", SOURCE)
    append(cases / "practices.yml", PRACTICE)
    append(cases / "problems.yml", PROBLEM)
    append(cases / "metrics.yml", METRIC)
    created = run([sys.executable, "-m", "casebook.cli", "new", *NEW_RECORD], project.path)
    record = cases / "records" / "jilin-shi" / "ceshi-cun-hezuoshe.yml"
    blank = record.read_text(encoding="utf-8") if record.is_file() else ""
    text = blank
    for empty, filled in FILLED.items():
        text = text.replace(empty, filled)
    if record.is_file():
        record.write_text(text, encoding="utf-8")
    return Journey(project, created, blank, project.validate(), project.build(**build_env))


def editors_clone(target: Path) -> Project:
    """The repository as a fresh clone has it (no environment, no built site)."""
    ignored = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "__pycache__", ".pytest_cache", "bench-results",
                                   "node_modules")
    shutil.copytree(ROOT, target, ignore=ignored, symlinks=True)
    return Project(target)


def append(file: Path, text: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def registered(file: Path) -> int:
    return len(re.findall(r"^- id: ", file.read_text(encoding="utf-8"), flags=re.MULTILINE))
