"""A compact search index in the format Material's search box reads (``search/search_index.json``).

One entry per page with the fields that matter: titles, practice names with their aliases, place
names with their short forms, summaries and measure titles, not whole pages section by section.
Chinese is segmented at build time with jieba in search-engine mode, so whole terms (蜂巢自治)
and their parts (蜂巢, 自治) are both tokens; our vocabulary is jieba's custom dictionary.
The browser does not segment queries, so these tokens are what a typed word must match.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path

import jieba

from .memo import Memo
from .model import Case, Casebook
from .processes import forked_pool
from .paths import SEARCH_INDEX, SEARCH_INDEX_SCRIPT, case_path, metric_path, practice_path, problem_path

# jieba tells stderr about loading its dictionary on every build; a reader of the build log has no use for it.
jieba.setLogLevel(logging.WARNING)

# Material's separator plus the zero-width space that joins our segments.
SEPARATOR = r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'
# Titles and tags (practices, aliases, places) weigh above body text. `terms` holds the parts of
# long words (蜂巢自治 → 蜂巢, 自治): searched, never shown, so results read as written.
FIELDS = {"title": {"boost": 10.0}, "tags": {"boost": 5.0}, "terms": {"boost": 3.0}, "text": {"boost": 1.0}}
PLACE_SUFFIXES = ("朝鲜族自治州", "满族自治县", "保护开发区", "自治州", "自治县", "社区", "街道", "开发区",
                  "市", "区", "县", "乡", "镇", "村")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,10})[”\"]")


# A reader looking for a case should find the case first; the vocabulary pages come after it.
BOOSTS = {"case": 2.0, "page": 1.0, "practice": 0.8, "metric": 0.3}


@dataclass
class Entry:
    location: str
    title: str
    text: str = ""
    tags: list[str] = field(default_factory=list)
    boost: float = BOOSTS["page"]


def short_place(name: str) -> str:
    """长春市 → 长春, 伊通满族自治县 → 伊通, 九圣祠社区 → 九圣祠 (never shorter than two characters)."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class Segmenter:
    """jieba with the casebook's own words, so 红心物业 and 三长联动 stay whole (their parts still match)."""

    def __init__(self, words: set[str], cache_dir: str | None = None):
        self.words = sorted(words)
        self.cache_dir = cache_dir
        self.known = frozenset(words)
        # Each run of Chinese is cut three times for one entry, and names recur across entries.
        self.cut = lru_cache(maxsize=16384)(lambda run: tuple(self.tokenizer.cut(run)))
        # Index documents of the last build by entry: under `mkdocs serve` only edited entries are segmented again.
        self.documents = Memo()

    @cached_property
    def tokenizer(self) -> jieba.Tokenizer:
        tokenizer = jieba.Tokenizer()
        if self.cache_dir:  # jieba keeps its prefix dictionary in the system's temporary folder unless told
            Path(self.cache_dir).mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = self.cache_dir
        for word in self.words:
            tokenizer.add_word(word, freq=2000)
        return tokenizer

    def __call__(self, text: str) -> str:
        """``text`` as shown, with zero-width spaces between its words."""
        return _HAN.sub(lambda m: "\u200b" + "\u200b".join(self.cut(m.group(0))) + "\u200b", text).strip("\u200b")

    def parts(self, text: str, vocabulary_only: bool = False) -> list[str]:
        """Words inside the words of ``text``, for the hidden field: 蜂巢 and 自治 in 蜂巢自治, and the
        leading parts of long words (五长 in 五长制), because Material's query segmentation never
        tries a segment that ends at the query's last character: 五长制 is looked up as 五长.
        With ``vocabulary_only``, only words of our vocabulary are taken apart."""
        found: dict[str, None] = {}
        for run in _HAN.findall(text):
            words = [w for w in self.cut(run) if not vocabulary_only or w in self.known]
            for word in words:
                found.update((term, None) for term in self.tokenizer.cut_for_search(word))
                found.update((word[:end], None) for end in range(2, len(word)))
            for word in self.cut(run):
                found.pop(word, None)
        return list(found)


@lru_cache(maxsize=4)
def segmenter_for(words: frozenset[str], cache_dir: str | None = None) -> Segmenter:
    """One segmenter per vocabulary: under `mkdocs serve` the dictionary is loaded once, not per rebuild.
    ``cache_dir`` holds jieba's prepared dictionary between builds (by default the system's temporary folder)."""
    return Segmenter(set(words), cache_dir)


def casebook_entries(casebook: Casebook, pages: list[tuple[str, str]]) -> list[Entry]:
    """Entries for the casebook's own pages; ``pages`` maps page paths (``cases/x.md``) to locations."""
    location = dict(pages)
    entries = [case_entry(casebook, case, location[case_path(case.id)]) for case in casebook.cases]
    entries += [Entry(location[practice_path(p.id)], p.name, p.description, list(p.aliases), BOOSTS["practice"])
                for p in casebook.practices.values() if practice_path(p.id) in location]
    entries += [Entry(location[problem_path(p.id)], p.name, p.description, list(p.aliases), BOOSTS["practice"])
                for p in casebook.problems.values() if problem_path(p.id) in location]
    entries += [Entry(location[metric_path(m.id)], m.name, m.definition, list(m.aliases), BOOSTS["metric"])
                for m in casebook.metrics.values() if metric_path(m.id) in location]
    return entries


def vocabulary(casebook: Casebook) -> set[str]:
    words: set[str] = set()
    for term in (*casebook.practices.values(), *casebook.problems.values()):
        words.update((term.name, *term.aliases))
    for metric in casebook.metrics.values():
        words.update((metric.name, *metric.aliases))
    for case in casebook.cases:
        for place in case.region.path:
            words.update((place, short_place(place)))
        # Programme names are quoted in the texts (“一网四平台”, “春城驿站”): what readers remember.
        for text in (case.title, case.summary, *(m.title for m in case.measures), *(m.text for m in case.measures)):
            words.update(_QUOTED.findall(text))
    return {word for word in words if 2 <= len(word) <= 10 and _HAN.fullmatch(word)}


def case_entry(casebook: Casebook, case: Case, location: str) -> Entry:
    tags = []
    for name in case.practices:
        practice = casebook.practices[name]
        tags += [practice.name, *practice.aliases]
    # The problem a reader comes with, in the words they use (老人吃饭难, 快递小哥).
    for name in case.problems:
        problem = casebook.problems[name]
        tags += [problem.name, *problem.aliases]
    for place in case.region.path[1:]:
        tags += [place, short_place(place)]
    text = " ".join([case.summary, *(m.title for m in case.measures)])
    return Entry(location, case.title, text, list(dict.fromkeys(tags)), BOOSTS["case"])


def documents(entries: list[Entry], words: frozenset[str], cache_dir: str | None = None) -> list[dict[str, object]]:
    """The index documents of ``entries``, segmented with our vocabulary ``words``. Documents of
    the last call with the same vocabulary are reused for unchanged entries (`mkdocs serve`)."""
    segment = segmenter_for(words, cache_dir)
    segment.documents.start()
    return [segment.documents.get((entry.location, entry.title, entry.text, tuple(entry.tags), entry.boost),
                                  partial(_document, entry, segment)) for entry in entries]


def index_json(docs: list[dict[str, object]]) -> str:
    """The index file: Material's config and the documents."""
    config = {"lang": ["en"], "separator": SEPARATOR, "pipeline": [], "fields": FIELDS}
    return json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))


def index_script(index: str) -> str:
    """The index file as a script, the form Material's search reads from ``file://`` (as ``__index``)."""
    return f"var __index = {index}"


def _document(entry: Entry, segment: Segmenter) -> dict[str, object]:
    doc: dict[str, object] = {"location": entry.location, "title": segment(entry.title), "text": segment(entry.text)}
    if entry.tags:
        doc["tags"] = [segment(tag) for tag in entry.tags]
    # All words of titles and tags are taken apart; of body text only our vocabulary (programme
    # names such as 一网四平台): every word of it cost more than half the index at 1000 cases.
    parts = list(dict.fromkeys(segment.parts(" ".join([entry.title, *entry.tags]))
                               + segment.parts(entry.text, vocabulary_only=True)))
    if parts:
        doc["terms"] = "\u200b".join(parts)
    if entry.boost != 1:
        doc["boost"] = entry.boost  # Material's worker passes it to lunr as the document boost
    return doc


_MARKUP = re.compile(r"<[^>]+>|\{[:#][^}]*\}|^---$.*?^---$|[#*_`>|\[\]!]|\(([^)\s]+\.md[^)]*)\)", re.S | re.M)


def plain_text(markdown: str) -> str:
    """Hand-written pages enter the index as plain text: markup, link targets and front matter removed."""
    return " ".join(_MARKUP.sub(" ", markdown).split())


_BUILDS_IN_THIS_PROCESS = itertools.count()


class SiteIndex:
    """The search index of a site as builds make it. In a one-off build the casebook's pages are segmented
    (jieba's dictionary loaded first) in a process of their own while the engine renders pages; hand-written
    pages are added as the engine reads them, and kept for the next build (``mkdocs serve`` reads only pages
    that changed)."""

    def __init__(self, cache_dir: str | None = None):
        self.cache_dir = cache_dir  # where jieba keeps its prepared dictionary between builds
        self.pages: dict[str, Entry] = {}  # hand-written page (its source path) → its entry
        self.segmenting: ProcessPoolExecutor | None = None

    def start(self, casebook: Casebook, pages: list[tuple[str, str]], processes: int) -> None:
        """Begin with the casebook's ``pages`` (path, URL); with more than one process, segment them meanwhile."""
        self.stop()
        self.entries = casebook_entries(casebook, pages)
        self.words = frozenset(vocabulary(casebook))
        # A one-off build (the `mkdocs build` command) loads jieba's dictionary in a process of its own while
        # pages render; a process that builds again (scripts and tests using MkDocs' API) keeps it loaded
        # from its second build on (segmenter_for) rather than loading it in a new process every time.
        first_build = next(_BUILDS_IN_THIS_PROCESS) == 0
        self.segmenting = forked_pool(1) if processes > 1 and first_build else None
        if self.segmenting is not None:
            self.casebook_documents = self.segmenting.submit(documents, self.entries, self.words, self.cache_dir)

    def add_page(self, source: str, location: str, title: str, markdown: str) -> None:
        self.pages[source] = Entry(location, title, plain_text(markdown))

    def keep_pages(self, sources: Iterable[str]) -> None:
        """Forget the hand-written pages that are gone from the site."""
        kept = set(sources)
        self.pages = {source: entry for source, entry in self.pages.items() if source in kept}

    def write(self, site_dir: Path, file_addresses: bool) -> None:
        """Write the index into the built site (where Material's search reads it), once every page is in."""
        hand_written = sorted(self.pages.values(), key=lambda entry: entry.location)
        if self.segmenting is None:
            found = documents(self.entries + hand_written, self.words, self.cache_dir)
        else:
            later = self.segmenting.submit(documents, hand_written, self.words, self.cache_dir)
            found = self.casebook_documents.result() + later.result()
            self.stop()
        index = index_json(found)
        (site_dir / SEARCH_INDEX).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / SEARCH_INDEX).write_text(index, encoding="utf-8")
        # Pages with file addresses are for opening from a folder (the offline copy), where browsers
        # read no JSON file: there Material's search reads the index from a script.
        if file_addresses:
            (site_dir / SEARCH_INDEX_SCRIPT).write_text(index_script(index), encoding="utf-8")

    def stop(self) -> None:
        """End the segmenting process (a build that failed leaves none behind)."""
        if self.segmenting is not None:
            self.segmenting.shutdown(cancel_futures=True)
            self.segmenting = None
