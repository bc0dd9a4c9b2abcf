"""Time to the first search result on a throttled phone-class CPU, and the bytes fetched for it: ours next to Pagefind.

    python -m tests.bench.search_latency --sizes 1000 5000 [--runs 5] [--out bench-results/search.json]
    python -m tests.bench.search_latency SITE_DIR [SITE_DIR …] [--query 党建 …] [--pagefind]

With ``--sizes``, for each size: a synthetic casebook (synthetic.generate) built as ``make bench`` builds it, the
same built site indexed with Pagefind (from the npm registry into .cache/pagefind when missing), and both searched
for the same queries, the engines and queries taking turns run after run. With SITE_DIR, an already built site is
searched (``--pagefind``: through Pagefind, on a site someone indexed with ``pagefind --site``).

Each run is a fresh browser context (empty cache) in Debian's Chromium with 4× CPU throttling (DevTools), at a
phone's viewport: the home page loads (until the network is idle), then search opens. Ours: Material's search box
(the search button, the input, ``.md-search-result__item``), whatever implements it behind; the query goes in as
one input, as a Chinese input method commits it, then End is pressed (Material reads the box on a key's release),
so that every result shown is for the whole query; the clock runs from that input to the first result item.
Pagefind: its own API (``pagefind.js``, ``search``, the first result's ``data()``) from the same home page; the
clock runs from the import to the first result's data. Bytes are counted by the server: every request after the
page load up to the first result (a marker request the page sends when it sees the result), each file at its gzip
size, or as it is if already gzip (Pagefind's index, fragments and WebAssembly). The page load's own bytes are
counted too (with the favicon, whenever the browser asks for it), and those of its files that look like search
files (search, lunr, pagefind, worker in the path), which should be none.

Chromium throttles the page's main thread only: it refuses CPU throttling for workers ("only supported for
pages"), so what an engine does in a worker (Material's lunr, Pagefind's WebAssembly) runs at this machine's speed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright cannot download browsers here
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENGINES = ("ours", "pagefind")
# Words the synthetic casebooks contain (their prose is our practice descriptions and metric definitions): a common
# word (in about half the cases), two common words, and a rare term (one practice's description: a few per hundred).
QUERIES = ("党建", "物业 网格", "图们江")
PAGEFIND_DIR = ROOT / ".cache" / "pagefind"
PAGEFIND = PAGEFIND_DIR / "node_modules" / ".bin" / "pagefind"
MARK = "/__bench__/first-result"
SEARCH_FILE = re.compile(r"search|lunr|pagefind|worker", re.I)
# Asked for by the browser for the page itself, when it likes (the favicon comes after the network is idle).
PAGE_FILE = re.compile(r"favicon", re.I)

# Started on the first key, input or click, so that watching the page costs nothing while it loads. Records when the first
# result item appears, and tells the server (the marker request), which ends the bytes counted for this search.
WATCH = """(() => {
  const bench = window.__bench = {};
  const watch = () => {
    if (bench.observer) return;
    bench.observer = new MutationObserver(() => {
      const items = document.querySelectorAll(".md-search-result__item");
      if (!items.length || bench.done) return;
      bench.t1 = performance.now();
      bench.results = items.length;
      const link = items[0].querySelector("a");
      bench.first = link ? link.getAttribute("href") : items[0].textContent.trim().slice(0, 80);
      const meta = document.querySelector(".md-search-result__meta");
      bench.meta = meta ? meta.textContent.trim() : null;
      bench.observer.disconnect();
      fetch(%(mark)s, {cache: "no-store"}).finally(() => { bench.done = true; });
    });
    bench.observer.observe(document.documentElement, {childList: true, subtree: true});
  };
  document.addEventListener("pointerdown", e => { bench.opened ??= e.timeStamp; watch(); }, true);
  // Inserted text (Chinese, as an input method commits it) is an input event without a keydown.
  for (const type of ["keydown", "beforeinput", "input"]) {
    document.addEventListener(type, e => { bench.t0 ??= e.timeStamp; watch(); }, true);
  }
})();""" % {"mark": json.dumps(MARK)}

PAGEFIND_SEARCH = """async query => {
  const bench = window.__bench;
  bench.opened = bench.t0 = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  const search = await pagefind.search(query);
  bench.results = search.results.length;
  if (bench.results) {
    const data = await search.results[0].data();
    bench.first = data.url;
  }
  bench.meta = `${bench.results} results`;
  bench.t1 = performance.now();
  await fetch(%(mark)s, {cache: "no-store"});
  bench.done = true;
}""" % {"mark": json.dumps(MARK)}


class Server(http.server.ThreadingHTTPServer):
    """The site on a free loopback port, with the path of every request in the order they came."""

    def __init__(self, site: Path):
        self.site = site
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def bytes_of(self, paths: list[str]) -> int:
        return sum(_gzip_size(file) for file in map(self.file_of, paths) if file)

    def file_of(self, path: str) -> Path | None:
        file = self.site / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        return file if file.is_file() else None


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        path = self.path.split("?")[0].split("#")[0]
        self.server.requests.append(path)
        if path == MARK:
            self.send_response(204)
            self.end_headers()
        else:
            super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@functools.lru_cache(maxsize=None)
def _gzip_size_of(file: Path, _mtime: float, _size: int) -> int:
    data = file.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data))


def _gzip_size(file: Path) -> int:
    """The file's size gzipped (level 9), or as it is if it is gzip already."""
    stat = file.stat()
    return _gzip_size_of(file, stat.st_mtime, stat.st_size)


@contextlib.contextmanager
def served(site: Path) -> Iterator[Server]:
    server = Server(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def chromium_on(site: Path) -> Iterator[tuple[Browser, str]]:
    """Chromium and the address of ``site`` served on a free loopback port."""
    with served(site) as server, chromium() as browser:
        yield browser, server.url


def throttled_page(browser: Browser, rate: int, **options: object) -> Page:
    """A page in a context of its own (its own empty cache), its main thread slowed ``rate`` times."""
    page = browser.new_page(**options)  # type: ignore[arg-type]
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return page


@dataclass
class Run:
    """One search in a fresh page. ``ms`` from the query's input (Pagefind: from the import) to the first result,
    ``ms_from_open`` from the click that opens search; bytes gzip; ``files`` the paths fetched for the search;
    ``results`` the result items on screen (ours) or the results found (Pagefind), ``meta`` the count shown."""

    ms: float | None
    ms_from_open: float | None
    search_bytes: int
    load_bytes: int
    load_search_bytes: int
    results: int
    first: str | None
    meta: str | None
    files: list[str]


def search_once(browser: Browser, server: Server, engine: str, query: str, throttle: int = 4,
                timeout: float = 60) -> Run:
    page = throttled_page(browser, throttle, viewport={"width": 360, "height": 800})
    try:
        page.add_init_script(WATCH)
        start = len(server.requests)
        page.goto(server.url, wait_until="networkidle", timeout=timeout * 1000)
        opened = len(server.requests)
        if engine == "ours":
            page.locator("label.md-header__button[for='__search']").click()
            box = page.locator("input.md-search__input")
            box.focus()
            page.keyboard.insert_text(query)  # one input, as a Chinese input method commits a word
            box.press("End")  # and a key's release: Material reads the box on keyup
        elif engine == "pagefind":
            page.evaluate(f"({PAGEFIND_SEARCH})({json.dumps(query)})")
        else:
            raise ValueError(f"unknown engine {engine!r}")
        with contextlib.suppress(PlaywrightTimeoutError):  # no result: reported as such, with the bytes fetched
            page.wait_for_function("window.__bench.done === true", timeout=timeout * 1000)
        bench = page.evaluate("({t0: __bench.t0, t1: __bench.t1, opened: __bench.opened, results: __bench.results,"
                              " first: __bench.first, meta: __bench.meta})")
    finally:
        page.close()
    requests = server.requests[start:]
    end = requests.index(MARK, opened - start) if MARK in requests[opened - start:] else len(requests)
    loaded, searched = requests[: opened - start], requests[opened - start: end]
    loaded += [path for path in searched if PAGE_FILE.search(path)]
    searched = [path for path in searched if not PAGE_FILE.search(path)]
    found = bool(bench["results"]) and bench["t1"] is not None
    return Run(ms=bench["t1"] - bench["t0"] if found else None,
               ms_from_open=bench["t1"] - bench["opened"] if found else None,
               search_bytes=server.bytes_of(searched), load_bytes=server.bytes_of(loaded),
               load_search_bytes=server.bytes_of([p for p in loaded if SEARCH_FILE.search(p)]),
               results=bench["results"] or 0, first=bench["first"], meta=bench["meta"], files=searched)


@dataclass
class Measurement:
    engine: str
    query: str
    runs: list[Run] = field(default_factory=list)

    def spread(self, key: str) -> dict[str, float] | None:
        values = [getattr(run, key) for run in self.runs if getattr(run, key) is not None]
        if not values:
            return None
        return {"median": round(statistics.median(values), 1), "min": round(min(values), 1), "max": round(max(values), 1)}

    def summary(self) -> dict[str, object]:
        last = self.runs[-1]
        return {"engine": self.engine, "query": self.query, "runs": len(self.runs),
                "search_bytes": self.spread("search_bytes"), "ms": self.spread("ms"),
                "ms_from_open": self.spread("ms_from_open"), "load_bytes": self.spread("load_bytes"),
                "load_search_bytes": self.spread("load_search_bytes"), "results": last.results, "meta": last.meta,
                "first": last.first,
                "files": last.files, "each": [asdict(run) | {"files": None} for run in self.runs]}


def measure(site: Path, query: str, engine: str = "ours", runs: int = 3, throttle: int = 4,
            browser: Browser | None = None) -> Measurement:
    """``runs`` searches for ``query`` on the built ``site`` with ``engine`` ("ours": the site's own search box;
    "pagefind": Pagefind's API, on a site indexed with Pagefind)."""
    measured = Measurement(engine, query)
    with served(site) as server, (contextlib.nullcontext(browser) if browser else chromium()) as running:
        for _ in range(runs):
            measured.runs.append(search_once(running, server, engine, query, throttle))
    return measured


def measure_side_by_side(site: Path, queries: list[str], engines: list[str], runs: int, throttle: int = 4,
                         warmup: bool = True) -> list[Measurement]:
    """Every engine and query in turn, run after run, so that the machine's slower moments fall on all of them;
    a first search of each engine is thrown away (the browser's own start-up)."""
    measured = {(engine, query): Measurement(engine, query) for query in queries for engine in engines}
    with served(site) as server, chromium() as browser:
        if warmup:
            for engine in engines:
                search_once(browser, server, engine, queries[0], throttle)
        for _ in range(runs):
            for (engine, query), measurement in measured.items():
                measurement.runs.append(search_once(browser, server, engine, query, throttle))
                print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return list(measured.values())


def pagefind_binary() -> Path:
    """Pagefind from the npm registry, installed into .cache/pagefind the first time."""
    if not PAGEFIND.exists():
        npm = shutil.which("npm")
        if not npm:
            raise SystemExit("Pagefind needs npm (Node.js) to be installed")
        subprocess.run([npm, "install", "--prefix", str(PAGEFIND_DIR), "--no-audit", "--no-fund", "pagefind@1"],
                       check=True)
    return PAGEFIND


def pagefind_version() -> str:
    package = PAGEFIND_DIR / "node_modules" / "pagefind" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"] if package.exists() else "?"


def build_sites(size: int, work: Path) -> dict[str, float]:
    """A synthetic casebook of ``size`` cases built as ``make bench`` builds it, then indexed by Pagefind (its
    bundle in the same site, under pagefind/, which our search never asks for)."""
    from .run import timed_build
    from .synthetic import generate

    project = generate(work / f"search-{size}", size)
    build_s, _ = timed_build(project)
    start = time.perf_counter()
    subprocess.run([str(pagefind_binary()), "--site", "site", "--quiet"], cwd=project, check=True)
    return {"build_s": round(build_s, 1), "pagefind_s": round(time.perf_counter() - start, 1),
            "pagefind_mb": round(sum(f.stat().st_size for f in (project / "site" / "pagefind").rglob("*")
                                     if f.is_file()) / 1e6, 1)}


def _range(spread: dict[str, float] | None, scale: float = 1, digits: int = 0) -> str:
    if spread is None:
        return "no result"
    median, low, high = (f"{spread[key] / scale:.{digits}f}" for key in ("median", "min", "max"))
    return median if low == high else f"{median} ({low}–{high})"


HEADER = ("{what} | engine | query | page load KB (search files) | KB before first result | ms first result "
          "(median, min–max)")


def table_row(what: object, row: dict[str, Any]) -> str:
    load = f"{_range(row['load_bytes'], 1024)} ({_range(row['load_search_bytes'], 1024)})"
    return (f"{what} | {row['engine']} | {row['query']} | {load} | {_range(row['search_bytes'], 1024, 1)} | "
            f"{_range(row['ms'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", type=Path, nargs="*", help="built sites to measure (instead of --sizes)")
    parser.add_argument("--sizes", type=int, nargs="+", help="synthetic casebooks of these sizes, ours and Pagefind")
    parser.add_argument("--query", dest="queries", action="append", help=f"a query (repeatable; default {QUERIES})")
    parser.add_argument("--pagefind", action="store_true",
                        help="SITE_DIR form: query through Pagefind (run `pagefind --site` first)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--throttle", type=int, default=4, help="CPU slow-down of the page's main thread")
    parser.add_argument("--work", type=Path, help="keep the synthetic projects here (default: a temporary folder)")
    parser.add_argument("--out", type=Path, help="write the measurements as JSON")
    args = parser.parse_args(argv)
    if bool(args.sites) == bool(args.sizes):
        parser.error("give either SITE_DIR … or --sizes")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    queries = args.queries or list(QUERIES)
    rows: list[dict[str, Any]] = []
    sites: list[dict[str, object]] = []
    if args.sizes:
        engines = list(ENGINES)
        print(HEADER.format(what="size"), flush=True)
        with contextlib.ExitStack() as stack:
            work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="casebook-search-")))
            for size in args.sizes:
                built = build_sites(size, work)
                sites.append({"cases": size, **built})
                for measurement in measure_side_by_side(work / f"search-{size}" / "site", queries, engines, args.runs,
                                                        args.throttle):
                    rows.append({"cases": size, **measurement.summary()})
                    print(table_row(size, rows[-1]), flush=True)
    else:
        engine = "pagefind" if args.pagefind else "ours"
        print(HEADER.format(what="site"), flush=True)
        for site in args.sites:
            for measurement in measure_side_by_side(site, queries, [engine], args.runs, args.throttle):
                rows.append({"site": str(site), **measurement.summary()})
                print(table_row(site, rows[-1]), flush=True)
    if args.out:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=ROOT).stdout.strip()
        with chromium() as browser:
            version = browser.version
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"commit": commit, "chromium": version, "pagefind": pagefind_version(),
                                        "throttle": args.throttle, "throttled": "page main thread only, not workers",
                                        "runs": args.runs, "queries": queries, "sites": sites, "rows": rows},
                                       ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
