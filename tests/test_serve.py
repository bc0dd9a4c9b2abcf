"""`mkdocs serve --dirty` (what `make serve` runs): after edits, rebuilding only what changed gives
the same site as a clean build, file for file and byte for byte."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from casebook.load import load_casebook
from casebook.plan import Site, plan
from casebook.render import PARALLEL_FROM

from .bench.synthetic import generate
from .conftest import Project, copy_project, run

# Run in the project folder: one build as `mkdocs serve --dirty` starts, then after each edit a
# build with the same plugin instance and caches, as the server does. Prints, per edit, how many
# pages were written again.
DIRTY_BUILDS = """
import json, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

def written(site):
    return {p: p.stat().st_mtime_ns for p in Path(site).rglob("*.html")}

config = load_config("mkdocs.yml", site_dir="dirty-site")
config.plugins.on_startup(command="serve", dirty=True)
build(config, dirty=True)
for path, old, new in json.loads(sys.argv[1]):
    before, file = written("dirty-site"), Path(path)
    if new is None:
        file.unlink()
    else:
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    build(load_config("mkdocs.yml", site_dir="dirty-site"), dirty=True)
    after = written("dirty-site")
    print(sum(1 for page, time in after.items() if before.get(page) != time), len(after))
"""


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_dirty_rebuilds_after_edits_equal_a_clean_build(tmp_path: Path) -> None:
    project: Project = copy_project(tmp_path, with_records=True)
    lessons = "".join(p.read_text(encoding="utf-8") for p in (project.path / "docs").rglob("*.md"))
    records = sorted((project.path / "cases" / "records").rglob("*.yml"))
    uncited = [r for r in records if r.stem not in lessons]
    edited, removed = records[0].relative_to(project.path).as_posix(), uncited[-1].relative_to(project.path).as_posix()
    edits = [
        (edited, "title: ", "title: 改过的"),  # its page, listings, and the related lists that name it
        (edited, "practices: [", "practices: [社区食堂, "),  # rankings of related cases, practice pages
        ("cases/sources.yml", "author: ", "author: 改过的"),  # a registry: citations on case pages
        (removed, None, None),  # its page must disappear
    ]
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    result = run([sys.executable, "-c", DIRTY_BUILDS, json.dumps(edits)], project.path, **env)
    assert result.returncode == 0, result.stderr
    rewritten = [tuple(map(int, line.split())) for line in result.stdout.split("\n") if line.strip()]
    assert len(rewritten) == len(edits)
    for (pages_written, pages), edit in zip(rewritten, edits):
        assert 0 < pages_written < pages / 3, f"{edit}: {pages_written} of {pages} pages written again"
    clean = project.build(**env)
    assert clean.returncode == 0, clean.stderr
    dirty, built = files_of(project.path / "dirty-site"), files_of(project.path / "site")
    assert sorted(dirty) == sorted(built)
    assert [path for path in built if dirty[path] != built[path]] == []
    assert "改过的" in (project.path / "site" / "cases" / Path(edited).stem / "index.html").read_text(encoding="utf-8")


def test_serve_renders_in_one_process_what_build_renders_in_several(tmp_path: Path) -> None:
    """`mkdocs build` renders pages in forked processes once there are enough of them; the pages are the same
    as rendered in one process, as `mkdocs serve` does."""
    project = generate(tmp_path / "big", 60)
    casebook = load_casebook(project / "cases", base=project)
    assert len(plan(casebook, Site())) >= PARALLEL_FROM  # enough pages for the build to fork its renderers
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    result = run([sys.executable, "-c", DIRTY_BUILDS, "[]"], project, **env)
    assert result.returncode == 0, result.stderr
    clean = Project(project).build(**env)  # forks its renderers from this process, as `mkdocs build` does
    assert clean.returncode == 0, clean.stderr
    dirty, built = files_of(project / "dirty-site"), files_of(project / "site")
    assert len(built) > 500 and sorted(dirty) == sorted(built)
    assert [path for path in built if dirty[path] != built[path]] == []
