# The two commands of the README: `make run` and `make test`. Everything else here supports them.
SHELL := /bin/bash
VENV := .venv
VPY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Find a Python >= 3.12 by running each candidate: a pyenv shim for a version that is not selected exists
# on PATH but fails, so `command -v` alone proves nothing.
define find_python
for candidate in "$$PYTHON" python3.13 python3.12 python3 \
    "$$(pyenv prefix 3.13 2>/dev/null | head -n1)/bin/python3" "$$(pyenv prefix 3.12 2>/dev/null | head -n1)/bin/python3" \
    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
  [ -n "$$candidate" ] || continue; \
  if "$$candidate" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then echo "$$candidate"; exit 0; fi; \
done; exit 1
endef

.PHONY: run test typecheck venv node-tools lint check bench bench-api bench-testimony bench-reports bench-reminders bench-national bench-tracking bench-faults messages clean-venv bench-indicators bench-search

$(VENV)/.installed: requirements.lock pyproject.toml
	@py="$$( $(find_python) )" || { echo "No Python >= 3.12 found. Install Python 3.12 or 3.13 (or set PYTHON=/path/to/python3.12) and run make again." >&2; exit 1; }; \
	if [ ! -x $(VPY) ] || ! $(VPY) -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$py"; rm -rf $(VENV); "$$py" -m venv $(VENV); fi
	$(VPY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

# Every emailed link and calendar (.ics) address is built from SITE_URL: by default the address served here.
# A HOST of 0.0.0.0 (every interface) is no address a browser can open: links then name this machine as
# localhost; set SITE_URL to the name others reach it by (make run HOST=0.0.0.0 SITE_URL=http://laptop.lan:8000).
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),localhost,$(HOST)):$(PORT)

# The periodic jobs (reminders, digests, retention) run beside runserver, as Celery beat does in production, and
# stop with it: the trap ends them however runserver ends (Ctrl-C, an error, a kill).
run: venv
	$(VPY) manage.py migrate --noinput
	DEMO_MODE=1 SITE_URL=$(SITE_URL) $(VPY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it). Links in emails and .ics files: SITE_URL=$(SITE_URL)"
	@DEMO_MODE=1 SITE_URL=$(SITE_URL) $(VPY) manage.py run_periodic & periodic=$$!; \
	trap 'kill $$periodic 2>/dev/null; wait $$periodic 2>/dev/null' EXIT; \
	DEMO_MODE=1 SITE_URL=$(SITE_URL) $(VPY) manage.py runserver $(HOST):$(PORT)

# The checkers the tests run over the pages (the Nu HTML checker, axe-core) come from the npm registry, pinned by
# package-lock.json. Their install scripts are skipped: the Nu checker's would download a Java (Debian's is used).
# Without npm the tests that need them are skipped, naming what is missing (they fail under REQUIRE_SERVICES=1).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else echo "npm not found: the HTML and accessibility checks will be skipped (Debian: apt-get install npm)" >&2; fi

node-tools: node_modules/.installed

# The suite runs on every core (at most 6 workers: each takes two Redis databases of 16), each worker with its own
# test database and Redis databases (tests/worker_services.py), and reports coverage, failing below the floor in
# pyproject.toml. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

test: venv node-tools
	$(VPY) -m pytest -n $(TEST_WORKERS) --maxprocesses 6 --cov --cov-report=term $(PYTEST_ARGS)

typecheck: venv
	$(VPY) -m mypy

lint: venv
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .

check: venv
	$(VPY) manage.py makemigrations --check --dry-run
	$(VPY) manage.py check

bench: venv
	$(VPY) bench/run.py
	$(VPY) bench/reports.py
	$(MAKE) bench-faults

# The JSON API's lists, the open-data files, a feed and the sitemap against bench/run.py's baseline.
bench-api: venv
	$(VPY) bench/api.py

bench-testimony: venv
	$(VPY) bench/testimony_load.py

bench-reports: venv
	$(VPY) bench/reports.py

bench-reminders: venv
	$(VPY) bench/reminders.py

# The full-text search over 20,000 documents; PostgreSQL is what it is about (BENCH_DATABASE_URL, an empty database).
bench-search: venv
	BENCH_DATABASE_URL="$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/uprcities_bench_search}" $(VPY) bench/search.py

messages: venv
	$(VPY) manage.py makemessages -l es --ignore=.venv --ignore=var --ignore=static/vendor --ignore=tests --ignore=node_modules
	$(VPY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean-venv:
	rm -rf $(VENV)

bench-national: venv
	$(VPY) bench/national.py

bench-tracking: venv
	$(VPY) bench/tracking.py

bench-indicators: venv
	$(VPY) bench/indicators.py

# The fault suite's long run: 1,000 testimonies and registrations from 16 clients against a live server, Redis (its
# own, on a free port) down for 30 s in the middle; needs PostgreSQL (the worker process shares the database).
bench-faults: venv
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/uprcities}" FAULT_SUBMISSIONS=1000 \
	  FAULT_CLIENTS=16 FAULT_OUTAGE_SECONDS=30 $(VPY) -m pytest tests/portal/test_fault_suite.py -k redis -s -q -p no:cacheprovider
