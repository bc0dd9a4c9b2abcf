"""Expand the casebook's references in hand-written Markdown pages.

``[[case:jiushengci-fengchao]]`` becomes a link to the case, titled with its name;
a line holding only ``[[casebook:newest]]`` becomes that block (see ``templates/blocks/``).
Fenced code is left alone, so pages can show the syntax. Unknown ids and blocks are
reported with file and line.
"""

from __future__ import annotations

import difflib
import re

from .problems import InvalidInput, Problem
from .render import Renderer, case_path

_CASE_REF = re.compile(r"\[\[case:([^\]\s]*)\]\]")
_BLOCK_REF = re.compile(r"^\s*\[\[casebook:([^\]\s]*)\]\]\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def expand(markdown: str, page_path: str, file: str, renderer: Renderer) -> str:
    """Return ``markdown`` with references replaced; raise :class:`InvalidInput` on unknown ones."""
    problems: list[Problem] = []
    lines = markdown.split("\n")
    in_fence = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        block = _BLOCK_REF.match(line)
        if block:
            lines[number] = _block(block.group(1), page_path, renderer, problems, file, number + 1)
            continue
        lines[number] = _CASE_REF.sub(lambda m: _case_link(m, page_path, renderer, problems, file, number + 1), line)
    if problems:
        raise InvalidInput(problems)
    return "\n".join(lines)


def _block(name: str, page_path: str, renderer: Renderer, problems: list[Problem], file: str, line: int) -> str:
    try:
        return renderer.block(name, page_path)
    except KeyError:
        problems.append(Problem(file, line, 1, f"[[casebook:{name}]]", f"没有名为「{name}」的区块（可用：{'、'.join(_block_names(renderer))}）"))
        return ""


def _block_names(renderer: Renderer) -> list[str]:
    return sorted(t.removeprefix("blocks/").removesuffix(".md.j2") for t in renderer.env.list_templates() if t.startswith("blocks/"))


def _case_link(match: re.Match[str], page_path: str, renderer: Renderer, problems: list[Problem], file: str, line: int) -> str:
    case_id = match.group(1)
    case = renderer.casebook.case(case_id)
    if case is None:
        ids = [c.id for c in renderer.casebook.cases]
        close = difflib.get_close_matches(case_id, ids, n=3, cutoff=0.5)
        hint = f"，是不是：{'、'.join(close)}？" if close else ""
        problems.append(Problem(file, line, match.start() + 1, f"[[case:{case_id}]]", f"没有编号为「{case_id}」的案例{hint}"))
        return match.group(0)
    return renderer.env.from_string("[{{ case.title }}]({{ href(target) }})").render(
        case=case, target=case_path(case.id), here=page_path
    )
