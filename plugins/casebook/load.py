"""Load ``cases/``: find every file, read it, and have the registries and records validated together.

Every problem of every file is collected before anything fails, so an editor sees the
whole list at once. Only a fully valid casebook is returned.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from . import schema, validate
from .layout import METRICS_FILE, PRACTICES_FILE, PROBLEMS_FILE, REDIRECTS_FILE, SOURCES_FILE, SYMLINK, display, misplaced, survey
from .lookalikes import lookalikes
from .memo import Memo
from .model import Case, Casebook, Challenge, Metric, Practice
from .problems import InvalidInput, Problem
from .yamlsource import Document, YamlProblem, parse_bytes


def load_casebook(root: Path, base: Path | None = None, records: Memo | None = None) -> Casebook:
    """Load and check everything under ``root``; raise :class:`InvalidInput` listing every problem.

    File names in messages are relative to ``base`` (the project folder by default). With the
    ``records`` of an earlier call (``mkdocs serve``), only records whose bytes changed are parsed
    and checked again; a changed registry (sources, practices, metrics) has every record checked.
    """
    base = base or root.parent
    files, problems = survey(root, base)
    records = records or Memo()
    records.start(tuple(_bytes(root / name) for name in (SOURCES_FILE, PRACTICES_FILE, PROBLEMS_FILE, METRICS_FILE)))
    sources = _read(root / SOURCES_FILE, "sources", base, problems)
    practices = _read(root / PRACTICES_FILE, "practices", base, problems)
    challenge_map = validate.vocabulary(_read(root / PROBLEMS_FILE, "problems", base, problems), "问题", Challenge, problems)
    source_map = validate.sources(sources, problems)
    practice_map = validate.vocabulary(practices, "做法", Practice, problems)
    metric_map: dict[str, Metric] | None = {}  # the metric catalogue is optional: it exists once a record has figures
    if (root / METRICS_FILE).exists():
        metric_map = validate.metrics(_read(root / METRICS_FILE, "metrics", base, problems), practice_map, problems)
    cases: dict[str, Case] = {}
    for file in files:
        raw = file.read_bytes()
        case = records.get((display(file, base), raw),
                           partial(_case, file, raw, base, (source_map, practice_map, challenge_map, metric_map), problems))
        if case is None:
            continue
        if case.id in cases:
            problems.append(Problem(case.file, 1, 1, schema.field_label("case", ("id",)),
                                    f"编号「{case.id}」已被 {cases[case.id].file} 使用，编号不能重复"))
            continue
        cases[case.id] = case
    redirects: dict[str, str] = {}  # optional too: the file exists once an id has had to change
    if (root / REDIRECTS_FILE).exists():
        redirects = validate.redirects(_read(root / REDIRECTS_FILE, "redirects", base, problems), cases, problems)
    if problems or source_map is None or practice_map is None or challenge_map is None or metric_map is None:
        raise InvalidInput(problems)
    return Casebook(cases=tuple(cases[key] for key in sorted(cases)), practices=practice_map, problems=challenge_map,
                    sources=source_map, redirects=redirects, metrics=metric_map)


def _case(file: Path, raw: bytes, base: Path, registries: tuple[Any, Any, Any, Any], problems: list[Problem]) -> Case | None:
    sources, practices, challenges, metrics = registries
    return validate.case(file, _read(file, "case", base, problems, raw), sources, practices, challenges, metrics, problems)


def _bytes(file: Path) -> bytes:
    return file.read_bytes() if file.is_file() and not file.is_symlink() else b""


def _read(file: Path, kind: str, base: Path, problems: list[Problem], raw: bytes | None = None) -> Document | None:
    shown = display(file, base)
    if raw is None and file.is_symlink():
        problems.append(Problem(shown, 1, 1, "", SYMLINK))
        return None
    if raw is None and not file.is_file():
        problems.append(Problem(shown, 1, 1, "", "找不到这个文件"))
        return None
    try:
        document = parse_bytes(file.read_bytes() if raw is None else raw, shown, partial(schema.field_label, kind))
    except YamlProblem as error:
        problems.append(error.problem)
        return None
    found = schema.check(kind, document)
    problems.extend(found)
    return None if found else document


def reminders(casebook: Casebook) -> list[Problem]:
    """What a valid casebook may still have wrong, for an editor to look at: two records that look like
    the same case, a record in another city's folder. `casebook validate` lists them; a build warns."""
    return sorted(lookalikes(casebook) + misplaced(casebook))
