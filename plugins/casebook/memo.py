"""What a build worked out, kept for the next build by its inputs.

Under ``mkdocs serve`` the casebook is loaded and rendered again after every edit. Records,
pages, related-case rankings and search documents whose inputs are unchanged are taken from
the last build instead. Inputs that hold for a whole build (registries, site settings, the
vocabulary) are its ``settings``: when they change, nothing of the last build is reused.
"""

from __future__ import annotations

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
