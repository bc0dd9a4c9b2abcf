"""Statistics across the casebook: data points by metric and by place, with conflicts found, never averaged."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Case, Casebook, Metric, Statistic

# How articles name the whole province in a statistic's scope.
PROVINCE_SCOPES = {"全省", "吉林省", "全省城市", "全省各地"}


@dataclass(frozen=True)
class DataPoint:
    case: Case
    statistic: Statistic
    place: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.place, self.statistic.as_of)


@dataclass(frozen=True)
class MetricEntry:
    metric: Metric
    points: tuple[DataPoint, ...]
    conflicts: frozenset[tuple[str, str]]  # (place, as_of) where sources give different values

    @property
    def places(self) -> list[str]:
        return list(dict.fromkeys(point.place for point in self.points))

    @property
    def has_trend(self) -> bool:
        """Some place has this metric at more than one date."""
        dates: dict[str, set[str]] = defaultdict(set)
        for point in self.points:
            dates[point.place].add(point.statistic.as_of)
        return any(len(found) > 1 for found in dates.values())


def place_of(case: Case, statistic: Statistic) -> str:
    """The place a figure covers: its scope, or the case's place; 全省 is 吉林省."""
    scope = statistic.scope or case.region.name
    return case.region.province if scope in PROVINCE_SCOPES else scope


def points(casebook: Casebook) -> list[DataPoint]:
    return [DataPoint(case, stat, place_of(case, stat)) for case in casebook.cases for stat in case.statistics]


def by_metric(casebook: Casebook) -> list[MetricEntry]:
    """Every catalogued metric with its data points (place, then date, then source), most points first."""
    grouped: dict[str, list[DataPoint]] = defaultdict(list)
    for point in points(casebook):
        grouped[point.statistic.metric].append(point)
    entries = []
    for metric in casebook.metrics.values():
        found = sorted(grouped.get(metric.name, []), key=lambda p: (p.place, p.statistic.as_of, p.statistic.source_id, p.case.id))
        entries.append(MetricEntry(metric, tuple(found), frozenset(_conflicts(found))))
    return sorted(entries, key=lambda entry: (-len(entry.points), entry.metric.id))


def by_place(casebook: Casebook) -> dict[str, list[DataPoint]]:
    """Data points of each place, ordered by metric then date."""
    grouped: dict[str, list[DataPoint]] = defaultdict(list)
    for point in points(casebook):
        grouped[point.place].append(point)
    return {place: sorted(found, key=lambda p: (p.statistic.metric, p.statistic.as_of, p.case.id))
            for place, found in sorted(grouped.items())}


def _conflicts(found: list[DataPoint]) -> set[tuple[str, str]]:
    values: dict[tuple[str, str], set[tuple[object, object]]] = defaultdict(set)
    for point in found:
        quantity = point.statistic.quantity
        values[point.key].add((quantity.value, quantity.qualifier))
    return {key for key, seen in values.items() if len(seen) > 1}
