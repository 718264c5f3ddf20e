# vrhub: two commands matter. `make demo` runs the whole job on a fresh machine; `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
VRHUB := $(VENV)/bin/vrhub
DEMO_DIR ?= vrhub-data
UV_VERSION := 0.13.8

.PHONY: setup assets system-deps demo test check lint bench clean
# PostgreSQL for the warehouse tests, poppler to read the report's PDF, Chromium (Debian's: Playwright
# cannot download its own here) for the browser tests; node and npm build the web assets, from Debian unless
# an npm is already there (NodeSource's nodejs carries its own npm and conflicts with Debian's).
# Java 17 runs splink's Spark backend (`vrhub link run --engine spark`) in local mode for its tests.
DEBIAN_PACKAGES := postgresql poppler-utils chromium chromium-driver openjdk-17-jre-headless
VENDOR := src/vrhub/web/static/vendor

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) sync --frozen --inexact --all-extras --group dev
	touch $@

setup: $(VENV)/.installed $(VENDOR)/.built  ## create .venv, install vrhub's locked dependencies, build web assets

# GOV.UK Frontend, Vega and Leaflet from npm (package-lock.json), compiled and copied where Django serves them.
$(VENDOR)/.built: package.json package-lock.json src/vrhub/web/assets/vrhub.scss
	@command -v npm >/dev/null || { echo "npm is needed to build the web assets: sudo apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/govuk $(VENDOR)/leaflet
	npx sass --quiet --load-path=node_modules --style=compressed --no-source-map src/vrhub/web/assets/vrhub.scss $(VENDOR)/vrhub.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(VENDOR)/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(VENDOR)/govuk/assets
	rm -rf $(VENDOR)/govuk/assets/fonts $(VENDOR)/govuk/assets/rebrand
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
		node_modules/vega-embed/build/vega-embed.min.js node_modules/vega-interpreter/build/vega-interpreter.min.js $(VENDOR)/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	touch $@

assets: $(VENDOR)/.built  ## build the web application's front-end assets

system-deps:  ## Debian packages the tests use (PostgreSQL, poppler, Chromium, node/npm); needs root
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Install with sudo apt-get install$$missing (tests that need them are skipped)"; fi; \
	fi

demo: setup  ## demo data -> ingest -> measures -> report (and the dashboard once there is one)
	$(VRHUB) demo --dir $(DEMO_DIR)

# Compiled modules are kept in build/pycache even where the environment says not to write them
# (PYTHONDONTWRITEBYTECODE): compiling every module in each test process and each command-line subprocess, every
# run, was a third of `make check`'s time.
PYTEST = PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/build/pycache $(VENV)/bin/python -m pytest

test: setup  ## the whole test suite
	$(PYTEST) -q -n 2

# The five slowest are listed: a test of more than about half a second belongs in `make test` only
# (@pytest.mark.slow; see pyproject.toml).
check: setup  ## the fast tests (those not marked slow), for the edit loop: under a minute
	$(PYTEST) -q -n 2 -m "not slow" --durations=5

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports  # the layers as contracts (.importlinter)

bench: setup  ## benchmarks (not part of make test): BENCH_ROWS=10000000 for the 10M-row run
	$(VENV)/bin/python benchmarks/run.py
	$(VENV)/bin/python benchmarks/analysis_bench.py
	$(VENV)/bin/python benchmarks/web_load.py
	$(VENV)/bin/python benchmarks/fuzz.py
	$(VENV)/bin/python benchmarks/cli_startup.py
	$(VENV)/bin/python benchmarks/linkage_bench.py  # 1M people records: vrhub's linkage against bare splink
	$(VENV)/bin/python benchmarks/linkage_ceiling.py  # what the historical figures' records can tell (needs ../shared)

clean:
	rm -rf $(VENV) .pytest_cache benchmarks/work node_modules $(VENDOR)
