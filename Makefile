# The one entry point: make run | test | lint | bench | lock
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
LOCK := requirements.lock

.PHONY: run test lint format bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# one stamp per install flavour, redone when the dependencies or the lock change
$(VENV)/.run-installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) install --quiet -c $(LOCK) -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) install --quiet -c $(LOCK) -e '.[dev]'
	@touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/marketing-project serve

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(VENV)/.dev-installed
	$(PIP) install --quiet -c $(LOCK) -e '.[dev,bench]'
	$(BIN)/python benchmarks/http_baseline.py

# refresh the pinned versions after changing dependencies in pyproject.toml
lock: $(BIN)/python
	$(PIP) install --quiet --upgrade -e '.[dev,bench]'
	$(PIP) freeze --exclude-editable | grep -v '^-e' > $(LOCK)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
