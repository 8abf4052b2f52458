# make demo : set up, code the bundled examples into demo.duckdb, print the events
# make test : set up and run the tests
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: venv demo test serve

venv: $(STAMP)

# reinstall only when pyproject.toml is newer than the last install
$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[test,spark]'
	touch $(STAMP)

demo: venv
	rm -f demo.duckdb
	$(VENV)/bin/dotterel run examples --db demo.duckdb && $(VENV)/bin/dotterel events --db demo.duckdb

test: venv
	$(VENV)/bin/python -m pytest -q

# the web explorer and API over the demo store: http://127.0.0.1:8000/
serve: venv
	test -f demo.duckdb || $(VENV)/bin/dotterel run examples --db demo.duckdb
	$(VENV)/bin/dotterel serve --db demo.duckdb
