"""Fixtures that build real sites from real YAML in temporary folders."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The casebook whose content the checks marked reads_casebook read: this repository, or the copy an
# editor's journey (tests/test_journey.py) has just added an article to.
CASEBOOK = Path(os.environ.get("CASEBOOK_UNDER_TEST", ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE_RECORD = ROOT / "cases" / "records" / "changchun" / "jiushengci-fengchao.yml"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()) or item.path.name == "test_content.py":
            item.add_marker(pytest.mark.reads_casebook)


@dataclass
class Project:
    """A copy of the project's site files with a chosen set of case records."""

    path: Path

    def add_record(self, relative: str, text: str | bytes) -> Path:
        file = self.path / "cases" / "records" / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return file

    def build(self, **env: str) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", "mkdocs", "build", "--strict"], self.path, **env)

    def validate(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", "casebook.cli", "validate", *args], self.path)

    def page(self, path: str) -> str:
        return (self.path / "site" / path).read_text(encoding="utf-8")


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300)


def copy_project(target: Path, with_records: bool) -> Project:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(CASEBOOK / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(CASEBOOK / "overrides", target / "overrides")
    # Lessons cite many real cases; a site with only the example record leaves them out.
    shutil.copytree(CASEBOOK / "docs", target / "docs", ignore=None if with_records else shutil.ignore_patterns("lessons"))
    if not with_records:
        (target / "docs" / "lessons").mkdir()
        (target / "docs" / "lessons" / "index.md").write_text("# 教学专题\n", encoding="utf-8")
    (target / "cases" / "records").mkdir(parents=True)
    for name in ("sources.yml", "practices.yml", "problems.yml", "metrics.yml"):
        shutil.copy(CASEBOOK / "cases" / name, target / "cases" / name)
    if with_records:
        shutil.copytree(CASEBOOK / "cases" / "records", target / "cases" / "records", dirs_exist_ok=True)
    return Project(target)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The site with only the example record: quick to build, fully real."""
    made = copy_project(tmp_path, with_records=False)
    made.add_record("changchun/jiushengci-fengchao.yml", EXAMPLE_RECORD.read_text(encoding="utf-8"))
    return made


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The whole casebook built once for the tests that only read the result."""
    made = copy_project(tmp_path_factory.mktemp("full"), with_records=True)
    result = made.build()
    assert result.returncode == 0, result.stderr
    return made


def hostile_record() -> str:
    """The example record with script, HTML and Markdown tricks in its text fields."""
    fields = {
        "title": "<script>alert(1)</script>",
        "summary": "<img src=x onerror=alert(2)> [点我](javascript:alert(3)) **粗体** <a href='javascript:alert(4)'>x</a>",
        "background": "</div><script>alert(5)</script> {: onclick=alert(6) } &lt;b&gt; ![x](javascript:alert(7))",
    }
    text = EXAMPLE_RECORD.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", f"title: {json.dumps(fields['title'])}", text, flags=re.M)
    for key in ("summary", "background"):
        text = re.sub(rf"^{key}: >-\n(?:  .*\n)+", f"{key}: {json.dumps(fields[key], ensure_ascii=False)}\n", text, flags=re.M)
    return text.replace("  - title: 以小区为自治单元", "  - title: '# 标题 | 表格 | ---'")
