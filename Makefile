# Everything a newcomer needs: `make site` builds the site, `make test` runs every test.
# Targets create .venv themselves from the lock file, so a fresh machine needs only
# Python 3.11+, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Which program builds the site: mkdocs (MkDocs + Material, the default), properdocs or
# zensical. The other two come from the lock file's optional group, installed on first use.
BUILDER ?= mkdocs
BUILDERS_STAMP := $(VENV)/.builders-installed
NEEDS := $(STAMP) $(if $(filter mkdocs,$(BUILDER)),,$(BUILDERS_STAMP))
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible output (sitemap dates): the time of the last commit, or 0 outside git.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: help setup builders check site serve test test-builders lint bench clean

help:
	@echo "make site   build the site from roadmap/ into site/"
	@echo "make serve  live preview at http://127.0.0.1:8000"
	@echo "make check  check the roadmap for errors"
	@echo "make test   run every test (lint, unit, build, browser)"
	@echo "make site BUILDER=properdocs|zensical   build with a successor of MkDocs instead"
	@echo "make test-builders   compare the builds of MkDocs, ProperDocs and Zensical"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

builders: $(BUILDERS_STAMP)

$(BUILDERS_STAMP): $(STAMP) requirements-builders.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-builders.lock
	@touch $@

check: $(STAMP)
	$(BIN)/roadmap check

# SITE_FLAGS: extra options for roadmap build; the Pages workflow passes --publish --as-at today.
site: $(NEEDS)
	$(BIN)/roadmap build --builder $(BUILDER) $(SITE_FLAGS)

serve: $(NEEDS)
	$(BIN)/roadmap serve --builder $(BUILDER) --dev-addr 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks

test: $(STAMP) lint
	$(BIN)/python -m pytest

# The same fixture roadmap built by each builder and compared (tests/test_builders.py;
# without the optional group those tests are skipped, so `make test` needs nothing more).
test-builders: $(STAMP) $(BUILDERS_STAMP)
	$(BIN)/python -m pytest tests/test_builders.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site docs/roadmap .pytest_cache
