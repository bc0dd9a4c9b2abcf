"""Realistic synthetic casebooks for benchmarks: seeded, valid, drawn from our own vocabularies.

Records use the real practices, metrics (in their units), sources and places; their prose is
assembled from our own practice and metric descriptions, so a page reads like a case (about
1500 characters) without copying anything.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

from casebook.schema import city_folders

ROOT = Path(__file__).resolve().parents[2]
CITIES = {
    "长春市": ["南关区", "朝阳区", "宽城区", "绿园区", "二道区", "九台区"],
    "吉林市": ["丰满区", "船营区", "昌邑区"],
    "四平市": ["伊通满族自治县", "铁西区"],
    "通化市": ["通化县", "东昌区"],
    "白山市": ["浑江区"],
    "延边朝鲜族自治州": ["延吉市", "珲春市"],
    "辽源市": ["龙山区"], "松原市": ["宁江区"], "白城市": ["洮北区"], "梅河口市": [],
}
SYLLABLES = "安和康宁新华兴盛平光明东西南北春阳泰丰富民顺德惠福瑞祥林园湖山河桥"
LEVELS = ["社区", "街道", "县区", "市", "小区/网格", "村"]


def _load(name: str) -> list[dict]:
    return yaml.safe_load((ROOT / "cases" / name).read_text(encoding="utf-8"))


def generate(target: Path, count: int, seed: int = 20261121) -> Path:
    """Write a project with ``count`` synthetic records into ``target``; return it."""
    rng = random.Random(seed)
    practices, metrics, sources = _load("practices.yml"), _load("metrics.yml"), _load("sources.yml")
    problems = [p["name"] for p in _load("problems.yml")]
    prose = [p["description"] for p in practices] + [m["definition"] for m in metrics]
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", target / "overrides", dirs_exist_ok=True)
    shutil.copytree(ROOT / "docs", target / "docs", dirs_exist_ok=True, ignore=shutil.ignore_patterns("lessons"))
    (target / "docs" / "lessons").mkdir(exist_ok=True)
    (target / "docs" / "lessons" / "index.md").write_text("# 教学专题\n", encoding="utf-8")
    records = target / "cases" / "records"
    records.mkdir(parents=True, exist_ok=True)
    for name in ("sources.yml", "practices.yml", "problems.yml", "metrics.yml"):
        shutil.copy(ROOT / "cases" / name, target / "cases" / name)
    folders = city_folders()
    for number in range(count):
        record = _record(rng, number, practices, problems, metrics, sources, prose)
        folder = records / folders[record["region"]["city"]]  # where an editor puts it: no misplaced-record warning
        folder.mkdir(exist_ok=True)
        (folder / f"{record['id']}.yml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _record(rng: random.Random, number: int, practices: list[dict], problems: list[str], metrics: list[dict],
            sources: list[dict], prose: list[str]) -> dict:
    city = rng.choice(list(CITIES))
    region = {"province": "吉林省", "city": city}
    if CITIES[city] and rng.random() < 0.8:
        region["county"] = rng.choice(CITIES[city])
        if rng.random() < 0.6:
            region["community"] = "".join(rng.sample(SYLLABLES, 2)) + "社区"
    chosen = rng.sample(practices, 3)
    source_ids = [s["id"] for s in rng.sample(sources, 2)]
    place = region.get("community") or region.get("county") or city

    def text(sentences: int) -> str:
        return "".join(rng.choice(prose) for _ in range(sentences))

    return {
        "id": f"syn-{number:05d}",
        # A made-up name keeps two titles of one place apart, as real ones are (titles that differ
        # only in a number are reported as the same case entered twice).
        "title": f"{place}“{''.join(rng.sample(SYLLABLES, 8))}”",
        "region": region,
        "level": rng.choice(LEVELS),
        "year": rng.randint(2018, 2024),
        "practices": [p["name"] for p in chosen],
        "problems": rng.sample(problems, 2),
        "summary": text(3)[:280],
        "background": text(6),
        "measures": [{"title": f"{p['name']}的做法", "text": text(7)} for p in chosen],
        "outcomes": [text(2) for _ in range(2)],
        "statistics": [_statistic(rng, rng.choice(metrics), source_ids[0]) for _ in range(3)],
        "sources": source_ids,
    }


def _statistic(rng: random.Random, metric: dict, source_id: str) -> dict:
    unit = "" if metric["unit"] in ("万元",) else metric["unit"]
    number = rng.randint(3, 9000)
    qualifier = rng.choice(["", "", "多", "余"]) if unit != "%" else ""
    value = f"{min(number, 99) if unit == '%' else number}{qualifier}{unit}"
    return {"metric": metric["name"], "value": value, "as_of": f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}",
            "as_of_estimated": True, "source": source_id}
