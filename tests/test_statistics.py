"""Statistics: every figure on its metric page and in the downloads, conflicts kept, charts static."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

from casebook.load import load_casebook
from casebook.numbers import parse_quantity, plain

from .conftest import EXAMPLE_RECORD, Project
from .test_build import text_of


def metric_ids(site: Project) -> dict[str, str]:
    rows = json.loads(site.page("data/statistics.json"))
    return {row["metric"]: row["metric_id"] for row in rows}


def test_every_statistic_is_on_its_metric_page_with_its_normalised_value(built_site: Project) -> None:
    rows = json.loads(built_site.page("data/statistics.json"))
    metrics = load_casebook(built_site.path / "cases", base=built_site.path).metrics
    assert len(rows) >= 150
    for row in rows:
        page = built_site.page(f"metrics/{row['metric_id']}/index.html")
        quantity = parse_quantity(row["phrase"])
        metric = metrics[row["metric"]]
        if quantity.unit in metric.other_units:  # 80265名 of a metric counted in 人
            quantity = dataclasses.replace(quantity, unit=metric.unit)
        assert (row["value"], row["qualifier"], row["unit"]) == (plain(quantity.value), quantity.qualifier, quantity.unit)
        table = page[page.index('id="data"'):]
        assert f'<td data-label="原文写法">{row["phrase"]}' in table, (row["metric_id"], row["phrase"])
        assert quantity.display() in text_of(table)
        assert f'href="../../cases/{row["case_id"]}/"' in table


def test_per_metric_downloads_are_linked_and_open_in_a_spreadsheet(built_site: Project) -> None:
    ids = metric_ids(built_site)
    metric_id = ids["红心物业小区数"]
    page = built_site.page(f"metrics/{metric_id}/index.html")
    assert f'href="../../data/metrics/{metric_id}.csv"' in page
    raw = (built_site.path / "site" / "data" / "metrics" / f"{metric_id}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted((r["as_of"], r["phrase"], r["value"], r["qualifier"]) for r in rows) == [
        ("2020-12", "1102个", "1102", ""), ("2023-07", "2000多个", "2000", "至少")]


def test_trend_chart_is_static_svg_labelled_with_the_phrases(built_site: Project) -> None:
    page = built_site.page(f"metrics/{metric_ids(built_site)['红心物业小区数']}/index.html")
    figure = page[page.index('<figure class="cb-chart"'):page.index("</figure>")]
    assert "<svg" in figure and "<script" not in figure
    assert "2000多个</text>" in figure and "1102个</text>" in figure
    # Valid markup: no role on the figure; screen readers read its caption, the drawing is hidden from them.
    assert figure.startswith('<figure class="cb-chart">') and 'aria-hidden="true"' in figure
    assert "<figcaption>红心物业小区数，2 个数据点，涉及吉林省。" in figure
    assert "纵轴单位：个" in figure


def test_single_data_point_has_the_table_but_no_chart(built_site: Project) -> None:
    rows = json.loads(built_site.page("data/statistics.json"))
    single = next(r for r in rows if sum(x["metric_id"] == r["metric_id"] for x in rows) == 1)
    page = built_site.page(f"metrics/{single['metric_id']}/index.html")
    assert "cb-chart" not in page and single["phrase"] in page


def test_overview_and_region_pages_list_the_figures_of_each_place(built_site: Project) -> None:
    overview = text_of(built_site.page("data/index.html"))
    assert overview.index("吉林省 （") < overview.index("长春市 （")
    # One folded section per place, each figure linked to its case.
    rows = json.loads(built_site.page("data/statistics.json"))
    html = built_site.page("data/index.html")
    assert html.count('<details class="cb-place"') >= 2 and "<details class=\"cb-place\" open" not in html
    assert html.count('<td data-label="案例"><a href="../cases/') == len(rows)
    for row in rows:  # each figure with its date as the source gives it (or marked as inferred) and its phrase
        assert f"{row['metric']} {row['as_of']}{'（推断）' if row['as_of_estimated'] else ''} {row['phrase']}" in overview, row
    city = text_of(built_site.page("regions/changchunshi/index.html"))
    assert "数据" in city and "1400余个" in city


def test_differing_sources_for_one_place_and_date_are_both_shown_and_marked(project: Project) -> None:
    twin = EXAMPLE_RECORD.read_text(encoding="utf-8").replace("id: jiushengci-fengchao", "id: jiushengci-erqi")
    twin = twin.replace("value: 75%以上", "value: 80%").replace("title: 九圣祠社区“蜂巢自治”", "title: 九圣祠社区二期自治")
    project.add_record("changchun/jiushengci-erqi.yml", twin)
    result = project.build()
    assert result.returncode == 0, result.stderr
    ids = metric_ids(project)
    page = project.page(f"metrics/{ids['套管小区占比']}/index.html")
    text = text_of(page[page.index('id="data"'):])
    assert "75%以上 与同期另一来源不一致" in text and "80% 与同期另一来源不一致" in text
    assert "来源之间的差异" in page
    figure = page[page.index('<figure class="cb-chart"'):page.index("</figure>")]
    assert "75%以上</text>" in figure and "80%</text>" in figure  # both drawn, never averaged
    assert "77.5" not in page
    case_page = text_of(project.page("cases/jiushengci-erqi/index.html"))
    assert "80% 与同期另一来源不一致" in case_page  # flagged on the case page too


def test_unknown_metric_and_unit_mismatch_are_refused(project: Project) -> None:
    text = EXAMPLE_RECORD.read_text(encoding="utf-8")
    project.add_record("changchun/jiushengci-fengchao.yml", text.replace("metric: 套管小区占比", "metric: 套管小区比例"))
    result = project.validate()
    assert result.returncode == 1
    assert re.search(r"第1条数据 · 指标（metric）: 未知的指标「套管小区比例」，是不是：[^\n]*套管小区占比", result.stdout)
    project.add_record("changchun/jiushengci-fengchao.yml", text.replace("value: 75%以上", "value: 75个"))
    result = project.validate()
    assert "第1条数据 · 原文数值（value）: 单位「个」不是指标「套管小区占比」的单位（可用：「%」）" in result.stdout
