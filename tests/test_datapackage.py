"""Data that describes itself: data/datapackage.json validated with the frictionless package, and the
schema.org JSON-LD of the case and data pages checked against what the pages show."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import frictionless
import pytest
import yaml

from casebook import numbers
from casebook.jsonld import script

from .conftest import Project
from .test_browser import serving

SITE_URL = "https://jilin-casebook.github.io/casebook/"
CASE_PAGE = "cases/jiushengci-fengchao/index.html"
# Files in data/ that are not data: the data page itself and the package's own metadata.
DATA_PAGE = "index.html"
METADATA = {"datapackage.json"}


class _Scripts(HTMLParser):
    """The text of each JSON-LD script element, as a browser's HTML parser delimits it."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.texts[-1] += data


def linked_data(page: str) -> list[dict[str, Any]]:
    parser = _Scripts()
    parser.feed(page)
    return [json.loads(text) for text in parser.texts]


def links(fragment: str) -> list[tuple[str, str]]:
    """(href, text) of each link in a piece of the page."""
    return [(href, html.unescape(text)) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', fragment)]


def site_file(site: Path, url: str) -> Path:
    """The file a URL of the site is served from."""
    assert url.startswith(SITE_URL), url
    path = url.removeprefix(SITE_URL)
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def package(site: Path) -> dict[str, Any]:
    return json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))


def table_schema(site: Path, resource: dict[str, Any]) -> dict[str, Any]:
    described = resource["schema"]
    return described if isinstance(described, dict) else json.loads((site / "data" / described).read_text(encoding="utf-8"))


# --- The data package -------------------------------------------------------------------------


def test_data_package_validates_and_every_row_is_read_with_its_schema(built_site: Project) -> None:
    data = built_site.path / "site" / "data"
    report = frictionless.validate(data / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert not report.errors and all(task.valid for task in report.tasks)
    tasks = {task.name: task for task in report.tasks}
    described = package(built_site.path / "site")
    for resource in described["resources"]:
        if resource["format"] != "csv":
            continue
        raw = (data / resource["path"]).read_bytes()
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        # The declared schema is the one used (not one frictionless guessed), and every row was read.
        names = [field["name"] for field in table_schema(built_site.path / "site", resource)["fields"]]
        assert rows[0] == names, resource["path"]
        assert tasks[resource["name"]].stats["rows"] == len(rows) - 1, resource["path"]


def test_every_file_in_data_is_described_and_every_described_file_exists(built_site: Project) -> None:
    data = built_site.path / "site" / "data"
    described = package(built_site.path / "site")
    paths = [resource["path"] for resource in described["resources"]]
    shared_schemas = {r["schema"] for r in described["resources"] if isinstance(r["schema"], str)}
    on_disk = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    assert len(paths) == len(set(paths))
    assert on_disk - {DATA_PAGE} - METADATA - shared_schemas == set(paths)
    assert {"cases.json", "statistics.json", "statistics.csv"} <= set(paths)


def test_csv_reads_back_as_the_json_export(built_site: Project) -> None:
    """Through its schema the CSV gives what statistics.json says: 是/否 become true/false, the
    byte-order mark is not part of the first column, an empty qualifier is an exact figure."""
    data = built_site.path / "site" / "data"
    resource = frictionless.Package(data / "datapackage.json").get_resource("statistics")
    from_csv = resource.read_rows()
    from_json = json.loads((data / "statistics.json").read_text(encoding="utf-8"))
    assert len(from_csv) == len(from_json) > 0
    for row, expected in zip(from_csv, from_json):
        assert row["case_id"] == expected["case_id"]
        assert row["as_of_estimated"] is expected["as_of_estimated"]
        assert row["qualifier"] == expected["qualifier"]
        assert row["value"] == Decimal(str(expected["value"]))
        assert row["upper"] == (None if expected["upper"] is None else Decimal(str(expected["upper"])))
        assert row["as_of"] == expected["as_of"]


def test_columns_say_what_they_mean_in_chinese_with_units_and_qualifiers(built_site: Project) -> None:
    site = built_site.path / "site"
    described = package(site)
    assert described["title"] == "吉林基层治理案例库数据"
    assert "created" not in described  # a build date would make every build differ
    chinese = re.compile(r"[\u4e00-\u9fff]")
    for resource in described["resources"]:
        assert chinese.search(resource["title"]) and chinese.search(resource["description"])
        for field in table_schema(site, resource)["fields"]:
            assert chinese.search(field["title"]) and chinese.search(field["description"]), (resource["name"], field["name"])
    statistics = table_schema(site, next(r for r in described["resources"] if r["name"] == "statistics"))
    fields = {field["name"]: field for field in statistics["fields"]}
    assert fields["as_of_estimated"]["trueValues"] == ["是"] and fields["as_of_estimated"]["falseValues"] == ["否"]
    assert "unit" in fields["value"]["description"]
    # Every bound the number reader can give, with its meaning and the words an article writes for it.
    qualifier = fields["qualifier"]
    assert [c["value"] for c in qualifier["categories"]] == list(numbers.MEANINGS) == qualifier["constraints"]["enum"]
    labels = "".join(c["label"] for c in qualifier["categories"])
    assert all(word in labels for word in numbers.QUALIFIERS)
    assert qualifier["missingValues"] == []  # empty is a value: an exact figure
    # A metric's own file states the unit the catalogue gives it.
    catalogue = yaml.safe_load((built_site.path / "cases" / "metrics.yml").read_text(encoding="utf-8"))
    by_name = {resource["name"]: resource for resource in described["resources"]}
    for metric in catalogue:
        assert f"单位：{metric['unit'] or '无'}" in by_name[f"metric-{metric['id']}"]["description"]


def test_the_date_column_takes_a_year_a_month_or_a_day_and_nothing_else(built_site: Project) -> None:
    schema = frictionless.Schema(built_site.path / "site" / "data" / "statistics.tableschema.json")
    as_of = schema.get_field("as_of")
    for good in ("2022", "2022-11", "2022-11-25"):
        assert as_of.read_cell(good) == (good, None)
    for bad in ("22", "2022-13", "2022-11-32", "2022/11"):
        assert as_of.read_cell(bad)[1], bad


def test_a_wrong_value_in_a_csv_fails_validation(example_site: Project, tmp_path: Path) -> None:
    site = shutil.copytree(example_site.path / "site", tmp_path / "site")  # the shared site stays as built
    csv_file = site / "data" / "statistics.csv"
    raw = csv_file.read_bytes()
    assert ",至少,2022-11,是,".encode() in raw
    csv_file.write_bytes(raw.replace(",至少,2022-11,是,".encode(), ",以上,2022年11月,yes,".encode()))
    report = frictionless.validate(site / "data" / "datapackage.json")
    assert not report.valid
    wrong = {(task.name, error.field_name) for task in report.tasks for error in task.errors}
    assert {("statistics", "qualifier"), ("statistics", "as_of"), ("statistics", "as_of_estimated")} <= wrong


def test_data_page_links_the_description_and_says_what_it_is_for(example_site: Project) -> None:
    page = example_site.page("data/index.html")
    link = re.search(r'<p><a href="([^"]+)">数据说明 datapackage\.json</a>：([^<]+)</p>', page)
    assert link, "no link to datapackage.json"
    assert (example_site.path / "site" / "data" / link[1]).is_file()
    assert "每一列" in link[2] and "单位" in link[2]


# --- JSON-LD ----------------------------------------------------------------------------------


def test_every_case_page_describes_itself_as_the_page_shows_it(built_site: Project) -> None:
    site = built_site.path / "site"
    cases = json.loads((site / "data" / "cases.json").read_text(encoding="utf-8"))
    assert cases
    for case in cases:
        page = (site / "cases" / case["id"] / "index.html").read_text(encoding="utf-8")
        here = f"{SITE_URL}cases/{case['id']}/"
        found = linked_data(page)
        assert len(found) == 1, case["id"]
        article = found[0]
        assert article["@context"] == "https://schema.org" and article["@type"] == "Article"
        assert article["url"] == here and article["inLanguage"] == "zh-CN"
        assert article["headline"] == html.unescape(re.search(r'<h1 id="page-title">(.*?)</h1>', page)[1])
        assert article["description"] == case["summary"]
        # 地区: the innermost place first in JSON-LD, the province first on the page.
        shown = links(re.search(r"<strong>地区</strong>：(.*?)<br>", page)[1])
        chain, place = [], article["spatialCoverage"]
        while place:
            chain.append((place["name"], place["url"]))
            place = place.get("containedInPlace")
        assert chain[::-1] == [(name, urljoin(here, href)) for href, name in shown]
        # 做法 and 应对的问题, with the pages they link to.
        terms = links(re.search(r"<strong>做法</strong>：(.*?)<br>", page)[1])
        terms += links(re.search(r"<strong>应对的问题</strong>：(.*?)<br>", page)[1])
        assert [(t["name"], t["url"]) for t in article["about"]] == [(name, urljoin(here, href)) for href, name in terms]
        # One citation per source listed under 来源, in the same order.
        listed = re.search(r'id="sources".*?<ol>(.*?)</ol>', page, re.S)[1]
        items = re.findall(r'<li id="source-[^"]+">(.*?)</li>', listed, re.S)
        assert len(article["citation"]) == len(items) == len(case["sources"])
        for cited, item, source in zip(article["citation"], items, case["sources"]):
            assert cited["name"] == source["title"] and source["title"] in html.unescape(item)
            assert cited.get("url") == source["url"]
            assert cited.get("datePublished") == (None if source["date_estimated"] else source["date"])
        for url in (article["url"], *(t["url"] for t in article["about"]), *(p[1] for p in chain), article["isPartOf"]["url"]):
            assert site_file(site, url).is_file(), url


def test_data_page_offers_every_described_file_as_a_download(built_site: Project) -> None:
    site = built_site.path / "site"
    found = linked_data((site / "data" / "index.html").read_text(encoding="utf-8"))
    assert len(found) == 1
    dataset = found[0]
    assert dataset["@type"] == "Dataset" and dataset["name"] == package(site)["title"]
    assert dataset["url"] == f"{SITE_URL}data/"
    formats = {"csv": "text/csv", "json": "application/json"}
    downloads = dataset["distribution"]
    assert [d["contentUrl"] for d in downloads] == [f"{SITE_URL}data/{r['path']}" for r in package(site)["resources"]]
    for download in downloads:
        assert download["@type"] == "DataDownload"
        assert download["encodingFormat"] == formats[download["contentUrl"].rsplit(".", 1)[1]]
        assert site_file(site, download["contentUrl"]).is_file()
    assert site_file(site, dataset["subjectOf"]["url"]) == site / "data" / "datapackage.json"


def test_hostile_record_cannot_close_the_script_element(hostile_site: Project) -> None:
    page = hostile_site.page(CASE_PAGE)
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    element = page[start:page.index("</script>", start)]
    assert "<" not in element and ">" not in element
    article = json.loads(element)
    assert article == linked_data(page)[0]  # the HTML parser ends the element where the JSON ends
    assert article["headline"] == "<script>alert(1)</script>"
    assert article["description"].startswith("<img src=x onerror=alert(2)> [点我](javascript:alert(3))")
    assert "<a href='javascript:alert(4)'>x</a>" in article["description"]


def test_script_escapes_what_could_end_the_element() -> None:
    text = "</script><!-- & </SCRIPT >"
    made = str(script({"name": text}))
    inner = made.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not re.search(r"[<>&]", inner)
    assert json.loads(inner) == {"name": text}


@pytest.mark.parametrize("directory_urls", [True, False])
def test_without_a_site_address_urls_are_relative_to_the_page(project: Project, directory_urls: bool) -> None:
    config = project.path / "mkdocs.yml"
    text = re.sub(r"^site_url: .*\n", "", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text + f"use_directory_urls: {str(directory_urls).lower()}\n", encoding="utf-8")
    assert project.build().returncode == 0
    site = project.path / "site"
    page_path = CASE_PAGE if directory_urls else "cases/jiushengci-fengchao.html"
    article = linked_data(project.page(page_path))[0]
    urls = [article["url"], article["isPartOf"]["url"], *(t["url"] for t in article["about"])]
    place = article["spatialCoverage"]
    while place:
        urls.append(place["url"])
        place = place.get("containedInPlace")
    base = f"http://localhost/{page_path}"
    for url in urls:
        assert not url.startswith(("http:", "https:", "/")), url
        target = urljoin(base, url).removeprefix("http://localhost/")
        assert (site / (target + "index.html" if target.endswith("/") or not target else target)).is_file(), url
    data_page = "data/index.html"
    dataset = linked_data(project.page(data_page))[0]
    for download in dataset["distribution"]:
        assert (site / urljoin(f"http://localhost/{data_page}", download["contentUrl"]).removeprefix("http://localhost/")).is_file()
    described = package(site)
    assert "homepage" not in described
    assert frictionless.validate(site / "data" / "datapackage.json").valid


@pytest.mark.browser
def test_chromium_reads_the_hostile_records_json_ld_whole(hostile_site: Project, chromium: Any) -> None:
    """As a browser parses the page: one JSON-LD element, whose text is the record's title where the
    reader sees it in the heading, and no script of the record's runs."""
    with serving(hostile_site.path / "site") as url:
        context = chromium.new_context(viewport={"width": 360, "height": 800})
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + CASE_PAGE.removesuffix("index.html"))
        texts = page.eval_on_selector_all('script[type="application/ld+json"]', "elements => elements.map(e => e.textContent)")
        heading = page.locator("h1").inner_text()
        context.close()
    assert len(texts) == 1
    assert json.loads(texts[0])["headline"] == heading == "<script>alert(1)</script>"
    assert not dialogs
