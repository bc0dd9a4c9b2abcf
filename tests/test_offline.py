"""The offline copy: a zip of the site that a trainer unpacks and opens from the folder, with no network.

The builds below are the two of `make build` (see the Makefile): the offline copy with file addresses
first, then the site that publishes it zipped and links it from the about page.
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from subprocess import CompletedProcess

import pytest

from casebook.load import load_casebook
from casebook.paths import OFFLINE_COPY

from .conftest import CASEBOOK, EXAMPLE_RECORD, Project, copy_project, run
from .test_crosslinks import broken_links
from .test_browser import playwright_api

# The commit time the zip's entries carry (`make build` takes the last commit's); fixed, so that
# two builds can be compared byte for byte.
EPOCH = "1767225600"
# To look at what a phone shows: CASEBOOK_SCREENSHOTS=folder pytest tests/test_offline.py
SCREENSHOTS = os.environ.get("CASEBOOK_SCREENSHOTS")


@dataclass
class Published:
    project: Project
    offline_site: Path  # the offline copy as built, before zipping
    site: Path  # the site that publishes it

    @property
    def zip(self) -> Path:
        return self.site / OFFLINE_COPY


def build_with_offline_copy(project: Project, name: str,
                            build: Callable[..., CompletedProcess[str]] = Project.build) -> Published:
    """What `make build` does, into ``name``-prefixed folders of the project (``build``: in this process
    or by the command)."""
    offline_site, site = project.path / f"{name}-offline", project.path / f"{name}-site"
    result = build(project, site_dir=offline_site, directory_urls=False, SOURCE_DATE_EPOCH=EPOCH)
    assert result.returncode == 0, result.stderr
    result = build(project, site_dir=site, SOURCE_DATE_EPOCH=EPOCH, CASEBOOK_OFFLINE_COPY=str(offline_site))
    assert result.returncode == 0, result.stderr
    return Published(project, offline_site, site)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The example record and the first record of two other cities: a few cases, quick to build."""
    project = copy_project(tmp_path_factory.mktemp("offline"), with_records=False)
    project.add_record("changchun/jiushengci-fengchao.yml", EXAMPLE_RECORD.read_text(encoding="utf-8"))
    records = CASEBOOK / "cases" / "records"
    for city in sorted(folder for folder in records.iterdir() if folder.is_dir() and folder.name != "changchun")[:2]:
        first = min(city.glob("*.yml"))
        project.add_record(f"{city.name}/{first.name}", first.read_bytes())
    return build_with_offline_copy(project, "first")


def test_about_page_links_the_zip_with_its_size(published: Published) -> None:
    about = (published.site / "about" / "index.html").read_text(encoding="utf-8")
    megabytes = published.zip.stat().st_size / 1048576
    assert f'<a href="../download/jilin-casebook-offline.zip" download>下载离线版</a>（zip 压缩包，{megabytes:.1f} MB）' in about
    assert broken_links(published.site) == []
    # The offline copy itself (like `mkdocs serve` and any build without one) links to the published copy.
    offline_about = (published.offline_site / "about.html").read_text(encoding="utf-8")
    published_zip = "https://jilin-casebook.github.io/casebook/download/jilin-casebook-offline.zip"
    assert f'<a href="{published_zip}">下载离线版</a>' in offline_about


def test_zip_holds_one_folder_with_a_start_page_and_the_site(published: Published, tmp_path: Path) -> None:
    names = zipfile.ZipFile(published.zip).namelist()
    assert names[0] == "jilin-casebook/index.html" and names[1:] == sorted(names[1:])
    assert {name.split("/")[1] for name in names} == {"index.html", "site"}
    assert all(name.isascii() for name in names)
    offline_site = published.offline_site
    site_files = {path.relative_to(offline_site).as_posix() for path in offline_site.rglob("*") if path.is_file()}
    kept = {name.removeprefix("jilin-casebook/site/") for name in names[1:]}
    # Left out: source maps, and Material's lunr search, which our worker replaces.
    assert kept == {name for name in site_files if not name.endswith(".map") and not re.search("/(lunr|workers)/", name)}
    assert {"index.html", "browse.html", "cases/jiushengci-fengchao.html", "search/search_index.js",
            "assets/casebook/search.js", "search/terms/0.js", "search/entries/0.js"} <= kept
    assert not [name for name in names if name.endswith(".zip")]
    zipfile.ZipFile(published.zip).extractall(tmp_path)
    assert broken_links(tmp_path / "jilin-casebook") == []


def test_zip_is_the_same_bytes_when_built_again(published: Published) -> None:
    again = build_with_offline_copy(published.project, "again", Project.build_command)  # in processes of their own
    assert again.zip.read_bytes() == published.zip.read_bytes()


def test_a_folder_that_is_no_offline_copy_stops_the_build(published: Published) -> None:
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(published.project.path / "wrong")],
                 published.project.path, CASEBOOK_OFFLINE_COPY=str(published.site))
    assert result.returncode != 0
    assert "不是离线版的站点目录" in result.stderr


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.requested = []
    page.troubles = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("pageerror", lambda error: page.troubles.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.troubles.append(message.text))
    yield page
    context.close()


def screenshot(page: object, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.mark.browser
def test_unzipped_copy_works_from_the_file_system(browser_page: object, published: Published, tmp_path: Path) -> None:
    page = browser_page
    zipfile.ZipFile(published.zip).extractall(tmp_path)
    folder = (tmp_path / "jilin-casebook").as_uri()
    page.goto(f"{folder}/index.html")  # type: ignore[attr-defined]
    page.wait_for_url(f"{folder}/site/index.html")  # type: ignore[attr-defined]
    assert page.locator(".cb-map svg").first.is_visible()  # type: ignore[attr-defined]  # the tile map, inline
    screenshot(page, "offline-home")

    page.locator("a[href='cases/jiushengci-fengchao.html']").first.click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{folder}/site/cases/jiushengci-fengchao.html")  # type: ignore[attr-defined]
    assert "九圣祠社区“蜂巢自治”" in page.locator("h1").first.inner_text()  # type: ignore[attr-defined]
    assert page.locator(".cb-cite__qr svg").count() == 1  # type: ignore[attr-defined]

    casebook = load_casebook(published.project.path / "cases", base=published.project.path)
    in_changchun = sum(case.region.city == "长春市" for case in casebook.cases)
    page.goto(f"{folder}/site/browse.html")  # type: ignore[attr-defined]
    assert page.locator("[data-cb-count]").inner_text() == str(len(casebook.cases))  # type: ignore[attr-defined]
    page.select_option("select[name=region]", "长春市")  # type: ignore[attr-defined]
    assert page.locator("[data-cb-count]").inner_text() == str(in_changchun) != str(len(casebook.cases))  # type: ignore[attr-defined]
    assert "region=" in page.url  # type: ignore[attr-defined]

    page.locator("label.md-header__button[for='__search']").click()  # type: ignore[attr-defined]
    page.locator("input.md-search__input").press_sequentially("蜂巢", delay=30)  # type: ignore[attr-defined]
    page.keyboard.press("End")  # type: ignore[attr-defined]  # Material queries on key-up, which typed Chinese lacks
    result = page.locator(".md-search-result__item a[href*='cases/jiushengci-fengchao.html?']").first  # type: ignore[attr-defined]
    result.wait_for(timeout=15000)
    screenshot(page, "offline-search")
    result.click()
    page.wait_for_url(f"{folder}/site/cases/jiushengci-fengchao.html*")  # type: ignore[attr-defined]

    assert page.requested and [url for url in page.requested if not url.startswith("file://")] == []  # type: ignore[attr-defined]
    assert page.troubles == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_start_page_opened_inside_the_zip_says_to_unpack_first(browser_page: object, published: Published,
                                                                tmp_path: Path) -> None:
    # Windows opens a page inside a zip by copying that one file out: the rest of the copy is not beside it.
    (tmp_path / "index.html").write_bytes(zipfile.ZipFile(published.zip).read("jilin-casebook/index.html"))
    page = browser_page
    page.goto((tmp_path / "index.html").as_uri())  # type: ignore[attr-defined]
    message = page.locator("#unzip")  # type: ignore[attr-defined]
    playwright_api.expect(message).to_be_visible()
    assert re.search("请先解压.*全部解压缩", message.inner_text())
