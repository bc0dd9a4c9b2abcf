"""Charts as static SVG, made at build time with Vega-Lite (vl-convert): no script, no request.

A line per place where a place has the metric at several dates, else a bar per data point.
Each point is labelled with the phrase as printed, so qualifiers (多, 以上 …) stay visible.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor

import vl_convert

from .numbers import plain
from .statistics import MetricEntry

WIDTH = 300  # fits a 360 px phone with the page margins; CSS scales it up on wider screens
# vl-convert draws on one V8 engine per process (threads do not help); from this many new
# charts on, they are drawn in one process per core, which costs about a second to start.
PARALLEL_FROM = 24
# More labels than this overlap at phone width (and cost a quarter of the drawing time); the
# table under the chart has every phrase.
MAX_LABELLED_POINTS = 12


def metric_charts(entries: list[MetricEntry]) -> dict[str, str]:
    """Charts by metric id, for metrics with more than one data point (one point: the table says it all)."""
    specs = {e.metric.id: json.dumps(_spec(e), ensure_ascii=False, sort_keys=True) for e in entries if len(e.points) > 1}
    missing = sorted({spec for spec in specs.values() if spec not in _drawn})
    if len(missing) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            _drawn.update(zip(missing, pool.map(vl_convert.vegalite_to_svg, missing, chunksize=4)))
    return {metric_id: _svg(spec) for metric_id, spec in specs.items()}


def _spec(entry: MetricEntry) -> dict[str, object]:
    rows = [{"地区": p.place, "时间": p.statistic.as_of, "值": plain(p.statistic.quantity.value),
             "原文": p.statistic.quantity.phrase, "类别": f"{p.place} {p.statistic.as_of}"} for p in entry.points]
    # No axis title: a rotated 个 reads as an arrow; the unit is in the caption.
    value_axis = {"field": "值", "type": "quantitative", "title": None, "axis": {"format": ",~f"}}
    label = {"mark": {"type": "text", "dy": -8, "fontSize": 10}, "encoding": {"text": {"field": "原文"}}}
    if entry.has_trend:
        encoding = {"x": {"field": "时间", "type": "ordinal", "title": "时间", "axis": {"labelAngle": 0}},
                    "y": value_axis, "color": {"field": "地区", "type": "nominal", "title": "地区",
                                               "legend": {"orient": "bottom"}}}
        layers = [{"mark": {"type": "line", "point": {"size": 50}}}, label]
    else:
        encoding = {"x": {"field": "类别", "type": "nominal", "title": None, "sort": None, "axis": {"labelAngle": -30}},
                    "y": value_axis}
        layers = [{"mark": {"type": "bar", "color": "#c62828"}}, label]
    if len(rows) > MAX_LABELLED_POINTS:
        layers = layers[:1]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"{entry.metric.name}：{len(rows)} 个数据点",
        "width": WIDTH, "height": 180, "data": {"values": rows}, "encoding": encoding, "layer": layers,
        "config": {"font": "sans-serif", "view": {"stroke": None}, "axis": {"labelFontSize": 10, "titleFontSize": 11}},
    }


# Drawn charts by spec: under `mkdocs serve` an unchanged metric is not drawn again.
_drawn: dict[str, str] = {}


def _svg(spec: str) -> str:
    if spec not in _drawn:
        _drawn[spec] = vl_convert.vegalite_to_svg(spec)
    return _drawn[spec]
