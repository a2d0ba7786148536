# Tandem — `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run install migrate seed serve test lint types unit bench translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate the SQLite database, seed the demo and serve on 127.0.0.1:8000
run: install migrate seed serve

migrate: install
	$(BIN)/tandem migrate

seed: install
	$(BIN)/tandem seed-demo

serve: install
	$(BIN)/tandem serve --host 127.0.0.1 --port 8000

## test: lint, types, import contract and every test (SQLite; PostgreSQL too when
## TANDEM_TEST_POSTGRES_URL is set)
test: lint types unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

types: install
	$(BIN)/mypy

unit: install
	$(BIN)/python -m pytest -n auto --dist loadfile

bench: install
	$(BIN)/python -m tests.bench

## translations: re-extract messages and update the catalogues (then translate new ones)
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k translate --sort-by-file --project=Tandem -o app/locale/messages.pot .
	$(BIN)/pybabel update -i app/locale/messages.pot -d app/locale -D messages --no-fuzzy-matching

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
