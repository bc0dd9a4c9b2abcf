"""Rendered pages kept between builds, by everything that goes into them.

Under ``mkdocs serve`` the casebook is rendered again after every edit; a page whose inputs are
the same as last time is taken from here instead. A page's inputs are its template, its path,
the values passed to the template, and the build's settings (registries, site address, URL
style, overridden templates): templates read nothing else. A change of settings empties the
cache, so no page is ever served from inputs that no longer hold.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, Callable, Hashable, TypeVar

from .index import RegionNode, Relations

T = TypeVar("T")


class PageCache:
    def __init__(self) -> None:
        self.relations: Relations | None = None  # the last build's related cases (index.Relations reuses their ranking)
        self.settings: Hashable = None
        self.earlier: dict[Hashable, Any] = {}
        self.current: dict[Hashable, Any] = {}

    def start(self, settings: Hashable) -> None:
        """Begin a build: keep what the last build rendered if its settings were the same."""
        self.earlier = self.current if settings == self.settings else {}
        self.settings, self.current = settings, {}

    def get(self, key: Hashable, render: Callable[[], T]) -> T:
        """The page for ``key`` from the last build, or ``render()`` now; either way kept for the next."""
        found = self.earlier.get(key)
        if found is None:
            found = render()
        self.current[key] = found
        return found


def fingerprint(value: Any) -> Hashable:
    """A hashable value equal for equal inputs. Records and registry entries are frozen dataclasses
    and are their own fingerprint; a type not known here is an error, never a guess."""
    if value is None or isinstance(value, (str, int, float, bool, Decimal)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, fingerprint(item)) for key, item in value.items())
    if isinstance(value, RegionNode):
        # A place page shows its ancestors, every place below it and their cases.
        return (value.page, tuple((a.name, a.page) for a in value.ancestors()), _subtree(value))
    if dataclasses.is_dataclass(value) and type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return value
    raise TypeError(f"no fingerprint for {type(value).__name__}")


def _subtree(node: RegionNode) -> Hashable:
    return (node.name, node.level, node.slug, tuple(node.cases), tuple(_subtree(child) for child in node.children.values()))
