"""``casebook`` MkDocs plugin: the glue between MkDocs' events and the core.

At ``on_files`` the core builds the casebook's pages and files (:mod:`casebook.build`) and the plugin adds
them to MkDocs' files; hand-written pages get their references expanded (:mod:`casebook.references`) as
MkDocs reads them; after the build the search index is written (:mod:`casebook.search`).
"""

from __future__ import annotations

import os
import sys
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
from ..memo import CompiledTemplates, Memos
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


class GeneratedPage(Page):
    """A page the casebook renders: its HTML, title and table of contents come from the core, so MkDocs'
    Markdown pass (a Markdown instance with every extension, per page) is skipped, as Material's blog does
    for its posts."""

    def __init__(self, rendered: RenderedPage, file: File, config: MkDocsConfig, title: str | None = None):
        super().__init__(title, file, config)
        self.rendered = rendered

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", dict(self.rendered.meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.rendered.html
        self.toc = get_toc(self.rendered.toc)  # type: ignore[arg-type]  # the same keys as MkDocs' _TocToken
        self.present_anchor_ids = self.rendered.anchors  # so that links to its sections are checked


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # A one-off build renders on every core; `mkdocs serve` (threads, and a cache that must
        # see every page) renders in its own process.
        processes = (os.cpu_count() or 1) if command == "build" else 1
        # With this hook MkDocs keeps one instance for a whole `mkdocs serve`, so what a build
        # loaded and rendered is there for the next: after an edit only what changed is redone.
        self.memos, self.serving = Memos(), command == "serve"
        self.builder, self.changes = Builder(processes, self.memos), Changes()
        self.search = search.SiteIndex(self.memos.terms)
        self.kept_dir: Path | None = None  # where the memos are kept between processes, once read from there

    def on_config(self, config: MkDocsConfig) -> None:
        if not hasattr(self, "builder"):  # used without on_startup (MkDocs' API, tests)
            self.on_startup(command="build", dirty=False)
        self.renderer: Renderer | None = None
        self.changes.start()
        self.project_dir = Path(config.config_file_path or ".").parent
        # What a build keeps for the next (its memos, jieba's prepared dictionary): the project's own, safe to delete.
        cache_dir = self.project_dir / ".cache"
        self.search.cache_dir = str(cache_dir)
        if self.kept_dir is None:  # the first build of this process takes up what the last process left
            self.kept_dir = cache_dir / "casebook"
            # One file for each kind of build of the project (`make build` makes the offline copy, then the site).
            self.kept_variant = "\n".join((sys.prefix, config.site_url or "", str(config.use_directory_urls)))
            self.memos.load(self.kept_dir, self.kept_variant)
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
        titles = _nav_titles(config.nav)
        for page in made.pages:
            file = self._add(files, config, page.path, page.front_matter, version=page)
            if page.origin:
                file.edit_uri = from_docs(config.docs_dir, self.project_dir, page.origin)
            GeneratedPage(page, file, config, titles.get(page.path))  # its edit address is set as it is made
        for path, content in made.files.items():
            self._add(files, config, path, content)
        self.search.start(made.casebook, [(p.path, page_url(p.path, site.directory_urls)) for p in made.pages],
                          self.builder.processes)
        self.search.keep_pages(file.src_uri for file in files.documentation_pages())
        for file in files.documentation_pages():
            if not isinstance(file.page, GeneratedPage) and references.has_references(file.content_string):
                # What a page's references expand to changes with the cases, not with the page's file.
                file.is_modified = lambda: True  # type: ignore[method-assign]
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Material's search would segment every section of every page; our own index replaces it.
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        if page.file.generated_by or self.renderer is None:  # the casebook's pages are HTML already (GeneratedPage)
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

    # Last: after Material's search plugin has written its (empty) index, ours replaces it.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.renderer is None:
            return
        self.search.write(Path(config.site_dir), file_addresses=not config.use_directory_urls, later=self.serving)
        for gone in self.changes.finish():  # a dirty build leaves the page of a deleted record in place otherwise
            Path(gone).unlink(missing_ok=True)
        if not self.serving:  # `mkdocs serve` keeps them in memory, and on disk when it stops
            self._keep()

    def on_shutdown(self) -> None:
        self.search.wait()
        if self.serving and self.renderer is not None:
            self._keep()

    def _keep(self) -> None:
        assert self.kept_dir is not None
        try:
            self.memos.save(self.kept_dir, self.kept_variant)
        except OSError as error:  # a build that could not leave its cache is still a good build
            log.info(f"没能保存构建缓存（{self.kept_dir}），下次构建会慢一些：{error}")

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


def _nav_titles(nav: list | None) -> dict[str, str]:
    """The titles the site's ``nav`` gives pages, by path: MkDocs shows them in place of the page's own."""
    found: dict[str, str] = {}
    items = list(nav or [])
    while items:
        item = items.pop()
        for title, value in (item.items() if isinstance(item, dict) else ()):
            if isinstance(value, str):
                found[value] = title
            elif isinstance(value, list):
                items.extend(value)
    return found
