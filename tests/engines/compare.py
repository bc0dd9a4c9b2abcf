"""Two builds of the site compared file by file (standard library only):

    python -m tests.engines.compare .cache/engines/mkdocs .cache/engines/properdocs

Prints "identical", or every file that is in one site only or differs. A difference that the engines
are known to make is listed under its explanation (``EXPLAINED``); any other is unexplained, and the exit
status is 1. A zip (the offline copy) is compared entry by entry, so a page inside it is checked as
closely as the page beside it.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

# The differences the engines are known to make: the text that may differ, and why it does.
EXPLAINED: list[tuple[re.Pattern[bytes], str]] = [
    (re.compile(rb'<meta name="generator" content="[^"]*">'),
     ("Material's generator tag names the engine: its template prints MkDocs' `mkdocs_version`, which "
      "ProperDocs sets to its own name and version (properdocs/commands/build.py)")),
]

Files = Mapping[str, Callable[[], bytes]]  # name → its content, read when compared


@dataclass(frozen=True)
class Difference:
    file: str
    explanation: str | None  # None: unexplained
    detail: str  # explained: the two texts of one instance; unexplained: what differs


def compare(first: Path, second: Path) -> tuple[int, list[Difference]]:
    """How many files two site folders hold together, and every difference between them."""
    names = (first.name, second.name)
    ours, theirs = _folder(first), _folder(second)
    return len(ours.keys() | theirs.keys()), list(_differences(ours, theirs, "", names))


def _folder(root: Path) -> Files:
    return {path.relative_to(root).as_posix(): path.read_bytes for path in sorted(root.rglob("*")) if path.is_file()}


def _differences(ours: Files, theirs: Files, prefix: str, names: tuple[str, str]) -> Iterator[Difference]:
    for name in sorted(ours.keys() | theirs.keys()):
        if name not in ours or name not in theirs:
            yield Difference(prefix + name, None, f"only in {names[0] if name in ours else names[1]}")
        else:
            yield from _file_differences(prefix + name, ours[name](), theirs[name](), names)


def _file_differences(name: str, ours: bytes, theirs: bytes, names: tuple[str, str]) -> Iterator[Difference]:
    if ours == theirs:
        return
    if _is_zip(ours) and _is_zip(theirs):
        yield from _zip_differences(name, ours, theirs, names)
    elif _without_explained(ours) != _without_explained(theirs):
        yield Difference(name, None, "contents differ")
    else:
        for pattern, why in EXPLAINED:
            instances = [(a, b) for a, b in zip(pattern.findall(ours), pattern.findall(theirs)) if a != b]
            if instances:
                a, b = instances[0]
                yield Difference(name, why, f"{names[0]}: {a.decode(errors='replace')}\n"
                                            f"{names[1]}: {b.decode(errors='replace')}")


def _without_explained(text: bytes) -> bytes:
    for pattern, _ in EXPLAINED:
        text = pattern.sub(b"(explained)", text)
    return text


def _is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))


def _zip_differences(name: str, ours: bytes, theirs: bytes, names: tuple[str, str]) -> Iterator[Difference]:
    """The entries that differ: the zips' own bytes differ whenever an entry does, so the zip itself is
    reported only when its entries cannot account for it."""
    our_entries, their_entries = _entries_of(ours), _entries_of(theirs)
    differences = list(_differences(our_entries, their_entries, f"{name}:", names))
    yield from differences
    if _entry_details(ours) != _entry_details(theirs):
        yield Difference(name, None, "entries in another order, or with other dates or permissions")
    elif not differences:
        yield Difference(name, None, "the same entries, yet the zips differ")


def _entries_of(data: bytes) -> Files:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {info.filename: partial(archive.read, info) for info in archive.infolist() if not info.is_dir()}


def _entry_details(data: bytes) -> list[tuple[object, ...]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, i.date_time, i.external_attr, i.compress_type) for i in archive.infolist()]


def report(compared: int, differences: list[Difference], names: tuple[str, str]) -> str:
    if not differences:
        return f"identical: {compared} files (and the entries of each zip)"
    differing = len({d.file for d in differences})
    lines = [f"{names[0]} and {names[1]}: {compared} files compared (and the entries of each zip), {differing} differ"]
    explanations = sorted({d.explanation for d in differences if d.explanation is not None})
    for why in explanations:
        explained = [d for d in differences if d.explanation == why]
        lines += ["", f"explained ({len(explained)} files): {why}"]
        ours, theirs = explained[0].detail.split("\n")
        lines += [f"  e.g. {ours}", f"       {theirs}"]
        lines += [f"  {d.file}" for d in explained]
    unexplained = [d for d in differences if d.explanation is None]
    lines += ["", f"unexplained ({len(unexplained)} files)" + (":" if unexplained else "")]
    lines += [f"  {d.file}: {d.detail}" for d in unexplained]
    return "\n".join(lines)


def main(arguments: list[str]) -> int:
    if len(arguments) != 2 or not all(Path(a).is_dir() for a in arguments):
        print("usage: python -m tests.engines.compare SITE_FOLDER OTHER_SITE_FOLDER", file=sys.stderr)
        return 2
    first, second = map(Path, arguments)
    compared, differences = compare(first, second)
    print(report(compared, differences, (first.name, second.name)))
    return 1 if any(d.explanation is None for d in differences) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
