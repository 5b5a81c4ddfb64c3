# Houtai: `make run` serves the app on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HOUTAI_VAR ?= $(CURDIR)/var

.PHONY: run test install install-test translations migrate lint lint-imports unit integration e2e chromium bench

run: install translations migrate
	@$(BIN)/houtai setup-link --base-url http://127.0.0.1:8000
	@echo "Serving on http://127.0.0.1:8000 with a background worker (Ctrl+C stops both)."
	@$(BIN)/houtai worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/gunicorn -c gunicorn.conf.py 'bootstrap:wsgi_app()'

test: install-test chromium translations lint unit integration e2e

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations: install
	@$(BIN)/pybabel -q compile -d translations -D messages

migrate: install
	$(BIN)/houtai migrate

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else \
		echo "The e2e tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'."; exit 1; \
	fi

lint-imports: install-test
	$(BIN)/lint-imports

lint: lint-imports
	$(BIN)/ruff check src tests e2e
	$(BIN)/mypy

unit: install-test
	$(BIN)/pytest -q -p no:cacheprovider tests/unit

# Integration tests on TEST_WORKERS processes (pytest-xdist; each has its own PostgreSQL database).
TEST_WORKERS ?= 2

integration: install-test translations
	$(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) tests/integration

e2e: install-test translations chromium
	$(BIN)/pytest -q -p no:cacheprovider e2e --screenshot only-on-failure --output test-results

bench: install
	bash bench/run.sh
