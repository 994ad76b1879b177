# Jangkau — two commands set everything up: `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SYSTEM_PACKAGES := chromium libpango-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext postgresql-client

.PHONY: run test bench bench-import soak lint format install install-dev system-deps node-deps migrate demo messages messages-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files make `make run` fast the second time: pip runs again only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Debian packages the PDF renderer and the browser tests need. Installed when root with apt; otherwise named.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "Missing Debian packages:$$missing"; \
	  echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	fi

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Debian's nodejs and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo

run: demo
	@echo "Starting the web server on http://$(HOST):$(PORT)/, the task worker and the scheduler (Ctrl+C stops all three)"
	@exec $(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

# Two pytest workers (pytest-xdist), one per core: much of the suite waits on the database, the browser and
# the servers it starts, so two halve the time. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
test: install-dev system-deps node-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Benchmarks that anyone can rerun; each prints its figures beside a baseline measured in the same run.
# `make bench`: Jangkau beside a floor and django-helpdesk on PostgreSQL (PGHOST, default 127.0.0.1), written to
# bench/results/latest.json (docs/PERFORMANCE.md). `make bench-import`: the paper-survey import on SQLite.
bench: install-dev system-deps
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-import: install-dev
	$(BIN)/python bench/skm_import.py

# Crash safety: SIGKILLs gunicorn (master and workers) three times while intake requests stream in, then checks
# that every acknowledged request is stored with its data and the audit chain verifies. Runs on a new SQLite
# file, or on the PostgreSQL database DATABASE_URL names (created and migrated when needed).
soak: install
	$(BIN)/python scripts/crash_soak.py $(SOAK_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Translations: extract every marked string into locale/*/django.po, then compile the .mo files (committed,
# so that running Jangkau needs no gettext tools).
MESSAGES_FLAGS := -l id -l en --no-location --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests
messages: install-dev
	$(BIN)/python manage.py makemessages $(MESSAGES_FLAGS)
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

# Fails when a marked string is missing from the catalogues (someone forgot `make messages`).
messages-check: install-dev system-deps
	$(BIN)/python manage.py makemessages $(MESSAGES_FLAGS) >/dev/null
	@git diff --exit-code -I '^"POT-Creation-Date' -- locale/ || { echo "locale/ is out of date: run make messages and translate"; exit 1; }

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache
