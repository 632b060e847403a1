# ConsoRes — the two commands of the README, and a few more.
#   make run    set everything up and start the platform locally with demo data
#   make test   set everything up and run every test (lint, types, contracts, unit → browser)
#   make bench  benchmarks (ratios against a baseline measured in the same run)
#   make fast   the tests not marked slow (the inner loop, under a minute)
#   make lock   resolve requirements*.in into the hashed locks requirements*.txt
#   make deploy / make destroy   the cloud stacks of STAGE (README, "Deploy runbook")
#   make first-admin STAGE=… EMAIL=…   the first administrator of a deployed stage

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test fast bench lint types contracts unit web browser lock clean bootstrap deploy destroy cdk-cli first-admin

# The environment is made from the development lock only, hashes checked, nothing
# resolved on the way (--no-deps): a new machine gets exactly the locked versions.
# A changed lock makes the environment anew, so nothing outside the lock lingers.
$(STAMP): requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	touch $(STAMP)

# requirements-dev.in -> requirements-dev.txt (everything, for this machine kind and
# others), then requirements.in -> requirements.txt (what the Lambda package ships),
# constrained by the first so both name the same versions. Existing pins are kept;
# `make lock UV_ARGS=--upgrade` (or --upgrade-package NAME) moves them.
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(UV_ARGS)
lock: $(STAMP)
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt
	$(UV_COMPILE) --constraints requirements-dev.txt requirements.in -o requirements.txt

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
	cd web && npm run --silent typecheck && npm run --silent test
	$(VENV)/bin/pytest --durations=10
	cd web && npm run --silent e2e

# The fast loop: every test but those marked slow (under a minute on 2 cores).
fast: $(STAMP)
	$(VENV)/bin/pytest -m "not slow" --durations=10

bench: $(STAMP)
	$(PY) -m tests.bench

# The cloud (infra/cloud): STAGE=dev|prod, CDK context in CONTEXT (e.g. CONTEXT="-c alarm_emails=a@x.fr").
# The AWS CDK CLI (npm package aws-cdk, at least as recent as aws-cdk-lib) and AWS credentials are the operator's.
STAGE ?= dev
CONTEXT ?=
REGION ?= eu-west-3
CDK = cd infra/cloud && PATH="$(CURDIR)/$(VENV)/bin:$$PATH" CDK_DEFAULT_REGION=$(REGION) cdk
cdk-cli:
	@command -v cdk >/dev/null || { echo "the AWS CDK CLI is required: npm install -g aws-cdk"; exit 1; }

# Once per account: the CDK's bootstrap stack in the stage's region and in us-east-1 (the site's firewall).
bootstrap: $(STAMP) web cdk-cli
	account=$$(aws sts get-caller-identity --query Account --output text) && \
	$(CDK) bootstrap -c stage=$(STAGE) aws://$$account/$(REGION) aws://$$account/us-east-1

# Both stacks of the stage: the site's firewall (us-east-1), then the platform (web client included).
deploy: $(STAMP) web cdk-cli
	$(CDK) deploy --all -c stage=$(STAGE) $(CONTEXT) --require-approval broadening --outputs-file cdk-outputs-$(STAGE).json

# The first administrator of a deployed stage (idempotent): an account for EMAIL, the administrator profile.
first-admin: $(STAMP)
	@[ -n "$(EMAIL)" ] || { echo "usage: make first-admin STAGE=dev EMAIL=prenom.nom@example.fr"; exit 1; }
	$(PY) -m infra.cloud.first_admin --stage $(STAGE) --email "$(EMAIL)" --region $(REGION)

# A dev stage only: its retained buckets, tables, user pool and keys stay (README says how to remove them).
destroy: $(STAMP) web cdk-cli
	@[ "$(STAGE)" = dev ] || { echo "make destroy only tears a dev stage down"; exit 1; }
	$(CDK) destroy --all -c stage=dev --force

clean:
	rm -rf $(VENV) web/node_modules web/dist .consores .pytest_cache .mypy_cache .ruff_cache
