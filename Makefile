# sendstats: `make reports` and `make test` do all the set-up (a .venv with pip, installed from the lock
# file) on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: reports test test-fast lint lock data verify benchmark clean browser sync

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	# setuptools prints an informational "Editable installation" notice on every editable install; only that
	# notice is silenced (a message filter, inherited by the build subprocess): any other warning still shows
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Regenerate the lock (exact versions with hashes, Python 3.11 on Linux) from pyproject.toml.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --extra lint --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 -o $(LOCK)

data: $(STAMP)
	$(BIN)/sendstats data build

verify: $(STAMP)
	$(BIN)/sendstats data verify

reports: data
	$(BIN)/sendstats report

# Debian's Chromium and ChromeDriver for the accessibility check (installed once; needs root or sudo).
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; fi

# two processes (pytest-xdist), one test module each at a time; the shared renders are made once per run
test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

# the library-level tests only (no renders, no subprocess builds): the loop to run while working
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/nbstripout --verify --keep-id notebooks/*.ipynb

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_letters.py

clean:
	rm -rf data/processed data/interim reports/*.html reports/areas reports/.cache

# rewrite what is generated from a declaration (notebooks' parameters cells, the plan's variable table)
sync: $(STAMP)
	$(BIN)/python -m sendstats.render.generated
