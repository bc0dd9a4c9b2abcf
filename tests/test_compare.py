"""案例对比: choosing cases on their pages and in the case browser, and seeing 2–4 of them side by side,
from a web server and from the site's own files (file://), on a phone, a wide screen and A4 paper."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import EXAMPLE_RECORD, Project, copy_project, hostile_record
from .test_browser import serving

playwright_api = pytest.importorskip("playwright.sync_api")

EXAMPLE = "jiushengci-fengchao"
HOSTILE = "bijiao-hostile"


@pytest.fixture(scope="module")
def variants() -> dict[str, dict[str, str]]:
    """Cases made from the example record for these tests: id → what differs (title, place, year, figure)."""
    return {
        "bijiao-xinan": {"folder": "changchun", "title": "新安社区“楼栋议事会”", "city": "长春市", "county": "朝阳区",
                         "community": "新安社区", "year": "2021", "phrase": "60%以上"},
        "bijiao-beishan": {"folder": "jilin-shi", "title": "北山社区“红色管家”", "city": "吉林市", "county": "船营区",
                           "community": "北山社区", "year": "2023", "phrase": "90%左右"},
        "bijiao-hedong": {"folder": "siping", "title": "河东社区“小区议事”", "city": "四平市", "county": "铁西区",
                          "community": "河东社区", "year": "2020", "phrase": "30%"},
    }


def variant_record(text: str, case_id: str, change: dict[str, str]) -> str:
    replacements = [(r"^id: .*$", f"id: {case_id}"), (r"^title: .*$", f"title: {change['title']}"),
                    (r"^  city: .*$", f"  city: {change['city']}"), (r"^  county: .*$", f"  county: {change['county']}"),
                    (r"^  community: .*$", f"  community: {change['community']}"), (r"^year: .*$", f"year: {change['year']}"),
                    (r"^    value: .*$", f"    value: {change['phrase']}")]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
        assert count == 1, pattern
    return text


def small_casebook(path: Path, variants: dict[str, dict[str, str]], directory_urls: bool = True) -> Project:
    """The example record, the variants and the hostile record under an id of its own, built."""
    project = copy_project(path, with_records=False)
    example = EXAMPLE_RECORD.read_text(encoding="utf-8")
    project.add_record(f"changchun/{EXAMPLE}.yml", example)
    for case_id, change in variants.items():
        project.add_record(f"{change['folder']}/{case_id}.yml", variant_record(example, case_id, change))
    project.add_record(f"changchun/{HOSTILE}.yml", re.sub(r"^id: .*$", f"id: {HOSTILE}", hostile_record(), count=1, flags=re.M))
    (project.path / "cases" / "redirects.yml").write_text("- from: bijiao-jiu\n  to: bijiao-xinan\n", encoding="utf-8")
    if not directory_urls:
        config = project.path / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, variants: dict[str, dict[str, str]]) -> Iterator[str]:
    project = small_casebook(tmp_path_factory.mktemp("compare-http"), variants)
    with serving(project.path / "site") as url:
        yield url


@pytest.fixture(scope="module")
def files_site(tmp_path_factory: pytest.TempPathFactory, variants: dict[str, dict[str, str]]) -> Path:
    """The site built with file-name addresses (cases/x.html), as a copy opened from a folder is."""
    return small_casebook(tmp_path_factory.mktemp("compare-files"), variants, directory_urls=False).path / "site"


@pytest.fixture
def page(chromium: Any) -> Iterator[object]:
    """A phone-sized tab with its own storage; requests, errors and dialogs are recorded."""
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    tab = context.new_page()
    tab.requested = []
    tab.troubles = []
    tab.dialogs = []
    tab.failed = []
    tab.on("requestfailed", lambda request: tab.failed.append(request.url))
    tab.on("request", lambda request: tab.requested.append(request.url))
    tab.on("pageerror", lambda error: tab.troubles.append(f"error {error}"))
    tab.on("console", lambda message: tab.troubles.append(f"console {message.type}: {message.text}"))
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def shown_columns(page: object) -> list[dict[str, object]]:
    """Each column as the reader sees it: title, place, figures text, and where its parts sit."""
    page.wait_for_function("document.querySelectorAll('.cb-compare__case .cb-compare__figures').length"  # type: ignore[attr-defined]
                           " === document.querySelectorAll('.cb-compare__case').length")
    return page.locator(".cb-compare__case").evaluate_all("""columns => columns.map(column => {
        const box = part => column.querySelector(part).getBoundingClientRect();
        return {title: column.querySelector('h2').textContent, place: column.querySelector('.cb-compare__basics dd').textContent,
                figures: column.querySelector('.cb-compare__figures').textContent,
                head: [box('.cb-compare__head').x, box('.cb-compare__head').y], figuresTop: box('.cb-compare__figures').y};
    })""")  # type: ignore[attr-defined]


class _GreyImage:
    """Grey pixels (0 dark, 255 light) in the array interface zxing-cpp reads, without an imaging library."""

    def __init__(self, pixels: bytes, width: int) -> None:
        self.pixels = pixels
        self.__array_interface__ = {"shape": (len(pixels) // width, width), "typestr": "|u1", "data": pixels, "version": 3}


def read_qr_code(svg: object) -> list[str]:
    """What a phone's camera reads from the code the page draws (squares ``Mx yh1v1h-1z`` in a square viewBox)."""
    import zxingcpp
    size = int(svg.get_attribute("viewBox").split()[2])  # type: ignore[attr-defined]
    path = svg.locator("path").get_attribute("d")  # type: ignore[attr-defined]
    dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", path)}
    scale = 4
    pixels = bytes(0 if (x // scale, y // scale) in dark else 255 for y in range(size * scale) for x in range(size * scale))
    return [found.text for found in zxingcpp.read_barcodes(_GreyImage(pixels, size * scale))]


@pytest.mark.browser
def test_three_cases_side_by_side_over_http(page: object, served: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    chosen = ["bijiao-beishan", EXAMPLE, "bijiao-xinan"]
    screenshots = tmp_path_factory.mktemp("compare-screenshots")
    page.set_viewport_size({"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page.goto(served + "compare/?c=" + ",".join(chosen))  # type: ignore[attr-defined]
    columns = shown_columns(page)
    assert [c["title"] for c in columns] == ["北山社区“红色管家”", "九圣祠社区“蜂巢自治”", "新安社区“楼栋议事会”"]
    assert [c["place"] for c in columns] == ["吉林省 › 吉林市 › 船营区 › 北山社区", "吉林省 › 长春市 › 南关区 › 九圣祠社区",
                                             "吉林省 › 长春市 › 朝阳区 › 新安社区"]
    for column, phrase in zip(columns, ["90%左右", "75%以上", "60%以上"]):
        assert f"原文写法：{phrase}" in str(column["figures"]) and "规范值：" in str(column["figures"])
    assert "2022-11，推断" in str(columns[1]["figures"])
    # Wide screen: columns left to right, and the same part of each case on the same row.
    assert columns[0]["head"][0] < columns[1]["head"][0] < columns[2]["head"][0]  # type: ignore[index]
    assert len({c["head"][1] for c in columns}) == 1  # type: ignore[index]
    assert len({c["figuresTop"] for c in columns}) == 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280  # type: ignore[attr-defined]
    page.screenshot(path=str(screenshots / "compare-1280.png"))  # type: ignore[attr-defined]
    # Only the chosen cases' columns were downloaded, the QR code generator not yet, and nothing from elsewhere.
    columns_asked = sorted(urlsplit(url).path.rsplit("/", 1)[-1] for url in page.requested if "/compare/cases/" in url)  # type: ignore[attr-defined]
    assert columns_asked == sorted(f"{case_id}.js" for case_id in chosen)
    assert not [url for url in page.requested if "qrcode" in url]  # type: ignore[attr-defined]
    assert {urlsplit(url).netloc for url in page.requested} == {urlsplit(served).netloc}  # type: ignore[attr-defined]

    page.set_viewport_size({"width": 360, "height": 800})  # type: ignore[attr-defined]
    columns = shown_columns(page)
    assert columns[0]["head"][1] < columns[1]["head"][1] < columns[2]["head"][1]  # type: ignore[index]  # stacked
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    page.screenshot(path=str(screenshots / "compare-360.png"))  # type: ignore[attr-defined]
    page.screenshot(path=str(screenshots / "compare-360-full.png"), full_page=True)  # type: ignore[attr-defined]

    share = page.locator("[data-cb-compare-url]")  # type: ignore[attr-defined]
    assert share.inner_text() == served + "compare/?c=" + ",".join(chosen)
    page.get_by_role("button", name="显示二维码").click()  # type: ignore[attr-defined]
    code = page.get_by_role("img", name="本对比网址的二维码")  # type: ignore[attr-defined]
    playwright_api.expect(code).to_be_visible()
    assert read_qr_code(code) == [served + "compare/?c=" + ",".join(chosen)]
    assert [url for url in page.requested if url.endswith("assets/casebook/qrcode-generator.js")]  # type: ignore[attr-defined]
    assert not page.troubles  # type: ignore[attr-defined]


@pytest.mark.browser
def test_unknown_and_surplus_ids_are_reported_in_chinese(page: object, served: str) -> None:
    page.goto(served + "compare/?c=bijiao-xinan,no-such-case,bijiao-xinan," + EXAMPLE)  # type: ignore[attr-defined]
    notes = page.locator("[data-cb-compare-notes]")  # type: ignore[attr-defined]
    playwright_api.expect(notes).to_contain_text("没有找到编号为“no-such-case”的案例")
    assert [c["title"] for c in shown_columns(page)] == ["新安社区“楼栋议事会”", "九圣祠社区“蜂巢自治”"]
    assert page.url.endswith("compare/?c=bijiao-xinan," + EXAMPLE)  # type: ignore[attr-defined]

    five = [EXAMPLE, "bijiao-xinan", "bijiao-beishan", "bijiao-hedong", HOSTILE]
    page.goto(served + "compare/?c=" + ",".join(five))  # type: ignore[attr-defined]
    playwright_api.expect(notes).to_contain_text("一次最多对比 4 个案例，网址里多出的 1 个没有显示")
    assert len(shown_columns(page)) == 4
    assert not page.locator("[data-cb-compare-pick]").is_visible()  # type: ignore[attr-defined]  # full: nothing to add


@pytest.mark.browser
def test_old_ids_and_retyped_addresses_still_compare(page: object, served: str) -> None:
    page.goto(served + f"compare/?c=bijiao-jiu，{EXAMPLE}")  # type: ignore[attr-defined]  # a renamed case, a Chinese comma
    assert [c["title"] for c in shown_columns(page)] == ["新安社区“楼栋议事会”", "九圣祠社区“蜂巢自治”"]
    assert page.url.endswith(f"compare/?c=bijiao-xinan,{EXAMPLE}")  # type: ignore[attr-defined]
    assert page.locator("[data-cb-compare-notes]").inner_text() == ""  # type: ignore[attr-defined]


@pytest.mark.browser
def test_toggles_on_case_pages_and_the_browser_choose_the_comparison(page: object, served: str) -> None:
    page.goto(served + f"cases/{EXAMPLE}/")  # type: ignore[attr-defined]
    toggle = page.get_by_role("button", name="加入对比")  # type: ignore[attr-defined]
    playwright_api.expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.focus()
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    playwright_api.expect(toggle).to_have_attribute("aria-pressed", "true")
    box = toggle.bounding_box()
    assert box and box["height"] >= 24 and box["width"] >= 24
    bar = page.locator(".cb-compare-bar a")  # type: ignore[attr-defined]
    playwright_api.expect(bar).to_have_text("对比（1）")

    page.goto(served + "cases/bijiao-beishan/")  # type: ignore[attr-defined]
    page.get_by_role("button", name="加入对比").click()  # type: ignore[attr-defined]
    page.goto(served + "browse/")  # type: ignore[attr-defined]
    in_list = page.get_by_role("button", name="加入对比：新安社区“楼栋议事会”")  # type: ignore[attr-defined]
    in_list.click()
    toggle = page.get_by_role("button", name="加入对比：北山社区“红色管家”")
    playwright_api.expect(toggle).to_have_attribute("aria-pressed", "true")
    playwright_api.expect(bar).to_have_text("对比（3）")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    page.get_by_role("button", name="加入对比：河东社区“小区议事”").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name=re.compile("^加入对比：&lt;script|^加入对比：<script")).click()  # type: ignore[attr-defined]
    playwright_api.expect(page.locator(".cb-compare-bar [role=status]")).to_have_text("最多同时对比 4 个案例，请先取消一个。")
    page.get_by_role("button", name="加入对比：河东社区“小区议事”").click()  # type: ignore[attr-defined]  # and out again
    playwright_api.expect(bar).to_have_text("对比（3）")

    bar.click()
    page.wait_for_url(re.compile(r"/compare/\?c=jiushengci-fengchao,bijiao-beishan,bijiao-xinan$"))  # type: ignore[attr-defined]
    assert [c["title"] for c in shown_columns(page)] == ["九圣祠社区“蜂巢自治”", "北山社区“红色管家”", "新安社区“楼栋议事会”"]
    page.get_by_role("button", name="移出对比：北山社区“红色管家”").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/compare/\?c=jiushengci-fengchao,bijiao-xinan$"))  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "移出对比：新安社区“楼栋议事会”"  # type: ignore[attr-defined]
    page.select_option("select[name=case]", "bijiao-hedong")  # type: ignore[attr-defined]
    page.get_by_role("button", name="加入对比", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/compare/\?c=jiushengci-fengchao,bijiao-xinan,bijiao-hedong$"))  # type: ignore[attr-defined]
    page.goto(served + "cases/bijiao-beishan/")  # type: ignore[attr-defined]  # removed on the comparison page
    playwright_api.expect(page.get_by_role("button", name="加入对比")).to_have_attribute("aria-pressed", "false")
    playwright_api.expect(bar).to_have_text("对比（3）")
    assert not page.troubles  # type: ignore[attr-defined]


@pytest.mark.browser
def test_hostile_record_shows_as_text_in_the_comparison(page: object, served: str) -> None:
    page.goto(served + f"compare/?c={HOSTILE},{EXAMPLE}")  # type: ignore[attr-defined]
    columns = shown_columns(page)
    assert columns[0]["title"] == "<script>alert(1)</script>"
    summary = page.locator(".cb-compare__head p").first.inner_text()  # type: ignore[attr-defined]
    assert summary.startswith("<img src=x onerror=alert(2)> [点我](javascript:alert(3))")
    assert "# 标题 | 表格 | ---" in page.locator(".cb-compare__measures h4").first.inner_text()  # type: ignore[attr-defined]
    assert page.locator(".cb-compare__grid script, .cb-compare__grid img").count() == 0  # type: ignore[attr-defined]
    assert page.dialogs == [] and not page.troubles  # type: ignore[attr-defined]


@pytest.mark.browser
def test_comparison_from_the_sites_own_files(page: object, files_site: Path) -> None:
    root = files_site.as_uri() + "/"
    page.goto(root + f"cases/{EXAMPLE}.html")  # type: ignore[attr-defined]
    page.get_by_role("button", name="加入对比").click()  # type: ignore[attr-defined]
    page.goto(root + "cases/bijiao-hedong.html")  # type: ignore[attr-defined]
    page.get_by_role("button", name="加入对比").click()  # type: ignore[attr-defined]
    bar = page.locator(".cb-compare-bar a")  # type: ignore[attr-defined]
    assert bar.get_attribute("href") == f"../compare.html?c={EXAMPLE},bijiao-hedong"

    page.goto(root + f"compare.html?c=bijiao-xinan,{EXAMPLE},bijiao-hedong")  # type: ignore[attr-defined]
    columns = shown_columns(page)
    assert [c["title"] for c in columns] == ["新安社区“楼栋议事会”", "九圣祠社区“蜂巢自治”", "河东社区“小区议事”"]
    assert [c["place"] for c in columns][2] == "吉林省 › 四平市 › 铁西区 › 河东社区"
    assert "原文写法：30%" in str(columns[2]["figures"])
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    # Shared from a folder, the address is the published one, not the reader's file path.
    assert page.locator("[data-cb-compare-url]").inner_text() == (  # type: ignore[attr-defined]
        f"https://jilin-casebook.github.io/casebook/compare.html?c=bijiao-xinan,{EXAMPLE},bijiao-hedong")
    page.goto(root + "compare.html?c=bijiao-xinan,nope")  # type: ignore[attr-defined]
    playwright_api.expect(page.locator("[data-cb-compare-notes]")).to_contain_text("没有找到编号为“nope”的案例")
    page.locator(".cb-compare__head h2 a").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/bijiao-xinan.html")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "新安社区“楼栋议事会”"  # type: ignore[attr-defined]
    # Everything the pages ask for is in the folder (search's index too: with file addresses it is a script).
    assert page.failed == []  # type: ignore[attr-defined]
    assert page.troubles == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_comparison_prints_on_a4_with_each_case_address(page: object, served: str, tmp_path: Path) -> None:
    page.goto(served + "compare/?c=bijiao-beishan,jiushengci-fengchao,bijiao-xinan")  # type: ignore[attr-defined]
    shown_columns(page)
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    for hidden in (".md-header", ".md-footer", ".cb-compare__pick", ".cb-compare__remove"):
        assert not page.locator(hidden).first.is_visible(), hidden  # type: ignore[attr-defined]
    addresses = page.locator(".cb-compare__address").all_inner_texts()  # type: ignore[attr-defined]
    assert addresses == [f"本案例网页：https://jilin-casebook.github.io/casebook/cases/{case_id}/"
                         for case_id in ("bijiao-beishan", EXAMPLE, "bijiao-xinan")]
    pdf = tmp_path / "compare.pdf"
    page.pdf(path=str(pdf), format="A4")  # type: ignore[attr-defined]
    heads = page.locator(".cb-compare__head").evaluate_all("els => els.map(e => e.getBoundingClientRect().y)")  # type: ignore[attr-defined]
    assert len(set(heads)) == 1  # three side by side on paper
    page.emulate_media(media="screen")  # type: ignore[attr-defined]
    page.goto(served + "compare/?c=bijiao-beishan,jiushengci-fengchao,bijiao-xinan,bijiao-hedong")  # type: ignore[attr-defined]
    shown_columns(page)
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    heads = page.locator(".cb-compare__head").evaluate_all("els => els.map(e => e.getBoundingClientRect().y)")  # type: ignore[attr-defined]
    assert heads == sorted(heads) and len(set(heads)) == 4  # four are stacked


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_comparison_passes_axe(page: object, served: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe
    page.set_viewport_size({"width": width, "height": 800})  # type: ignore[attr-defined]
    page.goto(served + f"compare/?c=bijiao-beishan,{EXAMPLE},bijiao-xinan")  # type: ignore[attr-defined]
    shown_columns(page)
    page.get_by_role("button", name="显示二维码").click()  # type: ignore[attr-defined]
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")] == []


def test_lesson_links_a_fixed_comparison_and_checks_its_ids(project: Project, variants: dict[str, dict[str, str]]) -> None:
    change = variants["bijiao-xinan"]
    variant = variant_record(EXAMPLE_RECORD.read_text(encoding="utf-8"), "bijiao-xinan", change)
    project.add_record("changchun/bijiao-xinan.yml", variant)
    lesson = project.path / "docs" / "lessons" / "wuye.md"
    lesson.write_text(f"# 物业治理\n\n两个社区放在一起看：[[compare:{EXAMPLE},bijiao-xinan]]。\n", encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = project.page("lessons/wuye/index.html")
    assert (f'<a href="../../compare/?c={EXAMPLE},bijiao-xinan">并排对比九圣祠社区“蜂巢自治”与新安社区“楼栋议事会”</a>'
            in html)
    lesson.write_text(f"# 物业治理\n\n[[compare:{EXAMPLE},bijiao-xinn]]\n", encoding="utf-8")
    result = project.build_command()
    assert result.returncode != 0
    assert ("docs/lessons/wuye.md:3:1: [[compare:jiushengci-fengchao,bijiao-xinn]]: "
            "没有编号为「bijiao-xinn」的案例，是不是：bijiao-xinan？") in result.stderr
