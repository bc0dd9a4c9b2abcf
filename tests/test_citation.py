"""Citing the casebook: references as GB/T 7714—2025 writes them, and what reference managers read (the
citation_* meta tags Zotero's Embedded Metadata translator reads, CSL-JSON, RIS and BibTeX files).

The expected references are the standard's own examples (GB/T 7714—2025, 信息与文献 参考文献著录规则), with
the clause or example number beside each; the reference files are read with the parsers reference managers'
users have on PyPI, and Zotero's 2025 style (the official CSL style) is run on what they hold."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from casebook.citation import (ACCESS_DATE, SITE_NAME, casebook_dataset, casebook_page, outlet_left_out, reference,
                               source_type)
from casebook.model import Source

from .conftest import Project, hostile_record
from .test_browser import page, site_url  # noqa: F401  (fixtures: Chromium at 360 px, the built site served)
from .test_build import CASE_PAGE, text_of

# The official CSL style for the 2025 edition (citation-style-language/styles, CC BY-SA 3.0), as Zotero uses it.
STYLE = Path(__file__).parent / "citation" / "china-national-standard-gb-t-7714-2025-numeric.csl"
CASE_ID = "jiushengci-fengchao"


def article(**fields: str) -> Source:
    return Source(**{"id": "example", **fields})  # type: ignore[arg-type]


def with_access_date(text: str, day: str) -> str:
    """What casebook.js shows the reader: the placeholder replaced by the day the page is read."""
    return text.replace(f"[{ACCESS_DATE}]", f"[{day}]")


# ---- The standard's examples, one per kind of reference the casebook writes ----

def test_newspaper_article_read_in_print() -> None:
    # GB/T 7714—2025, 8.5.3 示例 [1] (and B.4 [2]).
    source = article(publication="中国青年报", title="数字革命与竞争国际化", author="丁文详", date="2000-11-20", page="15")
    assert source_type(source) == "N"
    assert reference(source) == "丁文详. 数字革命与竞争国际化[N]. 中国青年报，2000-11-20（15）."


def test_newspaper_article_read_online_has_its_address_but_no_access_date() -> None:
    # GB/T 7714—2025, B.4 [6]: the 2025 format for serial articles (8.5.3) has no access date.
    url = "http://paper.people.com.cn/rmrb/html/2022-08/16/nw.D110000renmrb_20220816_3-17.htm"
    source = article(publication="人民日报", title="探索微观世界的无穷奥秘（科技大观）", author="陈缮真", date="2022-08-16",
                     page="17", url=url, accessed="2026-11-29")
    assert reference(source) == f"陈缮真. 探索微观世界的无穷奥秘（科技大观）[N/OL]. 人民日报，2022-08-16（17）. {url}."


def test_page_of_an_online_outlet() -> None:
    # GB/T 7714—2025, B.10 [5] (网页, 8.11.3): the site's name is not part of the reference.
    url = "https://cpc.people.com.cn/n1/2025/0217/c443712-40419790.html"
    source = article(publication="人民网", title="“好好干，当一个好工人”", author="许振超", date="2025-02-17", url=url,
                     accessed="2025-06-22")
    assert source_type(source) == "EB/OL"
    assert reference(source) == f"许振超. “好好干，当一个好工人”[EB/OL]. （2025-02-17）[2025-06-22]. {url}."
    assert outlet_left_out(source) == "人民网"  # so the case page names it below the reference


def test_casebook_page_with_the_readers_access_date() -> None:
    # GB/T 7714—2025, B.10 [4], a page with no date of its own; ours with the casebook as its author.
    standard = ("高等教育文献保障系统. 馆际互借与文献传递服务[EB/OL]. [2025-06-21]. "
                "http://home.calis.edu.cn/pages/list.html?id=4101e184-7f64-4798-a5e1-8e37aa6994fc.")
    address = "https://jilin-casebook.github.io/casebook/cases/jiushengci-fengchao/"
    expected = (standard.replace("高等教育文献保障系统", SITE_NAME).replace("馆际互借与文献传递服务", "九圣祠社区“蜂巢自治”")
                .replace("http://home.calis.edu.cn/pages/list.html?id=4101e184-7f64-4798-a5e1-8e37aa6994fc", address))
    assert with_access_date(casebook_page("九圣祠社区“蜂巢自治”", address), "2025-06-21") == expected


def test_data_download_as_a_dataset() -> None:
    # GB/T 7714—2025, B.13 [5] (数据集, 8.14.3) without the elements our downloads lack: 发布平台 and the DOI are
    # optional, the 发布日期 required only where there is one.
    standard = ("黄土高原科学数据中心（西北农林科技大学水土保持研究所）. 青海省县域教育、卫生发展指标（2001—2022年）[DS/OL]. "
                "[2025-07-10]. https://loess.geodata.cn/data/datadetails.html?dataguid=58691800703558.")
    address = "https://jilin-casebook.github.io/casebook/data/statistics.csv"
    expected = (standard.replace("黄土高原科学数据中心（西北农林科技大学水土保持研究所）", SITE_NAME)
                .replace("青海省县域教育、卫生发展指标（2001—2022年）", "吉林基层治理案例数据")
                .replace("https://loess.geodata.cn/data/datadetails.html?dataguid=58691800703558", address))
    assert with_access_date(casebook_dataset("吉林基层治理案例数据", address), "2025-07-10") == expected


def test_authors_titles_and_dates_follow_the_general_rules() -> None:
    # 7.1.2 示例 3: more than three authors → the first three and "，等"; editors separate names with "、".
    many = article(publication="吉林日报", title="题名", author="印森林、吴胜和、李俊飞、王某", date="2023-06-08")
    assert reference(many) == "印森林，吴胜和，李俊飞，等. 题名[N]. 吉林日报，2023-06-08."
    # 7.1.3 注 2: no known author → the reference starts with the title; 7.5.4.3: an inferred date in "[ ]";
    # 7.2.3 示例 6: other title information after "："; the 版次 as the number it is (8.5.1.4 示例 1).
    unsigned = article(publication="吉林日报", title="基层治理驶入快车道", subtitle="工作综述", author="未署名",
                       date="2022-12", date_estimated=True, page="01")  # type: ignore[arg-type]
    assert reference(unsigned) == "基层治理驶入快车道：工作综述[N]. 吉林日报，[2022-12]（1）."
    # An unsigned page is the outlet's own (7.1.4: a body responsible for the work is its author).
    page_of_outlet = article(publication="国际在线", title="花钱少 吃得好", author="未署名", date="2023-03-20",
                             url="https://jl.cri.cn/n/x.html", accessed="2026-11-29")
    assert reference(page_of_outlet) == "国际在线. 花钱少 吃得好[EB/OL]. （2023-03-20）[2026-11-29]. https://jl.cri.cn/n/x.html."
    assert outlet_left_out(page_of_outlet) is None


# ---- The built site: the citation box, the head, the files ----

class _Head(HTMLParser):
    """The page head as Zotero's Embedded Metadata translator reads it: meta name → content (decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self.in_head = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "body":
            self.in_head = False
        elif self.in_head and tag == "meta" and values.get("name") and values.get("content") is not None:
            self.meta.setdefault(str(values["name"]), []).append(str(values["content"]))
        elif self.in_head and tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")


def read_head(html: str) -> _Head:
    head = _Head()
    head.feed(html)
    return head


def page_title(html: str) -> str:
    return text_of(re.search(r'<h1 id="page-title">(.*?)</h1>', html, re.S).group(1))  # type: ignore[union-attr]


def box_reference(html: str) -> str:
    """The reference to the page in the 引用本案例 box, as the page's HTML has it (before the script runs)."""
    return text_of(re.search(r"<span class=\"cb-cite__text\" data-cite>(.*?)</span>", html, re.S).group(1))  # type: ignore[union-attr]


def in_the_2025_style(items: list[dict[str, object]]) -> list[str]:
    """The bibliography the official GB/T 7714—2025 style makes of CSL-JSON items, as Zotero would print it."""
    style = CitationStylesStyle(str(STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
    return [re.sub(r"^\[\d+\]", "", str(entry)) for entry in bibliography.bibliography()]


def read_ris(path: Path) -> list[dict[str, object]]:
    # The file starts with a byte-order mark (for EndNote and NoteExpress); a reader must take it as one.
    return rispy.load(path, encoding="utf-8-sig")


def today_in_csl() -> dict[str, object]:
    today = date.today()
    return {"date-parts": [[today.year, today.month, today.day]]}


def test_case_page_box_names_the_edition_and_offers_the_files(built_site: Project) -> None:
    html = built_site.page(CASE_PAGE)
    box = html[html.index('class="cb-cite"'):]
    assert "按国家标准 GB/T 7714—2025 著录。" in text_of(box) and "2015" not in box
    links = re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', box)
    assert links == [(f"../../cite/cases/{CASE_ID}.ris", "RIS（EndNote、NoteExpress）"),
                     (f"../../cite/cases/{CASE_ID}.bib", "BibTeX"),
                     (f"../../cite/cases/{CASE_ID}.json", "CSL-JSON（Zotero）")]
    for href, _ in links:
        assert (built_site.path / "site" / "cases" / CASE_ID / href).resolve().is_file(), href


def test_zotero_reads_title_author_address_and_language_that_agree_with_the_page(built_site: Project) -> None:
    html = built_site.page(CASE_PAGE)
    head = read_head(html)
    meta = {name: values[0] for name, values in head.meta.items()}
    assert all(len(head.meta[name]) == 1 for name in ("citation_title", "citation_author", "citation_public_url"))
    assert meta["citation_title"] == page_title(html) == "九圣祠社区“蜂巢自治”"
    assert meta["citation_author"] == SITE_NAME
    assert meta["citation_public_url"] == head.canonical == f"https://jilin-casebook.github.io/casebook/cases/{CASE_ID}/"
    assert meta["citation_language"] == "zh"
    assert meta["DC.type"] == "webpage"  # Zotero would take a page with only citation_title for a journal article
    # The page has no date of its own (its reference has only the reader's access date); the tags claim none.
    assert not {"citation_date", "citation_publication_date", "citation_online_date", "DC.date"} & meta.keys()
    # Saved by Zotero (which adds the day it saves as the access date) and printed in the 2025 style, the
    # reference is the one in the box.
    saved = {"id": CASE_ID, "type": "webpage", "title": meta["citation_title"], "URL": meta["citation_public_url"],
             "author": [{"literal": meta["citation_author"]}], "accessed": today_in_csl()}
    assert in_the_2025_style([saved]) == [with_access_date(box_reference(html), date.today().isoformat())]


def test_reference_files_of_a_case_parse_and_agree_with_its_page(built_site: Project) -> None:
    html = built_site.page(CASE_PAGE)
    title, address = page_title(html), read_head(html).canonical
    files = built_site.path / "site" / "cite" / "cases"

    items = json.loads((files / f"{CASE_ID}.json").read_text(encoding="utf-8"))
    assert [(i["id"], i["type"], i["title"], i["URL"], i["author"]) for i in items] == [
        (CASE_ID, "webpage", title, address, [{"literal": SITE_NAME}])]
    read_on_the_day = [{**item, "accessed": today_in_csl()} for item in items]
    assert in_the_2025_style(read_on_the_day) == [with_access_date(box_reference(html), date.today().isoformat())]

    records = read_ris(files / f"{CASE_ID}.ris")
    assert [(r["type_of_reference"], r["title"], r["authors"], r["urls"]) for r in records] == [
        ("ELEC", title, [SITE_NAME], [address])]

    library = bibtexparser.parse_string((files / f"{CASE_ID}.bib").read_text(encoding="utf-8"),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    assert [(e.entry_type, e.key, e["title"], e["author"], e["url"]) for e in library.entries] == [
        ("online", CASE_ID, title, SITE_NAME, address)]


def test_casebook_files_hold_every_case_as_its_own_files_do(built_site: Project) -> None:
    site = built_site.path / "site" / "cite"
    cases = sorted(p.stem for p in (built_site.path / "cases" / "records").rglob("*.yml"))
    items = json.loads((site / "casebook.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in items] == cases
    for item in items:
        assert json.loads((site / "cases" / f"{item['id']}.json").read_text(encoding="utf-8")) == [item]
    records = read_ris(site / "casebook.ris")
    assert [r["id"] for r in records] == cases
    library = bibtexparser.parse_string((site / "casebook.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks and [e.key for e in library.entries] == cases
    # Every case's page is where the files say.
    for item in items:
        assert item["URL"].startswith("https://jilin-casebook.github.io/casebook/cases/")
        assert (site.parent / "cases" / item["id"] / "index.html").is_file()


def test_data_page_cites_each_download_and_offers_the_casebook_files(built_site: Project) -> None:
    html = built_site.page("data/index.html")
    downloads = re.search(r"<strong>下载</strong>：(.*?)</p>", html, re.S).group(1)  # type: ignore[union-attr]
    files = re.findall(r'href="([^"]+)"', downloads)
    assert files
    cited = [text_of(span) for span in re.findall(r"<span class=\"cb-cite__text\" data-cite>(.*?)</span>", html, re.S)]
    for file in files:
        address = f"https://jilin-casebook.github.io/casebook/data/{file}"
        matching = [c for c in cited if c.endswith(f" {address}.")]
        assert len(matching) == 1, file
        assert re.fullmatch(rf"{SITE_NAME}\. \S+\[DS/OL\]\. \[{ACCESS_DATE}\]\. {re.escape(address)}\.", matching[0])
    exports = re.findall(r'<a href="([^"]+)" download>', html)
    assert exports == ["../cite/casebook.ris", "../cite/casebook.bib", "../cite/casebook.json"]
    for path in exports:
        assert (built_site.path / "site" / "data" / path).resolve().is_file()


HOSTILE_TITLE = '<script>alert(1)</script> {50%} \\end{x} "引" & #1 $2 a_b ~'
HOSTILE_SUMMARY = "第一段 } @misc{evil,\n\nTY  - JOUR\nER  - \n第二段 %注释"


def test_hostile_record_keeps_every_file_parseable_and_its_meta_tags_escaped(project: Project) -> None:
    record = re.sub(r"^title: .*$", lambda _: f"title: {json.dumps(HOSTILE_TITLE)}", hostile_record(), flags=re.M)
    record = re.sub(r"^summary: .*$", lambda _: f"summary: {json.dumps(HOSTILE_SUMMARY, ensure_ascii=False)}", record,
                    flags=re.M)
    project.add_record("changchun/jiushengci-fengchao.yml", record)
    result = project.build()
    assert result.returncode == 0, result.stderr
    summary = " ".join(HOSTILE_SUMMARY.split())  # the files hold each value on one line

    html = project.page(CASE_PAGE)
    head_html = html[:html.index("</head>")]
    assert "<script>alert(1)" not in head_html
    assert '<meta name="citation_title" content="&lt;script&gt;alert(1)&lt;/script&gt; {50%} \\end{x} &#34;引&#34; &amp; #1' \
        in head_html
    assert read_head(html).meta["citation_title"] == [HOSTILE_TITLE]

    files = project.path / "site" / "cite" / "cases"
    [item] = json.loads((files / f"{CASE_ID}.json").read_text(encoding="utf-8"))
    assert (item["title"], item["abstract"]) == (HOSTILE_TITLE, summary)
    [ris_record] = read_ris(files / f"{CASE_ID}.ris")
    assert (ris_record["type_of_reference"], ris_record["title"], ris_record["abstract"]) == ("ELEC", HOSTILE_TITLE, summary)
    library = bibtexparser.parse_string((files / f"{CASE_ID}.bib").read_text(encoding="utf-8"),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    [entry] = library.entries
    assert (entry.key, entry["title"], entry["abstract"], entry["url"]) == (
        CASE_ID, HOSTILE_TITLE, summary, f"https://jilin-casebook.github.io/casebook/cases/{CASE_ID}/")


# ---- In the browser ----

@pytest.mark.browser  # skipped without Chromium on a developer's machine: see conftest's chromium
def test_readers_copy_dataset_citations_with_todays_date_and_the_box_fits_a_phone(page: object, site_url: str) -> None:  # noqa: F811
    page.goto(site_url + "data/")  # type: ignore[attr-defined]
    page.locator(".cb-data-cite summary").click()  # type: ignore[attr-defined]
    button = page.locator(".cb-data-cite [data-copy]").first  # type: ignore[attr-defined]
    button.click()
    page.locator(".cb-data-cite [data-copy]", has_text="已复制").first.wait_for()  # type: ignore[attr-defined]
    copied = page.evaluate("navigator.clipboard.readText()")  # type: ignore[attr-defined]
    today = page.evaluate("new Date().toISOString().slice(0, 10)")  # type: ignore[attr-defined]
    assert copied == f"{SITE_NAME}. 吉林基层治理案例数据[DS/OL]. [{today}]. https://jilin-casebook.github.io/casebook/data/statistics.csv."
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # type: ignore[attr-defined]

    page.goto(site_url + f"cases/{CASE_ID}/")  # type: ignore[attr-defined]
    links = page.locator(".cb-cite__export a")  # type: ignore[attr-defined]
    assert links.count() == 3
    for link in links.all():
        box = link.bounding_box()
        assert box and box["height"] >= 24, link.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # type: ignore[attr-defined]
    assert not [t for t in page.troubles if t.startswith(("error", "console error"))]  # type: ignore[attr-defined]
