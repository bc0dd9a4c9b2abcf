"""Render the casebook's pages as HTML, from the Jinja templates in ``templates/``.

Pages are written as HTML rather than Markdown: Python-Markdown would spend most of a large
build re-parsing tables and links we generate ourselves. Text from YAML is never trusted:
templates autoescape, and only what the code builds from validated ids (links, anchors, the
QR code, charts) is marked safe. An editor's record cannot add markup, links or script.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from decimal import Decimal
from typing import Any, Callable, Hashable, cast

import segno
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateNotFound, pass_context
from markupsafe import Markup, escape

from . import charts, citation, figures, jsonld, paths, schema, taxonomy, tilemap
from .model import REGION_LEVEL_NAMES, Case, Casebook
from .plan import Indexes, PlannedPage, Site
from .memo import Memo
from .processes import forked_pool
from .trust import Trust, trust
from .trust import rules as trust_rules
from .paths import (CASEBOOK_REFERENCES, COMPARE, EDITORIAL, OFFLINE_COPY, case_path,
                    case_redirect_path, case_references, level_path, metric_path, practice_path,
                    problem_path, relative_url, year_path)

NEWEST_COUNT = 8  # cases listed under 最新案例 on the home page
MAX_COMPARED = 4  # cases side by side on the comparison page: four columns still fit a wide screen

# Python-Markdown's backslash escapes, plus '|' from the tables extension. '<', '>' and '&'
# become HTML entities first, so raw HTML and autolinks cannot start.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
# Headings as the ``heading`` macro (templates/macros.html.j2) writes them, for the table of contents.
# An h1 with an id (a case's title) heads the table of contents: Material's skip link goes to its first entry.
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)(?:<a class="headerlink"|</h1>)')
_ANCHOR = re.compile(r'\sid="([^"]+)"')
_ID = re.compile(schema.id_pattern())
_TAG = re.compile(r"<[^>]+>")


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
    def meta(self) -> dict[str, Any]:
        """What the page tells the theme (MkDocs' ``page.meta``), as its front matter says it."""
        meta: dict[str, Any] = {"title": _theme_text(self.title)}
        if self.description:
            meta["description"] = _theme_text(self.description)
        if self.head_meta:  # unescaped: overrides/main.html prints them and escapes them
            meta["head_meta"] = [list(pair) for pair in self.head_meta]
        if self.hide:
            meta["hide"] = list(self.hide)
        return meta

    @property
    def front_matter(self) -> str:
        # A JSON value is a valid YAML flow value: the front matter cannot be broken out of.
        lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in self.meta.items())
        return f"---\n{lines}---\n"

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
        return set(_ANCHOR.findall(self.html))


class Renderer:
    """Renders planned pages (:mod:`casebook.plan`) and the blocks of hand-written pages;
    ``templates_dir`` may override any packaged template.

    With the ``pages`` memo of an earlier build (``mkdocs serve``), pages whose inputs are unchanged
    are not rendered again (see :mod:`casebook.memo`). A page's inputs are its template, its path,
    the values given to the template (see ``fingerprint``) and the site's settings: templates read nothing else.
    """

    def __init__(self, casebook: Casebook, site: Site | None = None, templates_dir: Path | None = None,
                 indexes: Indexes | None = None, pages: Memo | None = None, offline_copy_size: int | None = None):
        self.casebook = casebook
        self.site = site or Site()
        self.indexes = indexes or Indexes(casebook)
        self.offline_copy_size = offline_copy_size  # bytes of the offline copy this build publishes, if any
        self.env = _environment(templates_dir)
        # What templates may use besides the values given to each page. Registry entries are
        # settings of the page memo: a change to sources, practices or metrics renders every page again.
        self.context = {"link": self._link, "address_of": self.site.address, "metric_link": self._metric_link,
                        "casebook": casebook, "practices_of": self.practices_of, "trust_of": self.trust_of,
                        "problems_with_broader": self.problems_with_broader, "draw_chart": self._chart,
                        "article_data": self._article_data, "dataset_data": self._dataset_data}
        # Overridden templates change under `mkdocs serve` too, so they are settings as well: by content, which a
        # fresh checkout (a pull request's CI, with the last build's cache) leaves as it was.
        templates = sorted(path for path in templates_dir.rglob("*") if path.is_file()) if templates_dir else []
        templates_version = tuple((str(path), hashlib.sha256(path.read_bytes()).hexdigest()) for path in templates)
        self.page_memo = pages or Memo()
        registries = tuple(tuple(entries.items()) for entries in
                           (casebook.sources, casebook.practices, casebook.problems, casebook.metrics))
        self.page_memo.start((registries, self.site.edit_base, self.site.url, self.site.directory_urls, templates_version))

    @pass_context
    def _link(self, context: Any, target: str) -> str:
        """The link from the page being rendered to ``target`` (a page or file path)."""
        return relative_url(context["here"], target, self.site.directory_urls)

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
        if self.site.url:
            return self.site.address
        return lambda target: relative_url(here, target, self.site.directory_urls)

    def _chart(self, entry: figures.MetricEntry) -> Markup | None:
        chart = charts.metric_chart(entry)
        return Markup(self.render("chart.svg.j2", metric_path(entry.metric.id), chart=chart)) if chart else None

    def practices_of(self, case: Case) -> list[Any]:
        return [self.casebook.practices[name] for name in case.practices]

    def problems_with_broader(self, case: Case) -> list[str]:
        """The case's problems and the broader ones they belong to (a filter on either finds it)."""
        names = [*case.problems, *(self.casebook.problems[name].broader for name in case.problems)]
        return list(dict.fromkeys(name for name in names if name))

    def trust_of(self, case: Case) -> Trust:
        return trust(case, self.casebook)

    def render(self, template: str, here: str, **context: Any) -> str:
        return self.env.get_template(template).render(here=here, **self.context, **context)

    def pages(self, planned: list[PlannedPage], processes: int = 1) -> list[Page]:
        """The planned pages rendered, in their order, in up to ``processes`` processes (forked, where the system has
        fork). Pages an earlier build rendered from the same inputs are taken from it, and only the others rendered."""
        keys = [_page_key(page) for page in planned]
        unknown = [number for number, key in enumerate(keys) if not self.page_memo.known(key)]
        rendered = dict(zip(unknown, _render([partial(self.page, planned[number]) for number in unknown], processes)))
        return [self.page_memo.get(key, partial(rendered.__getitem__, number)) for number, key in enumerate(keys)]

    def page(self, planned: PlannedPage) -> Page:
        """A planned page rendered; the template sets the page's ``title`` (and ``description``, ``hide``)."""
        values = {"here": planned.path, **self.context, **planned.values}
        module = self.env.get_template(f"pages/{planned.template}.html.j2").make_module(values)
        return Page(planned.path, str(getattr(module, "title")), str(module), getattr(module, "description", None),
                    planned.origin, planned.head_meta, tuple(getattr(module, "hide", ())))

    def redirect(self, old_id: str, new_id: str) -> str:
        """An HTML page at a retired case address that sends readers (and anchors) to the current one."""
        for case_id in (old_id, new_id):
            if not _ID.match(case_id):  # checked again because they go into script
                raise ValueError(f"unsafe case id {case_id!r}")
        directory_urls = self.site.directory_urls
        return self.render("redirect.html.j2", case_redirect_path(old_id, directory_urls), old_id=old_id,
                           new_id=new_id, target=relative_url(case_path(old_id), case_path(new_id), directory_urls))

    def compare_column(self, case: Case) -> str:
        """The case's column on the comparison page, as HTML whose links start from that page."""
        context = {"case": case, "address": self.site.address(case_path(case.id)), "places": self.indexes.places_of(case)}
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
        indexes = self.indexes
        return template.render(here=here, **self.context, entries=indexes.practices, problems=indexes.problems, tree=indexes.tree,
                               newest=taxonomy.newest(self.casebook, NEWEST_COUNT), levels=indexes.levels,
                               offline_copy_size=self.offline_copy_size, site_url=self.site.url)


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


def _page_key(planned: PlannedPage) -> Hashable:
    """What a page is rendered from: the same key, the same page (the site's settings are the memo's)."""
    return (planned.template, planned.path, planned.origin, planned.head_meta, fingerprint(planned.values))


def fingerprint(value: Any) -> Hashable:
    """A hashable value equal for equal inputs. Records and registry entries are frozen dataclasses
    and are their own fingerprint; a type not known here is an error, never a guess."""
    if value is None or isinstance(value, (str, int, float, bool, Decimal)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, fingerprint(item)) for key, item in value.items())
    if isinstance(value, taxonomy.RegionNode):
        # A place page shows its ancestors, every place below it and their cases.
        return (value.page, tuple((a.name, a.page) for a in value.ancestors()), _subtree(value))
    # A frozen dataclass hashes by its fields (the params attribute is what dataclasses itself reads).
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and getattr(type(value), "__dataclass_params__").frozen:
        return cast(Hashable, value)
    raise TypeError(f"no fingerprint for {type(value).__name__}")


def _subtree(node: taxonomy.RegionNode) -> Hashable:
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
        level_path=level_path, trust_rules=trust_rules(), editorial_path=EDITORIAL, offline_copy_path=OFFLINE_COPY,
        map_tiles=tilemap.tiles,
        map_size=tilemap.size, map_layouts=tilemap.LAYOUTS,
        year_path=year_path, metric_path=metric_path, max_labelled_points=charts.MAX_LABELLED_POINTS,
        compare_page=COMPARE, max_compared=MAX_COMPARED,
        practices_index_path=paths.PRACTICES_INDEX, regions_index_path=paths.REGIONS_INDEX,
        levels_index_path=paths.LEVELS_INDEX, years_index_path=paths.YEARS_INDEX, metrics_index_path=paths.METRICS_INDEX,
        data_overview_path=paths.DATA_OVERVIEW, statistics_csv_path=paths.STATISTICS_CSV,
        statistics_json_path=paths.STATISTICS_JSON, cases_json_path=paths.CASES_JSON, datapackage_path=paths.DATAPACKAGE,
    )
    return env


def _theme_text(text: str) -> str:
    """A title or description for the theme. MkDocs' theme templates print them without escaping (into
    <title>, the header and <meta content="…">), so they are HTML-escaped here."""
    return html.escape(" ".join(text.split()), quote=True)


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
