"""Full MkDocs builds in temporary folders, asserting on the HTML a reader gets."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import yaml

from .conftest import BUILT_SITE_EPOCH, EXAMPLE_RECORD, Project

CASE_PAGE = "cases/jiushengci-fengchao/index.html"


def text_of(html: str) -> str:
    """The visible text, roughly: tags dropped, whitespace folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_case_page_shows_every_part_of_the_record(example_site: Project) -> None:
    html = example_site.page(CASE_PAGE)
    text = text_of(html)
    assert '<h1 id="page-title">九圣祠社区“蜂巢自治”</h1>' in html
    assert '<a href="#page-title" class="md-skip">' in html  # the skip link lands on the title
    # The page's sections in Material's table of contents, measures nested under 做法.
    toc = html[html.index('<nav class="md-nav md-nav--secondary"'):]
    toc = text_of(toc[:toc.index('<div class="md-content"')])
    assert "背景 做法 以小区为自治单元 老党员挑头当支部书记 三方商量物业事 成效 数据 来源 相关案例" in toc
    assert "吉林省 › 长春市 › 南关区 › 九圣祠社区" in text
    assert "层级：社区·年份：2022" in re.sub(r"\s", "", text)
    assert '<a href="../../practices/fengchao-zizhi/">蜂巢自治</a>' in html
    for anchor in ("background", "measures", "measure-1", "outcomes", "statistics", "sources"):
        assert f'id="{anchor}"' in html
    assert "老党员挑头当支部书记" in text
    assert "套管小区占比 物业套管小区在社区小区总量中的比重。 75%以上 ≥ 75%（至少） 2022-11（推断） 九圣祠社区" in text
    assert "李抑楠. 高擎红色旗帜 筑牢坚强堡垒[N]. 吉林日报，[2022-11]." in text
    edit = "https://github.com/jilin-casebook/casebook/edit/main/cases/records/changchun/jiushengci-fengchao.yml"
    # Editors' tools stay out of readers' way: one small link at the end, no pencil, no file path.
    assert html.count(f'href="{edit}"') == 1
    assert '<p class="cb-edit"><a href="' + edit + '">纠错 / 修改此案例</a></p>' in html
    assert "cases/records/changchun/jiushengci-fengchao.yml</" not in html and "md-content__button" not in html


def test_text_keeps_the_spaces_an_editor_typed_but_not_the_line_breaks(project: Project) -> None:
    text = EXAMPLE_RECORD.read_text(encoding="utf-8").replace(
        "  老城区的九圣祠社区以小区为单元组织党员和居民自己管理家园，\n",
        "  老城区的九圣祠社区按照《推进行政执法力量下沉 提升基层行政执法效能的实施意见》，\n"
        "  以小区为单元组织党员和居民自己管理家园，\n")
    project.add_record("changchun/jiushengci-fengchao.yml", text)
    assert project.build().returncode == 0
    html = project.page(CASE_PAGE)
    assert "《推进行政执法力量下沉 提升基层行政执法效能的实施意见》，以小区为单元组织党员和居民自己管理家园，把老党员推到" in html


def test_home_page_counts_and_ways_in(example_site: Project) -> None:
    html = example_site.page("index.html")
    assert re.search(r"<strong>1</strong>\s*个案例", html)
    assert re.search(r"<strong>1</strong>\s*条数据", html)
    assert '<a href="cases/jiushengci-fengchao/">九圣祠社区“蜂巢自治”</a>' in html
    assert '<a href="practices/fengchao-zizhi/">蜂巢自治</a>（1）' in html
    assert "<html lang=\"zh\"" in html


def test_no_page_asks_another_host_for_anything(built_site: Project) -> None:
    site = built_site.path / "site"
    external = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!jilin-casebook\.github\.io)[^"']+\.(?:js|css|woff2?|ttf)""")
    for page in site.rglob("*.html"):
        assert not external.search(page.read_text(encoding="utf-8")), page
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")


def test_data_files_are_published(built_site: Project) -> None:
    site = built_site.path / "site" / "data"
    cases = json.loads((site / "cases.json").read_text(encoding="utf-8"))
    assert len(cases) >= 35
    example = next(case for case in cases if case["id"] == "jiushengci-fengchao")
    assert example["url"] == "https://jilin-casebook.github.io/casebook/cases/jiushengci-fengchao/"
    assert example["region"] == ["吉林省", "长春市", "南关区", "九圣祠社区"]
    raw = (site / "statistics.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    statistics = json.loads((site / "statistics.json").read_text(encoding="utf-8"))
    assert len(rows) == len(statistics) >= 150
    row = next(r for r in rows if r["case_id"] == "jiushengci-fengchao")
    assert (row["phrase"], row["value"], row["unit"], row["qualifier"]) == ("75%以上", "75", "%", "至少")


def test_same_input_gives_byte_identical_site(tmp_path: Path, built_site: Project) -> None:
    """A second build of the casebook, by the command in a process of its own (another hash seed, so
    set and dict orders differ), gives the session's build byte for byte."""
    made = Project(shutil.copytree(built_site.path, tmp_path / "again", ignore=shutil.ignore_patterns("site", ".cache")))
    # The sitemap carries the build date; reproducible builds take it from SOURCE_DATE_EPOCH.
    again = made.build_command(SOURCE_DATE_EPOCH=BUILT_SITE_EPOCH)
    assert again.returncode == 0, again.stderr
    digests = []
    for site in (built_site.path / "site", made.path / "site"):
        digests.append({p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(site.rglob("*")) if p.is_file()})
    assert digests[0] == digests[1]


def test_bad_record_stops_the_build_with_file_line_and_no_traceback(project: Project) -> None:
    text = EXAMPLE_RECORD.read_text(encoding="utf-8").replace("level: 社区", "level: 小区")
    project.add_record("changchun/jiushengci-fengchao.yml", text)
    result = project.build_command()
    assert result.returncode != 0
    assert "cases/records/changchun/jiushengci-fengchao.yml:9:1: 层级（level）: 「小区」不在可选范围内" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_hostile_record_renders_as_inert_text(hostile_site: Project) -> None:
    html = hostile_site.page(CASE_PAGE)
    main = html[html.index('<article'):html.index('</article>')]
    # Outside the article too: the theme prints the page title in <title> and the header, and the
    # summary in <meta name="description">.
    assert "<script>alert" not in html and "onerror=alert(2)>" not in html
    assert '<meta name="description" content="&lt;img src=x onerror=alert(2)&gt;' in html
    # The page's one script element is its JSON-LD, which holds no markup (tests/test_datapackage.py).
    assert "<script" not in re.sub(r'<script type="application/ld\+json">[^<>]*</script>', "", main)
    assert "onerror=" not in main.replace("onerror=alert(2)", "")
    assert not re.search(r"<[^>]+\son\w+=", main)
    assert 'href="javascript:' not in main.lower()
    assert "<strong>粗体</strong>" not in main
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert "[点我](javascript:alert(3))" in text_of(main)
    assert "# 标题 | 表格 | ---" in text_of(main)
    assert "&amp;lt;b&amp;gt;" in main  # an entity an editor typed shows as typed


def test_page_owned_by_the_casebook_cannot_be_shadowed(project: Project) -> None:
    (project.path / "docs" / "cases").mkdir()
    (project.path / "docs" / "cases" / "index.md").write_text("# mine\n", encoding="utf-8")
    result = project.build_command()
    assert result.returncode != 0
    assert "docs/cases/index.md 与案例库自动生成的页面同名" in result.stderr


def test_case_reference_in_a_lesson_links_the_case(project: Project) -> None:
    lesson = project.path / "docs" / "lessons" / "wuye.md"
    lesson.parent.mkdir(exist_ok=True)
    lesson.write_text("# 物业治理\n\n先读 [[case:jiushengci-fengchao]]。\n\n```\n[[case:not-expanded-in-code]]\n```\n",
                      encoding="utf-8")
    assert project.build().returncode == 0
    html = project.page("lessons/wuye/index.html")
    assert '先读 <a href="../../cases/jiushengci-fengchao/">九圣祠社区“蜂巢自治”</a>。' in html
    assert "[[case:not-expanded-in-code]]" in html


def test_unknown_case_reference_fails_with_file_and_line(project: Project) -> None:
    lesson = project.path / "docs" / "lesson.md"
    lesson.write_text("# 课\n\n第一段。\n\n见 [[case:jiushengci-fengchoa]]。\n", encoding="utf-8")
    result = project.build_command()
    assert result.returncode != 0
    assert ("docs/lesson.md:5:3: [[case:jiushengci-fengchoa]]: 没有编号为「jiushengci-fengchoa」的案例，"
            "是不是：jiushengci-fengchao？") in result.stderr
    assert "Traceback" not in result.stderr


def test_every_case_is_two_clicks_from_the_home_page(built_site: Project) -> None:
    home = built_site.page("index.html")
    assert 'href="cases/"' in home  # the 全部案例 tab
    listing = built_site.page("cases/index.html")
    linked = set(re.findall(r'href="([a-z0-9-]+)/"', listing))
    records = {p.stem for p in (built_site.path / "cases" / "records").rglob("*.yml")}
    assert records and records <= linked


def test_sources_read_online_cite_their_address_and_access_date(project: Project) -> None:
    registry = project.path / "cases" / "sources.yml"
    text = registry.read_text(encoding="utf-8")
    text = text.replace("  author: 李抑楠\n", "  author: 李抑楠\n  url: https://example.org/a.html\n  accessed: 2026-11-29\n"
                        "  repost_site: 某转载网\n")
    text = text.replace("- id: bao-2022-changchun-zhenxing\n  publication: 未注明\n",
                        "- id: bao-2022-changchun-zhenxing\n  publication: 中国吉林网\n  url: https://example.org/b.html\n"
                        "  accessed: 2026-11-28\n")
    registry.write_text(text, encoding="utf-8")
    assert project.build().returncode == 0
    page = text_of(project.page(CASE_PAGE))
    # GB/T 7714—2025: a newspaper article read online has no access date; a web page has, and the outlet its
    # reference leaves out is named below it.
    assert ("李抑楠. 高擎红色旗帜 筑牢坚强堡垒[N/OL]. 吉林日报，[2022-11]. https://example.org/a.html. "
            "转载页面 网址是某转载网的转载，原载吉林日报。") in page
    assert ("刘晓娟. 长春：党建引领促振兴[EB/OL]. （[2022]）[2026-11-28]. https://example.org/b.html. "
            "原文 刊载于中国吉林网。") in page
    without_access = text.replace("  accessed: 2026-11-28\n", "")
    registry.write_text(without_access, encoding="utf-8")
    refused = project.validate()
    assert refused.returncode == 1
    position = [entry["id"] for entry in yaml.safe_load(text)].index("bao-2022-changchun-zhenxing") + 1
    assert f"第{position}项 · 访问日期（accessed）: 缺少必填字段，请补上「accessed:」" in refused.stdout


def test_source_urls_must_be_web_addresses(project: Project) -> None:
    registry = project.path / "cases" / "sources.yml"
    text = registry.read_text(encoding="utf-8").replace("  author: 李抑楠\n", "  author: 李抑楠\n  url: javascript:alert(1)\n")
    registry.write_text(text, encoding="utf-8")
    result = project.validate()
    assert result.returncode == 1
    assert "网址（url）: 格式不对：「javascript:alert(1)」（只能是 http:// 或 https:// 开头、不含空格和引号的网址）" \
        in result.stdout


def test_a_build_writes_nothing_outside_site(project: Project) -> None:
    # .cache/ is the build's own (jieba's prepared dictionary, the offline copy): ignored by git, safe to delete.
    def snapshot() -> dict[str, bytes]:
        return {p.relative_to(project.path).as_posix(): p.read_bytes() for p in sorted(project.path.rglob("*"))
                if p.is_file() and p.relative_to(project.path).parts[0] not in ("site", ".cache")}
    before = snapshot()
    assert project.build().returncode == 0
    assert snapshot() == before
