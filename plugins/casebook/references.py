"""Expand the casebook's references in hand-written Markdown pages.

``[[case:jiushengci-fengchao]]`` becomes a link to the case, titled with its name;
a line holding only ``[[card:jiushengci-fengchao]]`` becomes a card of the case;
a line holding only ``[[casebook:newest]]`` becomes that block (see ``templates/blocks/``);
``[[compare:id-one,id-two]]`` becomes a link to the comparison of those cases.
Fenced code is left alone, so pages can show the syntax. Unknown ids and blocks are
reported with file and line.
"""

from __future__ import annotations

import re
from typing import Iterable

from . import schema
from .problems import InvalidInput, Problem, closest
from .plan import Citing
from .render import MAX_COMPARED, Renderer

_CASE_REF = re.compile(r"\[\[case:([^\]\s]*)\]\]")
_BLOCK_REF = re.compile(r"^\s*\[\[casebook:([^\]\s]*)\]\]\s*$")
_COMPARE_REF = re.compile(r"\[\[compare:([^\]\s]*)\]\]")
_CARD_REF = re.compile(r"^\s*\[\[card:([^\]\s]*)\]\]\s*$")
# Which cases a page cites: any well-formed id (an unknown one is reported when the page is expanded).
_ANY_CASE_REF = re.compile(r"\[\[(?:case|card):(%s)\]\]" % schema.id_pattern().strip("^$"))
_TITLE = re.compile(r"^(?:title:\s*(.+)|#\s+(.+))$", re.M)
_FENCE = re.compile(r"^\s*(```|~~~)")


def expand(markdown: str, page_path: str, file: str, renderer: Renderer) -> str:
    """Return ``markdown`` with references replaced; raise :class:`InvalidInput` on unknown ones."""
    problems: list[Problem] = []
    lines = markdown.split("\n")
    for number, line in _outside_fences(lines):
        card = _CARD_REF.match(line)
        if card:
            lines[number] = _card(card.group(1), page_path, renderer, problems, file, number + 1)
            continue
        block = _BLOCK_REF.match(line)
        if block:
            lines[number] = _block(block.group(1), page_path, renderer, problems, file, number + 1)
            continue
        line = _CASE_REF.sub(lambda m: _case_link(m, page_path, renderer, problems, file, number + 1), line)
        lines[number] = _COMPARE_REF.sub(lambda m: _compare_link(m, page_path, renderer, problems, file, number + 1), line)
    if problems:
        raise InvalidInput(problems)
    return "\n".join(lines)


def citing(pages: Iterable[tuple[str, str]]) -> dict[str, list[Citing]]:
    """Which hand-written pages (path in docs/, Markdown) refer to which cases, for the cases' backlinks;
    read before the case pages are rendered."""
    found: dict[str, list[Citing]] = {}
    for path, markdown in sorted(pages):
        for case_id in cited_cases(markdown):
            found.setdefault(case_id, []).append(Citing(path, page_title(markdown, path)))
    return found


def cited_cases(markdown: str) -> list[str]:
    """The case ids a page refers to, in order of first mention (for backlinks)."""
    found = [m.group(1) for _, line in _outside_fences(markdown.split("\n")) for m in _ANY_CASE_REF.finditer(line)]
    return list(dict.fromkeys(found))


def has_references(markdown: str) -> bool:
    """Whether the page refers to the casebook at all (cases, cards or blocks)."""
    return any(_CASE_REF.search(line) or _COMPARE_REF.search(line) or _BLOCK_REF.match(line) or _CARD_REF.match(line)
               for _, line in _outside_fences(markdown.split("\n")))


def page_title(markdown: str, fallback: str) -> str:
    """The title a page shows: its front-matter title or first heading."""
    match = _TITLE.search(markdown)
    return (match.group(1) or match.group(2)).strip().strip("\"'") if match else fallback


def _outside_fences(lines: list[str]) -> list[tuple[int, str]]:
    kept, in_fence = [], False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            kept.append((number, line))
    return kept


def _card(case_id: str, page_path: str, renderer: Renderer, problems: list[Problem], file: str, line: int) -> str:
    case = renderer.casebook.case(case_id)
    if case is None:
        problems.append(Problem(file, line, 1, f"[[card:{case_id}]]", _no_such_case(case_id, renderer)))
        return ""
    return renderer.card(case, page_path)


def _no_such_case(case_id: str, renderer: Renderer) -> str:
    ids = [c.id for c in renderer.casebook.cases]
    close = closest(case_id, ids)
    hint = f"，是不是：{'、'.join(close)}？" if close else ""
    return f"没有编号为「{case_id}」的案例{hint}"


def _block(name: str, page_path: str, renderer: Renderer, problems: list[Problem], file: str, line: int) -> str:
    try:
        return renderer.block(name, page_path)
    except KeyError:
        available = "、".join(renderer.block_names)
        problems.append(Problem(file, line, 1, f"[[casebook:{name}]]", f"没有名为「{name}」的区块（可用：{available}）"))
        return ""


def _case_link(match: re.Match[str], page_path: str, renderer: Renderer, problems: list[Problem], file: str, line: int) -> str:
    case_id = match.group(1)
    case = renderer.casebook.case(case_id)
    if case is None:
        problems.append(Problem(file, line, match.start() + 1, f"[[case:{case_id}]]", _no_such_case(case_id, renderer)))
        return match.group(0)
    return renderer.case_link(case, page_path)


def _compare_link(match: re.Match[str], page_path: str, renderer: Renderer, problems: list[Problem], file: str, line: int) -> str:
    ids = match.group(1).split(",")
    found = [renderer.casebook.case(case_id) for case_id in ids]
    cases = [case for case in found if case is not None]
    for case_id, case in zip(ids, found):
        if case is None:
            problems.append(Problem(file, line, match.start() + 1, match.group(0), _no_such_case(case_id, renderer)))
    if len(set(ids)) != len(ids) or not 2 <= len(ids) <= MAX_COMPARED:
        problems.append(Problem(file, line, match.start() + 1, match.group(0),
                                f"要写 2 到 {MAX_COMPARED} 个不同的案例编号，用英文逗号隔开"))
    if len(cases) != len(ids):
        return match.group(0)
    return renderer.compare_link(cases, page_path)
