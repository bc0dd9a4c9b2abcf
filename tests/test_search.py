"""Search: the compact index, and its quality on the evaluation queries (as the browser ranks them)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import yaml

from casebook.load import load_casebook
from casebook.search import short_place

from .conftest import CASEBOOK, Project
from .search.evaluate import BrowserSearch, evaluate, summary

QUERIES = Path(__file__).parent / "search" / "queries.yml"
EVERYDAY_QUERIES = Path(__file__).parent / "search" / "queries-everyday.yml"  # issue 20: how community workers type


def test_quality_bar_top3_at_least_90_percent(built_site: Project) -> None:
    outcomes = evaluate(built_site.path / "site" / "search" / "search_index.json", QUERIES)
    assert len(outcomes) >= 40
    top3, mrr = summary(outcomes)
    misses = [(o.query, o.rank) for o in outcomes if not (o.rank and o.rank <= 3)]
    assert top3 >= 0.90, misses
    assert mrr >= 0.75


def test_query_sets_expect_real_cases_and_share_no_query() -> None:
    case_ids = {case.id for case in load_casebook(CASEBOOK / "cases", base=CASEBOOK).cases}
    seen: dict[str, str] = {}  # query, spaces dropped and case folded → the file that has it
    for file in (QUERIES, EVERYDAY_QUERIES):
        queries = yaml.safe_load(file.read_text(encoding="utf-8"))
        for query in queries:
            assert 1 <= len(query["expect"]) <= 3 and query.get("kind"), query
            assert set(query["expect"]) <= case_ids, (file.name, query["query"], set(query["expect"]) - case_ids)
            key = "".join(query["query"].split()).casefold()
            assert key not in seen, f"{query['query']!r} in {file.name} repeats one in {seen.get(key)}"
            seen[key] = file.name
    assert len(yaml.safe_load(EVERYDAY_QUERIES.read_text(encoding="utf-8"))) >= 45


def test_index_is_one_compact_entry_per_page(built_site: Project) -> None:
    raw = (built_site.path / "site" / "search" / "search_index.json").read_bytes()
    docs = json.loads(raw)["docs"]
    locations = [doc["location"] for doc in docs]
    assert len(locations) == len(set(locations))
    assert not [loc for loc in locations if "#" in loc]  # no per-section entries
    case = next(doc for doc in docs if doc["location"] == "cases/jiushengci-fengchao/")
    assert case["title"].replace("\u200b", "") == "九圣祠社区“蜂巢自治”"  # shown as written
    assert "蜂巢自治" in case["title"].split("\u200b") and "蜂巢" in case["terms"].split("\u200b")
    assert case["boost"] == 2.0
    # Budgets per entry, not for the whole index, which grows with every case: a case entry (title, summary,
    # measure titles, practices, problems and places with their other names) measured 470 bytes gzip on
    # average at 111 cases, other pages' entries 231.
    def gzipped(entries: list[dict]) -> int:
        return len(gzip.compress(json.dumps(entries, ensure_ascii=False).encode("utf-8")))
    cases = [doc for doc in docs if re.fullmatch(r"cases/[^/]+/", doc["location"])]
    others = [doc for doc in docs if doc not in cases]
    assert gzipped(cases) < 600 * len(cases)
    assert gzipped(others) < 320 * len(others)


def test_aliases_and_short_place_names_find_cases(built_site: Project) -> None:
    engine = BrowserSearch(built_site.path / "site" / "search" / "search_index.json")
    assert engine.search("快递小哥")[0] == "cases/changchun-xinjiuye-qunti/"
    assert engine.search("伊通")[0] == "cases/yitong-sanzhang-ab-gang/"
    assert short_place("伊通满族自治县") == "伊通" and short_place("九圣祠社区") == "九圣祠" and short_place("延吉市") == "延吉"
