# Two commands for a fresh machine (only python3 and make needed):
#   make serve   – create .venv, install, build the shipped handbook and serve it at http://127.0.0.1:8000
#   make test    – the whole test suite (CI runs exactly this through .ci/run)
PY ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve build test validate clean

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

clean:
	rm -rf site .site.* .pytest_cache
