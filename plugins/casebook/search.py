"""The search index, sharded so that a reader downloads only the parts a query needs.

One entry per page with the fields that matter: titles, practice and problem names with their aliases,
the metrics a case reports, place names with their short forms, summaries and measure titles. Text is
cut into runs of Han characters and runs of Latin letters and digits (AB岗 → ab, 岗); Han runs are
segmented with jieba in search-engine mode and our vocabulary as its dictionary, so whole terms
(蜂巢自治) and their parts (蜂巢, 自治) are both terms. Each term's weight in each entry is lunr's
(BM25 over fields with boosts, lunr's k1 and b),
worked out here once instead of in every reader's browser.

What is written (``search/``):

- ``search_index.json``: the manifest, in the shape Material's search box reads and hands to its worker,
  which is ours (``assets/casebook/search.js``): how terms and entries are sharded, the filler words, the
  run pattern. It holds no entries, so opening search costs a few hundred bytes before the query.
- ``terms/N.json``: the terms whose first character falls in shard N (its code point modulo the shard
  count), each with its entries and weights. The terms starting at a query's characters are both the
  dictionary the worker segments the query with and the postings it ranks with.
- ``entries/N.json``: what a result shows (address, title, place and level, the text a snippet is cut from),
  a few entries per shard, fetched only for the results on screen.

Pages with file addresses (the offline copy) get the same files as scripts, which a page opened from a
folder can load where it cannot read JSON.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
import posixpath
import re
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from importlib import resources
from pathlib import Path

import jieba

from .memo import Memo
from .model import Case, Casebook
from .processes import forked_pool
from .paths import (SEARCH_DIR, SEARCH_INDEX, SEARCH_INDEX_SCRIPT, SEARCH_WORKER, case_path, metric_path, practice_path,
                    problem_path)

# jieba tells stderr about loading its dictionary on every build; a reader of the build log has no use for it.
jieba.setLogLevel(logging.WARNING)

# Material's separator: its search box highlights the words of a query on the page a result opens with it.
SEPARATOR = r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'
# What a term is made of, on both sides (the worker reads this pattern from the manifest): a run of Han
# characters or of Latin letters and digits, after NFKC and lower case. Everything else separates terms,
# Chinese punctuation included, and a change of script does too: AB岗 is ab and 岗, 12345热线 is 12345 and 热线.
RUNS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+"
_RUN = re.compile(RUNS)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Words a question is asked with, which say nothing of what is sought (老人吃饭怎么办 → 老人, 吃饭; 社区食堂数量 →
# 社区食堂: a case's figures are on its page). The index
# leaves them out and the worker drops them from queries; a word that contains one (没人管) is kept whole.
FILLERS = ("的", "了", "吗", "呢", "吧", "啊", "呀", "和", "与", "及", "或", "在", "是", "有", "没", "把", "被", "给",
           "都", "也", "就", "还", "又", "很", "让", "对", "从", "向", "到", "去", "来", "能", "会", "要", "想", "请问",
           "怎么", "怎样", "怎么办", "怎么样", "如何", "什么", "哪些", "哪个", "哪里", "哪儿", "多少", "几个", "数量", "为什么",
           "可以", "应该", "一下", "关于", "有关", "有没有", "这个", "那个", "这些", "那些", "我们", "他们", "一些",
           "方面", "情况", "相关")
# Entries' fields and their boosts: titles and tags (practices, problems, metrics, places with their other
# names) weigh above body text; `parts` holds the parts of long words (蜂巢自治 → 蜂巢, 自治).
FIELDS = {"title": 10.0, "tags": 5.0, "parts": 3.0, "text": 1.0}
# BM25's saturation and length normalisation, lunr's defaults: of two entries naming a practice, the one
# with fewer tags is more about it.
K1, B = 1.2, 0
# A reader looking for a case should find the case first; the vocabulary pages come after it.
BOOSTS = {"case": 2.0, "page": 1.0, "practice": 0.8, "metric": 0.3}
PLACE_SUFFIXES = ("朝鲜族自治州", "满族自治县", "保护开发区", "自治州", "自治县", "社区", "街道", "开发区",
                  "市", "区", "县", "乡", "镇", "村")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,10})[”\"]")
# Sizes: a term shard of about this many bytes before compression (the count is a power of two, at most
# MAX_TERM_SHARDS); entries per entry shard; characters of text kept for a result's snippet.
TERM_SHARD_BYTES = 24_000
MAX_TERM_SHARDS = 1024
ENTRIES_PER_SHARD = 8
SNIPPET_SOURCE = 160


@dataclass
class Entry:
    """A page as search knows it: what is indexed (title, text, tags) and what a result shows (title,
    ``label``: place, level and year of a case or the kind of page, and ``summary`` for the snippet)."""

    location: str
    title: str
    text: str = ""
    tags: list[str] = field(default_factory=list)
    boost: float = BOOSTS["page"]
    label: str = ""
    summary: str = ""


def short_place(name: str) -> str:
    """长春市 → 长春, 伊通满族自治县 → 伊通, 九圣祠社区 → 九圣祠 (never shorter than two characters)."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def normalized(text: str) -> str:
    """Full-width letters and digits as ASCII, lower case: how both sides compare text."""
    return unicodedata.normalize("NFKC", text).lower()


class Segmenter:
    """jieba with the casebook's own words, so 红心物业 and 三长联动 stay whole (their parts are terms too)."""

    def __init__(self, words: set[str], cache_dir: str | None = None):
        self.words = sorted(words)
        self.cache_dir = cache_dir
        self.known = frozenset(words)
        # Each run of Chinese is cut for several fields of an entry, and names recur across entries.
        self.cut = lru_cache(maxsize=16384)(lambda run: tuple(self.tokenizer.cut(run)))

    @cached_property
    def tokenizer(self) -> jieba.Tokenizer:
        tokenizer = jieba.Tokenizer()
        if self.cache_dir:  # jieba keeps its prepared dictionary in the system's temporary folder unless told
            Path(self.cache_dir).mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = self.cache_dir
        for word in self.words:
            tokenizer.add_word(word, freq=2000)
        return tokenizer

    def words_of(self, text: str) -> Iterator[str]:
        """The words of ``text`` as a reader would type them: Han runs cut, Latin and digit runs whole."""
        for run in _RUN.findall(normalized(text)):
            yield from (self.cut(run) if _HAN.match(run) else (run,))

    def parts(self, text: str, vocabulary_only: bool = False) -> list[str]:
        """Words inside the words of ``text``: 蜂巢 and 自治 in 蜂巢自治. With ``vocabulary_only``, only
        words of our vocabulary are taken apart."""
        found: dict[str, None] = {}
        for word in self.words_of(text):
            if len(word) > 2 and _HAN.match(word) and (not vocabulary_only or word in self.known):
                found.update((term, None) for term in self.tokenizer.cut_for_search(word) if term != word)
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
    for kind, terms, path, boost in (("做法", casebook.practices, practice_path, BOOSTS["practice"]),
                                     ("问题", casebook.problems, problem_path, BOOSTS["practice"])):
        entries += [Entry(location[path(t.id)], t.name, t.description, list(t.aliases), boost, kind, t.description)
                    for t in terms.values() if path(t.id) in location]
    entries += [Entry(location[metric_path(m.id)], m.name, m.definition, list(m.aliases), BOOSTS["metric"], "指标",
                      m.definition) for m in casebook.metrics.values() if metric_path(m.id) in location]
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
    # The figures a case reports answer questions such as 社区食堂数量.
    for statistic in case.statistics:
        metric = casebook.metrics[statistic.metric]
        tags += [metric.name, *metric.aliases]
    path = case.region.path
    for place in path[1:]:
        tags += [place, short_place(place)]
    text = " ".join([case.summary, *(m.title for m in case.measures)])
    place = " ".join(dict.fromkeys(path[1:2] + path[-1:])) if len(path) > 1 else path[0]
    label = f"{place} · {case.level} · {case.year}年"
    return Entry(location, case.title, text, list(dict.fromkeys(tags)), BOOSTS["case"], label, case.summary)


Terms = dict[str, dict[str, int]]  # field → term → how often it occurs there


def _terms(entry: Entry, segment: Segmenter) -> Terms:
    """The terms of each field of ``entry``. All words of titles and tags are taken apart; of body text only
    our vocabulary (programme names such as 一网四平台): every word of it doubled the index. Terms are interned:
    a process that segments for another sends each word once, and the index holds one copy of it."""
    fields = {
        "title": list(segment.words_of(entry.title)),
        "tags": [word for tag in entry.tags for word in segment.words_of(tag)],
        "parts": segment.parts(" ".join([entry.title, *entry.tags])) + segment.parts(entry.text, vocabulary_only=True),
        "text": list(segment.words_of(entry.text)),
    }
    return {name: dict(Counter(sys.intern(w) for w in words if w not in _FILLERS and (len(w) > 1 or not _HAN.match(w))))
            for name, words in fields.items()}


_FILLERS = frozenset(FILLERS)


def documents(entries: list[Entry], words: frozenset[str], cache_dir: str | None = None) -> list[Terms]:
    """The terms of ``entries`` by field, segmented with our vocabulary ``words``."""
    segment = segmenter_for(words, cache_dir)
    return [_terms(entry, segment) for entry in entries]


def _indexed(entry: Entry) -> tuple[str, str, tuple[str, ...]]:
    """What of an entry its terms come from: entries with the same are segmented once."""
    return entry.title, entry.text, tuple(entry.tags)


def weights(entries: list[Entry], terms_of: list[Terms]) -> dict[str, list[int]]:
    """term → its postings, [entry, weight, entry, weight …]: each entry number as the step from the one before
    (small numbers, which compress well), each weight lunr's BM25 summed over the fields, each field's times
    its boost and the entry's, in thousandths."""
    # As lunr counts them: an entry with a term in two fields counts twice.
    frequency = Counter(term for fields in terms_of for terms in fields.values() for term in terms)
    idf = {term: math.log(1 + abs((len(entries) - n + 0.5) / (n + 0.5))) for term, n in frequency.items()}
    lengths = [{name: sum(terms.values()) for name, terms in fields.items()} for fields in terms_of]
    average = {name: sum(length[name] for length in lengths) / len(lengths) or 1 for name in FIELDS}
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for number, (entry, fields) in enumerate(zip(entries, terms_of)):
        scores: dict[str, float] = {}
        for name, terms in fields.items():
            norm = K1 * (1 - B + B * lengths[number][name] / average[name])
            factor = (K1 + 1) * FIELDS[name] * entry.boost * 1000
            for term, tf in terms.items():
                scores[term] = scores.get(term, 0.0) + idf[term] * factor * tf / (norm + tf)
        for term, score in scores.items():
            postings.setdefault(term, []).extend((number - last.get(term, 0), max(1, round(score))))
            last[term] = number
    return postings


def shards(entries: list[Entry], terms_of: list[Terms], file_addresses: bool) -> dict[str, str]:
    """Path in the site → content: the manifest and the shards (module docstring)."""
    raw = {term: "[" + ",".join(map(str, found)) + "]" for term, found in sorted(weights(entries, terms_of).items())}
    size = sum(len(term) * 3 + len(postings) + 4 for term, postings in raw.items())
    count = 1
    while count < MAX_TERM_SHARDS and size / count > TERM_SHARD_BYTES:
        count *= 2
    term_shards: dict[int, list[str]] = {}
    for term, postings in raw.items():
        term_shards.setdefault(ord(term[0]) % count, []).append(f'"{term}":{postings}')
    # Every shard is written, the empty ones too: the worker asks for the shard of any character typed.
    files = {f"terms/{n}": "{" + ",".join(term_shards.get(n, [])) + "}" for n in range(count)}
    for start in range(0, len(entries), ENTRIES_PER_SHARD):
        shown = [[e.location, e.title, e.label, e.summary[:SNIPPET_SOURCE]] for e in entries[start:start + ENTRIES_PER_SHARD]]
        files[f"entries/{start // ENTRIES_PER_SHARD}"] = _json(shown)
    version = hashlib.sha256("\n".join(f"{p}\n{c}" for p, c in files.items()).encode("utf-8")).hexdigest()[:12]
    config = {"lang": ["zh"], "separator": SEPARATOR, "pipeline": [], "fields": {},
              "casebook": {"version": version, "termShards": count, "entriesPerShard": ENTRIES_PER_SHARD,
                           "entries": len(entries), "runs": RUNS, "fillers": list(FILLERS),
                           "scripts": file_addresses}}
    manifest = _json({"config": config, "docs": []})
    if file_addresses:  # a page opened from a folder loads scripts, not JSON
        written = {f"{SEARCH_DIR}/{p}.js": f"__casebookSearchShard({_json(p)},{c})" for p, c in files.items()}
        return {SEARCH_INDEX: manifest, SEARCH_INDEX_SCRIPT: f"var __index = {manifest}", **written}
    return {SEARCH_INDEX: manifest, **{f"{SEARCH_DIR}/{p}.json": c for p, c in files.items()}}


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def worker_script() -> str:
    """Our search worker (``assets/search.js``), told where the shards are from where it is."""
    folder = posixpath.relpath(SEARCH_DIR, posixpath.dirname(SEARCH_WORKER)) + "/"
    script = resources.files("casebook").joinpath("assets", "search.js").read_text(encoding="utf-8")
    return script.replace("{{ search_dir }}", folder)


_MARKUP = re.compile(r"<[^>]+>|\{[:#][^}]*\}|^---$.*?^---$|[#*_`>|\[\]!]|\(([^)\s]+\.md[^)]*)\)", re.S | re.M)


def plain_text(markdown: str) -> str:
    """Hand-written pages enter the index as plain text: markup, link targets and front matter removed."""
    return " ".join(_MARKUP.sub(" ", markdown).split())


_BUILDS_IN_THIS_PROCESS = itertools.count()


class SiteIndex:
    """The search index of a site as builds make it. In a one-off build the casebook's pages are segmented
    (jieba's dictionary loaded first) in a process of their own while the engine renders pages; hand-written
    pages are added as the engine reads them, and kept for the next build (``mkdocs serve`` reads only pages
    that changed). ``terms`` keeps each entry's terms for the next build: only new or edited entries are
    segmented again."""

    def __init__(self, terms: Memo | None = None, cache_dir: str | None = None):
        self.terms = terms or Memo()
        self.cache_dir = cache_dir  # where jieba keeps its prepared dictionary between builds
        self.pages: dict[str, Entry] = {}  # hand-written page (its source path) → its entry
        self.segmenting: ProcessPoolExecutor | None = None
        self.writing: threading.Thread | None = None

    def start(self, casebook: Casebook, pages: list[tuple[str, str]], processes: int) -> None:
        """Begin with the casebook's ``pages`` (path, URL); with more than one process, segment them meanwhile."""
        self.stop()
        self.wait()
        self.entries = casebook_entries(casebook, pages)
        self.words = frozenset(vocabulary(casebook))
        self.terms.start(self.words)  # a word added to the vocabulary may cut any entry differently
        self.unknown = [entry for entry in self.entries if not self.terms.known(_indexed(entry))]
        # A one-off build (the `mkdocs build` command) loads jieba's dictionary in a process of its own while
        # pages render; a process that builds again (scripts and tests using MkDocs' API) keeps it loaded
        # from its second build on (segmenter_for) rather than loading it in a new process every time.
        first_build = next(_BUILDS_IN_THIS_PROCESS) == 0
        self.segmenting = forked_pool(1) if processes > 1 and first_build and self.unknown else None
        if self.segmenting is not None:
            self.casebook_documents = self.segmenting.submit(documents, self.unknown, self.words, self.cache_dir)

    def add_page(self, source: str, location: str, title: str, markdown: str) -> None:
        text = plain_text(markdown)
        self.pages[source] = Entry(location, title, text, label="页面", summary=text[:SNIPPET_SOURCE])

    def keep_pages(self, sources: Iterable[str]) -> None:
        """Forget the hand-written pages that are gone from the site."""
        kept = set(sources)
        self.pages = {source: entry for source, entry in self.pages.items() if source in kept}

    def write(self, site_dir: Path, file_addresses: bool, later: bool = False) -> None:
        """Write the index into the built site (where the search box reads it), once every page is in. ``later``:
        in a thread of this process, so that under ``mkdocs serve`` an edited page is shown without waiting for
        the index (only a reader who opens search reads it); the next build, or :meth:`wait`, waits for it."""
        self.wait()
        if later:
            self.writing = threading.Thread(target=self._write, args=(site_dir, file_addresses), name="casebook-search")
            self.writing.start()
        else:
            self._write(site_dir, file_addresses)

    def _write(self, site_dir: Path, file_addresses: bool) -> None:
        hand_written = sorted(self.pages.values(), key=lambda entry: entry.location)
        every = self.entries + hand_written
        segmented: dict[tuple[str, str, tuple[str, ...]], Terms] = {}
        if self.segmenting is not None:
            unknown = [entry for entry in hand_written if not self.terms.known(_indexed(entry))]
            later = self.segmenting.submit(documents, unknown, self.words, self.cache_dir)
            found = self.casebook_documents.result() + later.result()
            segmented = {_indexed(entry): terms for entry, terms in zip(self.unknown + unknown, found)}
            self.stop()

        def terms_of(entry: Entry) -> Terms:
            return segmented.get(_indexed(entry)) or documents([entry], self.words, self.cache_dir)[0]

        terms = [self.terms.get(_indexed(entry), partial(terms_of, entry)) for entry in every]
        # Entries in address order: a city's cases share an address prefix, so its results share entry shards.
        order = sorted(range(len(every)), key=lambda n: every[n].location)
        entries = [every[n] for n in order]
        for path, content in shards(entries, [terms[n] for n in order], file_addresses).items():
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_text(content, encoding="utf-8")

    def wait(self) -> None:
        """Until the index being written in the background (``write(later=True)``) is written."""
        if self.writing is not None:
            self.writing.join()
            self.writing = None

    def stop(self) -> None:
        """End the segmenting process (a build that failed leaves none behind)."""
        if self.segmenting is not None:
            self.segmenting.shutdown(cancel_futures=True)
            self.segmenting = None
