# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
LEDGER_DB ?= data/ledger.duckdb
SAMPLE_DIR ?= data/sample
SEED ?= 7

.PHONY: run test test-spark lint format sample bench bench-10m bench-pages bench-cashflow bench-spark clean chromium poppler java

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The Spark engine (issue 14): PySpark 4 (~0.5 GB), kept out of `make test`.
$(VENV)/.installed-spark: $(VENV)/.installed-dev requirements-spark.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-spark.txt
	touch $@

# The bundled sample ledger: generated deterministically (seed $(SEED)), then loaded; made
# again when the generator or the load changes (a ledger loaded by an older version is refused).
$(LEDGER_DB): $(VENV)/.installed data/sample.py data/loader.py data/schema.py $(wildcard data/sql/*.sql)
	$(PY) -m analytics sample --out $(SAMPLE_DIR) --seed $(SEED)
	$(PY) -m analytics load --ledger $(SAMPLE_DIR) --db $(LEDGER_DB)

sample: $(LEDGER_DB)

run: $(LEDGER_DB)
	$(VENV)/bin/streamlit run app.py --browser.gatherUsageStats false

# Debian's chromium for the browser tests (Playwright cannot download its own here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's poppler-utils (pdftoppm, pdftotext: the pack tests read the PDF back) and the
# DejaVu fonts the pack is set in.
poppler:
	@{ command -v pdftoppm >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q DejaVuSans; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils fonts-dejavu-core >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils fonts-dejavu-core >/dev/null; fi; }

# Debian's Java 17 for a local Spark driver (PySpark 4 needs Java 17 or later).
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq openjdk-17-jre-headless >/dev/null; fi; }

# The parity suite: every portable fact query and the metric set on DuckDB and Spark (tests/spark).
test-spark: $(VENV)/.installed-spark java
	$(VENV)/bin/pytest -m spark -n 2 --dist loadgroup tests/spark

test: $(VENV)/.installed-dev chromium poppler
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -n 2 --dist loadfile  # one worker per core, each test file on one worker

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed
	$(PY) bench/bench_ledger.py --invoices 1000000

bench-10m: $(VENV)/.installed
	$(PY) bench/bench_ledger.py --invoices 1000000 --invoices 10000000

bench-spark: $(VENV)/.installed-spark java
	$(PY) -m bench.bench_spark --invoices 1000000

bench-cashflow: $(LEDGER_DB)
	$(PY) bench/bench_cashflow.py

bench-pages: $(LEDGER_DB)
	$(PY) bench/bench_pages.py
	$(PY) bench/bench_pages.py --invoices 1000000

clean:
	rm -rf $(VENV) $(LEDGER_DB) $(SAMPLE_DIR) screenshots .pytest_cache
