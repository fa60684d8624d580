# Two commands: `make run` and `make test`. Both set up .venv only when needed.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.erica-installed
NPROC := $(shell nproc 2>/dev/null || echo 2)
# llama-cpp-python compiles llama.cpp from source: build only the library, on all cores.
export CMAKE_BUILD_PARALLEL_LEVEL := $(NPROC)
export CMAKE_ARGS ?= -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_CURL=OFF
# Everything offline: models come from wheels, never from a hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# torch/OpenMP threads sleep when idle instead of spinning (2-core laptops stay responsive).
export OMP_WAIT_POLICY := PASSIVE

.PHONY: run test setup browser clean-venv

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# Debian's Chromium for the browser test (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "could not install chromium: the browser test will be skipped"; }

run: $(STAMP)
	$(BIN)/erica ui

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

clean-venv:
	rm -rf $(VENV)
