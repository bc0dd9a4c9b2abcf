"""Golden pages: a site built from a three-record fixture, its chosen pages compared with checked-in files.

The fixture stays fixed while the real casebook grows: the records in ``tests/golden/records/`` (test text,
titles start with 示例), a hand-written page that uses every block (``tests/golden/blocks.md``) and the
frozen registries in ``tests/golden/registries/``. A page is compared by its ``<article>``, the casebook's
own HTML, so an update of Material's frame around it changes nothing here. After an intended change,
regenerate the files and read their diff before committing::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -n 0 tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from casebook.paths import (BROWSE, CASES_INDEX, COMPARE, DATA_OVERVIEW, LEVELS_INDEX, METRICS_INDEX, PRACTICES_INDEX,
                            PROBLEMS_INDEX, REGIONS_INDEX, YEARS_INDEX, case_path, level_path, metric_path, page_url,
                            practice_path, problem_path, year_path)

from .conftest import BUILT_SITE_EPOCH, Project, built, copy_project

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = GOLDEN / "pages"
REGENERATE = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest -n 0 tests/test_golden.py"
BLOCKS_PAGE = "shili.md"  # where the fixture's hand-written page goes in docs/

# Every page template at least once; the three case pages each show parts the others lack.
CHOSEN = [
    case_path("shili-nanguan-fengchao"), case_path("shili-changchun-hongxin-wuye"), case_path("shili-chuanying-wangge"),
    practice_path("wuye-zhili"), problem_path("xiaoqu-wuye-guanli-nan"), REGIONS_INDEX, "regions/changchunshi/index.md",
    level_path("社区"), year_path(2022), metric_path("hongxin-wuye-xiaoqu"), BROWSE, CASES_INDEX, DATA_OVERVIEW, COMPARE,
    PRACTICES_INDEX, PROBLEMS_INDEX, LEVELS_INDEX, YEARS_INDEX, METRICS_INDEX, BLOCKS_PAGE,
]

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
# A quoted site path in a template: "levels/index.md", 'data/statistics.csv' (a bare file name is a label).
_PATH_LITERAL = re.compile(r"""["'][\w.-]+/[\w./-]*\.(?:md|json|csv|js|ris|bib|zip)["']""")


@pytest.fixture(scope="module")
def golden_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    made = copy_project(tmp_path_factory.mktemp("golden"), with_records=False)
    for registry in sorted((GOLDEN / "registries").glob("*.yml")):
        shutil.copy(registry, made.path / "cases" / registry.name)
    shutil.copytree(GOLDEN / "records", made.path / "cases" / "records", dirs_exist_ok=True)
    shutil.copy(GOLDEN / "blocks.md", made.path / "docs" / BLOCKS_PAGE)
    return built(made, SOURCE_DATE_EPOCH=BUILT_SITE_EPOCH)


def article(page: str) -> str:
    """The page's <article>, without the blank lines Material's template leaves around the content."""
    found = _ARTICLE.search(page)
    assert found, "the page has no <article>"
    return found.group(1).strip() + "\n"


def built_file(path: str) -> str:
    """The HTML file MkDocs writes for the page at ``path`` (cases/x.md → cases/x/index.html)."""
    url = page_url(path)
    return f"{url}index.html" if url.endswith("/") or not url else url


def expected_file(path: str) -> Path:
    return EXPECTED / f"{path.removesuffix('.md')}.html"


@pytest.mark.parametrize("path", CHOSEN)
def test_page_is_as_its_golden_file(golden_site: Project, path: str) -> None:
    actual = article(golden_site.page(built_file(path)))
    assert "<h1" in actual  # the page's own content, not an empty frame
    golden = expected_file(path)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if actual != expected:
        name = golden.relative_to(GOLDEN.parent.parent)
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            str(name), f"built {built_file(path)}"))
        pytest.fail(f"{path} is not as {name}:\n{diff}\nIf the change is intended, regenerate the golden pages:\n"
                    f"    {REGENERATE}\nand commit them with the change.", pytrace=False)


def test_every_golden_file_is_a_chosen_page() -> None:
    """A golden file left behind by a page no longer chosen would look checked while it is not."""
    stored = {str(file.relative_to(EXPECTED)) for file in EXPECTED.rglob("*.html")}
    assert stored == {str(expected_file(path).relative_to(EXPECTED)) for path in CHOSEN}


def test_templates_name_pages_only_through_paths() -> None:
    """Addresses are permanent and live in casebook/paths.py; a path written into a template would escape it."""
    templates = resources.files("casebook").joinpath("templates")
    written = [(name, found) for name in ("pages", "blocks", ".") for file in templates.joinpath(name).iterdir()
               if file.name.endswith(".html.j2") for found in _PATH_LITERAL.findall(file.read_text(encoding="utf-8"))]
    assert written == []
