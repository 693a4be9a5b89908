# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench diagram form-references lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## run: create the venv, install, migrate and seed the SQLite database, prepare the demo on a
## new database (printing the address and the logins), serve on $(HOST):$(PORT) with the
## clock of reminders and e-mail running in the server (GRANTS_SCHEDULER=off to stop it)
run: install
	$(BIN)/grants init
	$(BIN)/grants demo --if-new --address http://$(HOST):$(PORT)/
	GRANTS_SCHEDULER=$${GRANTS_SCHEDULER:-on} GRANTS_BASE_URL=$${GRANTS_BASE_URL:-http://$(HOST):$(PORT)} \
		$(BIN)/grants serve --host $(HOST) --port $(PORT)

## test: the whole suite (SQLite; set GRANTS_TEST_POSTGRES_URL to run it on PostgreSQL)
test: install
	$(BIN)/pytest

## bench: transitions vs plain SQL; documents vs naive python-docx; verification memory at
## 1,000 vs 100,000 events; the API vs bare endpoints (needs wrk); PostgreSQL too if
## GRANTS_BENCH_POSTGRES_URL is set
bench: install
	$(BIN)/python bench/transitions.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/reminders.py
	@if command -v sqlite3 >/dev/null; then $(BIN)/python bench/ledger.py; \
	else $(BIN)/python bench/ledger.py --site-only; echo "the ledger's CSV baseline needs sqlite3: apt-get install sqlite3"; fi
	@if command -v wrk >/dev/null; then $(BIN)/python bench/api.py && $(BIN)/python bench/web.py; \
	else echo "bench/api.py and bench/web.py skipped: apt-get install wrk"; fi

## form-references: draw the forms' reference images again (after an intended layout change;
## look at tests/reference/forms/ before committing)
form-references: install
	$(BIN)/python tests/form_images.py

## diagram: regenerate the committed lifecycle diagram from the transition table
diagram: install
	$(BIN)/python -m workflows.diagram > docs/workflow.md

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache

## lint: ruff over the code, and the import contract of the floors (import-linter, in
## pyproject.toml): an import that runs up a floor or joins two siblings fails
lint: install
	$(BIN)/ruff check grants workflows forms notifications tests bench docs
	$(BIN)/lint-imports --no-cache
