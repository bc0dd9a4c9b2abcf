"""Search-quality evaluation on a built site, with the site's own search worker.

The browser runs our worker (``assets/casebook/search.js``): it segments the query against the index's
own terms, ranks, and lists the results. ``tests/search/query.js`` runs that same script in Node.js on
the site's files, so the figures here are the figures a reader gets.

    python -m tests.search.evaluate site tests/search/queries.yml tests/search/queries-everyday.yml
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

QUERY_SCRIPT = Path(__file__).with_name("query.js")


@dataclass(frozen=True)
class Outcome:
    query: str
    expect: tuple[str, ...]
    ranked: tuple[str, ...]

    @property
    def rank(self) -> int | None:
        """1-based rank of the first expected case, or None."""
        for position, location in enumerate(self.ranked, start=1):
            if any(location.rstrip("/").endswith(f"cases/{case_id}") for case_id in self.expect):
                return position
        return None


def search(site: Path, queries: list[str]) -> list[list[str]]:
    """The addresses each query lists, in order, as the site's search box lists them."""
    return [answer["results"] for answer in run_worker(site, queries)]


def run_worker(site: Path, queries: list[str]) -> list[dict[str, list[str]]]:
    """For each query, its results and the index files (paths in the site) the worker fetched for it."""
    answer = subprocess.run(["node", str(QUERY_SCRIPT), str(site)], input=json.dumps(queries), capture_output=True,
                            text=True, check=True)
    return json.loads(answer.stdout)


def load_queries(queries_file: Path) -> list[dict[str, Any]]:
    """A query file: a list of {query, expect: [case id, …], kind}."""
    return yaml.safe_load(queries_file.read_text(encoding="utf-8"))


def evaluate(site: Path, queries_file: Path) -> list[Outcome]:
    queries = load_queries(queries_file)
    found = search(site, [q["query"] for q in queries])
    return [Outcome(q["query"], tuple(q["expect"]), tuple(ranked)) for q, ranked in zip(queries, found)]


def summary(outcomes: list[Outcome]) -> tuple[float, float]:
    """(share with an expected case in the top 3, mean reciprocal rank)."""
    top3 = sum(1 for o in outcomes if o.rank and o.rank <= 3) / len(outcomes)
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)
    return top3, mrr


def top1_share(outcomes: list[Outcome]) -> float:
    """Share with an expected case first (beside ``summary``, whose pair its callers unpack)."""
    return sum(1 for o in outcomes if o.rank == 1) / len(outcomes)


def report(outcomes: list[Outcome]) -> None:
    """One line per query, then top-3 and top-1 shares, MRR and the misses (no expected case in the top 3)."""
    for outcome in outcomes:
        mark = "✓" if outcome.rank and outcome.rank <= 3 else "✗"
        top = ", ".join(r.removeprefix("cases/").rstrip("/") for r in outcome.ranked[:3]) or "（无结果）"
        print(f"{mark} {outcome.query:<12} 排名 {outcome.rank or '-':<3} 期望 {outcome.expect[0]:<34} 前三 {top}")
    top3, mrr = summary(outcomes)
    print(f"\n{len(outcomes)} 个查询：前三命中 {top3:.1%}，第一命中 {top1_share(outcomes):.1%}，平均倒数排名 MRR {mrr:.3f}")
    misses = [f"{o.query}（{o.rank or '-'}）" for o in outcomes if not (o.rank and o.rank <= 3)]
    print(f"未进前三 {len(misses)} 个：{'、'.join(misses) or '无'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="search-quality evaluation")
    parser.add_argument("site", type=Path, help="a built site")
    parser.add_argument("queries", type=Path, nargs="+")
    args = parser.parse_args(argv)
    for queries in args.queries:
        print(f"== {queries}")
        report(evaluate(args.site, queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
