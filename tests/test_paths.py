"""Page addresses: the links raw HTML needs, for both URL styles MkDocs offers."""

from __future__ import annotations

import pytest

from casebook.paths import relative_url


@pytest.mark.parametrize(("source", "target", "directory_urls", "link"), [
    ("browse.md", "cases/x.md", True, "../cases/x/"),
    ("browse.md", "cases/x.md", False, "cases/x.html"),
    ("cases/x.md", "cases/y.md", True, "../y/"),
    ("cases/x.md", "cases/y.md", False, "y.html"),
    ("index.md", "cases/x.md", True, "cases/x/"),
    ("cases/x.md", "index.md", True, "../../"),
    ("cases/x.md", "index.md", False, "../index.html"),
    ("data/index.md", "data/statistics.csv", True, "statistics.csv"),
    ("metrics/m.md", "data/metrics/m.csv", True, "../../data/metrics/m.csv"),
    ("metrics/m.md", "data/metrics/m.csv", False, "../data/metrics/m.csv"),
])
def test_relative_url(source: str, target: str, directory_urls: bool, link: str) -> None:
    assert relative_url(source, target, directory_urls) == link
