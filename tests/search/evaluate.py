"""Search-quality evaluation against a built site's index, with the Python port of lunr.

The browser runs Material's worker: it segments Chinese in the query against the index's own
terms, appends trailing wildcards, runs lunr, and boosts results that match more query terms.
This module does the same steps, so the figures here are the figures a reader gets.

    python -m tests.search.evaluate site/search/search_index.json tests/search/queries.yml
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from lunr.builder import Builder
from lunr.index import Index

_HAN = re.compile(r"[\u3400-\u9fff]+")


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


class BrowserSearch:
    """lunr over Material's index file, queried the way Material's worker queries it."""

    def __init__(self, index_file: Path, whole_run: bool = False):
        self.whole_run = whole_run  # consider segments that end at the query's last character
        data = json.loads(index_file.read_text(encoding="utf-8"))
        separator = re.compile(data["config"]["separator"])
        builder = Builder()
        builder.pipeline.reset()  # Material keeps only the functions its config lists: none here
        builder.search_pipeline.reset()
        builder.b(0)  # Material's worker: no field-length normalisation
        builder.ref("location")
        for name, options in data["config"]["fields"].items():
            builder.field(name, boost=options.get("boost", 1))

        # lunr.py's builder always uses its own tokenizer, which takes a list as ready tokens:
        # split with the index's separator, as lunr.js in the browser does.
        def tokens(value: str | list[str]) -> list[str]:
            text = " ".join(value) if isinstance(value, list) else value
            return [token for token in separator.split(text) if token]

        for doc in data["docs"]:
            fields = {name: tokens(doc.get(name, "")) for name in data["config"]["fields"]}
            builder.add({"location": doc["location"], **fields}, attributes={"boost": doc.get("boost", 1)})
        self.index: Index = builder.build()
        self.terms = set(self.index.inverted_index)
        self.separator = separator

    def search(self, query: str) -> list[str]:
        rewritten = _HAN.sub(lambda m: "* ".join(self._segments(m.group(0))), query)
        clauses = [t.rstrip("*") for t in self.separator.split(rewritten) if t.strip("* ")]
        if not clauses:
            return []
        results = []
        for result in self.index.search(rewritten):
            matched = list(result["match_data"].metadata)
            share = sum(any(term.startswith(clause) for term in matched) for clause in clauses) / len(clauses)
            coverage = 1 + share  # Material: +!parent (1 for whole pages) + share of query terms matched
            results.append((result["score"] * (1 + coverage ** 2), result["ref"]))
        return [ref for _, ref in sorted(results, key=lambda item: (-item[0], item[1]))]

    def _segments(self, run: str) -> list[str]:
        """Material's ``fe``: longest index terms along the run; the run itself when nothing matches."""
        longest = [0] * len(run)
        for start in range(len(run)):
            for end in range(start + 1, len(run) + (1 if self.whole_run else 0)):
                if run[start:end] in self.terms:
                    longest[start] = end - start
        found: list[str] = []
        stack = [0]
        while stack:
            start = stack.pop()
            for step in range(1, longest[start]):
                if longest[start + step] > longest[start] - step:
                    found.append(run[start:start + step])
                    stack.append(start + step)
            after = start + longest[start]
            if longest[after if after < len(run) else 0] and after < len(run) - 1:
                stack.append(after)
            found.append(run[start:after])
        return [run] if "" in found else list(dict.fromkeys(found))


def load_queries(queries_file: Path) -> list[dict[str, Any]]:
    """A query file: a list of {query, expect: [case id, …], kind}."""
    return yaml.safe_load(queries_file.read_text(encoding="utf-8"))


def evaluate(index_file: Path, queries_file: Path, whole_run: bool = False) -> list[Outcome]:
    engine = BrowserSearch(index_file, whole_run)
    return [Outcome(q["query"], tuple(q["expect"]), tuple(engine.search(q["query"]))) for q in load_queries(queries_file)]


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
    parser.add_argument("index", type=Path)
    parser.add_argument("queries", type=Path)
    args = parser.parse_args(argv)
    report(evaluate(args.index, args.queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
