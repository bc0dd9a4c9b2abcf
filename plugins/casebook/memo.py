"""What a build worked out, kept for the next build by its inputs.

Under ``mkdocs serve`` the casebook is loaded and rendered again after every edit. Records,
pages, related-case rankings and search documents whose inputs are unchanged are taken from
the last build instead. Inputs that hold for a whole build (registries, site settings, the
vocabulary) are its ``settings``: when they change, nothing of the last build is reused.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, TypeVar

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
