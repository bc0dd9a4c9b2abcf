"""Where every generated page and file lives in the site. These are permanent addresses:
trainers link to them, so they change only with a redirect."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urljoin

from .model import LEVEL_SLUGS

HOME = "index.md"  # the hand-written home page
CASES_INDEX = "cases/index.md"
BROWSE = "browse.md"
PRACTICES_INDEX = "practices/index.md"
PROBLEMS_INDEX = "problems/index.md"
EDITORIAL = "editorial.md"
REGIONS_INDEX = "regions/index.md"
LEVELS_INDEX = "levels/index.md"
YEARS_INDEX = "years/index.md"
METRICS_INDEX = "metrics/index.md"
DATA_OVERVIEW = "data/index.md"
CASES_JSON = "data/cases.json"
STATISTICS_JSON = "data/statistics.json"
STATISTICS_CSV = "data/statistics.csv"
DATAPACKAGE = "data/datapackage.json"
STATISTICS_TABLE_SCHEMA = "data/statistics.tableschema.json"
# The search index (casebook.search): a manifest Material's search box reads, and shards the worker fetches.
SEARCH_DIR = "search"
SEARCH_INDEX = "search/search_index.json"
# The same manifest as a script, for pages opened from a folder (Material's search loads it there).
SEARCH_INDEX_SCRIPT = "search/search_index.js"
# Our search worker: Material's search box runs it in place of its own (lunr) worker.
SEARCH_WORKER = "assets/casebook/search.js"
# The offline copy readers download (ASCII, so that every phone and unzip tool names it right).
OFFLINE_COPY = "download/jilin-casebook-offline.zip"
SCHEMA = "schema/{kind}.schema.json"
# Every case for reference managers (not data tables, so outside data/ and its datapackage.json), as CSL-JSON
# (json), RIS (ris) and BibTeX (bib); one case: case_references.
CASEBOOK_REFERENCES = "cite/casebook.{extension}"
# 案例对比: the page (its address carries the chosen cases, ?c=id,id), one script per case holding that
# case's column, and the QR code generator the page loads only when a reader asks for a code.
COMPARE = "compare.md"
COMPARE_COLUMNS = "compare/cases/"
QR_SCRIPT = "assets/casebook/qrcode-generator.js"
# 提交案例: the form that writes a case record in the browser, what it reads, and its two scripts (loaded by
# that page only).
EDITOR = "edit.md"
EDITOR_DATA = "edit/editor.json"
EDITOR_SCRIPT = "assets/casebook/editor.js"
RECORD_CHECK_SCRIPT = "assets/casebook/record-check.js"


def case_path(case_id: str) -> str:
    return f"cases/{case_id}.md"


def case_references(case_id: str, extension: str) -> str:
    """A case's reference file for reference managers; the case id is the file name, as a download keeps it."""
    return f"cite/cases/{case_id}.{extension}"


def case_redirect_path(old_id: str, directory_urls: bool = True) -> str:
    """The file left at a retired case address: cases/old/index.html, or cases/old.html when the
    site's addresses are file names."""
    url = page_url(case_path(old_id), directory_urls)
    return f"{url}index.html" if url.endswith("/") else url


def practice_path(practice_id: str) -> str:
    return f"practices/{practice_id}.md"


def problem_path(problem_id: str) -> str:
    return f"problems/{problem_id}.md"


def level_path(level: str) -> str:
    return f"levels/{LEVEL_SLUGS[level]}.md"


def year_path(year: int) -> str:
    return f"years/{year}.md"


def metric_path(metric_id: str) -> str:
    return f"metrics/{metric_id}.md"


def metric_csv(metric_id: str) -> str:
    return f"data/metrics/{metric_id}.csv"


def compare_column(case_id: str) -> str:
    return f"{COMPARE_COLUMNS}{case_id}.js"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page at ``path``: cases/x.md → cases/x/ (or cases/x.html); index.md → '';
    any other file keeps its path."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    stem = stem.removesuffix("index").rstrip("/")
    return f"{stem}/" if stem else ""


def relative_url(from_page: str, to_page: str, directory_urls: bool = True) -> str:
    """The link from a page to a page or file as the browser resolves it (for HTML, which MkDocs
    does not rewrite): ``browse.md`` → ``cases/x.md`` is ``../cases/x/`` or ``cases/x.html``."""
    source, target = page_url(from_page, directory_urls), page_url(to_page, directory_urls)
    base = source.rstrip("/") if source.endswith("/") else posixpath.dirname(source)
    link = _relative_path(target.rstrip("/"), base)
    return f"{link}/" if target.endswith("/") or not target else link


def _relative_path(target: str, base: str) -> str:
    """posixpath.relpath for the plain relative paths of the site, without its calls to the file
    system's idea of the current folder (a fifth of rendering time at 1000 cases)."""
    to_parts, from_parts = target.split("/") if target else [], base.split("/") if base else []
    common = 0
    while common < min(len(to_parts), len(from_parts)) and to_parts[common] == from_parts[common]:
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."


def edit_base(repo_url: str | None, edit_uri: str | None, docs_dir: str, project_dir: Path) -> str | None:
    """The edit address of the project root (where cases/ is), from the repository's address and the edit
    path of docs/ (MkDocs' ``repo_url`` and ``edit_uri``); None when the site has no edit links."""
    if not (repo_url and edit_uri):
        return None
    docs_edit = urljoin(repo_url.rstrip("/") + "/", edit_uri.rstrip("/") + "/")
    up = posixpath.relpath(".", posixpath.relpath(docs_dir, str(project_dir)))
    return urljoin(docs_edit, up.rstrip("/") + "/")


def project_path(docs_dir: str, project_dir: Path, docs_path: str) -> str:
    """A page of docs/ as an editor finds it from the project folder (in messages): ``docs/lessons/x.md``."""
    return posixpath.join(posixpath.relpath(docs_dir, str(project_dir)), docs_path)


def from_docs(docs_dir: str, project_dir: Path, project_file: str) -> str:
    """A file of the project as seen from docs/ (the edit path of a record's page): ``../cases/records/….yml``."""
    return posixpath.join(posixpath.relpath(str(project_dir), docs_dir), project_file)
