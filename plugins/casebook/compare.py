"""The comparison page's data: each case's column as a small script, ``compare/cases/ID.js``.

Scripts rather than JSON because a site opened from the file system (file://) may not fetch files,
but it may load scripts; the page adds a script element only for each case a reader chose. A column
is HTML from the autoescaped templates, carried in the script as a JSON string.
"""

from __future__ import annotations

import json

from .paths import compare_column
from .render import Renderer


def files(renderer: Renderer) -> dict[str, str]:
    """Every case's column script, as path in the site → text."""
    return {compare_column(case.id): column_script(case.id, renderer.compare_column(case)) for case in renderer.casebook.cases}


def column_script(case_id: str, html: str) -> str:
    # JSON allows U+2028 and U+2029 in strings; JavaScript before ES2019 ends a line there.
    text = json.dumps(html, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.casebookCompare.add({json.dumps(case_id)}, {text});\n"
