"""Render the casebook's pages as HTML, from the Jinja templates in ``templates/``.

Pages are written as HTML rather than Markdown: Python-Markdown would spend most of a large
build re-parsing tables and links we generate ourselves. Text from YAML is never trusted:
templates autoescape, and only what the code builds from validated ids (links, anchors, the
QR code, charts) is marked safe. An editor's record cannot add markup, links or script.
"""

from __future__ import annotations

import dataclasses
import html
import json
import posixpath
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path
from decimal import Decimal
from typing import Any, Callable, Hashable, cast

import segno
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateNotFound, pass_context
from markupsafe import Markup, escape

from . import charts, citation, citation_data, index, jsonld, schema, statistics, tilemap
from .model import REGION_LEVEL_NAMES, Case, Casebook
from .memo import Memo
from .processes import forked_pool
from .trust import Trust, trust
from .trust import rules as trust_rules
from . import paths
from .paths import (BROWSE, CASEBOOK_REFERENCES, CASES_INDEX, COMPARE, COMPARE_COLUMNS, DATA_OVERVIEW, EDITORIAL, LEVELS_INDEX,
                    METRICS_INDEX, OFFLINE_COPY, PRACTICES_INDEX, PROBLEMS_INDEX, QR_SCRIPT, YEARS_INDEX, case_path,
                    case_redirect_path, case_references, level_path, metric_csv, metric_path, page_url, practice_path,
                    problem_path, relative_url, year_path)

NEWEST_COUNT = 8  # cases listed under 最新案例 on the home page
MAX_COMPARED = 4  # cases side by side on the comparison page: four columns still fit a wide screen

# Python-Markdown's backslash escapes, plus '|' from the tables extension. '<', '>' and '&'
# become HTML entities first, so raw HTML and autolinks cannot start.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
# Headings as the ``heading`` macro (templates/macros.html.j2) writes them, for the table of contents.
# An h1 with an id (a case's title) heads the table of contents: Material's skip link goes to its first entry.
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)(?:<a class="headerlink"|</h1>)')
_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Citing:
    """A hand-written page that refers to a case (a lesson), for the case's backlinks."""

    path: str
    title: str


@dataclass(frozen=True)
class Heading:
    """A heading of a generated page: its level (1–6), anchor and text as HTML."""

    level: int
    id: str
    text: str


def escape_markdown(text: str) -> str:
    """Make ``text`` show literally in Markdown: no markup, links, HTML or entities."""
    one_line = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=True))


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes in the site, its title, description and HTML body,
    the record it comes from, and the meta tags (name, content) its head carries."""

    path: str
    title: str
    html: str
    description: str | None = None
    origin: str | None = None
    head_meta: tuple[tuple[str, str], ...] = ()
    hide: tuple[str, ...] = ()  # parts of Material's frame the page goes without (navigation, toc)

    @property
    def front_matter(self) -> str:
        meta = f"title: {_front_matter_value(self.title)}\n"
        if self.description:
            meta += f"description: {_front_matter_value(self.description)}\n"
        if self.head_meta:
            # Unescaped: overrides/main.html prints them and escapes them. A JSON list is a YAML flow sequence.
            meta += f"head_meta: {json.dumps(self.head_meta, ensure_ascii=False)}\n"
        if self.hide:
            meta += f"hide: {json.dumps(list(self.hide))}\n"
        return f"---\n{meta}---\n"

    @property
    def source(self) -> str:
        """The page as a file: front matter, then the HTML (which Markdown would pass through)."""
        return f"{self.front_matter}\n{self.html}"

    @property
    def headings(self) -> list[Heading]:
        return [Heading(int(level), anchor, _TAG.sub("", text)) for level, anchor, text in _HEADING.findall(self.html)]

    @property
    def toc(self) -> list[dict[str, Any]]:
        """The headings nested (h2 › h3 …), as the table of contents Material shows beside the page."""
        tokens: list[dict[str, Any]] = []
        open_tokens: list[dict[str, Any]] = []
        for heading in self.headings:
            token = {"level": heading.level, "id": heading.id, "name": heading.text, "children": []}
            while open_tokens and open_tokens[-1]["level"] >= heading.level:
                open_tokens.pop()
            (open_tokens[-1]["children"] if open_tokens else tokens).append(token)
            open_tokens.append(token)
        return tokens

    @property
    def anchors(self) -> set[str]:
        """Every id on the page, so that links to its sections can be checked."""
        return set(_ID.findall(self.html))


class Renderer:
    """Renders pages and blocks; ``templates_dir`` may override any packaged template.

    With memos kept from an earlier build (``mkdocs serve``), pages and related-case rankings
    whose inputs are unchanged are not worked out again (see :mod:`casebook.memo`). A page's
    inputs are its template, its path, the values given to the template (see ``fingerprint``)
    and the settings below: templates read nothing else.
    """

    def __init__(self, casebook: Casebook, templates_dir: Path | None = None, edit_base: str | None = None,
                 site_url: str = "", citing: dict[str, list[Citing]] | None = None, directory_urls: bool = True,
                 pages: Memo | None = None, rankings: Memo | None = None, offline_copy_size: int | None = None):
        self.casebook = casebook
        self.offline_copy_size = offline_copy_size  # bytes of the offline copy this build publishes, if any
        self.directory_urls = directory_urls
        self.edit_base = edit_base
        self.site_url = site_url
        self.citing = citing or {}
        self.tree = index.region_tree(casebook)
        self.relations = index.Relations(casebook, rankings)
        self.page_paths: list[str] = []
        self.env = _environment(templates_dir)
        # What templates may use besides the values given to each page. Registry entries are
        # settings of the page memo: a change to sources, practices or metrics renders every page again.
        self.context = {"link": self._link, "address_of": self._address, "metric_link": self._metric_link, "casebook": casebook,
                        "practices_of": self.practices_of, "trust_of": self.trust_of,
                        "problems_with_broader": self.problems_with_broader, "draw_chart": self._chart,
                        "article_data": self._article_data, "dataset_data": self._dataset_data}
        # Overridden templates change under `mkdocs serve` too, so their file times are settings as well.
        templates_version = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(templates_dir.rglob("*"))) if templates_dir else ()
        self.page_memo = pages or Memo()
        self.page_memo.start((tuple(casebook.sources.items()), tuple(casebook.practices.items()), tuple(casebook.problems.items()),
                              tuple(casebook.metrics.items()),
                          edit_base, site_url, directory_urls, templates_version))

    @pass_context
    def _link(self, context: Any, target: str) -> str:
        """The link from the page being rendered to ``target`` (a page or file path)."""
        return relative_url(context["here"], target, self.directory_urls)

    def _address(self, target: str) -> str:
        """The full address of a page or file of the site, as references give it."""
        return self.site_url + page_url(target, self.directory_urls)

    @pass_context
    def _metric_link(self, context: Any, name: str) -> Markup:
        """A metric's name, linked to its page when the catalogue has it."""
        metric = self.casebook.metrics.get(name)
        if metric is None:
            return escape(name)
        return Markup('<a href="{}">{}</a>').format(self._link(context, metric_path(metric.id)), name)

    # schema.org data (JSON-LD) for the case and data pages: built in Python, see casebook.jsonld.
    @pass_context
    def _article_data(self, context: Any, case: Case, places: list[tuple[str, str]]) -> Markup:
        return jsonld.script(jsonld.article(case, self.casebook, places, self._addresses(context["here"])))

    @pass_context
    def _dataset_data(self, context: Any) -> Markup:
        return jsonld.script(jsonld.dataset(self.casebook, self._addresses(context["here"])))

    def _addresses(self, here: str) -> jsonld.Address:
        """URLs for data that leaves the page (JSON-LD): absolute when the site's address is known."""
        if self.site_url:
            return lambda target: self.site_url + page_url(target, self.directory_urls)
        return lambda target: relative_url(here, target, self.directory_urls)

    def _chart(self, entry: statistics.MetricEntry) -> Markup | None:
        chart = charts.metric_chart(entry)
        return Markup(self.render("chart.svg.j2", metric_path(entry.metric.id), chart=chart)) if chart else None

    def practices_of(self, case: Case) -> list[Any]:
        return [self.casebook.practices[name] for name in case.practices]

    def problems_with_broader(self, case: Case) -> list[str]:
        """The case's problems and the broader ones they belong to (a filter on either finds it)."""
        names = [*case.problems, *(self.casebook.problems[name].broader for name in case.problems)]
        return list(dict.fromkeys(name for name in names if name))

    @cached_property
    def metric_entries(self) -> list[statistics.MetricEntry]:
        return statistics.by_metric(self.casebook)

    @cached_property
    def disputed_figures(self) -> frozenset[tuple[str, str, str]]:
        return frozenset((entry.metric.name, place, as_of) for entry in self.metric_entries for place, as_of in entry.conflicts)

    def trust_of(self, case: Case) -> Trust:
        return trust(case, self.casebook)

    def region_page(self, path: tuple[str, ...]) -> str:
        return index.region_of(self.tree, path).page

    def render(self, template: str, here: str, **context: Any) -> str:
        return self.env.get_template(template).render(here=here, **self.context, **context)

    def pages(self, processes: int = 1) -> list[Page]:
        """Every page the casebook adds to the site, in a stable order; rendered in up to
        ``processes`` processes (forked, where the system has fork)."""
        book = self.casebook
        practices, levels, years = self.practice_entries, self.levels, self.years
        data_by_place = statistics.by_place(book)
        jobs: list[Callable[[], Page]] = [partial(self.case_page, case) for case in book.cases]
        jobs.append(partial(self._page, CASES_INDEX, "cases_index", levels=levels, years=years))
        jobs.append(partial(self._page, BROWSE, "browse", cases=sorted(book.cases, key=index.case_order),
                            regions=index.region_nodes(self.tree), practices=practices, problems=self.problem_entries,
                            levels=levels, years=years))
        jobs.append(partial(self._page, PROBLEMS_INDEX, "problems_index", entries=self.problem_entries))
        jobs.append(partial(self._page, COMPARE, "compare", cases=sorted(book.cases, key=index.case_order),
                            renamed=dict(sorted(book.redirects.items())), columns=COMPARE_COLUMNS, qr_script=QR_SCRIPT, browse=BROWSE,
                            address=self.site_url + page_url(COMPARE, self.directory_urls)))
        jobs += [partial(self._page, problem_path(e.problem.id), "problem", entry=e) for e in self.problem_entries]
        jobs.append(partial(self._page, EDITORIAL, "editorial", codebook=schema.codebook("case")))
        jobs.append(partial(self._page, PRACTICES_INDEX, "practices_index", entries=practices))
        jobs += [partial(self._page, practice_path(e.practice.id), "practice", entry=e) for e in practices]
        jobs += [partial(self._page, node.page, "region", node=node, data=data_by_place.get(node.name, []))
                 for node in index.region_nodes(self.tree)]
        jobs.append(partial(self._page, LEVELS_INDEX, "levels_index", levels=levels))
        jobs += [partial(self._page, level_path(level), "level", level=level, cases=cases) for level, cases in levels]
        jobs.append(partial(self._page, YEARS_INDEX, "years_index", years=years))
        jobs += [partial(self._page, year_path(year), "year", year=year, cases=cases) for year, cases in years]
        if book.metrics:
            jobs += self._statistics_jobs(data_by_place)
        pages = _render(jobs, processes)
        self.page_paths = [page.path for page in pages]
        return pages

    def _statistics_jobs(self, data_by_place: dict[str, list[statistics.DataPoint]]) -> list[Callable[[], Page]]:
        entries = self.metric_entries
        provinces = {case.region.province for case in self.casebook.cases}
        # The province first, then places by how many figures they have.
        places = sorted(data_by_place.items(), key=lambda item: (item[0] not in provinces, -len(item[1]), item[0]))
        jobs: list[Callable[[], Page]] = [partial(self._page, METRICS_INDEX, "metrics_index", entries=entries),
                partial(self._page, DATA_OVERVIEW, "data_overview", places=places, metrics=self.casebook.metrics,
                        metric_count=len(entries))]
        for entry in entries:
            summary = f"{entry.metric.name}，{len(entry.points)} 个数据点，涉及{'、'.join(entry.places)}"
            jobs.append(partial(self._page, metric_path(entry.metric.id), "metric", entry=entry, chart_summary=summary,
                                metric_csv=metric_csv(entry.metric.id)))
        return jobs

    def _page(self, path: str, name: str, origin: str | None = None, head_meta: tuple[tuple[str, str], ...] = (),
              **context: Any) -> Page:
        """``templates/pages/NAME.html.j2`` for ``path``; the template sets the page's ``title`` (and ``description``)."""
        def render() -> Page:
            module = self.env.get_template(f"pages/{name}.html.j2").make_module({"here": path, **self.context, **context})
            return Page(path, str(getattr(module, "title")), str(module), getattr(module, "description", None), origin, head_meta,
                        tuple(getattr(module, "hide", ())))
        return self.page_memo.get((name, path, origin, head_meta, fingerprint(context)), render)

    def case_page(self, case: Case) -> Page:
        reference = citation_data.case_reference(case, self.site_url, self.directory_urls)
        return self._page(case_path(case.id), "case", origin=case.file, head_meta=citation_data.meta_tags(reference),
                          case=case, edit_url=f"{self.edit_base}{case.file}" if self.edit_base else None,
                          address=self.case_address(case), places=self.places_of(case),
                          related=self.relations.related(case), citing=self.citing.get(case.id, []),
                          # Which of its figures another source gives differently: a value of the page, so a
                          # change to another record's figure renders this page again under serve.
                          disputed=[(s.metric, statistics.place_of(case, s), s.as_of) in self.disputed_figures
                                    for s in case.statistics])

    def redirect(self, old_id: str, new_id: str) -> str:
        """An HTML page at a retired case address that sends readers (and anchors) to the current one."""
        for case_id in (old_id, new_id):
            if not re.fullmatch(r"[a-z0-9-]+", case_id):  # ids are slugs; checked again because they go into script
                raise ValueError(f"unsafe case id {case_id!r}")
        return self.render("redirect.html.j2", case_redirect_path(old_id, self.directory_urls), old_id=old_id,
                           new_id=new_id, target=relative_url(case_path(old_id), case_path(new_id), self.directory_urls))

    def case_address(self, case: Case) -> str:
        """The case page's published address (printed, and in its QR code)."""
        return self.site_url + page_url(case_path(case.id), self.directory_urls)

    def places_of(self, case: Case) -> list[tuple[str, str]]:
        """The case's place from the province down, each with the path of its page."""
        path = case.region.path
        return [(name, self.region_page(path[:depth])) for depth, name in enumerate(path, 1)]

    def compare_column(self, case: Case) -> str:
        """The case's column on the comparison page, as HTML whose links start from that page."""
        context = {"case": case, "address": self.case_address(case), "places": self.places_of(case)}
        return self.page_memo.get(("compare_column", fingerprint(context)),
                                  lambda: self.render("compare_column.html.j2", COMPARE, **context))

    def compare_link(self, cases: list[Case], here: str) -> str:
        """A Markdown link from a hand-written page to the comparison of ``cases`` (``[[compare:ID,ID]]``)."""
        target = posixpath.relpath(COMPARE, posixpath.dirname(here) or ".")
        titles = [escape_markdown(case.title) for case in cases]
        return f"[并排对比{'、'.join(titles[:-1])}与{titles[-1]}]({target}?c={','.join(case.id for case in cases)})"

    def card(self, case: Case, here: str) -> str:
        """A case as a card for hand-written pages (``[[card:ID]]``)."""
        return self.render("card.html.j2", here, case=case)

    def case_link(self, case: Case, here: str) -> str:
        """A Markdown link to a case for hand-written pages (``[[case:ID]]``); MkDocs checks it."""
        target = posixpath.relpath(case_path(case.id), posixpath.dirname(here) or ".")
        return f"[{escape_markdown(case.title)}]({target})"

    # Taxonomies are computed once per build: every page and block of the build shares them.
    @cached_property
    def practice_entries(self) -> list[index.PracticeEntry]:
        return index.by_practice(self.casebook)

    @cached_property
    def problem_entries(self) -> list[index.ProblemEntry]:
        return index.by_problem(self.casebook)

    @cached_property
    def levels(self) -> list[tuple[str, tuple[Case, ...]]]:
        return index.by_level(self.casebook)

    @cached_property
    def years(self) -> list[tuple[int, tuple[Case, ...]]]:
        return index.by_year(self.casebook)

    @property
    def block_names(self) -> list[str]:
        """Blocks hand-written pages can use, ``[[casebook:NAME]]`` (templates/blocks/NAME.html.j2)."""
        return sorted(t.removeprefix("blocks/").removesuffix(".html.j2") for t in self.env.list_templates()
                      if t.startswith("blocks/"))

    def block(self, name: str, here: str) -> str:
        """A block for hand-written pages; KeyError when there is none of that name."""
        try:
            template = self.env.get_template(f"blocks/{name}.html.j2")
        except TemplateNotFound:
            raise KeyError(name) from None
        return template.render(here=here, **self.context, entries=self.practice_entries, problems=self.problem_entries, tree=self.tree,
                               newest=index.newest(self.casebook, NEWEST_COUNT), levels=self.levels,
                               offline_copy_size=self.offline_copy_size, site_url=self.site_url)


PARALLEL_FROM = 300  # fewer pages than this render faster than worker processes start
_forked_jobs: list[Callable[[], Page]] = []  # the jobs forked workers take their share of


def _render(jobs: list[Callable[[], Page]], processes: int) -> list[Page]:
    """Run the page jobs here, sharing them with forked workers when there are enough."""
    pool = forked_pool(processes - 1) if len(jobs) >= PARALLEL_FROM else None
    if pool is None:
        return [job() for job in jobs]
    global _forked_jobs
    _forked_jobs = jobs
    try:
        with pool:
            # Every n-th job to each process, so that the long listings do not all fall to one.
            later = [pool.submit(_render_share, share, processes) for share in range(1, processes)]
            pages: list[Page | None] = [None] * len(jobs)
            pages[::processes] = [job() for job in jobs[::processes]]
            for share, future in enumerate(later, 1):
                pages[share::processes] = future.result()
    finally:
        _forked_jobs = []
    return [page for page in pages if page is not None]


def _render_share(share: int, step: int) -> list[Page]:
    return [job() for job in _forked_jobs[share::step]]


def fingerprint(value: Any) -> Hashable:
    """A hashable value equal for equal inputs. Records and registry entries are frozen dataclasses
    and are their own fingerprint; a type not known here is an error, never a guess."""
    if value is None or isinstance(value, (str, int, float, bool, Decimal)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, fingerprint(item)) for key, item in value.items())
    if isinstance(value, index.RegionNode):
        # A place page shows its ancestors, every place below it and their cases.
        return (value.page, tuple((a.name, a.page) for a in value.ancestors()), _subtree(value))
    # A frozen dataclass hashes by its fields (the params attribute is what dataclasses itself reads).
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and getattr(type(value), "__dataclass_params__").frozen:
        return cast(Hashable, value)
    raise TypeError(f"no fingerprint for {type(value).__name__}")


def _subtree(node: index.RegionNode) -> Hashable:
    return (node.name, node.level, node.slug, tuple(node.cases), tuple(_subtree(child) for child in node.children.values()))


def standalone(templates_dir: Path | None, name: str, **values: Any) -> str:
    """A template that is no page of the site (the offline copy's start page)."""
    return _environment(templates_dir).get_template(name).render(**values)


@lru_cache(maxsize=8)
def _environment(templates_dir: Path | None) -> Environment:
    """One Jinja environment per template folder, so templates are compiled once per process
    (not once per `mkdocs serve` rebuild); Jinja reloads a template whose file changed."""
    loaders: list[Any] = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders.append(PackageLoader("casebook", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(paragraphs=_paragraphs)
    env.globals.update(
        url=_url, citation=citation.reference, source_date=citation.source_date, outlet_left_out=citation.outlet_left_out,
        page_citation=citation.casebook_page, dataset_citation=citation.casebook_dataset, citation_edition=citation.EDITION,
        case_references=case_references, casebook_references=CASEBOOK_REFERENCES, qr_code=_qr_svg,
        region_level_names=REGION_LEVEL_NAMES, case_path=case_path, practice_path=practice_path, problem_path=problem_path,
        level_path=level_path, trust_rules=trust_rules(), editorial_path=EDITORIAL, offline_copy_path=OFFLINE_COPY, map_tiles=tilemap.tiles,
        map_size=tilemap.size, map_layouts=tilemap.LAYOUTS,
        year_path=year_path, metric_path=metric_path, max_labelled_points=charts.MAX_LABELLED_POINTS,
        compare_page=COMPARE, max_compared=MAX_COMPARED,
        practices_index_path=paths.PRACTICES_INDEX, regions_index_path=paths.REGIONS_INDEX,
        levels_index_path=paths.LEVELS_INDEX, years_index_path=paths.YEARS_INDEX, metrics_index_path=paths.METRICS_INDEX,
        data_overview_path=paths.DATA_OVERVIEW, statistics_csv_path=paths.STATISTICS_CSV,
        statistics_json_path=paths.STATISTICS_JSON, cases_json_path=paths.CASES_JSON, datapackage_path=paths.DATAPACKAGE,
    )
    return env


def _front_matter_value(text: str) -> str:
    """A front-matter value. MkDocs' theme templates print titles and descriptions without escaping
    (into <title>, the header and <meta content="…">), so the value is HTML-escaped here; a JSON
    string is a valid double-quoted YAML scalar, so the front matter cannot be broken out of either."""
    return json.dumps(html.escape(" ".join(text.split()), quote=True), ensure_ascii=False)


def _paragraphs(text: str) -> Markup:
    """Blank-line separated text as HTML paragraphs (escaped; line breaks inside a paragraph fold)."""
    parts = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(part) for part in parts)


def _qr_svg(address: str) -> Markup:
    # Built here, from our own URL: no script, no request, prints sharply.
    # A fixed mask is as valid as the best one and four times faster to encode (1 ms, not 4);
    # a URL never fits a micro QR code, so segno need not try.
    svg = segno.make(address, error="m", mask=0, micro=False).svg_inline(scale=3, title="本页二维码", omitsize=False)
    return Markup(svg)


def _url(address: str) -> str:
    # The schema allows only http(s) URLs without spaces, quotes or brackets; checked again here.
    if not re.fullmatch(r"https?://[^\s<>\"'()\[\]{}`\\]+", address):
        raise ValueError(f"unsafe url {address!r}")
    return address
