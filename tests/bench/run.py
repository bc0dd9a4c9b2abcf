"""``make bench``: our build against a stock Material build of the same pages, at several sizes.

For each size: full build wall time and peak memory of our site and of the baseline (the same
pages as hand-written Markdown, stock Material with its jieba search), their ratio, the time
from saving an edited case to the rebuilt page under ``mkdocs serve``, site size, and the bytes
a reader downloads before the first search result. One table; JSON for comparing commits.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from urllib.parse import urlsplit
from pathlib import Path

import yaml

from casebook.load import load_casebook
from casebook.paths import SEARCH_INDEX, SEARCH_WORKER
from casebook.references import expand
from casebook.plan import Site, plan
from casebook.render import Renderer

from ..search.evaluate import run_worker
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
    record = sorted((project / "cases" / "records").rglob("*.yml"))[0]
    url = f"{base}cases/{record.stem}/"
    original = record.read_text(encoding="utf-8")
    title = yaml.safe_load(original)["title"]
    marker = f"改{time.time_ns() % 10**6}"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"], cwd=project,
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: _get(url), timeout)
        record.write_text(original.replace(f"title: {title}", f"title: {title}{marker}"), encoding="utf-8")
        start = time.perf_counter()
        _wait(lambda: marker in (_get(url) or "") or None, timeout)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
        record.write_text(original, encoding="utf-8")


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


def measure(size: int, work: Path, serve: bool) -> dict[str, float | int]:
    ours = generate(work / f"ours-{size}", size)
    stock = stock_copy(ours, work / f"stock-{size}")
    our_time, our_mb = timed_build(ours)
    stock_time, stock_mb = timed_build(stock)
    row: dict[str, float | int] = {
        "cases": size, "ours_s": round(our_time, 2), "ours_mb": round(our_mb), "stock_s": round(stock_time, 2),
        "stock_mb": round(stock_mb), "ratio": round(our_time / stock_time, 2),
        "ours_site_mb": round(folder_mb(ours / "site"), 1), "stock_site_mb": round(folder_mb(stock / "site"), 1),
        "ours_search_kb": round(search_bytes(ours / "site") / 1024),
        "stock_search_kb": round(search_bytes(stock / "site") / 1024),
    }
    if serve:
        row["serve_edit_s"] = round(serve_latency(ours), 2)
    return row


COLUMNS = [("cases", "cases"), ("ours_s", "ours s"), ("stock_s", "stock s"), ("ratio", "ratio"), ("ours_mb", "ours MB"),
           ("stock_mb", "stock MB"), ("serve_edit_s", "edit→page s"), ("ours_site_mb", "site MB"),
           ("stock_site_mb", "stock site MB"), ("ours_search_kb", "search KB gz"), ("stock_search_kb", "stock search KB gz")]


def table(rows: list[dict[str, float | int]]) -> str:
    header = " | ".join(title for _, title in COLUMNS)
    lines = [header, " | ".join("---" for _ in COLUMNS)]
    lines += [" | ".join(str(row.get(key, "–")) for key, _ in COLUMNS) for row in rows]
    return "\n".join(lines)


# The budgets of issue 7, checked for the sizes a run measured: (what, size, key, limit).
BUDGETS = [("build ≤ 1.0 × stock", 1000, "ratio", 1.0), ("build ≤ 1.0 × stock", 5000, "ratio", 1.0),
           ("build ≤ 12 s", 1000, "ours_s", 12), ("build ≤ 60 s", 5000, "ours_s", 60),
           ("peak memory ≤ 600 MB", 5000, "ours_mb", 600), ("edit visible under serve ≤ 2 s", 1000, "serve_edit_s", 2)]
LINEARITY_LIMIT = 1.2  # seconds per case at 5000 over seconds per case at 1000


def budgets(rows: list[dict[str, float | int]]) -> list[dict[str, object]]:
    """Each budget the measured sizes allow checking, with the measured value and whether it is met."""
    by_size = {row["cases"]: row for row in rows}
    found: list[dict[str, object]] = [
        {"budget": what, "cases": size, "measured": by_size[size][key], "met": by_size[size][key] <= limit}
        for what, size, key, limit in BUDGETS if size in by_size and key in by_size[size]]
    if 1000 in by_size and 5000 in by_size:
        growth = round((by_size[5000]["ours_s"] / 5000) / (by_size[1000]["ours_s"] / 1000), 2)
        found.append({"budget": f"per-case cost at 5000 ≤ {LINEARITY_LIMIT} × at 1000", "cases": 5000, "measured": growth,
                      "met": growth <= LINEARITY_LIMIT})
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--out", type=Path, default=Path("bench-results/latest.json"))
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as work:
        for size in args.sizes:
            rows.append(measure(size, Path(work), serve=not args.no_serve))
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
