"""The comparison of two engines' sites (`make engines`) on tiny folders: what it lets pass and what it stops.

The real two-engine build runs in `make engines` (CI runs it after `make test`), not here."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .engines.compare import main

MKDOCS_PAGE = '<head><meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1"></head><p>红心物业</p>'
PROPERDOCS_PAGE = MKDOCS_PAGE.replace("mkdocs-1.6.1", "mkdocs-ProperDocs 1.6.7")


def zipped(files: dict[str, str], when: tuple[int, int, int, int, int, int] = (2026, 7, 1, 0, 0, 0)) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), text)
    return buffer.getvalue()


def site(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def compared(tmp_path: Path, mkdocs: dict[str, str | bytes], properdocs: dict[str, str | bytes],
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main([str(site(tmp_path / "mkdocs", mkdocs)), str(site(tmp_path / "properdocs", properdocs))])
    return status, capsys.readouterr().out


def test_the_same_sites_are_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files: dict[str, str | bytes] = {"index.html": MKDOCS_PAGE, "data/cases.json": "[]",
                                     "download/offline.zip": zipped({"site/index.html": MKDOCS_PAGE})}
    status, out = compared(tmp_path, files, files, capsys)
    assert status == 0 and out.startswith("identical: 3 files")


def test_the_generator_tag_is_explained_in_pages_and_in_the_zip(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    status, out = compared(
        tmp_path,
        {"cases/a/index.html": MKDOCS_PAGE, "download/offline.zip": zipped({"site/cases/a.html": MKDOCS_PAGE})},
        {"cases/a/index.html": PROPERDOCS_PAGE, "download/offline.zip": zipped({"site/cases/a.html": PROPERDOCS_PAGE})},
        capsys)
    assert status == 0
    assert "explained (2 files): Material's generator tag names the engine" in out
    assert 'properdocs: <meta name="generator" content="mkdocs-ProperDocs 1.6.7' in out
    assert "\n  cases/a/index.html\n" in out and "\n  download/offline.zip:site/cases/a.html\n" in out
    assert out.rstrip().endswith("unexplained (0 files)")


def test_any_other_difference_fails_and_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = compared(
        tmp_path,
        {"index.html": MKDOCS_PAGE, "about/index.html": MKDOCS_PAGE, "sitemap.xml": "<urlset/>",
         "download/offline.zip": zipped({"site/index.html": MKDOCS_PAGE})},
        # The generator tag is explained; the changed text beside it is not.
        {"index.html": PROPERDOCS_PAGE.replace("红心物业", "红心物业 "), "about/index.html": MKDOCS_PAGE,
         "search/search_index.json": "{}", "download/offline.zip": zipped({"site/index.html": MKDOCS_PAGE + "\n"})},
        capsys)
    assert status == 1
    assert out.rstrip().endswith("unexplained (4 files):\n"
                                 "  download/offline.zip:site/index.html: contents differ\n"
                                 "  index.html: contents differ\n"
                                 "  search/search_index.json: only in properdocs\n"
                                 "  sitemap.xml: only in mkdocs")
    assert "about/index.html" not in out


def test_zips_that_differ_only_in_their_entries_dates_fail(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    page = {"site/index.html": MKDOCS_PAGE}
    status, out = compared(tmp_path, {"offline.zip": zipped(page)},
                           {"offline.zip": zipped(page, when=(2026, 7, 2, 0, 0, 0))}, capsys)
    assert status == 1 and "offline.zip: entries in another order, or with other dates or permissions" in out


def test_the_command_exits_non_zero_on_an_unexplained_difference(tmp_path: Path) -> None:
    first = site(tmp_path / "mkdocs", {"index.html": MKDOCS_PAGE})
    second = site(tmp_path / "properdocs", {"index.html": "<p>另一个页面</p>"})
    run = subprocess.run([sys.executable, "-m", "tests.engines.compare", str(first), str(second)],
                         cwd=Path(__file__).parent.parent, capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "index.html: contents differ" in run.stdout
