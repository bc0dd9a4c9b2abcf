"""What reference managers read about a case page: ``citation_*`` meta tags in the page head (Zotero's
Embedded Metadata translator), and CSL-JSON (Zotero), RIS (EndNote, NoteExpress) and BibTeX files, one set per
case and one for the whole casebook.

A case page is a web page of this site: CSL ``webpage``, RIS ``ELEC``, BibTeX ``@online`` (biblatex's type,
which Zotero imports as a web page and the gbt7714 styles print as [EB/OL]). Its author is the casebook. It
carries no date: the site keeps none per page, and the reader's access date is the reader's to add (as in the
GB/T 7714 reference on the page). Every file is built from the records alone, so builds stay byte-identical.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .citation import SITE_NAME
from .model import Case, Casebook
from .paths import CASEBOOK_REFERENCES, case_path, case_references, page_url

LANGUAGE = "zh"
FORMATS = ("json", "ris", "bib")  # file extensions: CSL-JSON, RIS, BibTeX


@dataclass(frozen=True)
class CaseReference:
    """A case page as a reference manager records it."""

    id: str
    title: str
    url: str
    abstract: str


def case_reference(case: Case, site_url: str = "", directory_urls: bool = True) -> CaseReference:
    return CaseReference(case.id, _one_line(case.title), site_url + page_url(case_path(case.id), directory_urls),
                         _one_line(case.summary))


def meta_tags(reference: CaseReference) -> tuple[tuple[str, str], ...]:
    """``(name, content)`` of the page's meta tags; the page template escapes them."""
    return (
        ("citation_title", reference.title),
        ("citation_author", SITE_NAME),
        ("citation_public_url", reference.url),
        ("citation_language", LANGUAGE),
        # Without it Zotero takes a page with a citation_title for a journal article.
        ("DC.type", "webpage"),
    )


def files(casebook: Casebook, site_url: str = "", directory_urls: bool = True) -> dict[str, str]:
    """Each case's references and the whole casebook's, as path in the site → text."""
    references = [case_reference(case, site_url, directory_urls) for case in casebook.cases]
    written: dict[str, str] = {}
    for extension in FORMATS:
        write = WRITERS[extension]
        written.update((case_references(reference.id, extension), write([reference])) for reference in references)
        written[CASEBOOK_REFERENCES.format(extension=extension)] = write(references)
    return written


def csl_json(references: list[CaseReference]) -> str:
    items = [{"id": r.id, "type": "webpage", "title": r.title, "author": [{"literal": SITE_NAME}], "URL": r.url,
              "language": LANGUAGE, "abstract": r.abstract} for r in references]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def ris(references: list[CaseReference]) -> str:
    """RIS records: one field a line, so every value is on one line (``_one_line``); lines end in CR LF as
    the format asks, and the file starts with a byte-order mark so EndNote and NoteExpress read UTF-8."""
    lines: list[str] = []
    for r in references:
        lines += ["TY  - ELEC", f"ID  - {r.id}", f"TI  - {r.title}", f"AU  - {SITE_NAME}", f"UR  - {r.url}",
                  f"LA  - {LANGUAGE}", f"AB  - {r.abstract}", "ER  - ", ""]
    return "\ufeff" + "\r\n".join(lines)


def bibtex(references: list[CaseReference]) -> str:
    """``@online`` entries keyed by case id. The title is in double braces so that styles keep it as written;
    the author in double braces is a body, not a family name and initials."""
    entries = [
        f"@online{{{r.id},\n"
        f"  author = {{{{{SITE_NAME}}}}},\n"
        f"  title = {{{{{_latex(r.title)}}}}},\n"
        f"  url = {{{r.url}}},\n"
        f"  langid = {{chinese}},\n"
        f"  abstract = {{{_latex(r.abstract)}}},\n"
        f"}}\n"
        for r in references
    ]
    return "\n".join(entries)


WRITERS = {"json": csl_json, "ris": ris, "bib": bibtex}

# TeX's special characters as Zotero's BibTeX export writes them. A brace is paired with an invisible
# counterpart (\vphantom) so that every field stays balanced, whatever braces the text has.
# "<", ">" and "|" are not special to BibTeX, and XeLaTeX prints them as they are.
_LATEX = {"\\": "{\\textbackslash}", "{": "\\{\\vphantom{\\}}", "}": "\\vphantom{\\{}\\}", "~": "{\\textasciitilde}",
          "^": "{\\textasciicircum}", "#": "\\#", "$": "\\$", "%": "\\%", "&": "\\&", "_": "\\_"}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")


def _latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda match: _LATEX[match.group()], text)


def _one_line(text: str) -> str:
    return " ".join(text.split())
