# KCN Portal — the two commands are `make run` and `make test`.
# Everything installs into .venv; nothing is needed on the machine but Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: run test lint format messages migrate seed worker beat clean help bench

help:
	@echo "make run    – install, migrate, load demo data, serve on http://$(HOST):$(PORT)/"
	@echo "make test   – install test tools and run the whole test suite"
	@echo "make lint   – ruff, formatting, migrations check and the import contracts (lint-imports)"
	@echo "make worker / make beat – Celery worker and scheduler (needs CELERY_BROKER_URL)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when a requirements file changed.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# gettext catalogues (Vietnamese msgids, English translation), compiled in pure Python.
messages: $(VENV)/.installed
	$(PY) manage.py compile_catalogues

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: messages seed
	@echo
	@echo "KCN Portal: http://$(HOST):$(PORT)/"
	@$(PY) manage.py seed_demo --list-logins
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks on throwaway databases (never db.sqlite3); every figure, with its baseline and ratio, is printed
# at the end by bench.summary and kept in bench/results.json (see bench/README.md). In order: the licence
# import (BENCH_ARGS, on its own SQLite files), the national-scale data (bench.national: generated once per
# scale, skipped when already there; BENCH_SCALE, default 1; NATIONAL_ARGS), the rollup on that data
# (ROLLUP_ARGS), then the load test — gunicorn with the production settings and 20 users driven from a
# second process (LOAD_ARGS). BENCH_DATABASE_URL is the PostgreSQL database of the last three (created when
# missing); set it empty for a SQLite file instead (the load test then measures SQLite).
#   make bench                                                   # all of it (about 25 minutes)
#   make bench BENCH_ARGS="--rows 2000" BENCH_SCALE=0.1 LOAD_ARGS="--duration 30"   # a quick run
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kcn_bench
BENCH_ON = --scale $(or $(BENCH_SCALE),1) $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))
bench: $(VENV)/.installed messages
	$(PY) -m bench.import_licences $(BENCH_ARGS)
	$(PY) -m bench.national $(BENCH_ON) $(NATIONAL_ARGS)
	$(PY) -m bench.rollup $(BENCH_ON) $(ROLLUP_ARGS)
	$(PY) -m bench.load $(BENCH_ON) $(LOAD_ARGS)
	$(PY) -m bench.pages $(PAGES_ARGS)
	$(PY) -m bench.summary

worker: $(VENV)/.installed
	$(BIN)/celery -A kcn_portal worker --loglevel=INFO

beat: $(VENV)/.installed
	$(BIN)/celery -A kcn_portal beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
	find . -name '*.mo' -path './locale/*' -delete
