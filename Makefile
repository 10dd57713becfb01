# sendstats: `make reports` and `make test` do all the set-up (a .venv with pip) on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: reports test data verify benchmark clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

data: $(STAMP)
	$(BIN)/sendstats data build

verify: $(STAMP)
	$(BIN)/sendstats data verify

reports: data
	$(BIN)/sendstats report

test: $(STAMP)
	$(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_letters.py

clean:
	rm -rf data/processed/*.parquet data/processed/BUILD.json reports/*.html reports/.cache
