"""The core outlives MkDocs: every module outside ``casebook.mkdocs`` imports and builds a casebook's pages
with MkDocs absent (MkDocs 2.0 drops plugins; ProperDocs and whatever follows get a core to call)."""

from __future__ import annotations

import pkgutil
import sys

import casebook
from tests.conftest import ROOT, run

CORE = sorted(m.name for m in pkgutil.iter_modules(casebook.__path__, "casebook.") if m.name != "casebook.mkdocs")

# Any import of mkdocs (or of Material, which needs it) fails as if neither were installed.
WITHOUT_MKDOCS = """
import importlib.abc, sys
class NoMkDocs(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "material"):
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, NoMkDocs())
import importlib
from pathlib import Path
for module in sys.argv[1:]:
    importlib.import_module(module)
from casebook.build import Builder
from casebook.plan import Site
made = Builder().build(Path("cases"), Path("."), Site("https://example.org/"))
assert not [name for name in sys.modules if name.split(".")[0] in ("mkdocs", "material")]
print(len(made.pages) > len(made.casebook.cases), "data/cases.json" in made.files)
"""


def test_the_core_imports_and_renders_without_mkdocs() -> None:
    assert {"casebook.build", "casebook.load", "casebook.plan", "casebook.render", "casebook.publish"} <= set(CORE)
    result = run([sys.executable, "-c", WITHOUT_MKDOCS, *CORE], ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"  # pages beyond the case pages, and the data files


def test_the_guard_catches_an_import_of_mkdocs() -> None:
    result = run([sys.executable, "-c", WITHOUT_MKDOCS, "casebook.mkdocs.plugin"], ROOT)
    assert result.returncode == 1 and "No module named 'mkdocs" in result.stderr
