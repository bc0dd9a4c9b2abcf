"""The offline copy: the site built with file addresses (``mkdocs build --no-directory-urls``) in one
zip, which a reader unpacks and opens from the folder, with no server and no network.

The zip holds one folder, ``jilin-casebook/``, with two things in it: ``index.html``, the page to
double-click, and ``site/``, the pages. Names are ASCII, so that any unzip tool and old phone names
them right. The same site gives the same bytes: entries sorted, one fixed time (the commit's,
``SOURCE_DATE_EPOCH``), fixed permissions.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

from .paths import SEARCH_INDEX_SCRIPT
from .render import standalone

FOLDER = "jilin-casebook"
START_PAGE = "index.html"
SITE_FOLDER = "site"
# What a browser never loads from the folder: source maps, and Material's lunr search (our own worker,
# assets/casebook/search.js, answers its search box).
LEFT_OUT = re.compile(r".*\.map|assets/javascripts/lunr/.*|assets/javascripts/workers/.*")
# A file every Material site has: the start page loads it to tell whether the zip was unpacked.
PROBE = "assets/images/favicon.png"
_EARLIEST = 315532800  # 1980-01-01, the earliest time a zip entry can carry


def zip_site(site: Path, site_name: str, templates_dir: Path | None = None, published_in: Path | None = None) -> bytes:
    """The offline copy of the site built into ``site``; ValueError when ``site`` is no such build, or is
    ``published_in``, the folder of the site that would publish it."""
    if not (site / SEARCH_INDEX_SCRIPT).is_file() or (published_in and site.resolve() == published_in.resolve()):
        raise ValueError(f"offline_copy：{site} 不是离线版的站点目录（mkdocs build --no-directory-urls 生成的）")
    start_page = standalone(templates_dir, "offline_start.html.j2", site_name=site_name, folder=FOLDER,
                            start=START_PAGE, site=SITE_FOLDER, probe=PROBE)
    when = time.gmtime(max(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), _EARLIEST))[:6]
    names = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, f"{FOLDER}/{START_PAGE}", start_page.encode("utf-8"), when)
        for name in names:
            if not LEFT_OUT.fullmatch(name):
                _add(archive, f"{FOLDER}/{SITE_FOLDER}/{name}", (site / name).read_bytes(), when)
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes, when: tuple[int, ...]) -> None:
    entry = zipfile.ZipInfo(name, date_time=when)  # type: ignore[arg-type]
    entry.create_system = 3  # Unix, wherever it is built, so that the permissions below read the same
    entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    entry.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(entry, data, compresslevel=9)
