# Two commands: `make run` (set up, build the index on first run, start the chat UI)
# and `make test` (set up, then run every test). Both work on a fresh machine.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test setup browser-deps lint bench clean

run: setup
	$(VENV)/bin/report-assistant serve

test: setup browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

setup: $(STAMP)

# torch is installed first and pinned: it is the CPU wheel these machines carry, and
# sentence-transformers would otherwise pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[st,llm,dev]"
	touch $(STAMP)

# Headless Chromium and CJK fonts for the browser tests (Debian packages).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	fi

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: setup
	$(PY) benchmarks/retrieval.py
	$(PY) benchmarks/answers.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
