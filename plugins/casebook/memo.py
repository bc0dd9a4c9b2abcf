"""What a build worked out, kept for the next build by its inputs.

Under ``mkdocs serve`` the casebook is loaded and rendered again after every edit. Records,
pages, related-case rankings and search terms whose inputs are unchanged are taken from
the last build instead. Inputs that hold for a whole build (registries, site settings, the
vocabulary) are its ``settings``: when they change, nothing of the last build is reused.

A build in a new process (``mkdocs build`` again, a pull request's CI) finds the same memos on disk
(:class:`Memos`, in the project's ``.cache/``), so it too renders only what changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Callable, Hashable, TypeVar

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self.settings: Hashable = None
        self.earlier: dict[Hashable, Any] = {}
        self.current: dict[Hashable, Any] = {}

    def start(self, settings: Hashable = None) -> None:
        """Begin a build: keep what the last build worked out if its settings were the same."""
        self.earlier = self.current if settings == self.settings else {}
        self.settings, self.current = settings, {}

    def get(self, key: Hashable, work_out: Callable[[], T]) -> T:
        """The result for ``key`` from the last build, or ``work_out()`` now; either way kept for the next.
        A result of None (a record with problems) is never reused."""
        found = self.earlier.get(key)
        if found is None:
            found = work_out()
        self.current[key] = found
        return found

    def known(self, key: Hashable) -> bool:
        """Whether the last build worked out ``key`` (under the settings of this one)."""
        return self.earlier.get(key) is not None


class CompiledTemplates(BytecodeCache):
    """Compiled templates, kept in memory for the next build. An engine makes a new theme environment for
    every build; under ``mkdocs serve`` compiling Material's templates again each time costs a quarter of a
    rebuild. Jinja checks that a cached template's source is unchanged before using it."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# The libraries whose output goes into pages and files: a new version of one may change them.
LIBRARIES = ("jinja2", "markupsafe", "jieba", "segno", "PyYAML", "jsonschema", "fastjsonschema", "mkdocs", "properdocs",
             "mkdocs-material")


@dataclass
class Memos:
    """Everything one build keeps for the next: in memory for a whole ``mkdocs serve``, and on disk between
    processes. The file is named by a digest of the code that made it (this package's files, the libraries'
    versions, Python's), so a build by other code never reads it; inside it each memo still checks its
    settings and keys, exactly as under ``mkdocs serve``. ``.cache/`` is safe to delete."""

    records: Memo = field(default_factory=Memo)
    rankings: Memo = field(default_factory=Memo)
    pages: Memo = field(default_factory=Memo)
    terms: Memo = field(default_factory=Memo)

    def load(self, folder: Path, variant: str = "") -> None:
        """Take up what the last build by this code left in ``folder``, if anything. Builds of one project with
        different settings (the site and its offline copy, one engine and another) each have a ``variant``."""
        try:
            with open(folder / _file_name(variant), "rb") as stored:
                # Written only by builds of this project (save), in its own .cache/, as its code is trusted.
                kept = pickle.load(stored)
            for memo in fields(self):
                settings, current = kept[memo.name]
                getattr(self, memo.name).settings, getattr(self, memo.name).current = settings, current
        except FileNotFoundError:
            return
        except Exception:  # a cache that cannot be read (cut short, from another layout) is only a slower build
            for memo in fields(self):
                setattr(self, memo.name, Memo())

    def save(self, folder: Path, variant: str = "") -> None:
        """Leave what this build worked out in ``folder`` for the next one (and drop what older code left)."""
        folder.mkdir(parents=True, exist_ok=True)
        name = _file_name(variant)
        kept = {memo.name: (getattr(self, memo.name).settings, getattr(self, memo.name).current) for memo in fields(self)}
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".build-", delete=False) as written:
            pickle.dump(kept, written, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written.name, folder / name)  # whole or not at all: a build stopped midway leaves the last file
        for old in folder.glob(f"build-{_digest(variant)}-*.pickle"):
            if old.name != name:
                old.unlink(missing_ok=True)


def _file_name(variant: str) -> str:
    return f"build-{_digest(variant)}-{code_version()}.pickle"


def _installed(library: str) -> str:
    """The library's version, or "-" where the engine is another (ProperDocs' venv has no mkdocs distribution)."""
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


@cache  # the code of a running process does not change; a build asks at load and at save
def code_version() -> str:
    """A digest of what turns records into pages: this package's files, the libraries' versions, Python's."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        digest.update(f"{library} {_installed(library)}\n".encode())
    package = Path(str(resources.files("casebook")))
    for file in sorted(package.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]
