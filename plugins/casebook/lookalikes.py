"""Warn when two records look like the same case entered twice."""

from __future__ import annotations

import difflib
from collections import defaultdict
from functools import lru_cache
import re

from .model import Case, Casebook
from .problems import Problem
from .schema import field_label

TITLE_SIMILARITY = 0.6
_NOISE = re.compile(r"[“”\"'《》（）()、·\s]")


def lookalikes(casebook: Casebook) -> list[Problem]:
    """Pairs in the same place, sharing a practice, with similar titles.

    Each pair is reported on both files: which one is new is not known here, and a pull request
    must show the warning on the file it adds.
    """
    warnings = []
    # Only cases of one place are compared: all pairs of a large casebook would take minutes.
    places: dict[tuple[str, ...], list[Case]] = defaultdict(list)
    for case in sorted(casebook.cases, key=lambda case: case.file):
        places[case.region.path].append(case)
    pairs = ((case, other) for cases in places.values() for index, case in enumerate(cases) for other in cases[:index])
    for case, other in pairs:
        shared = [name for name in case.practices if name in other.practices]
        if shared and _similar(case, other):
            for this, that in ((case, other), (other, case)):
                warnings.append(Problem(this.file, 1, 1, field_label("case", ("title",)),
                                        f"与 {that.file}「{that.title}」很像（同在{this.region.name}、同为{shared[0]}），"
                                        "请确认不是同一个案例重复录入"))
    return sorted(warnings)


def _similar(one: Case, other: Case) -> bool:
    # Titles of one place all start with its name; what follows says whether they are the same case.
    return _similar_titles(_core(one), _core(other))


# Every build compares the same pairs again (each rebuild of `mkdocs serve`), and title pairs repeat rarely
# enough that this holds the pairs of a large casebook.
@lru_cache(maxsize=1 << 17)
def _similar_titles(one: str, other: str) -> bool:
    return difflib.SequenceMatcher(None, one, other).ratio() >= TITLE_SIMILARITY


def _core(case: Case) -> str:
    title = case.title
    for name in case.region.path:
        title = title.replace(name, "")
    return _NOISE.sub("", title)
