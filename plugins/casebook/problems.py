"""One way to say what is wrong with an input file: ``file:line:column: field: message``."""

from __future__ import annotations

from dataclasses import dataclass


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
