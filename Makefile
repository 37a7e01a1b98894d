# gongkai — two commands: `make run` and `make test`. CI runs `make ci` (lint + import contracts + the suite
# on SQLite and PostgreSQL).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export GONGKAI_DATA_DIR ?= $(CURDIR)/var
# The suite runs on every core (pytest-xdist); each worker has its own test database, and tests that share a
# server (the PostgreSQL standby, SeaweedFS) are kept on one worker (xdist_group, --dist loadgroup).
# PYTEST_WORKERS=0 runs it in one process. The slowest tests are listed at the end of each half.
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?= -n $(PYTEST_WORKERS) --dist loadgroup --durations=15

.PHONY: install system-deps run serve test test-sqlite test-postgres lint ci lock bench clean

# Installs exactly the versions in requirements.lock (made from pyproject.toml's ranges by `make lock`), then
# the project itself without resolving anything again.
$(BIN)/gongkai: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(BIN)/gongkai

# After changing the dependency ranges in pyproject.toml: pin them again.
lock: install
	$(BIN)/pip-compile -q --extra test --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe \
		-o requirements.lock pyproject.toml

# Debian packages the platform needs outside Python: a CJK font for PDFs, Chromium for browser tests,
# Tesseract with its Chinese model for OCR of scanned attachments.
system-deps:
	@for s in scripts/install-fonts.sh scripts/install-browser.sh scripts/install-ocr.sh; do \
		if [ -f $$s ]; then bash $$s || exit 1; fi; done

run: install system-deps
	GONGKAI_ENV=development $(BIN)/gongkai migrate --noinput
	GONGKAI_ENV=development $(BIN)/gongkai demo
	GONGKAI_ENV=development $(BIN)/gongkai build-site
	GONGKAI_ENV=development bash scripts/dev-server.sh

serve: install
	GONGKAI_ENV=development bash scripts/dev-server.sh

test: install system-deps test-sqlite test-postgres

test-sqlite: install
	GONGKAI_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	bash scripts/ensure-postgres.sh
	GONGKAI_ENV=test DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

# ruff (style and bugs), mypy (types), import-linter (the floors of docs/ARCHITECTURE.md, no import loops).
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	GONGKAI_ENV=test $(BIN)/mypy
	GONGKAI_ENV=test $(BIN)/lint-imports

ci: lint test

# Figures only, never assertions. BENCH_QUICK=1 runs small sizes; ripgrep is the screening speed yardstick.
bench: install system-deps
	command -v rg >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ripgrep
	GONGKAI_ENV=test $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
