# 两个命令即可上手：make serve（建环境、装依赖、预览站点）和 make test。
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the sitemap's dates come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test validate eval-search bench audit lock clean

# The stamp depends on the lock and the project metadata, so a changed pin reinstalls.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

# The offline copy first: the same pages with file addresses, which open from a folder. The site
# built next publishes it zipped (download/) and gives its size on the about page.
OFFLINE_COPY := .cache/offline-copy
build: $(STAMP)
	$(BIN)/mkdocs build --strict --no-directory-urls --site-dir $(OFFLINE_COPY)
	CASEBOOK_OFFLINE_COPY=$(OFFLINE_COPY) $(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/casebook validate $(VALIDATE_FLAGS)

test: $(STAMP)
	$(BIN)/python -m pytest

# Search quality: the query set in tests/search/queries.yml against the built site's index.
eval-search: build
	$(BIN)/python -m tests.search.evaluate site/search/search_index.json tests/search/queries.yml

# Speed and memory against a stock Material build of the same pages (takes a while at 5000).
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --sizes 100 1000 5000 --out bench-results/latest.json

# What a phone reader gets, with the real tools: Lighthouse (mobile), the Nu HTML checker, LinkChecker.
# Needs Debian's chromium, Java and Node.js; not part of make test. AUDIT_FLAGS=--links adds LinkChecker.
audit: $(STAMP)
	cd tests/audit && npm install --no-audit --no-fund --silent
	test -x .cache/audit-venv/bin/linkchecker || { $(PYTHON) -m venv .cache/audit-venv && \
	  .cache/audit-venv/bin/pip install --quiet --disable-pip-version-check linkchecker; }
	PATH="$(CURDIR)/.cache/audit-venv/bin:$$PATH" $(BIN)/python -m tests.audit.run $(AUDIT_FLAGS)

# Regenerate the pins from the ranges in pyproject.toml (run on purpose, then commit the lock).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check ".[test]"
	.lock-venv/bin/pip freeze --exclude jilin-casebook > requirements.lock.new
	{ echo '# Pinned versions of every dependency (regenerate with `make lock`).'; cat requirements.lock.new; } > requirements.lock
	rm -rf .lock-venv requirements.lock.new

clean:
	rm -rf site .cache
