"""Options of the ``casebook`` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CasebookConfig(base.Config):
    # Folder with sources.yml, practices.yml and records/; relative to mkdocs.yml.
    cases_dir = c.Dir(exists=True, default="cases")
    # Folder whose templates override the packaged ones (same file names).
    templates_dir = c.Optional(c.Dir(exists=True))
    # The folder of the offline copy (the site built with `--no-directory-urls`), published zipped at
    # download/ and linked from [[casebook:offline]]; `make build` builds it first and sets this.
    offline_copy = c.Optional(c.Dir(exists=True))
