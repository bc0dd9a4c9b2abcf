"""References as GB/T 7714—2025 (信息与文献 参考文献著录规则, in force since 2026-07-01) writes them:
newspaper articles [N] (read online: [N/OL], with the address), pages of online outlets [EB/OL] (with the
access date), the casebook's own pages [EB/OL] and its data downloads [DS/OL] (with the reader's access date).

The 2025 edition's punctuation: ". " between elements, "[ ]" around the type code and the access date,
and the Chinese "，", "：" and "（ ）" inside them. Online serial articles no longer carry an access date."""

from __future__ import annotations

from .model import Source

EDITION = "GB/T 7714—2025"
SITE_NAME = "吉林基层治理案例库"
# Stands where the access date goes; the reader's browser puts in the day it is read (casebook.js).
ACCESS_DATE = "引用日期"
# What editors write when the article names no author, or the outlet is not known (sources schema).
UNSIGNED = "未署名"
UNNAMED = "未注明"
MAX_AUTHORS = 3  # more are cut to the first three and "，等" (7.1.2)


def source_date(source: Source) -> str:
    """``2022-11-25``, ``2022-11`` or ``2022``, marked when it is inferred (for readers, not for references)."""
    return f"{source.date}（推断）" if source.date_estimated else source.date


def source_type(source: Source) -> str:
    """``N`` for a newspaper article read in print, ``N/OL`` read online, ``EB/OL`` for a page of an
    outlet that is not a newspaper (8.11.1: a newspaper article on a web page is still an article)."""
    if not source.url:
        return "N"
    return "N/OL" if source.page or source.publication.endswith("报") else "EB/OL"


def reference(source: Source) -> str:
    """``作者. 题名：副题名[N]. 报纸名，出版日期（版次）.`` (8.5.3), read online ``…[N/OL]. 报纸名，
    出版日期（版次）. 网址.``; a web page ``作者. 题名[EB/OL].（发布日期）[引用日期]. 网址.`` (8.11.3).
    An inferred date stands in "[ ]" (7.5.4.3)."""
    kind = source_type(source)
    title = f"{source.title}：{source.subtitle}" if source.subtitle else source.title
    date = f"[{source.date}]" if source.date_estimated else source.date
    publication = source.publication if source.publication != UNNAMED else None
    if kind == "EB/OL":
        # An unsigned page is the outlet's own: the outlet is its author (7.1.4), as the reference names no site.
        author = _authors(source.author) if source.author != UNSIGNED else publication
        return _elements(author, f"{title}[EB/OL]", f"（{date}）[{source.accessed}]", source.url)
    author = _authors(source.author) if source.author != UNSIGNED else None  # omitted when unknown (7.1.3)
    edition = f"（{source.page.lstrip('0') or source.page}）" if source.page else ""
    issue = "，".join(part for part in (publication, date) if part) + edition
    return _elements(author, f"{title}[{kind}]", issue, source.url)


def outlet_left_out(source: Source) -> str | None:
    """The outlet a signed web page appeared on, which its reference does not name (8.11.3 has no site name)."""
    signed_page = source_type(source) == "EB/OL" and source.author != UNSIGNED
    return source.publication if signed_page and source.publication != UNNAMED else None


def casebook_page(title: str, address: str) -> str:
    """``吉林基层治理案例库. 题名[EB/OL]. [引用日期]. 网址.``: a page of this site, which has no date of its own."""
    return _elements(SITE_NAME, f"{title}[EB/OL]", f"[{ACCESS_DATE}]", address)


def casebook_dataset(title: str, address: str) -> str:
    """``吉林基层治理案例库. 题名[DS/OL]. [引用日期]. 网址.`` (8.14.3; no version, the site is the platform)."""
    return _elements(SITE_NAME, f"{title}[DS/OL]", f"[{ACCESS_DATE}]", address)


def _authors(names: str) -> str:
    """``李婷、张添奥`` as ``李婷，张添奥``; more than three as the first three and ``，等`` (7.1.2)."""
    people = names.split("、")
    shown = people[:MAX_AUTHORS] + (["等"] if len(people) > MAX_AUTHORS else [])
    return "，".join(shown)


def _elements(*elements: str | None) -> str:
    return ". ".join(element for element in elements if element) + "."
