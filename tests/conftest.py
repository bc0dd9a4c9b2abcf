"""Fixtures that build real sites from real YAML in temporary folders."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

if TYPE_CHECKING:  # tests/journey.py builds on this module
    from .journey import Journey

ROOT = Path(__file__).resolve().parent.parent
CASEBOOK = ROOT  # the real casebook, which the checks of its content (test_content.py) read
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE_RECORD = ROOT / "cases" / "records" / "changchun" / "jiushengci-fengchao.yml"


@dataclass
class Project:
    """A copy of the project's site files with a chosen set of case records."""

    path: Path

    def add_record(self, relative: str, text: str | bytes) -> Path:
        file = self.path / "cases" / "records" / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return file

    def build(self, site_dir: Path | None = None, directory_urls: bool | None = None,
              **env: str) -> subprocess.CompletedProcess[str]:
        """`mkdocs build --strict` (with ``--site-dir``, ``--no-directory-urls`` if given) in this process,
        as its command runs it: the plugin starts as for a build, so it renders on every core, in
        processes forked from this one. ``stderr`` holds what the command would log (warnings and
        errors) and the error it would end with."""
        command = ["mkdocs", "build", "--strict"]
        options = {"site_dir": None if site_dir is None else str(site_dir), "use_directory_urls": directory_urls}
        with environment(NO_MKDOCS_2_WARNING="1", **env), contextlib.chdir(self.path), logged() as lines:
            try:
                config = load_config(config_file=str(self.path / "mkdocs.yml"), strict=True, **options)
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    mkdocs_build(config)
                finally:
                    config.plugins.on_shutdown()
            except MkDocsException as error:  # the command prints it and exits with 1
                return subprocess.CompletedProcess(command, 1, "", "\n".join([*lines, f"Error: {error.format_message()}"]))
        return subprocess.CompletedProcess(command, 0, "", "\n".join(lines))

    def build_command(self, site_dir: Path | None = None, directory_urls: bool | None = None,
                      **env: str) -> subprocess.CompletedProcess[str]:
        """The real `mkdocs build --strict` command in a process of its own: for what an editor sees from
        it, and to compare with a build in this process (another process has another hash seed)."""
        options = ["--site-dir", str(site_dir)] if site_dir is not None else []
        options += ["--no-directory-urls"] if directory_urls is False else []
        return run([sys.executable, "-m", "mkdocs", "build", "--strict", *options], self.path, **env)

    def validate(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", "casebook.cli", "validate", *args], self.path)

    def page(self, path: str) -> str:
        return (self.path / "site" / path).read_text(encoding="utf-8")


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300)


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """Environment variables for the duration of an in-process build (mkdocs.yml reads some with !ENV)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<8} -  {record.getMessage()}")


@contextlib.contextmanager
def logged() -> Iterator[list[str]]:
    """The warnings and errors logged meanwhile, one line each, as `mkdocs build` prints them."""
    handler, logger = _Lines(), logging.getLogger()
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)


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


def example_project(target: Path, record: str | None = None, full_registries: bool = False) -> Project:
    """The site with only the example record (or ``record`` in its place). Its registries hold what the
    example record uses (a tenth of the pages to build), or, with ``full_registries``, the casebook's own."""
    made = copy_project(target, with_records=False)
    made.add_record("changchun/jiushengci-fengchao.yml", record or EXAMPLE_RECORD.read_text(encoding="utf-8"))
    if not full_registries:
        keep_used_entries(made.path / "cases", yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8")))
    return made


def keep_used_entries(cases: Path, record: dict[str, Any]) -> None:
    """Trim the registries to the entries ``record`` names, with the broader entries above them."""
    used = {"practices.yml": set(record["practices"]), "problems.yml": set(record.get("problems", ())),
            "sources.yml": set(record["sources"]), "metrics.yml": {s["metric"] for s in record.get("statistics", ())}}
    for name, names in used.items():
        entries = yaml.safe_load((cases / name).read_text(encoding="utf-8"))
        by_name = {entry.get("name", entry["id"]): entry for entry in entries}
        key = "id" if name == "sources.yml" else "name"
        wanted = set(names)
        for entry_name in list(wanted):  # the broader chain, so that every broader name is registered
            while entry_name in by_name and by_name[entry_name].get("broader"):
                entry_name = by_name[entry_name]["broader"]
                wanted.add(entry_name)
        kept = [entry for entry in entries if entry[key] in wanted]
        (cases / name).write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")


def built(made: Project, **env: str) -> Project:
    result = made.build(**env)
    assert result.returncode == 0, result.stderr
    return made


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The site with only the example record: quick to build, fully real."""
    return example_project(tmp_path)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """``project`` built once, for the tests that only read it."""
    return once_per_run(tmp_path_factory, "example", lambda folder: built(example_project(folder)))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The site with the example record turned hostile (``hostile_record``), built once, for the tests that only read it."""
    return once_per_run(tmp_path_factory, "hostile", lambda folder: built(example_project(folder, hostile_record())))


# The build date the sitemap carries: fixed, so that a second build can be compared with this one byte for byte.
BUILT_SITE_EPOCH = "1700000000"


@pytest.fixture(scope="session")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Journey:
    """An editor's journey (tests/journey.py) on a copy of the repository, walked once per test run."""
    from .journey import walk
    return once_per_run(tmp_path_factory, "journey", lambda folder: walk(folder, SOURCE_DATE_EPOCH=BUILT_SITE_EPOCH))


@pytest.fixture(scope="session")
def built_site(journey: Journey) -> Project:
    """The whole casebook, with the article of an editor's journey added, built once for the tests that only read
    the result: every check of the casebook runs with a new valid article in it, as after a pull request."""
    assert journey.built.returncode == 0, journey.built.stderr
    return journey.project


T = TypeVar("T")


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """``make(folder)`` (a folder yet to be made) once for the whole run: with several workers (pytest-xdist)
    the first to ask makes it, in a folder the workers share, while the others wait for its result."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(tmp_path_factory.mktemp(name) / name)
    shared = tmp_path_factory.getbasetemp().parent  # this run's, shared by its workers
    result = shared / f"{name}.pickle"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not result.exists():
            result.write_bytes(pickle.dumps(make(shared / name)))
        return pickle.loads(result.read_bytes())  # type: ignore[no-any-return]


CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright cannot download browsers here
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Chromium, started once per test process (a second each time otherwise); every test opens its own
    context, with its own storage, cookies and permissions, and closes it."""
    if not CHROMIUM.exists() and not os.environ.get("CI"):  # in CI (.ci/run installs it) a missing browser fails
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


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
