# Two commands for a fresh machine (only python3 and make needed):
#   make serve   – create .venv, install, build the shipped handbook and serve it at http://127.0.0.1:8000
#   make test    – the whole test suite (CI runs exactly this through .ci/run)
PY ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve build test validate bench bench-serve bench-search bench-hostile clean

$(STAMP): pyproject.toml
	@scripts/make-venv.sh "$(PY)" "$(VENV)"
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/sotay serve --port $(PORT)

build: install
	$(BIN)/sotay build

validate: install
	$(BIN)/sotay validate

test: install
	@scripts/system-deps.sh
	$(BIN)/python -m pytest

# Build-scale benchmark on synthetic procedures, next to a plain MkDocs Material site
# (slow: several minutes for 5000), then the CLI commands' latency (benchmarks/cli.py) and sotay serve's (benchmarks/serve.py); e.g. make bench N="100 1000" BENCH_ARGS="--skip-baseline --json b.json"
N ?= 100 1000 5000
BENCH_ARGS ?=
bench: install
	$(BIN)/python benchmarks/bench.py --procedures $(N) $(BENCH_ARGS)
	$(BIN)/python benchmarks/cli.py --procedures $(N)
	$(BIN)/python benchmarks/serve.py --procedures $(N)

# sotay serve alone: from saving a file to the new page being served (a step, a summary, a registry edit)
bench-serve: install
	$(BIN)/python benchmarks/serve.py --procedures $(N)

# The site search's first results in Chromium on a site of N synthetic procedures (default 1000): the time
# from focusing the search box to the first result, and where it goes (index download, index built in the
# search worker, search); also the first visit's bytes.  E.g. make bench-search N=2000
bench-search: install
	$(BIN)/python benchmarks/first_visit.py --procedures $(if $(filter command line,$(origin N)),$(N),1000) --searches 5

# The worst file under the size limit for each checker, validated alone: each should take under a second
# (about a minute in all); e.g. make bench-hostile HOSTILE_ARGS="--only inline-brackets --timeout 20"
HOSTILE_ARGS ?=
bench-hostile: install
	$(BIN)/python benchmarks/hostile.py $(HOSTILE_ARGS)

clean:
	rm -rf site .site.* .pytest_cache
