# Two commands: `make run` (the system, with demo data) and `make test` (every test).
# Both create the virtual environment from the lock file on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cchc serve

# The type check (configured in pyproject.toml); Django's settings are read in demo mode.
MYPY := CCHC_DEV=1 CCHC_DATA_DIR=$(CURDIR)/.mypy_data $(BIN)/mypy

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

test: $(STAMP)
	bash scripts/ensure-services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check cchc tests bench
	$(MYPY)
	@echo "== PostgreSQL: the database tests =="
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest tests/web
	@echo "== SQLite: the whole suite =="
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check cchc tests bench
	$(MYPY)

# Speed targets live here, not in tests: each script prints its figures.
bench: $(STAMP)
	$(BIN)/python bench/bench_validation.py
	$(BIN)/python bench/bench_documents.py
	$(BIN)/python bench/bench_load_units.py
	$(BIN)/python bench/bench_narrative.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache .mypy_cache .mypy_data
