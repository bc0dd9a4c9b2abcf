"""``casebook`` MkDocs plugin: records in ``cases/`` become pages, indexes and data files."""

from __future__ import annotations

import os
import posixpath
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from importlib import resources

from .. import citation_data, compare, datapackage, export, offline, references, schema, search
from ..layout import symlinks
from ..load import load_casebook, reminders
from ..problems import InvalidInput
from ..paths import (OFFLINE_COPY, QR_SCRIPT, SCHEMA, SEARCH_INDEX, SEARCH_INDEX_SCRIPT, case_redirect_path, edit_base,
                     page_url)
from ..memo import Memo
from ..processes import forked_pool
from ..render import Renderer
from ..render import Page as RenderedPage
from .config import CasebookConfig

log = get_plugin_logger(__name__)


class _CompiledTemplates(BytecodeCache):
    """Compiled theme templates, kept in memory for the next build."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class GeneratedFile(File):
    """A file the casebook generates. It says whether it changed since the last build, so that a build
    that rewrites only what changed (`mkdocs serve --dirty`) renders the pages an edit touched, not all."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


ASSETS = {"assets/casebook/casebook.css": "casebook.css", "assets/casebook/casebook.js": "casebook.js"}
ON_DEMAND_ASSETS = {QR_SCRIPT: "qrcode-generator.js"}  # loaded by the page that needs it, not by every page


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # With this hook MkDocs keeps one instance for a whole `mkdocs serve`, so what a build
        # loaded and rendered is there for the next: after an edit only what changed is redone.
        self.records, self.pages, self.rankings = Memo(), Memo(), Memo()
        self.built: dict[str, int] = {}  # generated file → hash of its content in the last build
        self.written: dict[str, str] = {}  # generated file → where the last build wrote it
        self.page_entries: dict[str, search.Entry] = {}  # hand-written page → its search entry
        # A one-off build renders on every core; `mkdocs serve` (threads, and a cache that must
        # see every page) renders in its own process.
        self.processes = (os.cpu_count() or 1) if command == "build" else 1
        self.theme_bytecode = _CompiledTemplates()

    def on_config(self, config: MkDocsConfig) -> None:
        if not hasattr(self, "records"):  # used without on_startup (MkDocs' API, tests)
            self.on_startup(command="build", dirty=False)
        self.renderer: Renderer | None = None
        self.segmenting: ProcessPoolExecutor | None = None
        self.generated: dict[str, RenderedPage] = {}
        self.hashes: dict[str, int] = {}
        self.destinations: dict[str, str] = {}
        self.project_dir = Path(config.config_file_path or ".").parent
        # What a build may keep for the next (jieba's prepared dictionary): the project's own, safe to delete.
        self.cache_dir = str(self.project_dir / ".cache")
        # The plugin's own styles and script (citation box, cards, print); served from the site itself.
        for path in ASSETS:
            target = config.extra_javascript if path.endswith(".js") else config.extra_css
            if path not in target:
                target.append(path)

    # Run first, so that search and other plugins see the generated pages as ordinary files.
    @event_priority(100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # MkDocs would follow a link in docs/ and publish what it points at.
        links = symlinks(Path(config.docs_dir), self.project_dir)
        if links:
            raise PluginError(f"docs/ 里有符号链接，站点没有生成：\n{InvalidInput(links).report()}")
        try:
            casebook = load_casebook(Path(self.config.cases_dir), base=self.project_dir, records=self.records)
        except InvalidInput as error:
            raise PluginError(f"案例记录有问题，站点没有生成：\n{error.report()}") from None
        # Warnings, as `casebook validate` gives them: `mkdocs build --strict` (CI) fails on them.
        for reminder in reminders(casebook):
            log.warning(f"{reminder}（提醒）")
        templates = Path(self.config.templates_dir) if self.config.templates_dir else None
        offline_copy = self._offline_copy(config, templates)
        self.renderer = Renderer(casebook, templates, edit_base=edit_base(config.repo_url, config.edit_uri, config.docs_dir, self.project_dir), site_url=config.site_url or "",
                                 citing=references.citing((f.src_uri, f.content_string) for f in files.documentation_pages()), directory_urls=config.use_directory_urls,
                                 pages=self.pages, rankings=self.rankings,
                                 offline_copy_size=len(offline_copy) if offline_copy else None)
        docs_prefix = posixpath.relpath(self.project_dir.as_posix(), Path(config.docs_dir).as_posix())
        for page in self.renderer.pages(self.processes):
            self.generated[page.path] = page
            # The file holds the front matter only (MkDocs reads the title from it); the HTML is put
            # in by on_page_content, so a large casebook does not hold every page twice.
            file = self._add(files, config, page.path, page.front_matter, version=(page.front_matter, page.html))
            if page.origin:
                file.edit_uri = posixpath.join(docs_prefix, page.origin)
        site_url = config.site_url or ""
        exports = export.files(casebook, site_url, config.use_directory_urls)
        exports.update(datapackage.files(casebook, exports, site_url, config.use_directory_urls))
        exports.update(citation_data.files(casebook, site_url, config.use_directory_urls))
        for path, text in exports.items():
            self._add(files, config, path, text)
        for path, text in compare.files(self.renderer).items():
            self._add(files, config, path, text)
        for kind in schema.SCHEMA_FILES:
            self._add(files, config, SCHEMA.format(kind=kind), schema.schema_text(kind))
        for old_id, new_id in casebook.redirects.items():
            self._add(files, config, case_redirect_path(old_id, config.use_directory_urls), self.renderer.redirect(old_id, new_id))
        for path, name in {**ASSETS, **ON_DEMAND_ASSETS}.items():
            self._add(files, config, path, resources.files("casebook").joinpath("assets", name).read_bytes())
        if offline_copy:
            self._add(files, config, OFFLINE_COPY, offline_copy)
        pages = [(path, page_url(path, config.use_directory_urls)) for path in self.renderer.page_paths]
        self.search_entries = search.casebook_entries(casebook, pages)
        self.search_words = frozenset(search.vocabulary(casebook))
        # Segmenting Chinese for search (and loading jieba's dictionary first) takes a core of its
        # own while MkDocs renders the pages; hand-written pages follow in on_post_build.
        self.segmenting = forked_pool(1) if self.processes > 1 else None
        if self.segmenting is not None:
            self.casebook_documents = self.segmenting.submit(search.documents, self.search_entries, self.search_words,
                                                            self.cache_dir)
        for file in files.documentation_pages():
            if file.src_uri not in self.generated and references.has_references(file.content_string):
                # What a page's references expand to changes with the cases, not with the page's file.
                file.is_modified = lambda: True  # type: ignore[method-assign]
        self.page_entries = {uri: entry for uri, entry in self.page_entries.items() if files.get_file_from_path(uri)}
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Material's search would segment every section of every page; our own index replaces it.
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        if page.file.src_uri in self.generated:
            return ""  # already HTML: on_page_content puts it in, without a pass through Python-Markdown
        if page.file.generated_by or self.renderer is None:
            return markdown
        display = posixpath.join(posixpath.relpath(config.docs_dir, self.project_dir.as_posix()), page.file.src_uri)
        try:
            expanded = references.expand(markdown, page.file.src_uri, display, self.renderer)
        except InvalidInput as error:
            raise PluginError(f"页面中的案例引用有问题：\n{error.report()}") from None
        self.page_entries[page.file.src_uri] = search.Entry(page.url, references.page_title(markdown, page.file.src_uri),
                                                            search.plain_text(expanded))
        return expanded

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # MkDocs makes a new theme environment for every build; under `mkdocs serve` compiling
        # Material's templates again each time costs a quarter of a rebuild. Jinja checks that a
        # cached template's source is unchanged before using it.
        env.bytecode_cache = self.theme_bytecode
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
        hand_written = sorted(self.page_entries.values(), key=lambda e: e.location)
        if self.segmenting is not None:
            later = self.segmenting.submit(search.documents, hand_written, self.search_words, self.cache_dir)
            documents = self.casebook_documents.result() + later.result()
            self._stop_segmenting()
        else:
            documents = search.documents(self.search_entries + hand_written, self.search_words, self.cache_dir)
        index = search.index_json(documents)
        target = Path(config.site_dir) / SEARCH_INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(index, encoding="utf-8")
        # Pages with file addresses are for opening from a folder (the offline copy), where browsers
        # read no JSON file: there Material's search reads the index from a script.
        if not config.use_directory_urls:
            (Path(config.site_dir) / SEARCH_INDEX_SCRIPT).write_text(search.index_script(index), encoding="utf-8")
        # A build that rewrites only what changed (`mkdocs serve --dirty`) would leave the page of a
        # deleted or renamed record in place; remove what this build no longer generates.
        for src_uri in self.written.keys() - self.hashes.keys():
            Path(self.written[src_uri]).unlink(missing_ok=True)
        self.built, self.written = self.hashes, self.destinations

    def _offline_copy(self, config: MkDocsConfig, templates: Path | None) -> bytes | None:
        """The zip of the offline copy's folder, when this build publishes one."""
        if self.config.offline_copy is None:
            return None
        folder = Path(self.config.offline_copy)
        if not (folder / SEARCH_INDEX_SCRIPT).is_file() or folder.resolve() == Path(config.site_dir).resolve():
            raise PluginError(f"offline_copy：{folder} 不是离线版的站点目录（mkdocs build --no-directory-urls 生成的）")
        return offline.zip_site(folder, config.site_name, templates)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_segmenting()

    def _stop_segmenting(self) -> None:
        if self.segmenting is not None:
            self.segmenting.shutdown(cancel_futures=True)
            self.segmenting = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        server.watch(str(Path(self.config.cases_dir).resolve()), recursive=True)
        if self.config.templates_dir:
            server.watch(str(Path(self.config.templates_dir).resolve()), recursive=True)
        return server

    def _add(self, files: Files, config: MkDocsConfig, path: str, content: str | bytes, version: object = None) -> File:
        """Add a generated file; ``version`` (default: the content) tells whether it changed since the last build."""
        if files.get_file_from_path(path):
            raise PluginError(f"docs/{path} 与案例库自动生成的页面同名，请改名或删除它")
        file = GeneratedFile.generated(config, path, content=content)
        assert isinstance(file, GeneratedFile)  # File.generated makes an instance of the class it is called on
        self.hashes[path] = hash(content if version is None else version)
        file.changed = self.built.get(path) != self.hashes[path]
        self.destinations[path] = file.abs_dest_path
        files.append(file)
        return file

