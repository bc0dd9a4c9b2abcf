"""The case model: plain, immutable data built by :mod:`casebook.validate`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from . import schema
from .numbers import Quantity

# From the schema, their one source: levels in order, each with the slug of its page's address;
# the fields of a region from the province down, each with the name editors use for it.
LEVEL_SLUGS = schema.levels()
LEVELS = tuple(LEVEL_SLUGS)
REGION_LEVEL_NAMES = schema.region_fields()
REGION_FIELDS = tuple(REGION_LEVEL_NAMES)
DATE_PRECISIONS = {4: "year", 7: "month", 10: "day"}
# What sources.yml holds for an author or a publication the article does not name (sources.schema.json);
# the separator between several authors.
UNKNOWN_AUTHOR, UNKNOWN_PUBLICATION, AUTHOR_SEPARATOR = "未署名", "未注明", "、"


@dataclass(frozen=True)
class Region:
    """A place from the province down to a community, as deep as known."""

    province: str
    city: str | None = None
    county: str | None = None
    subdistrict: str | None = None
    community: str | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(name for name in (getattr(self, f) for f in REGION_FIELDS) if name)

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Source:
    """A published article, registered once in ``cases/sources.yml``."""

    id: str
    publication: str
    title: str
    author: str
    date: str
    subtitle: str | None = None
    date_estimated: bool = False
    date_note: str | None = None
    page: str | None = None
    url: str | None = None
    accessed: str | None = None
    repost_site: str | None = None
    note: str | None = None

    @property
    def date_precision(self) -> str:
        return DATE_PRECISIONS[len(self.date)]


@dataclass(frozen=True)
class Term:
    """An entry of a controlled vocabulary: a name, other names, a broader entry, a description."""

    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    broader: str | None = None


@dataclass(frozen=True)
class Practice(Term):
    """An entry of ``cases/practices.yml``: a way of doing things that cases are tagged with."""


@dataclass(frozen=True)
class Challenge(Term):
    """An entry of ``cases/problems.yml``: a problem grassroots workers face (a 问题), in their words."""


@dataclass(frozen=True)
class Metric:
    """An entry of the metric catalogue ``cases/metrics.yml``: what a statistic counts."""

    id: str
    name: str
    unit: str
    definition: str
    practice: str | None = None
    aliases: tuple[str, ...] = ()
    other_units: tuple[str, ...] = ()  # written forms of the same unit (名 for 人)


@dataclass(frozen=True)
class Measure:
    title: str
    text: str


@dataclass(frozen=True)
class Statistic:
    """A figure as the source wrote it, with the value our code reads from it."""

    metric: str
    quantity: Quantity
    as_of: str
    source_id: str
    as_of_estimated: bool = False
    scope: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Case:
    """One case record; ``file`` is its path relative to the project, for links and messages."""

    id: str
    title: str
    region: Region
    level: str
    year: int
    practices: tuple[str, ...]
    summary: str
    background: str
    measures: tuple[Measure, ...]
    outcomes: tuple[str, ...]
    statistics: tuple[Statistic, ...]
    source_ids: tuple[str, ...]
    file: str
    since: int | None = None
    problems: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()  # what the practice relied on, where the source says so
    cautions: tuple[str, ...] = ()  # difficulties and lessons the source reports

    def __hash__(self) -> int:
        # Cases are keys of the page cache, many times per build; a record's hash is worked out once.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", cached)
        return cached


@dataclass(frozen=True)
class Casebook:
    """Everything the site is built from; cases sorted by id."""

    cases: tuple[Case, ...]
    practices: dict[str, Practice]
    sources: dict[str, Source]
    redirects: dict[str, str] = field(default_factory=dict)  # retired id → current id
    metrics: dict[str, Metric] = field(default_factory=dict)  # by name; empty when there is no catalogue
    problems: dict[str, Challenge] = field(default_factory=dict)  # by name

    def case(self, case_id: str) -> Case | None:
        return next((case for case in self.cases if case.id == case_id), None)

    @property
    def statistics_count(self) -> int:
        return sum(len(case.statistics) for case in self.cases)
