"""The editor's page (``/edit/``): what a contributor's browser needs to build a case record from a form.

The form is generated in the browser (``assets/editor.js``) from the case schema, as published, and checked as
the editor types with the rules and Chinese messages of ``casebook validate`` (``assets/record-check.js``, compared
with the Python checks by the tests). This module gathers what those checks and choices read: the vocabularies
with their aliases, the metric catalogue with units, the registered sources, the places cases already name, and
the record template with a marker for each value (``newrecord.skeleton``), so the file the page writes is the
one `casebook new` writes.
"""

from __future__ import annotations

import json
from typing import Any

from . import citation, schema
from .layout import PROVINCE_FOLDER, RECORDS_DIR
from .model import Casebook
from .newrecord import skeleton

# Where a record lives, from the project root; the template's schema line is relative to it.
RECORDS_PATH = f"cases/{RECORDS_DIR}"
SCHEMA_FROM_RECORD = "../../../plugins/casebook/schema/case.schema.json"


def data(casebook: Casebook, edit_base: str | None) -> str:
    """``edit/editor.json``: everything the editor's page reads, as one JSON document."""
    places: dict[str, Any] = {}
    for case in casebook.cases:
        node = places
        # Level by level from the city down; below a level a record leaves out, places are not offered
        # (a township under no county would be offered as a county).
        for level in ("city", "county", "subdistrict", "community"):
            name = getattr(case.region, level)
            if not name:
                break
            node = node.setdefault(name, {})
    found = {
        "schema": json.loads(schema.schema_text("case")),
        # A source the registry does not have yet is entered in the form as an entry of sources.yml.
        "sourcesSchema": _inlined(json.loads(schema.schema_text("sources"))),
        "practices": [_term(t) for t in casebook.practices.values()],
        "problems": [_term(t) for t in casebook.problems.values()],
        "metrics": [{"name": m.name, "aliases": list(m.aliases), "unit": m.unit, "otherUnits": list(m.other_units),
                     "description": m.definition} for m in casebook.metrics.values()],
        "sources": [{"id": s.id, "description": citation.reference(s)} for s in casebook.sources.values()],
        "places": _sorted(places),
        "recordsPath": RECORDS_PATH,
        "provinceFolder": PROVINCE_FOLDER,  # records of no one city; each city's folder is in the schema (x-folders)
        "skeleton": skeleton(SCHEMA_FROM_RECORD),
        # The repository host's page for a new file in the project (GitHub's /new/ beside /edit/), if known.
        "newFile": _new_file(edit_base),
    }
    return json.dumps(found, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def _inlined(node: Any) -> Any:
    """The sources schema with its references into the case schema written out, so the browser reads it alone."""
    if isinstance(node, list):
        return [_inlined(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        address, _, pointer = node["$ref"].partition("#/")
        target = json.loads(schema.schema_text("case" if address else "sources"))
        for key in pointer.split("/"):
            target = target[key]
        return _inlined({**target, **{key: value for key, value in node.items() if key != "$ref"}})
    return {key: _inlined(value) for key, value in node.items()}


def _term(term: Any) -> dict[str, Any]:
    return {"name": term.name, "aliases": list(term.aliases), "description": term.description}


def _sorted(node: dict[str, Any]) -> dict[str, Any]:
    return {name: _sorted(children) for name, children in sorted(node.items())}


def _new_file(edit_base: str | None) -> str | None:
    if not edit_base or not edit_base.startswith("https://github.com/") or "/edit/" not in edit_base:
        return None
    return edit_base.replace("/edit/", "/new/", 1)
