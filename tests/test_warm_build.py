"""A build in a new process finds what the last build kept in `.cache/` and renders only what changed; its
site is byte for byte the site a build without the cache makes, after edits to a record, the registries and the
site's settings. A cache whose key leaves out what changed is caught: the same comparison then fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUILT_SITE_EPOCH, EXAMPLE_RECORD, Project, copy_project
from .test_serve import files_of

# The cache key sabotaged: every memo keeps the last build's results whatever the settings (registries, site).
SABOTAGE = ("import casebook.memo as m; m.Memo.start = "
            "lambda self, settings=None: self.__dict__.update(earlier=self.current, current={}, settings=settings); ")
BUILD = ("import sys; from mkdocs.__main__ import cli; "
         "sys.argv = ['mkdocs', 'build', '--strict', '-q', '--site-dir', sys.argv[1]]; cli()")

EDITS = [  # (file, pattern, replacement), each applied on top of the ones before
    ("cases/records/changchun/jiushengci-fengchao.yml", r"title: ", "title: 改过的"),  # its page and the listings
    ("cases/practices.yml", r"(  name: 蜂巢自治\n(?:  .*\n)*?  description: )", r"\1改过的"),  # a registry entry cases show
    ("cases/sources.yml", r"(- id: jlrb-2022-gaoqing-hongqi\n(?:  .*\n)*?  title: )", r"\1改过的"),  # a cited source
    ("mkdocs.yml", r"site_url: \S+", "site_url: https://example.org/casebook/"),  # a setting: every address
]


def _project(folder: Path) -> Project:
    made = copy_project(folder, with_records=False)
    for record in sorted((EXAMPLE_RECORD.parent).glob("*.yml"))[:6] + [EXAMPLE_RECORD]:
        made.add_record(f"changchun/{record.name}", record.read_bytes())
    return made


def _builds(*runs: tuple[Path, Path, str]) -> None:
    """`mkdocs build --strict` in new processes, side by side: (project, site folder, code run first)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": BUILT_SITE_EPOCH}
    started = [subprocess.Popen([sys.executable, "-c", first + BUILD, str(site)], cwd=project, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for project, site, first in runs]
    for process in started:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err


def _edit(project: Path, file: str, pattern: str, replacement: str) -> None:
    path = project / file
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1)
    assert count == 1, (file, pattern)
    path.write_text(text, encoding="utf-8")


def _warm_against_cold(tmp_path: Path, edits: list[tuple[str, str, str]], first: str = "") -> list[list[str]]:
    """For each edit: the files where the build that found the cache differs from one without it."""
    warm = _project(tmp_path / "warm").path
    _builds((warm, warm / "site", first))
    cache = warm / ".cache" / "casebook"
    assert list(cache.glob("build-*.pickle")), "the first build left no cache"
    differing = []
    for number, (file, pattern, replacement) in enumerate(edits):
        _edit(warm, file, pattern, replacement)
        cold = tmp_path / f"cold-{number}"
        shutil.copytree(warm, cold, ignore=shutil.ignore_patterns("site", ".cache"))
        _builds((warm, warm / "site", first), (cold, cold / "site", ""))
        built_warm, built_cold = files_of(warm / "site"), files_of(cold / "site")
        assert sorted(built_warm) == sorted(built_cold)
        differing.append([path for path in built_cold if built_warm[path] != built_cold[path]])
    return differing


def test_a_warm_build_gives_the_site_a_cold_build_gives(tmp_path: Path) -> None:
    assert _warm_against_cold(tmp_path, EDITS) == [[] for _ in EDITS]
    page = (tmp_path / "warm" / "site" / "cases" / "jiushengci-fengchao" / "index.html").read_text(encoding="utf-8")
    assert "改过的" in page and "https://example.org/casebook/cases/jiushengci-fengchao/" in page


def test_a_sabotaged_cache_key_is_caught(tmp_path: Path) -> None:
    """The comparison above can fail: with memos that ignore their settings, a changed source is not seen."""
    (differing,) = _warm_against_cold(tmp_path, EDITS[2:3], first=SABOTAGE)
    assert "cases/jiushengci-fengchao/index.html" in differing


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_is_only_a_slower_build(tmp_path: Path, damage: bytes) -> None:
    warm = _project(tmp_path / "warm").path
    _builds((warm, warm / "site", ""))
    (kept,) = (warm / ".cache" / "casebook").glob("build-*.pickle")
    before = files_of(warm / "site")
    kept.write_bytes(damage)
    _builds((warm, warm / "site", ""))
    assert files_of(warm / "site") == before
    assert kept.stat().st_size > 1000  # written again, whole
