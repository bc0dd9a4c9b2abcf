"""Which pages the casebook adds to a site and what each one shows: ``plan(casebook, site)``.

Planning is apart from templating (:mod:`casebook.render`): the list of pages, their addresses and
the values their templates get are known, tested and compared without rendering any of them, and
nothing is filled in as a side effect of rendering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import citation_data, figures, schema, taxonomy
from .memo import Memo
from .model import Case, Casebook
from .paths import (BROWSE, CASES_INDEX, COMPARE, COMPARE_COLUMNS, DATA_OVERVIEW, EDITOR, EDITOR_DATA, EDITOR_SCRIPT,
                    EDITORIAL, RECORD_CHECK_SCRIPT, LEVELS_INDEX, METRICS_INDEX,
                    PRACTICES_INDEX, PROBLEMS_INDEX, QR_SCRIPT, YEARS_INDEX, case_path, level_path, metric_csv, metric_path,
                    page_url, practice_path, problem_path, year_path, SCHEMA)


@dataclass(frozen=True)
class Citing:
    """A hand-written page that refers to a case (a lesson), for the case's backlinks."""

    path: str
    title: str


@dataclass(frozen=True)
class Site:
    """What pages show besides the casebook: the site's settings, and the hand-written pages citing each case."""

    url: str = ""  # the published address, ending in '/', or '' when unknown
    directory_urls: bool = True  # cases/x/ rather than cases/x.html
    edit_base: str | None = None  # the edit address of the project root, when the site has edit links
    citing: Mapping[str, list[Citing]] = field(default_factory=dict)

    def address(self, path: str) -> str:
        """The published address of a page or file of the site (printed, and in QR codes)."""
        return self.url + page_url(path, self.directory_urls)


class Indexes:
    """The casebook's taxonomies and figures, worked out once per build and shared by every page and block.
    ``rankings`` (from an earlier build under ``mkdocs serve``) keeps related-case rankings whose inputs are unchanged."""

    def __init__(self, casebook: Casebook, rankings: Memo | None = None):
        self.casebook = casebook
        self.tree = taxonomy.region_tree(casebook)
        self.relations = taxonomy.Relations(casebook, rankings)

    @cached_property
    def practices(self) -> list[taxonomy.PracticeEntry]:
        return taxonomy.by_practice(self.casebook)

    @cached_property
    def problems(self) -> list[taxonomy.ProblemEntry]:
        return taxonomy.by_problem(self.casebook)

    @cached_property
    def levels(self) -> list[tuple[str, tuple[Case, ...]]]:
        return taxonomy.by_level(self.casebook)

    @cached_property
    def years(self) -> list[tuple[int, tuple[Case, ...]]]:
        return taxonomy.by_year(self.casebook)

    @cached_property
    def metrics(self) -> list[figures.MetricEntry]:
        return figures.by_metric(self.casebook)

    @cached_property
    def disputed_figures(self) -> frozenset[tuple[str, str, str]]:
        """(metric, place, date) of every figure that two sources give differently."""
        return frozenset((entry.metric.name, place, as_of) for entry in self.metrics for place, as_of in entry.conflicts)

    def places_of(self, case: Case) -> list[tuple[str, str]]:
        """The case's place from the province down, each with the path of its page."""
        path = case.region.path
        return [(name, taxonomy.region_of(self.tree, path[:depth]).page) for depth, name in enumerate(path, 1)]


@dataclass(frozen=True)
class PlannedPage:
    """A page to render: where it goes, its template (``templates/pages/TEMPLATE.html.j2``) and the values
    the template gets; the record it comes from (for its edit link) and the meta tags its head carries."""

    path: str
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)
    origin: str | None = None
    head_meta: tuple[tuple[str, str], ...] = ()


def plan(casebook: Casebook, site: Site, indexes: Indexes | None = None) -> list[PlannedPage]:
    """Every page the casebook adds to the site, in a stable order."""
    indexes = indexes or Indexes(casebook)
    cases_in_order = sorted(casebook.cases, key=taxonomy.case_order)
    practices, problems, levels, years = indexes.practices, indexes.problems, indexes.levels, indexes.years
    data_by_place = figures.by_place(casebook)
    pages = [case_page(case, site, indexes) for case in casebook.cases]
    pages += [
        PlannedPage(CASES_INDEX, "cases_index", {"levels": levels, "years": years}),
        PlannedPage(BROWSE, "browse", {"cases": cases_in_order, "regions": taxonomy.region_nodes(indexes.tree),
                                       "practices": practices, "problems": problems, "levels": levels, "years": years}),
        PlannedPage(PROBLEMS_INDEX, "problems_index", {"entries": problems}),
        PlannedPage(COMPARE, "compare", {"cases": cases_in_order, "renamed": dict(sorted(casebook.redirects.items())),
                                         "columns": COMPARE_COLUMNS, "qr_script": QR_SCRIPT, "browse": BROWSE,
                                         "address": site.address(COMPARE)}),
    ]
    pages += [PlannedPage(problem_path(entry.problem.id), "problem", {"entry": entry}) for entry in problems]
    pages.append(PlannedPage(EDITORIAL, "editorial", {"codebook": schema.codebook("case")}))
    pages.append(PlannedPage(EDITOR, "editor", {"data": EDITOR_DATA, "scripts": [RECORD_CHECK_SCRIPT, EDITOR_SCRIPT],
                                                          "case_schema_path": SCHEMA.format(kind="case")}))
    pages.append(PlannedPage(PRACTICES_INDEX, "practices_index", {"entries": practices}))
    pages += [PlannedPage(practice_path(entry.practice.id), "practice", {"entry": entry}) for entry in practices]
    pages += [PlannedPage(node.page, "region", {"node": node, "data": data_by_place.get(node.name, [])})
              for node in taxonomy.region_nodes(indexes.tree)]
    pages.append(PlannedPage(LEVELS_INDEX, "levels_index", {"levels": levels}))
    pages += [PlannedPage(level_path(level), "level", {"level": level, "cases": cases}) for level, cases in levels]
    pages.append(PlannedPage(YEARS_INDEX, "years_index", {"years": years}))
    pages += [PlannedPage(year_path(year), "year", {"year": year, "cases": cases}) for year, cases in years]
    if casebook.metrics:
        pages += _figure_pages(casebook, indexes, data_by_place)
    return pages


def case_page(case: Case, site: Site, indexes: Indexes) -> PlannedPage:
    reference = citation_data.case_reference(case, site.url, site.directory_urls)
    return PlannedPage(case_path(case.id), "case", {
        "case": case, "edit_url": f"{site.edit_base}{case.file}" if site.edit_base else None,
        "address": site.address(case_path(case.id)), "places": indexes.places_of(case),
        "related": indexes.relations.related(case), "citing": site.citing.get(case.id, []),
        # Which of its figures another source gives differently: a value of the page, so a change to
        # another record's figure renders this page again under serve.
        "disputed": [(s.metric, figures.place_of(case, s), s.as_of) in indexes.disputed_figures for s in case.statistics],
    }, origin=case.file, head_meta=citation_data.meta_tags(reference))


def _figure_pages(casebook: Casebook, indexes: Indexes, data_by_place: dict[str, list[figures.DataPoint]]) -> list[PlannedPage]:
    entries = indexes.metrics
    provinces = {case.region.province for case in casebook.cases}
    # The province first, then places by how many figures they have.
    places = sorted(data_by_place.items(), key=lambda item: (item[0] not in provinces, -len(item[1]), item[0]))
    pages = [PlannedPage(METRICS_INDEX, "metrics_index", {"entries": entries}),
             PlannedPage(DATA_OVERVIEW, "data_overview", {"places": places, "metrics": casebook.metrics,
                                                          "metric_count": len(entries)})]
    for entry in entries:
        summary = f"{entry.metric.name}，{len(entry.points)} 个数据点，涉及{'、'.join(entry.places)}"
        pages.append(PlannedPage(metric_path(entry.metric.id), "metric", {"entry": entry, "chart_summary": summary,
                                                                          "metric_csv": metric_csv(entry.metric.id)}))
    return pages
