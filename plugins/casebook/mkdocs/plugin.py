"""``casebook`` MkDocs plugin: the glue between MkDocs' events and the core.

At ``on_files`` the core builds the casebook's pages and files (:mod:`casebook.build`) and the plugin adds
them to MkDocs' files; hand-written pages get their references expanded (:mod:`casebook.references`) as
MkDocs reads them; after the build the search index is written (:mod:`casebook.search`).
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .. import offline, publish, references, search
from ..build import Builder
from ..changes import Changes
from ..layout import symlinks
from ..load import reminders
from ..memo import CompiledTemplates
from ..paths import SEARCH_WORKER, edit_base, from_docs, page_url, project_path
from ..plan import Site
from ..problems import InvalidInput
from ..render import Page as RenderedPage
from ..render import Renderer
from .config import CasebookConfig

log = get_plugin_logger(__name__)
# One for the process, not per plugin instance: every build in it (each rebuild of `mkdocs serve`, builds
# made through MkDocs' API one after another) reuses the theme's compiled templates.
THEME_TEMPLATES = CompiledTemplates()


class GeneratedFile(File):
    """A file the casebook generates; MkDocs asks it whether it changed since the last build."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # A one-off build renders on every core; `mkdocs serve` (threads, and a cache that must
        # see every page) renders in its own process.
        processes = (os.cpu_count() or 1) if command == "build" else 1
        # With this hook MkDocs keeps one instance for a whole `mkdocs serve`, so what a build
        # loaded and rendered is there for the next: after an edit only what changed is redone.
        self.builder, self.changes, self.search = Builder(processes), Changes(), search.SiteIndex()

    def on_config(self, config: MkDocsConfig) -> None:
        if not hasattr(self, "builder"):  # used without on_startup (MkDocs' API, tests)
            self.on_startup(command="build", dirty=False)
        self.renderer: Renderer | None = None
        self.generated: dict[str, RenderedPage] = {}
        self.changes.start()
        self.project_dir = Path(config.config_file_path or ".").parent
        # What a build may keep for the next (jieba's prepared dictionary): the project's own, safe to delete.
        self.search.cache_dir = str(self.project_dir / ".cache")
        for path, links in ((publish.STYLESHEET, config.extra_css), (publish.SCRIPT, config.extra_javascript)):
            if path not in links:
                links.append(path)

    # Run first, so that search and other plugins see the generated pages as ordinary files.
    @event_priority(100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # MkDocs would follow a link in docs/ and publish what it points at.
        links = symlinks(Path(config.docs_dir), self.project_dir)
        if links:
            raise PluginError(f"docs/ 里有符号链接，站点没有生成：\n{InvalidInput(links).report()}")
        site = Site(config.site_url or "", config.use_directory_urls, edit_base(config.repo_url, config.edit_uri, config.docs_dir,
                    self.project_dir), references.citing((f.src_uri, f.content_string) for f in files.documentation_pages()))
        templates = Path(self.config.templates_dir) if self.config.templates_dir else None
        try:
            made = self.builder.build(Path(self.config.cases_dir), self.project_dir, site, templates,
                                      self._offline_copy(config, templates))
        except InvalidInput as error:
            raise PluginError(f"案例记录有问题，站点没有生成：\n{error.report()}") from None
        for reminder in reminders(made.casebook):  # as `casebook validate` gives them: `--strict` (CI) fails on them
            log.warning(f"{reminder}（提醒）")
        self.renderer = made.renderer
        for page in made.pages:
            self.generated[page.path] = page
            # The file holds the front matter only (MkDocs reads the title from it); the HTML is put
            # in by on_page_content, so a large casebook does not hold every page twice.
            file = self._add(files, config, page.path, page.front_matter, version=(page.front_matter, page.html))
            if page.origin:
                file.edit_uri = from_docs(config.docs_dir, self.project_dir, page.origin)
        for path, content in made.files.items():
            self._add(files, config, path, content)
        self.search.start(made.casebook, [(p.path, page_url(p.path, site.directory_urls)) for p in made.pages],
                          self.builder.processes)
        self.search.keep_pages(file.src_uri for file in files.documentation_pages())
        for file in files.documentation_pages():
            if file.src_uri not in self.generated and references.has_references(file.content_string):
                # What a page's references expand to changes with the cases, not with the page's file.
                file.is_modified = lambda: True  # type: ignore[method-assign]
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Material's search would segment every section of every page; our own index replaces it.
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        if page.file.src_uri in self.generated:
            return ""  # already HTML: on_page_content puts it in, without a pass through Python-Markdown
        if page.file.generated_by or self.renderer is None:
            return markdown
        shown = project_path(config.docs_dir, self.project_dir, page.file.src_uri)
        try:
            expanded = references.expand(markdown, page.file.src_uri, shown, self.renderer)
        except InvalidInput as error:
            raise PluginError(f"页面中的案例引用有问题：\n{error.report()}") from None
        self.search.add_page(page.file.src_uri, page.url, references.page_title(markdown, page.file.src_uri), expanded)
        return expanded

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = THEME_TEMPLATES
        env.globals["casebook_search_worker"] = SEARCH_WORKER  # overrides/main.html starts it for Material's search box
        return env

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self.generated.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc(generated.toc)  # type: ignore[arg-type]  # the same keys as MkDocs' _TocToken
        page.present_anchor_ids = generated.anchors  # so that links to its sections are checked
        return generated.html

    # Last: after Material's search plugin has written its (empty) index, ours replaces it.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.renderer is None:
            return
        self.search.write(Path(config.site_dir), file_addresses=not config.use_directory_urls)
        for gone in self.changes.finish():  # a dirty build leaves the page of a deleted record in place otherwise
            Path(gone).unlink(missing_ok=True)

    def on_build_error(self, *, error: Exception) -> None:
        self.search.stop()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        server.watch(str(Path(self.config.cases_dir).resolve()), recursive=True)
        if self.config.templates_dir:
            server.watch(str(Path(self.config.templates_dir).resolve()), recursive=True)
        return server

    def _offline_copy(self, config: MkDocsConfig, templates: Path | None) -> bytes | None:
        """The zip of the offline copy's folder, when this build publishes one."""
        if self.config.offline_copy is None:
            return None
        try:
            return offline.zip_site(Path(self.config.offline_copy), config.site_name, templates, Path(config.site_dir))
        except ValueError as error:
            raise PluginError(str(error)) from None

    def _add(self, files: Files, config: MkDocsConfig, path: str, content: str | bytes, version: object = None) -> File:
        """Add a generated file; ``version`` (default: the content) tells whether it changed since the last build."""
        if files.get_file_from_path(path):
            raise PluginError(f"docs/{path} 与案例库自动生成的页面同名，请改名或删除它")
        file = GeneratedFile.generated(config, path, content=content)
        assert isinstance(file, GeneratedFile)  # File.generated makes an instance of the class it is called on
        file.changed = self.changes.changed(path, content if version is None else version, file.abs_dest_path)
        files.append(file)
        return file
