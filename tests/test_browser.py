"""A reader in Chromium: home page, a Chinese search, the matching case. Nothing leaves the site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from typing import Any
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from casebook.load import load_casebook

from .conftest import Project

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser  # skipped without Chromium on a developer's machine: see conftest's chromium


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve a built site on a free loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_url(built_site: Project) -> Iterator[str]:
    with serving(built_site.path / "site") as url:
        yield url


@pytest.fixture
def page(chromium: Any, site_url: str) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN",
                                   permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.requested_hosts = set()
    page.troubles = []
    page.on("request", lambda request: page.requested_hosts.add(urlsplit(request.url).netloc))
    page.on("requestfailed", lambda request: page.troubles.append(f"failed {request.url}: {request.failure}"))
    page.on("pageerror", lambda error: page.troubles.append(f"error {error}"))
    page.on("console", lambda message: page.troubles.append(f"console {message.type}: {message.text}"))
    yield page
    context.close()


def search_for(page: object, site_url: str, query: str) -> None:
    """Open the search box on a phone and type ``query``.

    Playwright enters Chinese as inserted text, with no key events; Material runs the query on
    key-up, which a phone's input method sends when a word is committed. The End key supplies it.
    """
    page.goto(site_url)  # type: ignore[attr-defined]
    page.locator("label.md-header__button[for='__search']").click()  # type: ignore[attr-defined]
    page.locator("input.md-search__input").press_sequentially(query, delay=30)  # type: ignore[attr-defined]
    page.keyboard.press("End")  # type: ignore[attr-defined]
    page.locator(".md-search-result__meta").filter(has_text=re.compile("符合条件的结果")).wait_for(timeout=15000)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("query", "case_id", "title"), [
    ("蜂巢", "jiushengci-fengchao", "九圣祠社区“蜂巢自治”"),
    ("红黑榜", "changbaishan-wuye-hongheibang", "红黑榜"),
])
def test_search_in_chinese_reaches_the_case(page: object, site_url: str, query: str, case_id: str, title: str) -> None:
    search_for(page, site_url, query)
    result = page.locator(f".md-search-result__item a[href*='cases/{case_id}/']").first  # type: ignore[attr-defined]
    titles = page.locator(".md-search-result__item h1").all_inner_texts()  # type: ignore[attr-defined]
    assert result.count(), f"{case_id} not among the results for {query}: {titles}"
    result.click()
    page.wait_for_url(f"**/cases/{case_id}/**")  # type: ignore[attr-defined]
    assert title in page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    assert page.requested_hosts == {urlsplit(site_url).netloc}  # type: ignore[attr-defined]


def test_lesson_to_case_to_practice_and_back(page: object, site_url: str) -> None:
    page.goto(site_url + "lessons/wuye-zhili/")  # type: ignore[attr-defined]
    page.locator(".cb-card a[href$='cases/jiushengci-fengchao/']").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/jiushengci-fengchao/")  # type: ignore[attr-defined]
    page.locator("article a[href$='practices/fengchao-zizhi/']").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/practices/fengchao-zizhi/")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text().rstrip("¶") == "蜂巢自治"  # type: ignore[attr-defined]
    page.go_back()  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/jiushengci-fengchao/")  # type: ignore[attr-defined]
    page.locator("#cited-by ~ ul a[href$='lessons/wuye-zhili/']").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/lessons/wuye-zhili/")  # type: ignore[attr-defined]
    assert page.requested_hosts == {urlsplit(site_url).netloc}  # type: ignore[attr-defined]


def test_citation_copy_button_copies_with_todays_date(page: object, site_url: str) -> None:
    page.goto(site_url + "cases/jiushengci-fengchao/")  # type: ignore[attr-defined]
    button = page.locator("[data-copy]").first  # type: ignore[attr-defined]
    button.click()
    # The clipboard write is a promise: the label changes once it has resolved (and back after 2 s).
    playwright_api.expect(button).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")  # type: ignore[attr-defined]
    today = page.evaluate("new Date().toISOString().slice(0, 10)")  # type: ignore[attr-defined]
    assert copied == f"吉林基层治理案例库. 九圣祠社区“蜂巢自治”[EB/OL]. [{today}]. https://jilin-casebook.github.io/casebook/cases/jiushengci-fengchao/."


def test_print_keeps_content_citation_and_qr_but_no_chrome(page: object, site_url: str, tmp_path: Path) -> None:
    page.goto(site_url + "cases/jiushengci-fengchao/")  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".cb-copy"):
        assert not page.locator(hidden).first.is_visible(), hidden  # type: ignore[attr-defined]
    for shown in ("h1", ".cb-cite", ".cb-cite__qr svg", "#statistics"):
        assert page.locator(shown).first.is_visible(), shown  # type: ignore[attr-defined]
    after = page.evaluate("getComputedStyle(document.querySelector('.md-typeset a[href^=\"http\"]'), '::after').content")  # type: ignore[attr-defined]
    assert "https://" in after
    pdf = tmp_path / "case.pdf"
    page.pdf(path=str(pdf), format="A4")  # type: ignore[attr-defined]
    assert 1 <= pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(b"/Type /Page ") <= 4


def test_retired_address_lands_on_the_current_case(page: object, project: Project) -> None:
    (project.path / "cases" / "redirects.yml").write_text("- from: old-hive\n  to: jiushengci-fengchao\n", encoding="utf-8")
    assert project.build().returncode == 0
    with serving(project.path / "site") as url:
        page.goto(url + "cases/old-hive/#measures")  # type: ignore[attr-defined]
        page.wait_for_url("**/cases/jiushengci-fengchao/#measures")  # type: ignore[attr-defined]
        assert "九圣祠社区“蜂巢自治”" in page.locator("h1").inner_text()  # type: ignore[attr-defined]


def test_hostile_record_runs_nothing_in_the_browser(page: object, hostile_site: Project) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    with serving(hostile_site.path / "site") as url:
        for path in ("cases/jiushengci-fengchao/", "", "cases/", "practices/fengchao-zizhi/", "regions/changchunshi/"):
            page.goto(url + path)  # type: ignore[attr-defined]
            page.wait_for_load_state("load")  # type: ignore[attr-defined]
        page.goto(url + "cases/jiushengci-fengchao/")  # type: ignore[attr-defined]
        for link in page.locator("article a").all():  # type: ignore[attr-defined]
            assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
        page.locator("text=[点我](javascript:alert(3))").first.click()  # type: ignore[attr-defined]
        assert "<script>alert(1)</script>" in page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert dialogs == []
    assert not [t for t in page.troubles if t.startswith(("error", "console error"))]  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [360, 1280])
def test_chart_fits_the_screen_and_prints(page: object, site_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(site_url + "metrics/hongxin-wuye-xiaoqu/")  # type: ignore[attr-defined]
    chart = page.locator(".cb-chart svg")  # type: ignore[attr-defined]
    box = chart.bounding_box()
    assert box and 250 <= box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    assert chart.is_visible()


# What each query should find is the evaluation's business (tests/search/queries*.yml, make eval-search);
# here the browser must list exactly what the evaluation ranks (the same worker script), whatever the casebook holds.
@pytest.mark.parametrize("query", ["快递小哥", "伊通", "春城驿站", "延边 党建联盟", "老年人吃饭"])
def test_browser_ranks_like_the_evaluation(page: object, site_url: str, built_site: Project, query: str) -> None:
    from .search.evaluate import search
    [expected] = search(built_site.path / "site", [query])
    search_for(page, site_url, query)
    root = urlsplit(site_url).path
    # The list of a partly typed query may still be on screen: wait for the answer to the whole one.
    for _ in range(50):
        hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(a => a.href)")  # type: ignore[attr-defined]
        shown = [urlsplit(href).path.removeprefix(root) for href in hrefs]
        if shown == expected[:len(shown)]:
            break
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
    # Material lists ten at once and the rest as the reader scrolls.
    assert expected and shown == expected[:len(shown)] and len(shown) >= min(10, len(expected))


def test_case_browser_filters_combine_and_live_in_the_url(page: object, site_url: str, built_site: Project) -> None:
    from casebook.load import load_casebook
    casebook = load_casebook(built_site.path / "cases", base=built_site.path)
    expected = sorted(c.id for c in casebook.cases if c.region.city == "长春市" and c.level == "市" and "红色物业" in c.practices)
    page.goto(site_url + "browse/?region=" + "长春市" + "&level=" + "市")  # type: ignore[attr-defined]
    city_level = sum(1 for c in casebook.cases if c.region.city == "长春市" and c.level == "市")
    assert page.locator("[data-cb-count]").inner_text() == str(city_level)  # type: ignore[attr-defined]
    page.select_option("select[name=practice]", "红色物业")  # type: ignore[attr-defined]
    assert "practice=%E7%BA%A2%E8%89%B2%E7%89%A9%E4%B8%9A" in page.url  # type: ignore[attr-defined]
    shared = page.url  # type: ignore[attr-defined]
    page.goto(shared)  # type: ignore[attr-defined]
    visible = page.locator("[data-cb-list] > li:not([hidden]) a").evaluate_all(  # type: ignore[attr-defined]
        "els => els.map(a => a.getAttribute('href').split('/').filter(Boolean).pop())")
    assert sorted(visible) == expected and expected
    option = page.locator("select[name=practice] option[value='红色物业']").inner_text()  # type: ignore[attr-defined]
    assert option == f"红色物业（{len(expected)}）"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    page.click(".cb-filters__reset")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('[data-cb-count]').textContent == '%d'" % len(casebook.cases))  # type: ignore[attr-defined]
    assert "?" not in page.url  # type: ignore[attr-defined]


PAGE_TYPES = ["", "cases/jiushengci-fengchao/", "browse/", "data/", "edit/", "metrics/hongxin-wuye-xiaoqu/",
              "lessons/wuye-zhili/",
              "practices/fengchao-zizhi/", "regions/changchunshi/", "cases/", "levels/", "years/2022/", "metrics/", "about/"]


@pytest.mark.parametrize("width", [360, 1280])
def test_every_page_type_passes_axe_without_serious_violations(page: object, site_url: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    page.set_viewport_size({"width": width, "height": 800})  # type: ignore[attr-defined]
    found = {}
    for path in PAGE_TYPES:
        page.goto(site_url + path)  # type: ignore[attr-defined]
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        violations = axe.run(page).response["violations"]
        found[path or "home"] = [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
    assert found == {path or "home": [] for path in PAGE_TYPES}


def test_figures_are_labelled_cards_on_a_phone(page: object, site_url: str) -> None:
    page.goto(site_url + "cases/changchun-hongse-wuye/")  # type: ignore[attr-defined]
    first = page.locator(".cb-figures tbody tr").first  # type: ignore[attr-defined]
    box = first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360  # the whole card on screen
    labels = first.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels == ['"指标"', '"原文写法"', '"规范值"', '"时间"', '"范围"', '"出处"']
    header = "document.querySelector('.cb-figures thead').getBoundingClientRect().height"
    assert page.evaluate(header) <= 1  # type: ignore[attr-defined]  # column heads only for screen readers
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
    assert page.evaluate(header) > 10  # type: ignore[attr-defined]  # a table on a wide screen


def test_data_overview_is_folded_by_place_with_every_figure_inside(page: object, site_url: str) -> None:
    page.goto(site_url + "data/")  # type: ignore[attr-defined]
    folded = page.evaluate("document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    page.evaluate("document.querySelectorAll('details.cb-place').forEach(d => d.open = true)")  # type: ignore[attr-defined]
    unfolded = page.evaluate("document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    assert folded * 3 <= unfolded
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    rows = page.locator("details.cb-place tbody tr")  # type: ignore[attr-defined]
    statistics = page.evaluate("fetch('statistics.json').then(r => r.json()).then(rows => rows.length)")  # type: ignore[attr-defined]
    assert rows.count() == statistics
    assert rows.locator("td[data-label='案例'] a").count() == statistics


def test_search_downloads_nothing_until_opened_and_answers_pasted_text(page: object, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))  # type: ignore[attr-defined]
    page.goto(site_url + "cases/jiushengci-fengchao/")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert not [url for url in requested if "/search" in urlsplit(url).path]
    page.evaluate("navigator.clipboard.writeText('红黑榜')")  # type: ignore[attr-defined]
    page.locator("label.md-header__button[for='__search']").click()  # type: ignore[attr-defined]
    page.locator("input.md-search__input").focus()  # type: ignore[attr-defined]
    page.keyboard.press("Control+V")  # type: ignore[attr-defined]  # a paste sends no key-up of its own
    playwright_api.expect(page.locator(".md-search-result__meta")).to_contain_text("符合条件的结果")  # type: ignore[attr-defined]
    assert page.locator(".md-search-result__item a[href*='cases/changbaishan-wuye-hongheibang/']").count()  # type: ignore[attr-defined]
    assert [url for url in requested if url.endswith("search/search_index.json")]


class _PrefixedHandler(_QuietHandler):
    """A static host serving the site under /elsewhere/ and answering missing addresses with 404.html."""

    prefix = "/elsewhere/"

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        return super().translate_path("/" + path[len(self.prefix):] if path.startswith(self.prefix) else "/missing")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        body = Path(self.directory, "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_not_found_page_is_chinese_and_works_from_another_folder(page: object, built_site: Project) -> None:
    handler = functools.partial(_PrefixedHandler, directory=str(built_site.path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}/elsewhere/"
        page.goto(root + "cases/no-such-case/")  # type: ignore[attr-defined]
        assert page.locator("h1").inner_text() == "没有找到这个页面"  # type: ignore[attr-defined]
        assert not re.search(r"[A-Za-z]{4,}", page.locator("main").inner_text())  # type: ignore[attr-defined]
        assert page.locator("a", has_text="案例检索").get_attribute("href") == "/elsewhere/browse/"  # type: ignore[attr-defined]
        page.locator("a", has_text="案例检索").click()  # type: ignore[attr-defined]
        assert page.locator("h1").inner_text().startswith("案例检索")  # type: ignore[attr-defined]
        page.goto(root + "no/such/page")  # type: ignore[attr-defined]  # in no known section: found by asking the host
        playwright_api.expect(page.locator("form[role=search]")).to_have_attribute("action", "/elsewhere/")
        page.locator("input[name=q]").fill("蜂巢")  # type: ignore[attr-defined]
        page.locator("button[type=submit]").click()  # type: ignore[attr-defined]
        playwright_api.expect(page.locator(".md-search-result__meta")).to_contain_text("符合条件的结果")  # type: ignore[attr-defined]
        assert page.locator(".md-search-result__item a[href*='cases/jiushengci-fengchao/']").count()  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_province_option_shows_the_province_wide_cases(page: object, site_url: str, built_site: Project) -> None:
    cases = load_casebook(built_site.path / "cases", base=built_site.path).cases
    province_wide = sum(case.region.city is None for case in cases)
    page.goto(site_url + "browse/")  # type: ignore[attr-defined]
    page.locator("select[name=region]").select_option("全省")  # type: ignore[attr-defined]
    assert page.locator("[data-cb-count]").inner_text() == str(province_wide)  # type: ignore[attr-defined]
    assert 0 < province_wide < len(cases)
    shown = page.locator("[data-cb-list] > li:not([hidden])").first  # type: ignore[attr-defined]
    assert shown.locator(".cb-browse__summary").inner_text()  # each result shows its summary line
    assert "做法：" in shown.locator("small").inner_text()
    assert "region=%E5%85%A8%E7%9C%81" in page.url  # type: ignore[attr-defined]
    reset = page.locator(".cb-filters__reset").bounding_box()  # type: ignore[attr-defined]
    assert reset and reset["height"] >= 44  # a button a thumb can hit


def test_closed_drawer_takes_no_focus_on_a_phone(page: object, site_url: str) -> None:
    page.goto(site_url + "cases/jiushengci-fengchao/")  # type: ignore[attr-defined]
    in_drawer = "document.activeElement.closest('.md-sidebar--primary') !== null"
    for _ in range(12):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        assert not page.evaluate(in_drawer)  # type: ignore[attr-defined]
    page.locator("label.md-header__button[for='__drawer']").click()  # type: ignore[attr-defined]
    page.wait_for_timeout(400)  # type: ignore[attr-defined]
    page.locator(".md-sidebar--primary a").first.focus()  # type: ignore[attr-defined]
    assert page.evaluate(in_drawer)  # type: ignore[attr-defined]  # open, it is reachable again


@pytest.mark.parametrize("width", [360, 1280])
def test_tile_map_counts_and_links(page: object, site_url: str, built_site: Project, width: int) -> None:
    cases = load_casebook(built_site.path / "cases", base=built_site.path).cases
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    for path in ("", "regions/", "regions/changchunshi/"):
        page.goto(site_url + path)  # type: ignore[attr-defined]
        svg = page.locator(".cb-map svg")  # type: ignore[attr-defined]
        box = svg.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        tiles = svg.locator("a").evaluate_all(
            "links => links.map(a => [a.querySelector('title').textContent, a.getAttribute('href')])")
        assert tiles
        for title, href in tiles:
            name, count = re.fullmatch(r"(.+)：(\d+) 个案例", title).groups()
            assert int(count) == sum(name in case.region.path for case in cases), name
            assert (built_site.path / "site" / (path + href).split("#")[0] / "index.html").resolve().is_file(), href
    page.locator(".cb-map svg a").first.click()  # type: ignore[attr-defined]  # a 长春 district's tile
    page.wait_for_url(re.compile(r"/regions/changchunshi/[a-z0-9-]+/$"))  # type: ignore[attr-defined]
