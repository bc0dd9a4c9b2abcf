"""Time to the first search result on a throttled phone-class CPU, and the bytes fetched for it.

    python -m tests.bench.search_latency SITE_DIR [SITE_DIR …] --query 党建

Chromium with 4× CPU throttling (DevTools) opens the home page, opens search, types the query
and waits for results. Reported: gzip bytes of everything the search fetched (index, worker,
lunr) and milliseconds from the first keystroke to the first result on screen, median of runs.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure(site: Path, query: str, runs: int = 3, throttle: int = 4) -> tuple[int, float]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times, fetched = [], 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 360, "height": 800})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
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
            browser.close()
    finally:
        server.shutdown()
    return fetched, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sites", type=Path, nargs="+")
    parser.add_argument("--query", default="党建")
    args = parser.parse_args(argv)
    print("site | search KB gz fetched | first result ms (4× CPU throttling)")
    for site in args.sites:
        fetched, ms = measure(site, args.query)
        print(f"{site} | {fetched / 1024:.0f} | {ms:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
