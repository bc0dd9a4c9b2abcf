"""Validate what crosses fields and files, and build the model (:mod:`casebook.model`) from documents
the schema has already checked: registries (sources, practices, problems, metrics, redirects) and
records. Each function adds what it finds to ``problems`` and returns None for what it cannot build.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import PurePath
from typing import Any, Iterable, TypeVar

from .model import Case, Challenge, Measure, Metric, Practice, Region, Source, Statistic, Term
from .numbers import NumberPhraseError, parse_quantity
from .problems import Problem, closest
from .yamlsource import WIDE_CHARACTER, Document


# A line break between Chinese characters (a literal block wrapped by the editor) is no space;
# spaces typed inside a line (《推进行政执法力量下沉 提升基层行政执法效能的实施意见》) are kept.
# Folded blocks are already joined without one by yamlsource.
_FOLD_SPACE = re.compile(rf"(?<={WIDE_CHARACTER})[ \t]*\n[ \t]*(?={WIDE_CHARACTER})")


def tidy(text: str) -> str:
    """Trim, and join lines broken between Chinese characters."""
    return _FOLD_SPACE.sub("", text.strip())


T = TypeVar("T", bound=Term)

_NO_SUCH_DAY = "日期「{}」不存在（这个月没有这一天），请核对原文"


def _is_calendar_date(value: str | int) -> bool:
    """The schema checks the form (months 01–12, days 01–31); a full date must also be a real day."""
    text = str(value)
    try:
        return len(text) < 10 or bool(date.fromisoformat(text))
    except ValueError:
        return False


def metrics(document: Document | None, practices: dict[str, Practice] | None,
            problems: list[Problem]) -> dict[str, Metric] | None:
    """The metric catalogue (``cases/metrics.yml``) by name; None when it has problems."""
    if document is None:
        return None
    result: dict[str, Metric] = {}
    labels = _Labels(document, "指标", problems)
    for index, entry in enumerate(document.data or []):
        metric = Metric(id=entry["id"], name=entry["name"], unit=entry["unit"], definition=tidy(entry["definition"]),
                        practice=entry.get("practice"), aliases=tuple(entry.get("aliases", ())),
                        other_units=tuple(entry.get("other_units", ())))
        labels.claim(index, metric.id, metric.name, metric.aliases)
        if practices is not None and metric.practice and metric.practice not in practices:
            problems.append(document.problem((index, "practice"), _unknown("做法", metric.practice, practices)))
        result[metric.name] = metric
    return result


def redirects(document: Document | None, cases: dict[str, Case], problems: list[Problem]) -> dict[str, str]:
    """Retired ids → current ids (``cases/redirects.yml``)."""
    if document is None:
        return {}
    result: dict[str, str] = {}
    for index, entry in enumerate(document.data or []):
        old, new = entry["from"], entry["to"]
        if old in cases:
            problems.append(document.problem((index, "from"), f"「{old}」仍是 {cases[old].file} 的编号，不能再转到别处"))
        elif new not in cases:
            problems.append(document.problem((index, "to"), _unknown("案例编号", new, cases)))
        elif old in result:
            problems.append(document.problem((index, "from"), f"「{old}」重复登记"))
        else:
            result[old] = new
    return dict(sorted(result.items()))


def sources(document: Document | None, problems: list[Problem]) -> dict[str, Source] | None:
    if document is None:
        return None
    result: dict[str, Source] = {}
    for index, entry in enumerate(document.data or []):
        for key in ("date", "accessed"):
            if key in entry and not _is_calendar_date(entry[key]):
                problems.append(document.problem((index, key), _NO_SUCH_DAY.format(entry[key])))
        if entry["id"] in result:
            problems.append(document.problem((index, "id"), f"来源编号「{entry['id']}」重复登记"))
            continue
        prose = {key: tidy(entry[key]) for key in ("date_note", "note") if key in entry}
        result[entry["id"]] = Source(**{**entry, **prose, "date": str(entry["date"])})
    return result


class _Labels:
    """The ids and names (with aliases) of a vocabulary registry: each may be used only once."""

    def __init__(self, document: Document, what: str, problems: list[Problem]):
        self.document, self.what, self.problems = document, what, problems
        self.ids: set[str] = set()
        self.taken: dict[str, str] = {}  # every name and alias → the entry it belongs to

    def claim(self, index: int, entry_id: str, name: str, aliases: tuple[str, ...]) -> None:
        if entry_id in self.ids:
            self.problems.append(self.document.problem((index, "id"), f"{self.what}编号「{entry_id}」重复"))
        self.ids.add(entry_id)
        for label_index, label in enumerate((name, *aliases)):
            key_path = (index, "name") if label_index == 0 else (index, "aliases", label_index - 1)
            if label in self.taken:
                owner = self.taken[label]
                self.problems.append(self.document.problem(key_path, f"「{label}」已经是{self.what}「{owner}」的名称或别名"))
            self.taken.setdefault(label, name)


def vocabulary(document: Document | None, what: str, kind: type[T], problems: list[Problem]) -> dict[str, T] | None:
    """The entries of a vocabulary registry (practices, problems) by name; None when it has problems."""
    if document is None:
        return None
    result: dict[str, T] = {}
    labels = _Labels(document, what, problems)
    for index, entry in enumerate(document.data or []):
        term = kind(id=entry["id"], name=entry["name"], description=tidy(entry["description"]),
                    aliases=tuple(entry.get("aliases", ())), broader=entry.get("broader"))
        labels.claim(index, term.id, term.name, term.aliases)
        result[term.name] = term
    for index, term in enumerate(result.values()):
        if term.broader and term.broader not in result:
            problems.append(document.problem((index, "broader"), _unknown(f"上位{what}", term.broader, result, labels.taken)))
    problems.extend(_broader_cycles(result, what, document))
    return result


def _broader_cycles(terms: dict[str, T], what: str, document: Document) -> Iterable[Problem]:
    for index, term in enumerate(terms.values()):
        seen = {term.name}
        current = term.broader
        while current in terms:
            if current in seen:
                yield document.problem((index, "broader"), f"上位{what}形成了循环：{term.name} → … → {current}")
                break
            seen.add(current)
            current = terms[current].broader


_REGISTER = {
    "做法": "若是新做法，请在 cases/practices.yml 末尾登记（id、name、description，说明用自己的话写）",
    "问题": "若是新问题，请在 cases/problems.yml 末尾登记（id、name、aliases、description，用基层工作者自己的说法）",
    "指标": "若是新指标，请在 cases/metrics.yml 末尾登记（id、name、unit、definition）",
    "来源编号": "新来源请先在 cases/sources.yml 登记",
}


def _unknown(what: str, name: str, known: Iterable[str], aliases: dict[str, str] | None = None) -> str:
    """'unknown X' with the closest known names (aliases count, pointing at their canonical name),
    and how to register a new one."""
    if aliases and aliases.get(name, name) != name:
        return f"「{name}」是「{aliases[name]}」的别名，请写「{aliases[name]}」"
    labels = aliases or {label: label for label in known}
    suggestions = list(dict.fromkeys(labels[label] for label in closest(name, labels, limit=6)))[:3]
    hint = f"，是不是：{'、'.join(suggestions)}？" if suggestions else ""
    register = f"{'' if hint else '。'}{_REGISTER[what]}" if what in _REGISTER else ""
    return f"未知的{what}「{name}」{hint}{register}"


def case(file: PurePath, document: Document | None, sources: dict[str, Source] | None, practices: dict[str, Practice] | None,
         challenges: dict[str, Challenge] | None, metrics: dict[str, Metric] | None, problems: list[Problem]) -> Case | None:
    """One record, from the file ``file``; references into a registry that failed its own checks are not checked again."""
    if document is None:
        return None
    data: dict[str, Any] = document.data
    found: list[Problem] = []
    if file.stem != data["id"]:
        rename = f"请把文件改名为 {data['id']}{file.suffix}，或把 id 改为 {file.stem}"
        found.append(document.problem(("id",), f"文件名应与编号一致：{rename}"))
    if practices is not None:
        labels = {label: p.name for p in practices.values() for label in (p.name, *p.aliases)}
        for index, name in enumerate(data["practices"]):
            if name not in practices:
                found.append(document.problem(("practices", index), _unknown("做法", name, practices, labels)))
    if challenges is not None:
        labels = {label: c.name for c in challenges.values() for label in (c.name, *c.aliases)}
        for index, name in enumerate(data.get("problems", ())):
            if name not in challenges:
                found.append(document.problem(("problems", index), _unknown("问题", name, challenges, labels)))
    for index, source_id in enumerate(data["sources"]):
        if sources is not None and source_id not in sources:
            found.append(document.problem(("sources", index), _unknown("来源编号", source_id, sources)))
    statistics = []
    for index, entry in enumerate(data.get("statistics", [])):
        statistic = _statistic(entry, ("statistics", index), document, data["sources"], sources, metrics, found)
        if statistic:
            statistics.append(statistic)
    if data.get("since") and data["since"] > data["year"]:
        found.append(document.problem(("since",), f"起始年份 {data['since']} 晚于年份 {data['year']}"))
    problems.extend(found)
    if found:
        return None
    return Case(
        id=data["id"], title=data["title"].strip(), region=Region(**data["region"]), level=data["level"],
        year=data["year"], since=data.get("since"), practices=tuple(data["practices"]),
        summary=tidy(data["summary"]), background=tidy(data["background"]),
        measures=tuple(Measure(m["title"].strip(), tidy(m["text"])) for m in data["measures"]),
        outcomes=tuple(tidy(o) for o in data["outcomes"]), statistics=tuple(statistics),
        source_ids=tuple(data["sources"]), file=document.path, problems=tuple(data.get("problems", ())),
        conditions=tuple(tidy(c) for c in data.get("conditions", ())), cautions=tuple(tidy(c) for c in data.get("cautions", ())),
    )


def _statistic(raw: dict[str, Any], key_path: tuple[str, int], document: Document, cited: list[str],
               sources: dict[str, Source] | None, metrics: dict[str, Metric] | None,
               found: list[Problem]) -> Statistic | None:
    ok = True
    try:
        quantity = parse_quantity(raw["value"])
    except NumberPhraseError as error:
        found.append(document.problem(key_path + ("value",), str(error)))
        ok = False
    if metrics:  # a catalogue exists: every statistic names one of its metrics, in its unit
        metric = metrics.get(raw["metric"])
        if metric is None:
            labels = {label: m.name for m in metrics.values() for label in (m.name, *m.aliases)}
            found.append(document.problem(key_path + ("metric",), _unknown("指标", raw["metric"], metrics, labels)))
            ok = False
        elif ok and quantity.unit in metric.other_units:
            quantity = dataclasses.replace(quantity, unit=metric.unit)  # 80265名 counts 人: the phrase stays as written
        elif ok and quantity.unit not in (metric.unit, ""):
            accepted = "、".join(f"「{unit}」" for unit in (metric.unit, *metric.other_units))
            found.append(document.problem(key_path + ("value",), (
                f"单位「{quantity.unit}」不是指标「{metric.name}」的单位（可用：{accepted}）：请换用单位相同的指标；"
                f"若「{quantity.unit}」与「{metric.unit}」说的是同一单位，"
                f"在 cases/metrics.yml 该指标下加 other_units: [{quantity.unit}]")))
            ok = False
    if not _is_calendar_date(raw["as_of"]):
        found.append(document.problem(key_path + ("as_of",), _NO_SUCH_DAY.format(raw["as_of"])))
        ok = False
    if sources is not None and raw["source"] not in sources:
        found.append(document.problem(key_path + ("source",), _unknown("来源编号", raw["source"], sources)))
        ok = False
    elif raw["source"] not in cited:
        found.append(document.problem(key_path + ("source",), f"来源「{raw['source']}」没有列在本案例的 sources 里，请一并加上"))
        ok = False
    if not ok:
        return None
    return Statistic(
        metric=raw["metric"].strip(), quantity=quantity, as_of=str(raw["as_of"]), source_id=raw["source"],
        as_of_estimated=raw.get("as_of_estimated", False), scope=raw.get("scope"),
        note=tidy(raw["note"]) if raw.get("note") else None,
    )


