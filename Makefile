# Everything a newcomer needs: `make site` builds the site, `make test` runs every test.
# Targets create .venv themselves from the lock file, so a fresh machine needs only
# Python 3.11+, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible output (sitemap dates): the time of the last commit, or 0 outside git.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: help setup check site serve test lint bench clean

help:
	@echo "make site   build the site from roadmap/ into site/"
	@echo "make serve  live preview at http://127.0.0.1:8000"
	@echo "make check  check the roadmap for errors"
	@echo "make test   run every test (lint, unit, build, browser)"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

check: $(STAMP)
	$(BIN)/roadmap check

# SITE_FLAGS: extra options for roadmap build; the Pages workflow passes --publish --as-at today.
site: $(STAMP)
	$(BIN)/roadmap build $(SITE_FLAGS)

serve: $(STAMP)
	$(BIN)/roadmap check && $(BIN)/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks

test: $(STAMP) lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site docs/roadmap .pytest_cache
