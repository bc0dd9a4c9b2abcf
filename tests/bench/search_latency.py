"""Time to the first search result on a throttled phone-class CPU, and the bytes fetched for it.

    python -m tests.bench.search_latency SITE_DIR [SITE_DIR …] --query 党建

Chromium with 4× CPU throttling (DevTools) opens the home page, opens search, types the query
and waits for results. Reported: gzip bytes of everything the search fetched (index, worker,
lunr) and milliseconds from the first keystroke to the first result on screen, median of runs.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def chromium_on(site: Path) -> Iterator[tuple[Browser, str]]:
    """Chromium and the address of ``site`` served on a free loopback port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            yield browser, f"http://127.0.0.1:{server.server_address[1]}/"
            browser.close()
    finally:
        server.shutdown()


def throttled_page(browser: Browser, rate: int, **options: object) -> Page:
    page = browser.new_page(**options)  # type: ignore[arg-type]
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return page


def measure(site: Path, query: str, runs: int = 3, throttle: int = 4) -> tuple[int, float]:
    times, fetched = [], 0
    with chromium_on(site) as (browser, url):
        for _ in range(runs):
            page = throttled_page(browser, throttle, viewport={"width": 360, "height": 800})
            paths: list[str] = []
            page.on("requestfinished", lambda r: paths.append(r.url.removeprefix(url).split("?")[0]))
            page.goto(url)
            page.locator("label.md-header__button[for='__search']").click()
            start = time.perf_counter()
            page.locator("input.md-search__input").press_sequentially(query, delay=0)
            page.keyboard.press("End")
            page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
            times.append((time.perf_counter() - start) * 1000)
            search_files = [p for p in paths if "search" in p or "lunr" in p]
            fetched = sum(len(gzip.compress((site / p).read_bytes())) for p in set(search_files) if (site / p).is_file())
            page.close()
    return fetched, statistics.median(times)


PAGEFIND_PROBE = """<!doctype html><meta charset="utf-8"><script type="module">
const start = performance.now();
const pagefind = await import("./pagefind/pagefind.js");
const search = await pagefind.search(new URLSearchParams(location.search).get("q"));
await search.results[0].data();
document.title = "done " + (performance.now() - start).toFixed(0);
</script>"""


def measure_pagefind(site: Path, query: str, runs: int = 3, throttle: int = 4) -> tuple[int, float]:
    """The same query through Pagefind's own API, on a site indexed with `pagefind --site`."""
    (site / "pagefind-probe.html").write_text(PAGEFIND_PROBE, encoding="utf-8")
    times, fetched = [], 0
    with chromium_on(site) as (browser, url):
        for _ in range(runs):
            page = throttled_page(browser, throttle)
            sizes: list[int] = []
            page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]) if "/pagefind/" in r.url else None)
            page.goto(f"{url}pagefind-probe.html?q={query}")
            page.wait_for_function("document.title.startsWith('done')", timeout=120_000)
            times.append(float(page.title().split()[1]))
            fetched = sum(sizes)  # Pagefind's files are already compressed
            page.close()
    return fetched, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sites", type=Path, nargs="+")
    parser.add_argument("--query", default="党建")
    parser.add_argument("--pagefind", action="store_true", help="query through Pagefind (run `pagefind --site` first)")
    args = parser.parse_args(argv)
    print("site | search KB fetched (gzip) | first result ms (4× CPU throttling)")
    for site in args.sites:
        fetched, ms = (measure_pagefind if args.pagefind else measure)(site, args.query)
        print(f"{site} | {fetched / 1024:.0f} | {ms:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
