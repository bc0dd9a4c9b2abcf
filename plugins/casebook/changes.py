"""Which generated files changed since the last build, for builds that rewrite only those
(``mkdocs serve --dirty``): pages an edit touched are rendered again, not all, and the file
of a record deleted or renamed does not stay behind in the site."""

from __future__ import annotations

from typing import Hashable


class Changes:
    def __init__(self) -> None:
        self.built: dict[str, int] = {}  # generated file → hash of its version in the last build
        self.written: dict[str, str] = {}  # generated file → where the last build wrote it
        self.start()

    def start(self) -> None:
        """Begin a build."""
        self.versions: dict[str, int] = {}
        self.destinations: dict[str, str] = {}

    def changed(self, path: str, version: Hashable, destination: str) -> bool:
        """Note that this build makes ``path`` (written to ``destination``); whether its ``version`` is new."""
        self.versions[path], self.destinations[path] = hash(version), destination
        return self.built.get(path) != self.versions[path]

    def finish(self) -> list[str]:
        """End a build that succeeded: where the last build wrote files this one no longer makes."""
        gone = sorted(self.written[path] for path in self.written.keys() - self.versions.keys())
        self.built, self.written = self.versions, self.destinations
        return gone
