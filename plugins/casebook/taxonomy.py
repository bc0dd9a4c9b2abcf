"""Taxonomies over the casebook: problem → cases, practice → cases, the region tree, levels, years.

Every order is deterministic: by count (descending), then by a stable key, so two
builds of the same records list things identically.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from .memo import Memo
from .model import LEVELS, REGION_FIELDS, Case, Casebook, Challenge, Practice
from .trust import trust

RELATED_COUNT = 5
# Why two cases are related, and how much each reason counts.
WEIGHT_PRACTICE = 3
WEIGHT_SIBLING_PRACTICE = 1  # different practices under the same broader one
WEIGHT_SAME_PLACE = 2  # same county, subdistrict or community
WEIGHT_SAME_CITY = 1
WEIGHT_SAME_LEVEL = 1


@dataclass(frozen=True)
class PracticeEntry:
    practice: Practice
    cases: tuple[Case, ...]
    narrower: tuple[Practice, ...]


@dataclass(frozen=True)
class ProblemEntry:
    problem: Challenge
    cases: tuple[Case, ...]  # strongest evidence first
    practices: tuple[tuple[Practice, int], ...]  # practices used against it, with how many of its cases used each
    narrower: tuple[Challenge, ...]


@dataclass(frozen=True)
class Related:
    case: Case
    score: int
    reasons: tuple[str, ...]


@dataclass
class RegionNode:
    """A place in the tree; ``cases`` are the cases located exactly here."""

    name: str
    level: str
    path: tuple[str, ...] = ()
    slug: str = ""
    cases: list[Case] = field(default_factory=list)
    children: dict[str, "RegionNode"] = field(default_factory=dict)
    parent: "RegionNode | None" = field(default=None, repr=False)

    @property
    def page(self) -> str:
        """The page of this place: ``regions/changchunshi/nanguanqu.md``; the province is the index."""
        below_province = [node.slug for node in [*self.ancestors(), self][1:]] if self.parent else []
        return "/".join(["regions", *below_province]) + ".md" if below_province else "regions/index.md"

    def all_cases(self) -> list[Case]:
        """Cases here and in every place below, newest first."""
        found = list(self.cases)
        for child in self.children.values():
            found.extend(child.all_cases())
        return sorted(found, key=case_order)

    def ancestors(self) -> list["RegionNode"]:
        chain, node = [], self.parent
        while node is not None and node.path:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def total(self) -> int:
        return len(self.cases) + sum(child.total for child in self.children.values())

    def sorted_children(self) -> list["RegionNode"]:
        return sorted(self.children.values(), key=lambda node: (-node.total, node.name))


def case_order(case: Case) -> tuple[int, str]:
    """Newest first, then by id."""
    return (-case.year, case.id)


def by_problem(casebook: Casebook) -> list[ProblemEntry]:
    """Every problem of the vocabulary with its cases (strongest evidence first) and the practices
    they used; broader problems gather the cases of their narrower ones. Most cases first, ties by id."""
    entries = []
    for problem in casebook.problems.values():
        names = {problem.name} | {p.name for p in casebook.problems.values() if p.broader == problem.name}
        found = [c for c in casebook.cases if names & set(c.problems)]
        cases = tuple(sorted(found, key=lambda c: (tuple(-s for s in trust(c, casebook).strength), *case_order(c))))
        used = Counter(name for case in cases for name in case.practices)
        practices = tuple((casebook.practices[name], n) for name, n in sorted(used.items(), key=lambda item: (-item[1], item[0])))
        narrower = tuple(sorted((p for p in casebook.problems.values() if p.broader == problem.name), key=lambda p: p.id))
        entries.append(ProblemEntry(problem, cases, practices, narrower))
    return sorted(entries, key=lambda entry: (-len(entry.cases), entry.problem.id))


def by_practice(casebook: Casebook) -> list[PracticeEntry]:
    """Every practice of the vocabulary with its cases, most used first, ties by id."""
    entries = []
    for practice in casebook.practices.values():
        cases = tuple(sorted((c for c in casebook.cases if practice.name in c.practices), key=case_order))
        narrower = tuple(sorted((p for p in casebook.practices.values() if p.broader == practice.name), key=lambda p: p.id))
        entries.append(PracticeEntry(practice, cases, narrower))
    return sorted(entries, key=lambda entry: (-len(entry.cases), entry.practice.id))


def region_slug(name: str) -> str:
    """ASCII address of a place name: 长春市 → changchunshi (part of permanent URLs)."""
    return "".join(lazy_pinyin(name, errors=lambda chars: "".join(f"{ord(c):x}" for c in chars))).lower()


def _distinct_slugs(children: dict[str, RegionNode]) -> None:
    """Homophones (福林社区, 富林社区) would share an address: each gets a suffix from its own name."""
    slugs: dict[str, list[RegionNode]] = {}
    for child in children.values():
        slugs.setdefault(region_slug(child.name), []).append(child)
    for slug, nodes in slugs.items():
        for node in nodes:
            suffix = hashlib.sha1(node.name.encode("utf-8")).hexdigest()[:4] if len(nodes) > 1 else ""
            node.slug = f"{slug}-{suffix}" if suffix else slug
        for node in nodes:
            _distinct_slugs(node.children)


def region_tree(casebook: Casebook) -> RegionNode:
    """The places of all cases, nested province → city → county → subdistrict → community."""
    root = RegionNode(name="", level="")
    for case in sorted(casebook.cases, key=case_order):
        node = root
        for level in REGION_FIELDS:
            name = getattr(case.region, level)
            if name:
                if name not in node.children:
                    node.children[name] = RegionNode(name=name, level=level, path=node.path + (name,), parent=node)
                node = node.children[name]
        node.cases.append(case)
    _distinct_slugs(root.children)
    return root


def region_nodes(root: RegionNode) -> list[RegionNode]:
    """Every place of the tree, parents before children, in the tree's order."""
    nodes = []
    for child in root.sorted_children():
        nodes.append(child)
        nodes.extend(region_nodes(child))
    return nodes


def region_of(root: RegionNode, path: tuple[str, ...]) -> RegionNode:
    node = root
    for name in path:
        node = node.children[name]
    return node


class Relations:
    """Related cases, found through what cases share rather than by comparing every pair."""

    def __init__(self, casebook: Casebook, rankings: Memo | None = None):
        self.casebook = casebook
        # The ranking reads only ids, practices, places and levels. When none of those changed
        # since an earlier build (`mkdocs serve` after a title or text edit), its rankings hold.
        self.rankings = rankings or Memo()
        self.rankings.start((tuple((c.id, c.practices, c.region, c.level) for c in casebook.cases),
                             tuple((p.name, p.broader) for p in casebook.practices.values())))
        self.by_id = {case.id: case for case in casebook.cases}
        # Ids of the cases by what they may share; missing keys read as empty.
        self.ids_by_practice: defaultdict[str, set[str]] = defaultdict(set)
        self.ids_by_family: defaultdict[str, set[str]] = defaultdict(set)
        self.ids_by_place: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
        self.ids_by_level: defaultdict[str, set[str]] = defaultdict(set)
        for case in casebook.cases:
            for name in case.practices:
                self.ids_by_practice[name].add(case.id)
            for family in _broader(casebook, case):
                self.ids_by_family[family].add(case.id)
            for depth in range(2, len(case.region.path) + 1):
                self.ids_by_place[case.region.path[:depth]].add(case.id)
            self.ids_by_level[case.level].add(case.id)

    def related(self, case: Case, count: int = RELATED_COUNT) -> list[Related]:
        """Cases that share practices, place or level with ``case``, strongest first, with the reasons."""
        ranked = self.rankings.get((case.id, count), lambda: [(r.case.id, r.score, r.reasons) for r in self._rank(case, count)])
        return [Related(self.by_id[case_id], score, reasons) for case_id, score, reasons in ranked]

    def _rank(self, case: Case, count: int) -> list[Related]:
        path = case.region.path
        # How many practices each other case shares with this one (counted in C, by id).
        shared: Counter[str] = Counter()
        for name in case.practices:
            shared.update(self.ids_by_practice[name])
        candidates = set(shared)
        if len(path) > 2:  # same county or below; a whole city is only a weak reason
            candidates |= self.ids_by_place[path[:3]]
        weaker = [self.ids_by_family[f] for f in sorted(_broader(self.casebook, case))]
        weaker += [self.ids_by_place[path[:2]], self.ids_by_level[case.level]]
        for group in weaker:  # only when the strong reasons leave room
            if len(candidates) > count:
                break
            candidates |= group
        candidates.discard(case.id)
        # Scoring every candidate in full is what grows with the casebook (at 5000 cases a case has
        # about a thousand); a cheap score without the broader-practice bonus (worth at most
        # WEIGHT_SIBLING_PRACTICE) narrows them to those that can still reach the top ``count``.
        city, level = self.ids_by_place[path[:2]], self.ids_by_level[case.level]
        place = self.ids_by_place[path[:3]] if len(path) > 2 else set()
        place_bonus = WEIGHT_SAME_PLACE - WEIGHT_SAME_CITY  # same county or finer: the city's weight and this
        scored = [(WEIGHT_PRACTICE * shared[i] + WEIGHT_SAME_CITY * (i in city) + place_bonus * (i in place)
                   + WEIGHT_SAME_LEVEL * (i in level), i) for i in candidates]
        floor = 0
        if len(scored) > count:
            floor = sorted((score for score, _ in scored), reverse=True)[count - 1] - WEIGHT_SIBLING_PRACTICE
        found = [_relation(self.casebook, case, self.by_id[i]) for score, i in scored if score >= floor]
        return sorted((r for r in found if r.score), key=lambda r: (-r.score, r.case.id))[:count]


def _relation(casebook: Casebook, case: Case, other: Case) -> Related:
    shared = [name for name in case.practices if name in other.practices]
    score = WEIGHT_PRACTICE * len(shared)
    reasons = [f"同为{name}" for name in shared[:2]]
    families = sorted(_broader(casebook, case) & _broader(casebook, other) - set(shared))
    if families:
        score += WEIGHT_SIBLING_PRACTICE
        reasons.append(f"同属{families[0]}")
    place = _shared_place(case, other)
    if place:
        level, name = place
        score += WEIGHT_SAME_CITY if level == "city" else WEIGHT_SAME_PLACE
        reasons.append(f"同在{name}")
    if other.level == case.level:
        score += WEIGHT_SAME_LEVEL
        reasons.append(f"同为{case.level}级")
    return Related(other, score, tuple(reasons))


def _broader(casebook: Casebook, case: Case) -> set[str]:
    parents = (casebook.practices[name].broader for name in case.practices)
    return {parent for parent in parents if parent}


def _shared_place(one: Case, other: Case) -> tuple[str, str] | None:
    """The most local place below the province that both cases are in."""
    shared = None
    for level in REGION_FIELDS[1:]:
        name = getattr(one.region, level)
        if not name or name != getattr(other.region, level):
            break
        shared = (level, name)
    return shared


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
