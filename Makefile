# The two commands of the README work on a machine with only Python 3.11+, git and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db
# Browser tests drive Debian's chromium through Playwright; nothing downloads a browser.
CHROMIUM ?= /usr/bin/chromium
# The relay graph is laid out by Graphviz dot (Debian's graphviz); without it the web app draws
# a simpler layered picture, so only the tests need it.
DOT ?= /usr/bin/dot
# Tests that run against PostgreSQL start a throwaway server from Debian's postgresql.
POSTGRES ?= /usr/bin/pg_ctlcluster

.PHONY: demo serve test bench lint model fuzz crash clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

## demo: set up, ingest the example articles into $(DEMO_DB), print the ledger so far, and (in a
## terminal) serve it at http://127.0.0.1:8000/; unattended runs stop after printing
demo: $(VENV)/.installed
	$(BIN)/claimledger --db $(DEMO_DB) ingest examples
	$(BIN)/claimledger --db $(DEMO_DB) docs
	$(BIN)/claimledger --db $(DEMO_DB) stories
	$(BIN)/claimledger --db $(DEMO_DB) groups
	@if [ -t 0 ] && [ -t 1 ]; then $(BIN)/claimledger --db $(DEMO_DB) serve; \
	else echo "to browse the ledger: $(BIN)/claimledger --db $(DEMO_DB) serve   (http://127.0.0.1:8000/)"; fi

## serve: the demo ledger in the web app, at http://127.0.0.1:8000/
serve: $(VENV)/.installed
	$(BIN)/claimledger --db $(DEMO_DB) ingest examples
	$(BIN)/claimledger --db $(DEMO_DB) serve

$(CHROMIUM):
	@echo "installing Debian's chromium for the browser tests"
	apt-get install -y --no-install-recommends chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)

$(DOT):
	@echo "installing Debian's graphviz, which lays out the relay graph"
	apt-get install -y --no-install-recommends graphviz || (apt-get update && apt-get install -y --no-install-recommends graphviz)

$(POSTGRES):
	@echo "installing Debian's postgresql for the tests that run against a PostgreSQL server"
	apt-get install -y --no-install-recommends postgresql || (apt-get update && apt-get install -y --no-install-recommends postgresql)

## test: set up with test dependencies and run the whole test suite on SQLite, then the store,
## ledger and web tests again on a PostgreSQL server the suite starts itself
test: $(VENV)/.installed-test $(CHROMIUM) $(DOT) $(POSTGRES)
	CLAIMLEDGER_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest
	CLAIMLEDGER_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest --database postgresql tests/store tests/ledger tests/web tests/link/test_summaries.py tests/link/test_waiting_claims.py tests/link/test_documents_to_place.py

## lint: ruff (unused and undefined names, bugbear, import order, modern syntax) and the import
## contracts of the house (faces -> ledger -> stages -> store; see pyproject's [tool.importlinter])
lint: $(VENV)/.installed-test
	$(BIN)/ruff check claimledger tests bench
	$(BIN)/lint-imports

## fuzz: a long fuzzing run of every reader (1,000 mutated inputs per kind; FUZZ_EXAMPLES=N to
## change it), printing how many inputs were tried, stored and refused; the suite runs 25 per kind
FUZZ_EXAMPLES ?= 1000
fuzz: $(VENV)/.installed-test
	CLAIMLEDGER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/ingest/test_fuzz.py -s -p no:cacheprovider --hypothesis-show-statistics

## crash: kill -9 runs at random points while storing, extracting, linking and assessing (25
## each; KILLS=N to change it) and compare each rerun's store with an uninterrupted run's
KILLS ?= 25
crash: $(VENV)/.installed-test
	CLAIMLEDGER_KILLS_PER_PHASE=$(KILLS) $(BIN)/python -m pytest tests/ledger/test_resume.py -p no:cacheprovider -v

## model: retrain the shipped check-worthiness weights from ../shared/data/claimbuster (same
## data, same weights: tests/link/test_worthiness.py checks it); see claimledger/link/models/
model: $(VENV)/.installed
	$(BIN)/python -m claimledger.link.worthiness

## bench: print every benchmark's figures (ingestion, attribution, figures, names, stories, origins, claim matching, pages, speed, scale)
bench: $(VENV)/.installed
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/attribution.py
	$(BIN)/python bench/quantities.py
	$(BIN)/python bench/names.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/origins.py
	$(BIN)/python bench/claim_retrieval.py
	$(BIN)/python bench/check_worthiness.py
	$(BIN)/python bench/views.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache test-artifacts
