"""Taxonomies over the casebook: practice → cases, the region tree, levels, years.

Every order is deterministic: by count (descending), then by a stable key, so two
builds of the same records list things identically.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import LEVELS, REGION_FIELDS, Case, Casebook, Practice


@dataclass(frozen=True)
class PracticeEntry:
    practice: Practice
    cases: tuple[Case, ...]
    narrower: tuple[Practice, ...]


@dataclass
class RegionNode:
    """A place in the tree; ``cases`` are the cases located exactly here."""

    name: str
    level: str
    cases: list[Case] = field(default_factory=list)
    children: dict[str, "RegionNode"] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.cases) + sum(child.total for child in self.children.values())

    def sorted_children(self) -> list["RegionNode"]:
        return sorted(self.children.values(), key=lambda node: (-node.total, node.name))


def case_order(case: Case) -> tuple[int, str]:
    """Newest first, then by id."""
    return (-case.year, case.id)


def by_practice(casebook: Casebook) -> list[PracticeEntry]:
    """Every practice of the vocabulary with its cases, most used first, ties by id."""
    entries = []
    for practice in casebook.practices.values():
        cases = tuple(sorted((c for c in casebook.cases if practice.name in c.practices), key=case_order))
        narrower = tuple(sorted((p for p in casebook.practices.values() if p.broader == practice.name), key=lambda p: p.id))
        entries.append(PracticeEntry(practice, cases, narrower))
    return sorted(entries, key=lambda entry: (-len(entry.cases), entry.practice.id))


def region_tree(casebook: Casebook) -> RegionNode:
    """The places of all cases, nested province → city → county → subdistrict → community."""
    root = RegionNode(name="", level="")
    for case in sorted(casebook.cases, key=case_order):
        node = root
        for level in REGION_FIELDS:
            name = getattr(case.region, level)
            if name:
                node = node.children.setdefault(name, RegionNode(name=name, level=level))
        node.cases.append(case)
    return root


def by_level(casebook: Casebook) -> list[tuple[str, tuple[Case, ...]]]:
    """Levels in their fixed order (省 … 村), only those that have cases."""
    groups = [(level, tuple(sorted((c for c in casebook.cases if c.level == level), key=case_order))) for level in LEVELS]
    return [(level, cases) for level, cases in groups if cases]


def by_year(casebook: Casebook) -> list[tuple[int, tuple[Case, ...]]]:
    """Years, newest first."""
    years = sorted({case.year for case in casebook.cases}, reverse=True)
    return [(year, tuple(sorted((c for c in casebook.cases if c.year == year), key=case_order))) for year in years]


def newest(casebook: Casebook, count: int) -> list[Case]:
    """The newest cases: by year, then by the newest source date, ties by id."""
    def recency(case: Case) -> tuple[int, str]:
        return (case.year, max(casebook.sources[s].date for s in case.source_ids))
    by_id = sorted(casebook.cases, key=lambda case: case.id)
    return sorted(by_id, key=recency, reverse=True)[:count]
