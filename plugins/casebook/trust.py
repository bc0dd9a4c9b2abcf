"""How far to trust a case, worked out from its record: how complete it is and how its sources back it.

Readers see both on every case page and can filter by them; editors see what a record lacks.
The editorial standard page (编辑规范) prints these rules from here, so the page and the
computation cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import Case, Casebook

COMPLETE, PARTIAL, SKETCH = "完整", "部分", "概要"
CORROBORATED, SINGLE, REPOST = "多个来源互证", "单一来源", "据转载"

# What a complete record has, each with the test on the record. 完整: all of them; 部分: all but one
# or two; 概要: fewer.
CRITERIA: tuple[tuple[str, Callable[[Case], bool]], ...] = (
    ("背景写明为什么做（30字以上）", lambda case: len(case.background) >= 30),
    ("两条以上具体做法", lambda case: len(case.measures) >= 2),
    ("成效", lambda case: bool(case.outcomes)),
    ("至少一条数据", lambda case: bool(case.statistics)),
    ("两篇以上来源", lambda case: len(case.source_ids) >= 2),
)
COMPLETENESS_RULES = {COMPLETE: "五项都有", PARTIAL: "缺一到两项", SKETCH: "缺三项以上"}
VERIFICATION_RULES = {
    CORROBORATED: "两篇以上报道记载，可以互相印证",
    SINGLE: "只有一篇报道，读的是刊物或网站自己的版本",
    REPOST: "只有转载页面（转载注明了原刊物），原刊物的版本没有找到",
}
LEVEL_ORDER = {COMPLETE: 2, PARTIAL: 1, SKETCH: 0, CORROBORATED: 2, SINGLE: 1, REPOST: 0}


@dataclass(frozen=True)
class Trust:
    completeness: str
    missing: tuple[str, ...]  # the criteria the record does not meet, for editors
    verification: str

    @property
    def strength(self) -> tuple[int, int]:
        """Stronger evidence sorts first when negated: sources, then completeness."""
        return (LEVEL_ORDER[self.verification], LEVEL_ORDER[self.completeness])


def trust(case: Case, casebook: Casebook) -> Trust:
    missing = tuple(name for name, met in CRITERIA if not met(case))
    completeness = COMPLETE if not missing else PARTIAL if len(missing) <= 2 else SKETCH
    sources = [casebook.sources[source_id] for source_id in case.source_ids]
    if len(sources) >= 2:
        verification = CORROBORATED
    elif all(source.repost_site for source in sources):
        verification = REPOST
    else:
        verification = SINGLE
    return Trust(completeness, missing, verification)


def rules() -> dict[str, object]:
    """The rules as the editorial standard page prints them."""
    return {"criteria": [name for name, _ in CRITERIA], "completeness": COMPLETENESS_RULES, "verification": VERIFICATION_RULES}
