"""The search box as a reader on a phone meets it: our worker behind Material's box, in Chromium at 360×800.
Typed, composed with an input method, and with a hostile record in the casebook."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import Project
from .test_browser import serving

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(built_site: Project) -> Iterator[str]:
    with serving(built_site.path / "site") as url:
        yield url


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.requested = []
    page.dialogs = []
    page.troubles = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.troubles.append(str(error)))
    yield page
    context.close()


def open_search(page: Any) -> Any:
    page.locator("label.md-header__button[for='__search']").click()
    box = page.locator("input.md-search__input")
    box.focus()
    return box


def listed(page: Any) -> Any:
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    return results


def test_results_fit_a_phone_and_say_where_and_when(page: Any, site_url: str) -> None:
    page.goto(site_url + "cases/")
    open_search(page).press_sequentially("社区", delay=30)
    results = listed(page)
    playwright_api.expect(page.locator(".md-search-result__meta")).to_contain_text("符合条件的结果")
    boxes = [results.nth(i).bounding_box() for i in range(results.count())]
    on_first_screen = [box for box in boxes if box["y"] + box["height"] <= 800]
    assert len(on_first_screen) >= 4
    first = results.first
    assert re.search(r" · .+ · \d{4}年$", first.locator(".cb-search-label").inner_text())  # place · level · year
    assert "社区" in first.locator("mark").first.inner_text()
    assert first.locator(".cb-search-snippet").count() == 1
    assert page.locator(".md-search-result .md-tag").count() == 0  # aliases are searched, not shown as chips
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # More match than are listed: the count line says both.
    assert re.fullmatch(r"共 \d+ 个符合条件的结果，这里列出最相关的 \d+ 个", page.locator(".md-search-result__meta").inner_text())
    assert page.troubles == []
    from axe_playwright_python.sync_playwright import Axe
    violations = Axe().run(page, context=".md-search").response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations if v["impact"] in ("serious", "critical")] == []


def test_a_query_fetches_only_its_shards(page: Any, site_url: str, built_site: Project) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    before = len(page.requested)
    open_search(page).press_sequentially("蜂巢", delay=30)
    listed(page)
    page.wait_for_load_state("networkidle")
    fetched = [urlsplit(url).path for url in page.requested[before:]]
    terms = [path for path in fetched if "/search/terms/" in path]
    settings = json.loads((built_site.path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    expected = {f"/search/terms/{ord(c) % settings['casebook']['termShards']}.json" for c in "蜂巢"}
    assert set(terms) == expected  # the shards of the query's characters, nothing else of the dictionary
    assert [path for path in fetched if path.endswith("/assets/casebook/search.js")]
    assert not [path for path in fetched if "/workers/" in path or "lunr" in path]  # Material's lunr worker is not started


def test_a_failed_download_is_said_and_the_next_query_tries_again(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.route("**/search/terms/**", lambda route: route.abort())
    box = open_search(page)
    box.press_sequentially("蜂巢", delay=30)
    playwright_api.expect(page.locator(".md-search-result__meta")).to_contain_text("检索文件没有下载下来")
    page.unroute("**/search/terms/**")
    box.press("Backspace")
    box.press_sequentially("巢", delay=30)
    assert "cases/jiushengci-fengchao/" in listed(page).first.locator("a").get_attribute("href")


def test_composing_with_an_input_method_searches_the_committed_words(page: Any, site_url: str) -> None:
    page.goto(site_url)
    open_search(page)
    ime = page.context.new_cdp_session(page)
    ime.send("Input.imeSetComposition", {"text": "shequshitang", "selectionStart": 12, "selectionEnd": 12})
    page.wait_for_timeout(500)
    # While the reader is still spelling, the pinyin is not searched.
    assert page.locator(".md-search-result__item").count() == 0
    assert "没有" not in page.locator(".md-search-result__meta").inner_text()
    ime.send("Input.insertText", {"text": "社区食堂"})
    results = listed(page)
    assert page.locator("input.md-search__input").input_value() == "社区食堂"
    assert "食堂" in results.first.inner_text()
    assert results.first.locator("a").get_attribute("href").split("?")[0].rstrip("/").rsplit("/", 2)[-2] == "cases"


def test_hostile_record_is_listed_as_text(page: Any, hostile_site: Project) -> None:
    with serving(hostile_site.path / "site") as url:
        page.goto(url)
        open_search(page).press_sequentially("alert", delay=30)
        results = listed(page)
        hostile = results.filter(has_text="<script>alert(1)</script>").first
        assert hostile.locator("h1").inner_text() == "<script>alert(1)</script>"
        assert "<img src=x onerror=alert(2)>" in hostile.inner_text()
        assert page.locator(".md-search-result img, .md-search-result script").count() == 0
        page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.troubles == []
