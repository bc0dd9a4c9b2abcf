"""The casebook's part of a site, for any engine: load → validate → index → plan → render → publish.

A :class:`Builder` lives as long as the engine's process (a whole ``mkdocs serve``): what one build
worked out (records, rankings, pages) is kept for the next (:class:`casebook.memo.Memos`), so that after
an edit only what changed is redone. An engine adapter adds the pages and files to its site and writes
the search index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import publish
from .load import load_casebook
from .memo import Memos
from .model import Casebook
from .plan import Indexes, Site, plan
from .render import Page, Renderer


@dataclass(frozen=True)
class Made:
    """What a build made: the casebook it loaded, its rendered pages, every other file (path → content),
    and the renderer that hand-written pages use for their references and blocks."""

    casebook: Casebook
    pages: list[Page]
    files: dict[str, str | bytes]
    renderer: Renderer


class Builder:
    def __init__(self, processes: int = 1, memos: Memos | None = None):
        self.processes = processes  # pages are rendered in up to this many processes
        self.memos = memos or Memos()

    def build(self, cases_dir: Path, project_dir: Path, site: Site, templates_dir: Path | None = None,
              offline_copy: bytes | None = None) -> Made:
        """Raises :class:`casebook.problems.InvalidInput` listing every problem of the records."""
        casebook = load_casebook(cases_dir, base=project_dir, records=self.memos.records)
        indexes = Indexes(casebook, self.memos.rankings)
        renderer = Renderer(casebook, site, templates_dir, indexes, self.memos.pages,
                            len(offline_copy) if offline_copy is not None else None)
        pages = renderer.pages(plan(casebook, site, indexes), self.processes)
        return Made(casebook, pages, publish.files(renderer, offline_copy), renderer)
