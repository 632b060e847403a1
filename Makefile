# ConsoRes — the two commands of the README, and a few more.
#   make run    set everything up and start the platform locally with demo data
#   make test   set everything up and run every test (lint, types, contracts, unit → browser)
#   make bench  benchmarks (ratios against a baseline measured in the same run)

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint types contracts unit web browser clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(shell find web/src web/index.html -type f 2>/dev/null)
	cd web && npm run --silent build

web: web/dist/index.html

# Headless Chromium for the browser tests (Debian's package; Playwright drives the system executable).
browser:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)

run: $(STAMP) web
	$(PY) -m infra.local

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check chalicelib/domain chalicelib/services

types: $(STAMP)
	$(VENV)/bin/mypy chalicelib app.py infra

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

test: $(STAMP) web browser lint types contracts
	cd web && npm run --silent typecheck
	$(VENV)/bin/pytest -n 2 --dist loadgroup
	cd web && npm run --silent e2e

bench: $(STAMP)
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) web/node_modules web/dist .consores .pytest_cache .mypy_cache .ruff_cache
