# Two commands for a newcomer: `make serve` and `make test`.
# Both create .venv from the pinned requirements when it is missing or stale.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help serve build test clean

help:
	@echo "make serve  - build the site and serve it at http://localhost:8000, rebuilding on changes"
	@echo "make build  - production build into output/"
	@echo "make test   - run all tests"
	@echo "make clean  - remove output/ and caches"

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $(VENV)/.runtime $@

serve: $(VENV)/.runtime
	$(BIN)/invoke livereload

build: $(VENV)/.runtime
	$(BIN)/invoke preview

# The editor's pinned packages (decap-cms, decap-server) for its tests.
editor/node_modules/.package-lock.json: editor/package-lock.json
	npm ci --prefix editor --no-audit --no-fund --loglevel=error

test: $(VENV)/.test editor/node_modules/.package-lock.json
	$(BIN)/python -m pytest

clean:
	rm -rf output .output.* .cache .pytest_cache
