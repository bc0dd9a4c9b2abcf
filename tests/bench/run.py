"""``make bench``: our build against a stock Material build of the same pages, at several sizes.

For each size: full (cold) build wall time and peak memory of our site and of the baseline (the same
pages as hand-written Markdown, stock Material with its jieba search), their ratio; a warm build (one
record's title edited, the build cache in ``.cache/`` kept from the cold build); the time from saving
an edited case to the rebuilt page under ``mkdocs serve``; site size; the bytes a reader downloads
before the first search result; and the weight of a case page in Chromium at a phone's viewport (gzip
bytes fetched before the first paint, and by the load event). One table; JSON for comparing commits.

``--repeat N`` runs each timed build N times: the main key holds the median, ``<key>_range`` [min, max].
``--no-stock`` skips the stock build (no ratio), ``--no-serve`` the serve measurement, ``--no-page``
the page weight (skipped with a note when Debian's Chromium is missing).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from playwright.sync_api import Browser

from casebook.load import load_casebook
from casebook.paths import SEARCH_INDEX, SEARCH_WORKER
from casebook.references import expand
from casebook.plan import Site, plan
from casebook.render import Renderer

from ..search.evaluate import run_worker
from . import search_latency
from .synthetic import generate

MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
           "print(code, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}


def timed_build(project: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one `mkdocs build`, measured in a process of its own."""
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "mkdocs", "build", "-q"],
                         cwd=project, env=ENV, capture_output=True, text=True, check=True).stdout.split()
    if out[0] != "0":
        raise RuntimeError(f"build failed in {project}")
    return float(out[1]), int(out[2]) / 1024


def cold_build(project: Path) -> tuple[float, float]:
    """`timed_build` from nothing: without the build cache (``.cache/``, safe to delete) and without a site."""
    for folder in (".cache", "site"):
        shutil.rmtree(project / folder, ignore_errors=True)
    return timed_build(project)


def warm_build(project: Path, edit: Callable[[], str]) -> tuple[float, float]:
    """`timed_build` after an ``edit`` (one of ``title_edits``), with the build cache the builds before left."""
    edit()
    return timed_build(project)


def first_record(project: Path) -> Path:
    return sorted((project / "cases" / "records").rglob("*.yml"))[0]


@contextlib.contextmanager
def title_edits(project: Path) -> Iterator[Callable[[], str]]:
    """Edits of the first record's title: each call saves the record with a new marker appended to its title and
    returns the marker; the record is restored afterwards."""
    record = first_record(project)
    original = record.read_text(encoding="utf-8")
    title = yaml.safe_load(original)["title"]
    count = itertools.count(1)

    def edit() -> str:
        marker = f"改{next(count)}x{time.time_ns() % 10**6}"
        record.write_text(original.replace(f"title: {title}", f"title: {title}{marker}"), encoding="utf-8")
        return marker

    try:
        yield edit
    finally:
        record.write_text(original, encoding="utf-8")


def spread(row: dict[str, Any], name: str, builds: list[tuple[float, float]]) -> None:
    """``<name>_s`` and ``<name>_mb``, the medians of ``builds`` (seconds, peak MB), each with ``_range`` [min, max]."""
    for key, values, digits in ((f"{name}_s", [s for s, _ in builds], 2), (f"{name}_mb", [mb for _, mb in builds], None)):
        row[key] = round(statistics.median(values), digits)
        row[f"{key}_range"] = [round(min(values), digits), round(max(values), digits)]


def stock_copy(project: Path, target: Path) -> Path:
    """The same pages as hand-written files in a stock Material site (no casebook plugin): each is
    the front matter and HTML our templates write, which Python-Markdown passes through."""
    casebook = load_casebook(project / "cases", base=project)
    site = Site("https://example.org/")
    renderer = Renderer(casebook, site)
    shutil.copytree(project / "docs", target / "docs")
    for page in renderer.pages(plan(casebook, site)):
        file = target / "docs" / page.path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(page.source, encoding="utf-8")
    for file in sorted((target / "docs").rglob("*.md")):
        relative = file.relative_to(target / "docs").as_posix()
        if relative.startswith(("cases/", "practices/", "regions/", "levels/", "years/", "metrics/", "data/index")):
            continue
        file.write_text(expand(file.read_text(encoding="utf-8"), relative, relative, renderer), encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"  - casebook:\n(    .*\n)*", "", config).replace("  custom_dir: overrides\n", "")
    config = re.sub(r"(  - search:\n)(    .*\n)*", r"\1", config)  # stock search: Material segments every page
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def serve_latency(project: Path, timeout: float = 600) -> float:
    """Seconds from saving an edited record to the edited title served by `mkdocs serve --dirty`,
    as `make serve` runs it (only the pages an edit changed are rebuilt)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # `mkdocs serve` mounts the site at the path of site_url, as it will be published.
    # MkDocs' own tags (a Python slugify, !ENV) mean nothing to a plain YAML reader.
    site_url = yaml.safe_load(re.sub(r"!!python\S*|!ENV\b", "", (project / "mkdocs.yml").read_text(encoding="utf-8")))["site_url"]
    base = f"http://127.0.0.1:{port}{urlsplit(site_url).path}"
    url = f"{base}cases/{first_record(project).stem}/"
    with title_edits(project) as edit:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: _get(url), timeout)
            marker = edit()
            start = time.perf_counter()
            _wait(lambda: marker in (_get(url) or "") or None, timeout)
            return time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def _wait(check, timeout: float):  # type: ignore[no-untyped-def]
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise TimeoutError("mkdocs serve did not answer in time")


def search_bytes(site: Path, query: str = "党建") -> int:
    """Gzipped bytes fetched before a first result for ``query``. Stock Material: its lunr worker and the whole
    index. Ours: our worker, the manifest and the shards the worker fetches for the query (run in Node.js)."""
    ours = site / SEARCH_WORKER
    if ours.is_file():
        files = [ours, site / SEARCH_INDEX, *(site / path for path in run_worker(site, [query])[0]["fetched"])]
    else:
        files = [site / SEARCH_INDEX, *(site / "assets" / "javascripts" / "workers").glob("search.*.min.js")]
    return sum(len(gzip.compress(f.read_bytes())) for f in files)


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


# After the load event, once the first paint is recorded: the paint time (first-paint, else first-contentful-paint), the
# document and every resource the page fetched, with when each response ended (ms from the navigation's start).
TIMINGS = """() => {
  const paints = Object.fromEntries(performance.getEntriesByType("paint").map(entry => [entry.name, entry.startTime]));
  const navigation = performance.getEntriesByType("navigation")[0];
  return {paint: paints["first-paint"] ?? paints["first-contentful-paint"], load: navigation.loadEventEnd,
          document: navigation.name,
          resources: performance.getEntriesByType("resource").map(entry => [entry.name, entry.responseEnd])};
}"""
READY = ("performance.getEntriesByType('paint').length > 0 && "
         "performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0")


def page_weight(site: Path, path: str, browser: Browser | None = None, timeout: float = 60) -> dict[str, Any]:
    """The weight of the page at ``path`` of the built ``site`` (served on a loopback port) in Chromium at a phone's
    viewport, with an empty cache: ``page_kb`` the gzip KB of the document and of every resource whose response
    ended by the first paint (as Lighthouse's bytes before first paint), ``page_all_kb`` of all it fetched by the load
    event. Each file counts at its gzip size on disk (deterministic); which files came before the paint is the
    browser's to say."""
    with search_latency.served(site) as server, \
            (contextlib.nullcontext(browser) if browser else search_latency.chromium()) as running:
        page = running.new_page(viewport={"width": 360, "height": 800})
        try:
            page.goto(server.url + path, wait_until="load", timeout=timeout * 1000)
            page.wait_for_function(READY, timeout=timeout * 1000)
            timings = page.evaluate(TIMINGS)
        finally:
            page.close()
        origin = urlsplit(server.url).netloc
        document = unquote(urlsplit(timings["document"]).path)
        before_paint, by_load, elsewhere = {document}, {document}, []
        for url, end in timings["resources"]:
            parts = urlsplit(url)
            if parts.netloc != origin:
                elsewhere.append(url)
                continue
            if end <= timings["load"]:
                by_load.add(unquote(parts.path))
            if end <= timings["paint"]:
                before_paint.add(unquote(parts.path))
        if elsewhere:
            print(f"note: {path} fetched from elsewhere, not counted: {', '.join(sorted(elsewhere))}", flush=True)
        return {"page": path, "page_kb": round(server.bytes_of(sorted(before_paint)) / 1024, 1),
                "page_all_kb": round(server.bytes_of(sorted(by_load)) / 1024, 1), "page_files": sorted(before_paint),
                "page_after_paint": sorted(by_load - before_paint), "first_paint_ms": round(timings["paint"])}


def case_page_weight(project: Path, browser: Browser | None = None) -> dict[str, Any]:
    """``page_weight`` of the page of the project's first case (the one the warm build and serve edit)."""
    return page_weight(project / "site", f"cases/{first_record(project).stem}/", browser)


def chromium_missing() -> bool:
    return not Path(search_latency.CHROMIUM).exists()


def measure(size: int, work: Path, repeat: int = 1, stock: bool = True, serve: bool = True,
            page: bool = True) -> dict[str, Any]:
    """One size: our cold builds, the site's sizes and page weight, warm builds (one title edited each time, the
    cache kept), the stock builds, then serve. Each timed build ``repeat`` times."""
    ours = generate(work / f"ours-{size}", size)
    row: dict[str, Any] = {"cases": size, "repeat": repeat}
    spread(row, "ours", [cold_build(ours) for _ in range(repeat)])
    row["ours_site_mb"] = round(folder_mb(ours / "site"), 1)
    row["ours_search_kb"] = round(search_bytes(ours / "site") / 1024)
    if page:
        row.update(case_page_weight(ours))
    with title_edits(ours) as edit:
        spread(row, "warm", [warm_build(ours, edit) for _ in range(repeat)])
    if stock:
        copy = stock_copy(ours, work / f"stock-{size}")
        spread(row, "stock", [cold_build(copy) for _ in range(repeat)])
        row["ratio"] = round(row["ours_s"] / row["stock_s"], 2)
        row["stock_site_mb"] = round(folder_mb(copy / "site"), 1)
        row["stock_search_kb"] = round(search_bytes(copy / "site") / 1024)
    if serve:
        row["serve_edit_s"] = round(serve_latency(ours), 2)
    return row


COLUMNS = [("cases", "cases"), ("ours_s", "ours s"), ("stock_s", "stock s"), ("ratio", "ratio"), ("ours_mb", "ours MB"),
           ("stock_mb", "stock MB"), ("warm_s", "warm s"), ("warm_mb", "warm MB"), ("serve_edit_s", "edit→page s"),
           ("ours_site_mb", "site MB"), ("stock_site_mb", "stock site MB"), ("ours_search_kb", "search KB gz"),
           ("stock_search_kb", "stock search KB gz"), ("page_kb", "page KB gz to paint"), ("page_all_kb", "page KB gz to load")]


def cell(row: dict[str, Any], key: str) -> str:
    """The value, as ``median (min–max)`` when the builds were repeated and differ."""
    value, bounds = row.get(key, "–"), row.get(f"{key}_range")
    if row.get("repeat", 1) > 1 and bounds and bounds[0] != bounds[1]:
        return f"{value} ({bounds[0]}–{bounds[1]})"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    header = " | ".join(title for _, title in COLUMNS)
    lines = [header, " | ".join("---" for _ in COLUMNS)]
    lines += [" | ".join(cell(row, key) for key, _ in COLUMNS) for row in rows]
    return "\n".join(lines)


# The budgets of issue 18, checked for the sizes a run measured: (what, size, key, limit).
BUDGETS = [("build ≤ 0.25 × stock", 1000, "ratio", 0.25), ("build ≤ 0.25 × stock", 5000, "ratio", 0.25),
           ("peak memory ≤ 400 MB", 5000, "ours_mb", 400), ("peak memory ≤ 1500 MB", 20000, "ours_mb", 1500),
           ("edit visible under serve ≤ 1 s", 1000, "serve_edit_s", 1),
           ("edit visible under serve ≤ 2 s", 5000, "serve_edit_s", 2), ("warm build ≤ 15 s", 5000, "warm_s", 15)]
# Seconds per case at a size over seconds per case at the next smaller size measured, for sizes from LINEARITY_FROM.
LINEARITY_LIMIT = 1.1
LINEARITY_FROM = 1000


def budgets(rows: list[dict[str, Any]]) -> list[dict[str, object]]:
    """Each budget the measured sizes allow checking, with the measured value and whether it is met."""
    by_size = {row["cases"]: row for row in rows}
    found: list[dict[str, object]] = [
        {"budget": what, "cases": size, "measured": by_size[size][key], "met": by_size[size][key] <= limit}
        for what, size, key, limit in BUDGETS if size in by_size and key in by_size[size]]
    sizes = sorted(size for size in by_size if size >= LINEARITY_FROM)
    for smaller, larger in zip(sizes, sizes[1:]):
        growth = round((by_size[larger]["ours_s"] / larger) / (by_size[smaller]["ours_s"] / smaller), 2)
        found.append({"budget": f"per-case cost at {larger} ≤ {LINEARITY_LIMIT} × at {smaller}", "cases": larger,
                      "measured": growth, "met": growth <= LINEARITY_LIMIT})
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--out", type=Path, default=Path("bench-results/latest.json"))
    parser.add_argument("--repeat", type=int, default=1, help="run each timed build N times (median, min–max)")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Material build (no ratio)")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--no-page", action="store_true", help="skip the case page's weight in Chromium")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    page = not args.no_page
    if page and chromium_missing():
        print(f"note: no page weight ({search_latency.CHROMIUM} is missing: apt-get install -y chromium)", flush=True)
        page = False
    rows = []
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as work:
        for size in args.sizes:
            rows.append(measure(size, Path(work), args.repeat, stock=not args.no_stock, serve=not args.no_serve, page=page))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    print("\n" + table(rows))
    checked = budgets(rows)
    for item in checked:
        print(f"{'met ' if item['met'] else 'MISSED'}  {item['budget']} at {item['cases']} cases: {item['measured']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    args.out.write_text(json.dumps({"commit": commit, "rows": rows, "budgets": checked}, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
