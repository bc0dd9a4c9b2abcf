"""One way to say what is wrong with an input file: ``file:line:column: field: message``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

# How alike (characters shared in order) a suggestion must be: 蜂巢治理 → 蜂巢自治 (0.75) is offered;
# 五级组织体系 → 五级包保 (0.4) and 执法力量下沉 → 疫情防控党员下沉 (0.29) are not.
SIMILAR_ENOUGH = 0.6


@dataclass(frozen=True, order=True)
class Problem:
    """A problem found in one file, located as precisely as the input allows."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.file}:{self.line}:{self.column}:{field} {self.message}"


class InvalidInput(Exception):
    """Raised when input files have problems; carries every problem, sorted by place."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(problem) for problem in self.problems]
        lines.append(f"共 {count} 处问题，请按上面的文件和行号逐一修改。")
        return "\n".join(lines)


def closest(name: str, labels: Iterable[str], limit: int = 3) -> list[str]:
    """The labels most like ``name`` (one containing the other counts too); none rather than a
    misleading one."""
    scored = []
    for label in labels:
        contains = min(len(name), len(label)) >= 2 and (name in label or label in name)
        score = 1.0 if contains else SequenceMatcher(None, name, label).ratio()
        if score >= SIMILAR_ENOUGH:
            scored.append((-score, label))
    return [label for _, label in sorted(scored)[:limit]]
