"""Runs of words copied from an article into the records: facts carry over, sentences do not.

Whitespace is ignored and full-width punctuation folded on both sides, so re-wrapping a line or
changing ， to , does not hide a copied sentence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .layout import RECORD_SUFFIXES, display

LONGEST_ALLOWED = 29  # a run of 30 characters or more is a copied sentence
_FOLD = str.maketrans("，。；：！？（）、“”‘’", ",.;:!?(),\"\"''")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CopiedRun:
    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: 与原文连续 {len(self.text)} 个字相同，请用自己的话改写：「{self.text}」"


def squashed(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, punctuation folded, and the line of each character kept."""
    characters, lines = [], []
    for number, line in enumerate(text.splitlines(), 1):
        for char in _SPACE.sub("", line).translate(_FOLD):
            characters.append(char)
            lines.append(number)
    return "".join(characters), lines


def copied_runs(article: str, files: Iterable[tuple[str, str]]) -> list[CopiedRun]:
    """Every maximal run of 30+ characters that a file shares with the article."""
    source, _ = squashed(article)
    width = LONGEST_ALLOWED + 1
    grams = {source[i:i + width] for i in range(len(source) - width + 1)}
    runs = []
    for name, text in files:
        record, lines = squashed(text)
        start = 0
        while start <= len(record) - width:
            if record[start:start + width] not in grams:
                start += 1
                continue
            end = start + width
            while end < len(record) and record[end - width + 1:end + 1] in grams:
                end += 1
            runs.append(CopiedRun(name, lines[start], record[start:end]))
            start = end
    return runs


def record_texts(paths: Iterable[Path], base: Path) -> Iterable[tuple[str, str]]:
    """The YAML files under ``paths`` (files or folders) as (name, text); links are not followed."""
    for path in paths:
        files = [path] if path.is_file() else sorted(
            Path(here) / name for here, _, names in os.walk(path) for name in names)
        for file in files:
            if file.suffix in RECORD_SUFFIXES and file.is_file() and not file.is_symlink():
                yield display(file, base), file.read_text(encoding="utf-8", errors="replace")
