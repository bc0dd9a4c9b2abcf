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
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup

from . import citation, index
from .model import REGION_LEVEL_NAMES, Case, Casebook

CASES_INDEX = "cases/index.md"
PRACTICES_INDEX = "practices/index.md"
REGIONS_INDEX = "regions/index.md"
NEWEST_COUNT = 8

# Python-Markdown's backslash escapes, plus '|' from the tables extension. '<', '>' and '&'
# become HTML entities first, so raw HTML and autolinks cannot start.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def case_path(case_id: str) -> str:
    return f"cases/{case_id}.md"


def practice_path(practice_id: str) -> str:
    return f"practices/{practice_id}.md"


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

    def __init__(self, casebook: Casebook, templates_dir: Path | None = None, edit_base: str | None = None):
        self.casebook = casebook
        self.edit_base = edit_base
        loaders: list[Any] = [FileSystemLoader(str(templates_dir))] if templates_dir else []
        loaders.append(PackageLoader("casebook", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders), finalize=_finalize, undefined=StrictUndefined,
            # Markdown uses {#anchor} for heading ids; Jinja comments get a form Markdown never uses.
            comment_start_string="{##", comment_end_string="##}",
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
        )
        self.env.filters.update(paragraphs=_paragraphs, yaml=_yaml_string, indent4=_indent4)
        self.env.globals.update(
            href=_href, anchor=_anchor, url=_url, citation=citation.newspaper, source_date=citation.source_date,
            casebook=casebook, region_level_names=REGION_LEVEL_NAMES, practices_of=self.practices_of,
            case_path=case_path, practice_path=practice_path,
        )

    def practices_of(self, case: Case) -> list[Any]:
        return [self.casebook.practices[name] for name in case.practices]

    def render(self, template: str, here: str, **context: Any) -> str:
        return self.env.get_template(template).render(here=here, **context)

    def pages(self) -> list[Page]:
        """Every page the casebook adds to the site, in a stable order."""
        book = self.casebook
        practices = index.by_practice(book)
        pages = [Page(case_path(case.id), self.case_page(case), case.file) for case in book.cases]
        pages.append(Page(CASES_INDEX, self.render("cases_index.md.j2", CASES_INDEX, levels=index.by_level(book),
                                                   years=index.by_year(book))))
        pages.append(Page(PRACTICES_INDEX, self.render("practices_index.md.j2", PRACTICES_INDEX, entries=practices)))
        pages.extend(
            Page(practice_path(entry.practice.id), self.render("practice.md.j2", practice_path(entry.practice.id), entry=entry))
            for entry in practices
        )
        pages.append(Page(REGIONS_INDEX, self.render("regions_index.md.j2", REGIONS_INDEX, tree=index.region_tree(book))))
        return pages

    def case_page(self, case: Case) -> str:
        edit_url = f"{self.edit_base}{case.file}" if self.edit_base else None
        return self.render("case.md.j2", case_path(case.id), case=case, edit_url=edit_url)

    def block(self, name: str, here: str) -> str:
        """A block for hand-written pages (``[[casebook:NAME]]``); KeyError when there is none."""
        template = f"blocks/{name}.md.j2"
        if template not in self.env.list_templates():
            raise KeyError(name)
        book = self.casebook
        return self.render(template, here, entries=index.by_practice(book), tree=index.region_tree(book),
                           newest=index.newest(book, NEWEST_COUNT), levels=index.by_level(book))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return Markup(escape_markdown(str(value)))


def _paragraphs(text: str) -> Markup:
    parts = [escape_markdown(part) for part in re.split(r"\n\s*\n", text) if part.strip()]
    return Markup("\n\n".join(parts))


def _indent4(text: str) -> Markup:
    return Markup("\n".join(("    " + line) if line else line for line in str(text).split("\n")))


def _yaml_string(text: str) -> Markup:
    # A JSON string is a valid double-quoted YAML scalar; front matter cannot be broken out of.
    return Markup(json.dumps(" ".join(text.split()), ensure_ascii=False))


@pass_context
def _href(context: Any, target: str) -> Markup:
    """A link from the page being rendered to ``target`` (a page path), relative so MkDocs checks it."""
    here = posixpath.dirname(context["here"])
    return Markup(posixpath.relpath(target, here or "."))


def _anchor(anchor_id: str) -> Markup:
    if not re.fullmatch(r"[a-z0-9-]+", anchor_id):
        raise ValueError(f"unsafe anchor id {anchor_id!r}")
    return Markup(f'<span id="{anchor_id}"></span>')


def _url(address: str) -> Markup:
    # The schema allows only http(s) URLs without spaces, quotes or brackets; checked again here.
    if not re.fullmatch(r"https?://[^\s<>\"'()\[\]{}`\\]+", address):
        raise ValueError(f"unsafe url {address!r}")
    return Markup(address)
