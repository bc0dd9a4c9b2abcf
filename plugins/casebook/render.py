"""Render the casebook's pages as Markdown, from the Jinja templates in ``templates/``.

Text from YAML is never trusted: every ``{{ value }}`` a template prints is escaped for
HTML and for Markdown unless the code marked it safe (links and anchors we build from
validated ids). An editor's record cannot add markup, links or script to the site.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import segno
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup

from . import charts, citation, index, statistics
from .model import REGION_LEVEL_NAMES, Case, Casebook
from .paths import (BROWSE, CASES_INDEX, DATA_OVERVIEW, LEVELS_INDEX, METRICS_INDEX, PRACTICES_INDEX, YEARS_INDEX, case_path, case_redirect_path, level_path, metric_csv, metric_path, page_url,
                    practice_path, relative_url, year_path)

NEWEST_COUNT = 8  # cases listed under 最新案例 on the home page

# Python-Markdown's backslash escapes, plus '|' from the tables extension. '<', '>' and '&'
# become HTML entities first, so raw HTML and autolinks cannot start.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


@dataclass(frozen=True)
class Citing:
    """A hand-written page that refers to a case (a lesson), for the case's backlinks."""

    path: str
    title: str


def escape_markdown(text: str) -> str:
    """Make ``text`` show literally in Markdown: no markup, links, HTML or entities."""
    one_line = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=True))


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes in the site, its Markdown, the record it comes from."""

    path: str
    markdown: str
    origin: str | None = None


class Renderer:
    """Renders pages and blocks; ``templates_dir`` may override any packaged template."""

    def __init__(self, casebook: Casebook, templates_dir: Path | None = None, edit_base: str | None = None,
                 site_url: str = "", citing: dict[str, list[Citing]] | None = None, directory_urls: bool = True):
        self.casebook = casebook
        self.directory_urls = directory_urls
        self.edit_base = edit_base
        self.site_url = site_url
        self.citing = citing or {}
        self.tree = index.region_tree(casebook)
        self.relations = index.Relations(casebook)
        self.page_paths: list[str] = []
        loaders: list[Any] = [FileSystemLoader(str(templates_dir))] if templates_dir else []
        loaders.append(PackageLoader("casebook", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders), finalize=_finalize, undefined=StrictUndefined,
            # Markdown uses {#anchor} for heading ids; Jinja comments get a form Markdown never uses.
            comment_start_string="{##", comment_end_string="##}",
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
        )
        self.env.filters.update(paragraphs=_paragraphs, yaml=_yaml_string, indent4=_indent4, html=_html)
        self.env.globals.update(
            href=_href, link=self._link, anchor=_anchor, url=_url, citation=citation.newspaper, source_date=citation.source_date,
            casebook=casebook, region_level_names=REGION_LEVEL_NAMES, practices_of=self.practices_of,
            case_path=case_path, practice_path=practice_path, level_path=level_path, year_path=year_path,
            metric_path=metric_path, region_page=self.region_page,
        )

    @pass_context
    def _link(self, context: Any, target: str) -> Markup:
        """A link for raw HTML, where MkDocs does not rewrite .md links."""
        return Markup(html.escape(relative_url(context["here"], target, self.directory_urls), quote=True))

    def practices_of(self, case: Case) -> list[Any]:
        return [self.casebook.practices[name] for name in case.practices]

    def region_page(self, path: tuple[str, ...]) -> str:
        return index.region_of(self.tree, path).page

    def render(self, template: str, here: str, **context: Any) -> str:
        return self.env.get_template(template).render(here=here, **context)

    def pages(self) -> list[Page]:
        """Every page the casebook adds to the site, in a stable order."""
        book = self.casebook
        practices, levels, years = self.practice_entries, self.levels, self.years
        pages = [Page(case_path(case.id), self.case_page(case), case.file) for case in book.cases]
        pages.append(self._page(CASES_INDEX, "cases_index.md.j2", levels=levels, years=years))
        pages.append(self._page(BROWSE, "browse.md.j2", cases=sorted(book.cases, key=index.case_order),
                                regions=index.region_nodes(self.tree), practices=practices, levels=levels, years=years))
        pages.append(self._page(PRACTICES_INDEX, "practices_index.md.j2", entries=practices))
        pages += [self._page(practice_path(e.practice.id), "practice.md.j2", entry=e) for e in practices]
        data_by_place = statistics.by_place(book)
        pages += [self._page(node.page, "region.md.j2", node=node, data=data_by_place.get(node.name, []))
                  for node in index.region_nodes(self.tree)]
        pages.append(self._page(LEVELS_INDEX, "levels_index.md.j2", levels=levels))
        pages += [self._page(level_path(level), "level.md.j2", level=level, cases=cases) for level, cases in levels]
        pages.append(self._page(YEARS_INDEX, "years_index.md.j2", years=years))
        pages += [self._page(year_path(year), "year.md.j2", year=year, cases=cases) for year, cases in years]
        if book.metrics:
            pages += self._statistics_pages(data_by_place)
        self.page_paths = [page.path for page in pages]
        return pages

    def _statistics_pages(self, data_by_place: dict[str, list[statistics.DataPoint]]) -> list[Page]:
        entries = statistics.by_metric(self.casebook)
        provinces = {case.region.province for case in self.casebook.cases}
        # The province first, then places by how many figures they have.
        places = sorted(data_by_place.items(), key=lambda item: (item[0] not in provinces, -len(item[1]), item[0]))
        pages = [self._page(METRICS_INDEX, "metrics_index.md.j2", entries=entries),
                 self._page(DATA_OVERVIEW, "data_overview.md.j2", places=places, metrics=self.casebook.metrics,
                            metric_count=len(entries))]
        drawn = charts.metric_charts(entries)
        for entry in entries:
            summary = f"{entry.metric.name}，{len(entry.points)} 个数据点，涉及{'、'.join(entry.places)}"
            chart = drawn.get(entry.metric.id)
            pages.append(self._page(metric_path(entry.metric.id), "metric.md.j2", entry=entry,
                                    chart=Markup(chart) if chart else None, chart_summary=summary,
                                    metric_csv=metric_csv(entry.metric.id)))
        return pages

    def _page(self, path: str, template: str, **context: Any) -> Page:
        return Page(path, self.render(template, path, **context))

    def case_page(self, case: Case) -> str:
        edit_url = f"{self.edit_base}{case.file}" if self.edit_base else None
        address = self.site_url + page_url(case_path(case.id), self.directory_urls)
        return self.render(
            "case.md.j2", case_path(case.id), case=case, edit_url=edit_url, address=address,
            related=self.relations.related(case), citing=self.citing.get(case.id, []),
            qr_code=_qr_svg(address), web_citation=citation.web(case.title, address),
        )

    def redirect(self, old_id: str, new_id: str) -> str:
        """An HTML page at a retired case address that sends readers (and anchors) to the current one."""
        for case_id in (old_id, new_id):
            _anchor(case_id)  # ids are slugs; checked again because they go into HTML and script
        return self.render("redirect.html.j2", case_redirect_path(old_id), old_id=Markup(old_id),
                           new_id=Markup(new_id), target=Markup(f"../{new_id}/"))

    def card(self, case: Case, here: str) -> str:
        """A case as a card for hand-written pages (``[[card:ID]]``)."""
        return self.render("card.md.j2", here, case=case)

    # Taxonomies are computed once per build: every page and block of the build shares them.
    @cached_property
    def practice_entries(self) -> list[index.PracticeEntry]:
        return index.by_practice(self.casebook)

    @cached_property
    def levels(self) -> list[tuple[str, tuple[Case, ...]]]:
        return index.by_level(self.casebook)

    @cached_property
    def years(self) -> list[tuple[int, tuple[Case, ...]]]:
        return index.by_year(self.casebook)

    @cached_property
    def block_names(self) -> list[str]:
        """Blocks hand-written pages can use, ``[[casebook:NAME]]`` (templates/blocks/NAME.md.j2)."""
        return sorted(t.removeprefix("blocks/").removesuffix(".md.j2") for t in self.env.list_templates()
                      if t.startswith("blocks/"))

    def block(self, name: str, here: str) -> str:
        """A block for hand-written pages; KeyError when there is none of that name."""
        if name not in self.block_names:
            raise KeyError(name)
        return self.render(f"blocks/{name}.md.j2", here, entries=self.practice_entries, tree=self.tree,
                           newest=index.newest(self.casebook, NEWEST_COUNT), levels=self.levels)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return Markup(escape_markdown(str(value)))


def _html(text: str) -> Markup:
    """For text inside raw HTML blocks, where Markdown escapes would show: HTML escaping only."""
    return Markup(html.escape(str(text), quote=True))


def _paragraphs(text: str) -> Markup:
    parts = [escape_markdown(part) for part in re.split(r"\n\s*\n", text) if part.strip()]
    return Markup("\n\n".join(parts))


def _indent4(text: str) -> Markup:
    return Markup("\n".join(("    " + line) if line else line for line in str(text).split("\n")))


def _yaml_string(text: str) -> Markup:
    """A front-matter value. MkDocs' theme templates print titles and descriptions without escaping
    (into <title>, the header and <meta content="…">), so the value is HTML-escaped here; a JSON
    string is a valid double-quoted YAML scalar, so the front matter cannot be broken out of either."""
    return Markup(json.dumps(html.escape(" ".join(text.split()), quote=True), ensure_ascii=False))


@pass_context
def _href(context: Any, target: str) -> Markup:
    """A link from the page being rendered to ``target`` (a page path), relative so MkDocs checks it."""
    here = posixpath.dirname(context["here"])
    return Markup(posixpath.relpath(target, here or "."))


def _anchor(anchor_id: str) -> Markup:
    if not re.fullmatch(r"[a-z0-9-]+", anchor_id):
        raise ValueError(f"unsafe anchor id {anchor_id!r}")
    return Markup(f'<span id="{anchor_id}"></span>')


def _qr_svg(address: str) -> Markup:
    # Built here, from our own URL: no script, no request, prints sharply.
    # A fixed mask is as valid as the best one and four times faster to encode (1 ms, not 4).
    svg = segno.make(address, error="m", mask=0).svg_inline(scale=3, title="本页二维码", omitsize=False)
    return Markup(svg)


def _url(address: str) -> Markup:
    # The schema allows only http(s) URLs without spaces, quotes or brackets; checked again here.
    if not re.fullmatch(r"https?://[^\s<>\"'()\[\]{}`\\]+", address):
        raise ValueError(f"unsafe url {address!r}")
    return Markup(address)
