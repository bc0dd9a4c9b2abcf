"""schema.org descriptions in JSON-LD, for search engines and reference tools: on each case page an
``Article`` (what it is about, where, which reports it rests on), on the data page a ``Dataset`` with
its files.

The data is built here and written with ``json.dumps``, never put together in a template. Record text
can hold ``</script>``: ``<``, ``>`` and ``&`` are written as JSON escapes, so nothing in a record can
close the script element or start markup.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from . import datapackage
from .citation import SITE_NAME
from .model import AUTHOR_SEPARATOR, UNKNOWN_AUTHOR, UNKNOWN_PUBLICATION, Case, Casebook, Source
from .paths import DATA_OVERVIEW, DATAPACKAGE, HOME, PRACTICES_INDEX, PROBLEMS_INDEX, case_path, practice_path, problem_path

CONTEXT = "https://schema.org"
LANGUAGE = "zh-CN"
Address = Callable[[str], str]  # a page or file of the site → its URL as this page gives it
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script(data: dict[str, Any]) -> Markup:
    """``data`` as a JSON-LD script element."""
    # '<', '>' and '&' occur only inside JSON strings, where their escapes mean the same characters.
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def article(case: Case, casebook: Casebook, places: list[tuple[str, str]], address: Address) -> dict[str, Any]:
    """The case page as an ``Article``; ``places`` are the case's places from the province down, with their pages."""
    practices = [casebook.practices[name] for name in case.practices]
    problems = [casebook.problems[name] for name in case.problems]
    return {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": case.title,
        "description": " ".join(case.summary.split()),
        "inLanguage": LANGUAGE,
        "url": address(case_path(case.id)),
        # The year the case describes; the page itself has no date of publication.
        "temporalCoverage": str(case.year),
        "about": [*(_term(p.name, address(practice_path(p.id)), address(PRACTICES_INDEX)) for p in practices),
                  *(_term(p.name, address(problem_path(p.id)), address(PROBLEMS_INDEX)) for p in problems)],
        "spatialCoverage": _place(places, address),
        "citation": [_report(casebook.sources[source_id]) for source_id in case.source_ids],
        "isPartOf": _website(address),
    }


def dataset(casebook: Casebook, address: Address) -> dict[str, Any]:
    """The data page as a ``Dataset``: every exported file a ``DataDownload``, the same files datapackage.json lists."""
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": datapackage.TITLE,
        "description": datapackage.DESCRIPTION,
        "inLanguage": LANGUAGE,
        "url": address(DATA_OVERVIEW),
        "isPartOf": _website(address),
        "subjectOf": {"@type": "CreativeWork", "name": "数据说明（Frictionless Data Package）",
                      "encodingFormat": "application/json", "url": address(DATAPACKAGE)},
        "distribution": [{"@type": "DataDownload", "name": resource.title, "encodingFormat": resource.format[1],
                          "contentUrl": address(resource.path)} for resource in datapackage.resources(casebook)],
    }


def _term(name: str, url: str, vocabulary: str) -> dict[str, str]:
    return {"@type": "DefinedTerm", "name": name, "url": url, "inDefinedTermSet": vocabulary}


def _place(places: list[tuple[str, str]], address: Address) -> dict[str, Any] | None:
    """The innermost place, inside the next larger one, up to the province."""
    place: dict[str, Any] | None = None
    for name, page in places:
        place = {"@type": "Place", "name": name, "url": address(page), **({"containedInPlace": place} if place else {})}
    return place


def _report(source: Source) -> dict[str, Any]:
    """A source as a ``NewsArticle``: the casebook's sources are published reports (about page, 案例从哪里来).
    An inferred date is left out: JSON-LD cannot say that it was inferred."""
    report: dict[str, Any] = {"@type": "NewsArticle", "name": source.title}
    if source.subtitle:
        report["alternativeHeadline"] = source.subtitle
    if source.author != UNKNOWN_AUTHOR:
        report["author"] = source.author.split(AUTHOR_SEPARATOR)
    if not source.date_estimated:
        report["datePublished"] = source.date
    if source.publication != UNKNOWN_PUBLICATION:
        report["publisher"] = {"@type": "Organization", "name": source.publication}
    if source.url:
        report["url"] = source.url
    return report


def _website(address: Address) -> dict[str, str]:
    return {"@type": "WebSite", "name": SITE_NAME, "url": address(HOME)}
