# 两个命令即可上手：make serve（建环境、装依赖、预览站点）和 make test。
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the sitemap's dates come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build engines test validate eval-search bench bench-20000 bench-search audit lock clean

PIP_INSTALL := python -m pip install --quiet --disable-pip-version-check

# $(call install,VENV,LOCK,PIP_FLAGS): a venv from a lock, then this project in it, editable. Every file must
# match a hash in the lock (a tampered or replaced wheel stops the install); the project is built with the
# setuptools pinned there, not one fetched unchecked for an isolated build. The stamp it touches depends on
# the lock and the project metadata, so a changed pin reinstalls.
define install
test -x $(1)/bin/python || $(PYTHON) -m venv $(1)
$(1)/bin/$(PIP_INSTALL) --require-hashes $(3) -r $(2)
$(1)/bin/$(PIP_INSTALL) --no-deps --no-build-isolation -e .
touch $@
endef

$(STAMP): requirements.lock pyproject.toml
	$(call install,$(VENV),requirements.lock)

# ProperDocs in a venv of its own (requirements-properdocs.in says why --no-deps).
PROPERDOCS_VENV  := .cache/properdocs-venv
PROPERDOCS_STAMP := $(PROPERDOCS_VENV)/.installed
$(PROPERDOCS_STAMP): requirements-properdocs.lock pyproject.toml
	$(call install,$(PROPERDOCS_VENV),requirements-properdocs.lock,--no-deps)

# The engine that builds and serves the site: MkDocs 1.6.1, or ProperDocs with ENGINE=properdocs.
ENGINE ?= mkdocs
ifeq ($(ENGINE),properdocs)
ENGINE_STAMP := $(PROPERDOCS_STAMP)
ENGINE_RUN   := $(PROPERDOCS_VENV)/bin/properdocs
else
ENGINE_STAMP := $(STAMP)
ENGINE_RUN   := $(BIN)/mkdocs
endif

serve: $(ENGINE_STAMP)
	$(ENGINE_RUN) serve --config-file mkdocs.yml --dirty --dev-addr 127.0.0.1:8000

# The offline copy first: the same pages with file addresses, which open from a folder. The site
# built next publishes it zipped (download/) and gives its size on the about page.
OFFLINE_COPY := .cache/offline-copy
SITE_DIR     := site
build: $(ENGINE_STAMP)
	$(ENGINE_RUN) build --strict --config-file mkdocs.yml --no-directory-urls --site-dir $(OFFLINE_COPY)
	CASEBOOK_OFFLINE_COPY=$(OFFLINE_COPY) $(ENGINE_RUN) build --strict --config-file mkdocs.yml --site-dir $(SITE_DIR)

# The same build with each engine, then the two sites compared file by file (CI runs this after make test).
ENGINES_DIR := .cache/engines
engines: $(STAMP) $(PROPERDOCS_STAMP)
	rm -rf $(ENGINES_DIR)
	for engine in mkdocs properdocs; do \
	  $(MAKE) --no-print-directory build ENGINE=$$engine SITE_DIR=$(ENGINES_DIR)/$$engine \
	    OFFLINE_COPY=$(ENGINES_DIR)/$$engine-offline-copy || exit 1; \
	done
	$(BIN)/python -m tests.engines.compare $(ENGINES_DIR)/mkdocs $(ENGINES_DIR)/properdocs

validate: $(STAMP)
	$(BIN)/casebook validate $(VALIDATE_FLAGS)

test: $(STAMP)
	$(BIN)/python -m pytest

# Search quality: the query sets in tests/search/ through the site's own search worker (in Node.js).
eval-search: build
	$(BIN)/python -m tests.search.evaluate site tests/search/queries*.yml

# Speed and memory against a stock Material build of the same pages (takes a while at 5000): cold and warm builds,
# serve rebuild, search bytes, a case page's weight in Chromium; issue 18's budgets checked at the end.
# BENCH_FLAGS=--repeat 3 runs each timed build three times (median, min–max: this machine is noisy).
# make bench-20000: 5000 and 20000 cases, without the stock build (about ten minutes at 20000) or serve, for the
# budgets at 20000 (memory, per-case cost against 5000).
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --sizes 100 1000 5000 --out bench-results/latest.json $(BENCH_FLAGS)

bench-20000: $(STAMP)
	$(BIN)/python -m tests.bench.run --sizes 5000 20000 --no-stock --no-serve --out bench-results/20000.json $(BENCH_FLAGS)

# Search next to Pagefind on the same synthetic sites: bytes fetched and time to the first result for three queries,
# in Chromium with 4× CPU throttling. Needs Debian's chromium and npm (Pagefind goes into .cache/pagefind); not part
# of make test. SEARCH_FLAGS=--runs 9 for more runs.
SEARCH_SIZES ?= 1000 5000
bench-search: $(STAMP)
	$(BIN)/python -m tests.bench.search_latency --sizes $(SEARCH_SIZES) --out bench-results/search.json $(SEARCH_FLAGS)

# What a phone reader gets, with the real tools: Lighthouse (mobile), the Nu HTML checker, LinkChecker.
# Needs Debian's chromium, Java and Node.js; not part of make test. AUDIT_FLAGS=--links adds LinkChecker.
audit: $(STAMP)
	cd tests/audit && npm install --no-audit --no-fund --silent
	test -x .cache/audit-venv/bin/linkchecker || { $(PYTHON) -m venv .cache/audit-venv && \
	  .cache/audit-venv/bin/pip install --quiet --disable-pip-version-check linkchecker; }
	PATH="$(CURDIR)/.cache/audit-venv/bin:$$PATH" $(BIN)/python -m tests.audit.run $(AUDIT_FLAGS)

# Regenerate the locks from the ranges in pyproject.toml, with every file's hash (run on purpose, then commit
# them). pip-compile keeps the versions a lock already pins and pins only what is new or no longer fits;
# LOCK_FLAGS=--upgrade moves everything to the newest allowed. The ProperDocs lock takes its versions
# from requirements.lock, so that the two engines build with the same libraries.
LOCK_TOOLS  := .cache/lock-tools
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes \
               --annotation-style line --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
lock:
	test -x $(LOCK_TOOLS)/bin/python || $(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/$(PIP_INSTALL) pip-tools==7.6.2
	$(PIP_COMPILE) --allow-unsafe --extra test --build-deps-for editable --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --unsafe-package mkdocs --unsafe-package mkdocs-get-deps --constraint requirements.lock \
	  --output-file requirements-properdocs.lock pyproject.toml requirements-properdocs.in

clean:
	rm -rf site .cache
