# Newshub: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint services bench bench-wordpress clean help

help:
	@echo "make run          install, migrate, load demo content, serve on http://$(HOST):$(PORT)"
	@echo "make test         install test dependencies and run the whole suite (SQLite, then PostgreSQL + Redis)"
	@echo "make test-sqlite  the suite on SQLite only"
	@echo "make lint         ruff, the import layers (lint-imports), mypy, Django's checks"
	@echo "make bench        page throughput benchmark (10,000 articles, wrk)"
	@echo "make bench-wordpress  page throughput beside the WordPress peer, same content (SECONDS=12 per run)"

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q '.[test]'
	@touch $@

run: $(VENV)/.installed
	$(PY) manage.py bootstrap
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed-test
	scripts/browser.sh
	scripts/proxy.sh install
	$(VENV)/bin/pytest -q

test-postgres: $(VENV)/.installed-test
	scripts/browser.sh
	scripts/proxy.sh install
	scripts/services.sh start
	source var/services.env && $(VENV)/bin/pytest -q; status=$$?; \
		scripts/services.sh stop; exit $$status

test: lint test-sqlite test-postgres

bench: $(VENV)/.installed-test
	bench/pages.sh
	$(PY) bench/comments.py
	bench/cluster.sh

bench-wordpress: $(VENV)/.installed-test
	bench/wordpress.sh

clean:
	rm -rf $(VENV) var
