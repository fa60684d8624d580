# Two commands: `make run` and `make test`. Both set up .venv only when needed.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.erica-installed
NPROC := $(shell nproc 2>/dev/null || echo 2)

# --- llama.cpp: one portable build, chosen here and nowhere else --------------------------
# llama.cpp's default (GGML_NATIVE=ON, -march=native) emits every instruction the CPU
# advertises, AMX tile instructions included; a VM that advertises AMX but does not grant the
# process its tile state kills the model with SIGILL. So: never native, never AMX. The level is
# read from /proc/cpuinfo, whose flags are what the kernel has enabled (it clears AVX-512 when
# the OS does not save its registers): AVX-512 (F/CD/VL/DQ/BW, plus VBMI/VNNI/BF16 where listed)
# on machines that enable it (~28 % faster prefill than AVX2 here), else the x86-64-v3 baseline
# AVX2/FMA/F16C/BMI2, else plain SSE. The chosen flags are part of the install stamp, so a
# machine with other flags (or an old native build) rebuilds llama.cpp on the next `make`, and
# pip builds it with --no-cache-dir so a wheel cached under other flags is never reused.
LLAMA_VERSION := 0.3.36
CPU_FLAGS := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2)
has = $(filter $(1),$(CPU_FLAGS))
LLAMA_OFF := -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF \
  -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_CURL=OFF -DGGML_NATIVE=OFF \
  -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
ifeq ($(shell uname -m),x86_64)
  ifneq ($(and $(call has,avx2),$(call has,fma),$(call has,f16c),$(call has,bmi2)),)
    LLAMA_CPU := -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
    ifneq ($(and $(call has,avx512f),$(call has,avx512cd),$(call has,avx512vl),$(call has,avx512dq),$(call has,avx512bw)),)
      LLAMA_CPU += -DGGML_AVX512=ON
      LLAMA_CPU += $(if $(call has,avx512vbmi),-DGGML_AVX512_VBMI=ON)
      LLAMA_CPU += $(if $(call has,avx512_vnni),-DGGML_AVX512_VNNI=ON)
      LLAMA_CPU += $(if $(call has,avx512_bf16),-DGGML_AVX512_BF16=ON)
    endif
  else
    LLAMA_CPU := -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_BMI2=OFF
  endif
endif
LLAMA_CMAKE := $(strip $(LLAMA_OFF) $(LLAMA_CPU))
LLAMA_TAG := $(shell echo '$(LLAMA_VERSION) $(LLAMA_CMAKE)' | md5sum | cut -c1-12)
LLAMA_STAMP := $(VENV)/.llama-$(LLAMA_TAG)

# Everything offline: models come from wheels, never from a hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# torch/OpenMP threads sleep when idle instead of spinning (2-core laptops stay responsive).
export OMP_WAIT_POLICY := PASSIVE

.PHONY: run test setup browser clean-venv llama-flags

setup: $(STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(LLAMA_STAMP): | $(VENV)/bin/python
	@echo "building llama.cpp $(LLAMA_VERSION) with: $(LLAMA_CMAKE)"
	rm -f $(VENV)/.llama-* $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE)" CMAKE_BUILD_PARALLEL_LEVEL=$(NPROC) \
	  $(BIN)/python -m pip install --quiet --no-cache-dir --force-reinstall --no-binary llama-cpp-python \
	  "llama-cpp-python==$(LLAMA_VERSION)"
	echo '$(LLAMA_CMAKE)' > $@

$(STAMP): pyproject.toml $(LLAMA_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

llama-flags:
	@echo '$(LLAMA_CMAKE)'

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
