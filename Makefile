# xuanren — two commands from a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LOCK_HASH := $(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run test test-pure test-sqlite test-postgres lint bench demo clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# Debian packages the system needs: a CJK font for PDFs, poppler for checking them,
# chromium for the browser tests. Installed when missing (needs root or sudo).
system-deps:
	@bash scripts/system-deps.sh $(if $(filter run,$(MAKECMDGOALS)),run,$(if $(filter bench,$(MAKECMDGOALS)),bench,test))

run: install system-deps
	$(BIN)/xuanren migrate --noinput
	$(BIN)/xuanren setup
	$(BIN)/xuanren demo --if-absent
	$(BIN)/xuanren demo_logins
	$(BIN)/xuanren runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install system-deps lint test-pure test-sqlite test-postgres

# The pure core must test without Django: no settings, no database.
test-pure: install
	$(BIN)/python -m pytest -q -p no:django xuanren/rules xuanren/ledger

test-sqlite: install
	$(BIN)/python -m pytest -q

test-postgres: install
	@bash scripts/test-postgres.sh

bench: install system-deps
	$(BIN)/python -m bench

demo: install
	$(BIN)/xuanren migrate --noinput
	$(BIN)/xuanren demo

clean:
	rm -rf var/test-artifacts .pytest_cache .mypy_cache .ruff_cache
