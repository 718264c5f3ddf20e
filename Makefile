# vrhub: two commands matter. `make demo` runs the whole job on a fresh machine; `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
VRHUB := $(VENV)/bin/vrhub
DEMO_DIR ?= vrhub-data
UV_VERSION := 0.13.8

.PHONY: setup system-deps demo test lint bench clean
DEBIAN_PACKAGES := postgresql poppler-utils

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) sync --frozen --inexact --all-extras --group dev
	touch $@

setup: $(VENV)/.installed  ## create .venv and install vrhub with its locked dependencies

system-deps:  ## Debian packages some tests use (PostgreSQL server); needs root, skipped where present
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Install with sudo apt-get install $$missing (tests that need them are skipped)"; fi; \
	fi

demo: setup  ## demo data -> ingest -> measures -> report (and the dashboard once there is one)
	$(VRHUB) demo --dir $(DEMO_DIR)

test: setup  ## the whole test suite
	$(VENV)/bin/python -m pytest -q -n 2

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy src

bench: setup  ## benchmarks (not part of make test): BENCH_ROWS=10000000 for the 10M-row run
	$(VENV)/bin/python benchmarks/run.py
	$(VENV)/bin/python benchmarks/analysis_bench.py

clean:
	rm -rf $(VENV) .pytest_cache benchmarks/work
