"""Every file the casebook adds to a site besides its pages: data tables and their description,
reference-manager files, the comparison page's columns, the schemas, redirects from retired case
addresses, the casebook's own style and script, and the offline copy."""

from __future__ import annotations

from importlib import resources

from . import citation_data, compare, datapackage, editor, export, schema, search
from .paths import (EDITOR_DATA, EDITOR_SCRIPT, OFFLINE_COPY, QR_SCRIPT, RECORD_CHECK_SCRIPT, SCHEMA, SEARCH_WORKER,
                    case_redirect_path)
from .render import Renderer

# Served from the site itself, on every page: the citation box, cards, print styles, the comparison toggles.
STYLESHEET, SCRIPT = "assets/casebook/casebook.css", "assets/casebook/casebook.js"
# Loaded only by the page that needs it (the comparison page, when a reader asks for a QR code; any page, when
# a reader opens search).
ON_DEMAND = {QR_SCRIPT: "qrcode-generator.js", EDITOR_SCRIPT: "editor.js", RECORD_CHECK_SCRIPT: "record-check.js"}


def files(renderer: Renderer, offline_copy: bytes | None = None) -> dict[str, str | bytes]:
    """Path in the site → content, for everything but the pages."""
    casebook, site = renderer.casebook, renderer.site
    exports = export.files(casebook, site.url, site.directory_urls)
    made: dict[str, str | bytes] = {**exports, **datapackage.files(casebook, exports, site.url, site.directory_urls)}
    made.update(citation_data.files(casebook, site.url, site.directory_urls))
    made.update(compare.files(renderer))
    made.update({SCHEMA.format(kind=kind): schema.schema_text(kind) for kind in schema.SCHEMA_FILES})
    made.update({case_redirect_path(old_id, site.directory_urls): renderer.redirect(old_id, new_id)
                 for old_id, new_id in casebook.redirects.items()})
    assets = {STYLESHEET: "casebook.css", SCRIPT: "casebook.js", **ON_DEMAND}
    made.update({path: resources.files("casebook").joinpath("assets", name).read_bytes() for path, name in assets.items()})
    made[SEARCH_WORKER] = search.worker_script()
    made[EDITOR_DATA] = editor.data(casebook, site.edit_base)
    if offline_copy is not None:
        made[OFFLINE_COPY] = offline_copy
    return made
