"""The evaluation queries through Pagefind, for comparison with our search (tests/search/evaluate.py).

Pagefind must have indexed the built site first (it writes SITE_DIR/pagefind/):

    npm install --prefix .cache/pagefind pagefind@1
    npx --prefix .cache/pagefind pagefind --site site
    python -m tests.search.pagefind_quality site tests/search/queries.yml tests/search/queries-everyday.yml

The site is served on loopback and Debian's Chromium runs every query through Pagefind's own browser
API (``pagefind.search``), in a page of the site's origin that is never written into the site. Every
result's URL is read, in Pagefind's order, so ranks are comparable with our evaluation, and the
report is evaluate.py's (top-3, top-1, MRR, misses).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Page, Route

from ..bench.search_latency import chromium_on
from .evaluate import Outcome, load_queries, report

PROBE = "pagefind-quality-probe.html"  # answered by the browser context, not by the server
PROBE_PAGE = """<!doctype html><meta charset="utf-8"><script type="module">
window.pagefind = await import("./pagefind/pagefind.js");
document.title = "ready";
</script>"""
# Every result of a query, best first, as locations like the search index's ("cases/<id>/").
RANKED = """async (query) => {
  const search = await window.pagefind.search(query);
  const data = await Promise.all(search.results.map((result) => result.data()));
  return data.map((page) => page.url);
}"""


def location(url: str) -> str:
    """A Pagefind URL ("/cases/x/", "/cases/x/index.html") as the search index writes it ("cases/x/")."""
    path = url.split("#")[0].split("?")[0].lstrip("/")
    return path.removesuffix("index.html")


def ranked(page: Page, query: str) -> tuple[str, ...]:
    return tuple(location(url) for url in page.evaluate(RANKED, query))


def pagefind_outcomes(site: Path, queries_files: list[Path]) -> list[list[Outcome]]:
    """The outcomes of each file's queries, in one browser and one page."""
    if not (site / "pagefind" / "pagefind.js").is_file():
        raise SystemExit(f"{site}/pagefind/pagefind.js is missing: run `pagefind --site {site}` first")
    with chromium_on(site) as (browser, url):
        page = browser.new_page()

        def probe(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=PROBE_PAGE)

        page.route(url + PROBE, probe)
        page.goto(url + PROBE)
        page.wait_for_function("document.title === 'ready'", timeout=60_000)
        outcomes = [[Outcome(q["query"], tuple(q["expect"]), ranked(page, q["query"])) for q in load_queries(file)]
                    for file in queries_files]
        page.close()
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="search-quality evaluation through Pagefind")
    parser.add_argument("site", type=Path, help="a built site that `pagefind --site` has indexed")
    parser.add_argument("queries", type=Path, nargs="+")
    args = parser.parse_args(argv)
    for file, outcomes in zip(args.queries, pagefind_outcomes(args.site, args.queries), strict=True):
        print(f"== Pagefind: {file}")
        report(outcomes)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
