# Shifu: the two commands are `make run` (serve with demo data) and
# `make test` (lint + full test suite on SQLite, then on PostgreSQL).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# Steps must run in the order listed (apt before pip before pytest), even under -j.
.NOTPARALLEL:
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 5000
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-x -k invoice"`.
PYTEST_ARGS ?=

VENV := .venv
PY := $(VENV)/bin/python
export FLASK_APP := wsgi.py
# `make run` is the demo: a development secret key is generated in instance/ unless SECRET_KEY is set.
export SHIFU_ENV ?= development

# The stamp name embeds a hash of the requirement file contents, so pip runs
# again exactly when they change (mtimes are useless after a fresh clone).
# The dev hash covers both files because requirements-dev.txt includes the other.
RUN_HASH := $(shell cat requirements.txt 2>/dev/null | sha256sum | cut -c1-16)
DEV_HASH := $(shell cat requirements.txt requirements-dev.txt 2>/dev/null | sha256sum | cut -c1-16)
RUN_STAMP := $(VENV)/.stamp-run-$(RUN_HASH)
DEV_STAMP := $(VENV)/.stamp-dev-$(DEV_HASH)

# Only lint directories that exist yet; ruff would otherwise error out.
LINT_DIRS := $(wildcard app tests bench)

.PHONY: help run test test-quick test-sqlite test-postgres lint bench clean \
        system-packages-run system-packages-test venv-run venv-dev

help:
	@echo "make run         install what is missing, migrate, load demo data, serve on $(HOST):$(PORT)"
	@echo "make test        lint, then the test suite on SQLite and on PostgreSQL"
	@echo "make test-quick  test suite on SQLite only, with the existing venv"
	@echo "make lint        ruff check"
	@echo "make bench       run bench/run.sh"
	@echo "make clean       remove .venv and the SQLite databases in instance/"

run: system-packages-run venv-run
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask demo load
	$(VENV)/bin/flask run --host "$(HOST)" --port "$(PORT)"

test: system-packages-test venv-dev lint test-sqlite test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

# A TEST_DATABASE_URL from the environment (e.g. a CI service container) wins
# over starting our own throwaway cluster.
test-postgres:
	@echo "== tests on PostgreSQL =="
	if [[ -n "$${TEST_DATABASE_URL:-}" ]]; then \
	  $(PY) -m pytest $(PYTEST_ARGS); \
	else \
	  scripts/with-postgres.sh $(PY) -m pytest $(PYTEST_ARGS); \
	fi

test-quick: test-sqlite

lint:
	$(if $(LINT_DIRS),$(VENV)/bin/ruff check $(LINT_DIRS),@echo "lint: nothing to check yet")

bench: venv-dev
	@if [[ ! -x bench/run.sh ]]; then echo "bench: no executable bench/run.sh yet" >&2; exit 1; fi
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bench/run.sh

clean:
	rm -rf $(VENV) instance/*.sqlite*

system-packages-run:
	@scripts/system-packages.sh run

system-packages-test:
	@scripts/system-packages.sh test

venv-run: $(RUN_STAMP)
venv-dev: $(DEV_STAMP)

# A half-created venv would be mistaken for a good one next time, so remove it on failure.
$(PY):
	python3 -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip

$(RUN_STAMP): | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.stamp-run-*
	touch $@

$(DEV_STAMP): | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.stamp-dev-*
	touch $@
