"""Machine-readable data for researchers and tools: cases.json, statistics.json/.csv.

Field order is fixed and rows are sorted, so the files are byte-identical across builds.
The CSV starts with a UTF-8 byte-order mark so Excel and WPS read the Chinese correctly.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .citation import reference
from . import figures
from .model import Casebook
from .paths import CASES_JSON, STATISTICS_CSV, STATISTICS_JSON, case_path, metric_csv, page_url
from .numbers import plain
from .trust import trust


STATISTIC_COLUMNS = ("case_id", "case_title", "region", "metric", "metric_id", "value", "upper", "unit", "qualifier",
                     "as_of", "as_of_estimated", "source_id", "phrase", "note")


def case_rows(casebook: Casebook, site_url: str = "", directory_urls: bool = True) -> list[dict[str, Any]]:
    return [
        {
            "id": case.id, "title": case.title, "url": site_url + page_url(case_path(case.id), directory_urls),
            "region": list(case.region.path), "level": case.level, "year": case.year, "since": case.since,
            "practices": list(case.practices), "problems": list(case.problems), "summary": case.summary,
            "completeness": evidence.completeness, "verification": evidence.verification,
            "sources": [_source(casebook, source_id) for source_id in case.source_ids],
        }
        for case, evidence in ((case, trust(case, casebook)) for case in casebook.cases)
    ]


def statistic_rows(casebook: Casebook) -> list[dict[str, Any]]:
    return [_statistic(casebook, point) for point in figures.points(casebook)]


def _source(casebook: Casebook, source_id: str) -> dict[str, Any]:
    source = casebook.sources[source_id]
    return {"id": source.id, "citation": reference(source), "publication": source.publication, "title": source.title,
            "subtitle": source.subtitle, "author": source.author, "date": source.date, "date_estimated": source.date_estimated,
            "page": source.page, "url": source.url, "accessed": source.accessed, "repost_site": source.repost_site}


def _statistic(casebook: Casebook, point: figures.DataPoint) -> dict[str, Any]:
    case, stat, quantity = point.case, point.statistic, point.statistic.quantity
    metric = casebook.metrics.get(stat.metric)
    return {
        "case_id": case.id, "case_title": case.title, "region": point.place,
        "metric": stat.metric, "metric_id": metric.id if metric else None, "value": plain(quantity.value),
        "upper": plain(quantity.upper) if quantity.upper is not None else None,
        "unit": quantity.unit, "qualifier": quantity.qualifier, "as_of": stat.as_of,
        "as_of_estimated": stat.as_of_estimated, "source_id": stat.source_id, "phrase": quantity.phrase,
        "note": stat.note,
    }


def to_json(rows: list[dict[str, Any]]) -> str:
    """A JSON array with one row per line: readable in a diff, and written by json's fast encoder."""
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n"


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=STATISTIC_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(row[key]) for key in STATISTIC_COLUMNS})
    return "\ufeff" + buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def files(casebook: Casebook, site_url: str = "", directory_urls: bool = True) -> dict[str, str]:
    """Every export, as path in the site → text."""
    rows = statistic_rows(casebook)
    exports = {
        CASES_JSON: to_json(case_rows(casebook, site_url, directory_urls)),
        STATISTICS_JSON: to_json(rows),
        STATISTICS_CSV: to_csv(rows),
    }
    by_metric: dict[str, list[dict[str, Any]]] = {metric.id: [] for metric in casebook.metrics.values()}
    for row in rows:
        if row["metric_id"] in by_metric:
            by_metric[row["metric_id"]].append(row)
    exports.update((metric_csv(metric_id), to_csv(found)) for metric_id, found in by_metric.items())
    return exports

