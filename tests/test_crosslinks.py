"""Cross-links for readers and trainers: taxonomy pages, related cases, references, redirects, citations."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from casebook.load import load_casebook
from casebook.model import LEVELS

from .conftest import Project
from .test_build import CASE_PAGE, text_of


def test_every_tag_on_a_case_page_links_to_its_page(built_site: Project) -> None:
    html = built_site.page(CASE_PAGE)
    for href in ("../../regions/", "../../regions/changchunshi/", "../../regions/changchunshi/nanguanqu/",
                 "../../regions/changchunshi/nanguanqu/jiushengcishequ/", "../../levels/shequ/", "../../years/2022/",
                 "../../practices/fengchao-zizhi/"):
        assert f'href="{href}"' in html, href
    region = text_of(built_site.page("regions/changchunshi/nanguanqu/index.html"))
    assert "吉林省 › 长春市 › 南关区" in region
    assert "九圣祠社区“蜂巢自治”" in region


def test_region_level_and_year_pages_count_their_cases(built_site: Project) -> None:
    province = text_of(built_site.page("regions/index.html"))
    total = len(list((built_site.path / "cases" / "records").rglob("*.yml")))
    assert f"省 · {total} 个案例（含下级地区）" in province
    city = text_of(built_site.page("regions/changchunshi/index.html"))
    count = int(re.search(r"市（州） · (\d+) 个案例", city).group(1))
    records = load_casebook(built_site.path / "cases", base=built_site.path).cases
    assert count == sum(case.region.city == "长春市" for case in records)
    assert "2022 年的案例" in text_of(built_site.page("years/2022/index.html"))


def test_practices_are_listed_most_used_first_ties_by_id(built_site: Project) -> None:
    listing = built_site.page("practices/index.html")
    row = r'<tr><td><a href="([a-z0-9-]+)/">[^<]+</a></td><td>(\d+)</td>'
    rows = [(slug, int(count)) for slug, count in re.findall(row, listing)]
    book = load_casebook(built_site.path / "cases", base=built_site.path)
    used = Counter(name for case in book.cases for name in case.practices)
    assert rows == sorted(((p.id, used[p.name]) for p in book.practices.values()), key=lambda row: (-row[1], row[0]))


def test_levels_are_listed_in_their_fixed_order_with_their_counts(built_site: Project) -> None:
    listing = built_site.page("levels/index.html")
    row = r'<tr><td><a href="[a-z-]+/">([^<]+)</a></td><td>(\d+)</td>'
    rows = [(level, int(count)) for level, count in re.findall(row, listing)]
    used = Counter(case.level for case in load_casebook(built_site.path / "cases", base=built_site.path).cases)
    assert rows == [(level, used[level]) for level in LEVELS if used[level]]


def test_related_cases_on_every_case_page_explained_and_never_itself(built_site: Project) -> None:
    for record in (built_site.path / "cases" / "records").rglob("*.yml"):
        html = built_site.page(f"cases/{record.stem}/index.html")
        section = html[html.index('id="related"'):html.index('id="cite"')]
        links = re.findall(r'<a href="\.\./([a-z0-9-]+)/">', section)
        assert links, record.stem
        assert record.stem not in links
        assert re.search(r"（同为|（同在|（同属", section)


def test_related_cases_give_their_reasons(built_site: Project) -> None:
    html = built_site.page("cases/changbaishan-wuye-hongheibang/index.html")
    assert "四平市物业服务等级制度</a><small>（同为物业服务等级 · 同为物业治理 · 同为市级）</small>" in html


def test_citation_box_and_qr_code(built_site: Project) -> None:
    html = built_site.page(CASE_PAGE)
    cite = html[html.index('class="cb-cite"'):]
    assert ("吉林基层治理案例库. 九圣祠社区“蜂巢自治”[EB/OL]. [引用日期]. "
            "https://jilin-casebook.github.io/casebook/cases/jiushengci-fengchao/.") in cite
    assert "李抑楠. 高擎红色旗帜 筑牢坚强堡垒[N]. 吉林日报，[2022-11]." in cite
    assert cite.count("data-copy") == 3
    assert re.search(r"<svg[^>]*>.*<title>本页二维码</title>.*<path", cite, re.S)


def test_lesson_card_and_backlink(project: Project) -> None:
    lesson = project.path / "docs" / "lessons" / "demo.md"
    lesson.parent.mkdir(exist_ok=True)
    lesson.write_text("---\ntitle: 物业治理专题\n---\n\n# 物业治理专题\n\n[[card:jiushengci-fengchao]]\n", encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    card = project.page("lessons/demo/index.html")
    assert 'class="cb-card"' in card and '<a href="../../cases/jiushengci-fengchao/">九圣祠社区“蜂巢自治”</a>' in card
    case = project.page(CASE_PAGE)
    assert '<a href="../../lessons/demo/">物业治理专题</a>' in case[case.index('id="cited-by"'):]


def test_unknown_card_fails_with_file_and_line(project: Project) -> None:
    (project.path / "docs" / "x.md").write_text("# x\n\n[[card:nope]]\n", encoding="utf-8")
    result = project.build_command()
    assert result.returncode != 0
    assert "docs/x.md:3:1: [[card:nope]]: 没有编号为「nope」的案例" in result.stderr


def test_retired_id_redirects_to_the_current_page(project: Project) -> None:
    (project.path / "cases" / "redirects.yml").write_text(
        "- from: jiushengci-hive\n  to: jiushengci-fengchao\n  note: 改为拼音编号\n", encoding="utf-8")
    assert project.build().returncode == 0
    page = project.page("cases/jiushengci-hive/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../jiushengci-fengchao/">' in page
    assert '<link rel="canonical" href="../jiushengci-fengchao/">' in page


def test_redirect_to_unknown_or_live_id_is_refused(project: Project) -> None:
    (project.path / "cases" / "redirects.yml").write_text(
        "- from: jiushengci-fengchao\n  to: jiushengci-fengchao\n- from: old\n  to: jiushengci-fengchoa\n", encoding="utf-8")
    result = project.validate()
    assert result.returncode == 1
    assert ("cases/redirects.yml:1:3: 第1项 · 旧编号（from）: "
            "「jiushengci-fengchao」仍是 cases/records/changchun/jiushengci-fengchao.yml 的编号") in result.stdout
    assert ("cases/redirects.yml:4:3: 第2项 · 新编号（to）: "
            "未知的案例编号「jiushengci-fengchoa」，是不是：jiushengci-fengchao？") in result.stdout


def broken_links(site: Path) -> list[str]:
    """Links between the site's own pages whose file or anchor does not exist, as ``page -> link``.
    Generated pages are HTML that MkDocs does not check, so the site is checked as a reader meets it."""
    pages = {page: page.read_text(encoding="utf-8") for page in site.rglob("*.html")}
    ids = {page: set(re.findall(r'\sid="([^"]+)"', html)) for page, html in pages.items()}
    broken = []
    for page, html in pages.items():
        for link in re.findall(r'<a [^>]*href="([^"]+)"', html):
            if re.match(r"[a-z]+:|//", link):
                continue
            path, _, anchor = link.partition("#")
            path = path.partition("?")[0]  # a query (a comparison's cases) is read by the page's script, not a file
            if path.startswith("/"):  # 404.html links from the site's root path (/casebook/ …)
                target = site.joinpath(*path.split("/")[2:])
            else:
                target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or (anchor and target in ids and anchor not in ids[target]):
                broken.append(f"{page.relative_to(site)} -> {link}")
    return broken


def test_every_link_between_pages_arrives(built_site: Project) -> None:
    site = built_site.path / "site"
    assert len(list(site.rglob("*.html"))) > 300
    assert broken_links(site) == []


def test_every_link_arrives_with_html_file_addresses(project: Project) -> None:
    config = project.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    (project.path / "cases" / "redirects.yml").write_text("- from: old-hive\n  to: jiushengci-fengchao\n", encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    site = project.path / "site"
    assert (site / "cases" / "jiushengci-fengchao.html").is_file()
    # The retired address in this URL style is a file beside the case page, and it sends readers there.
    redirect = (site / "cases" / "old-hive.html").read_text(encoding="utf-8")
    assert 'url=jiushengci-fengchao.html"' in redirect
    assert broken_links(site) == []
