# Bootstrap only: create .venv and node_modules, then hand over to invoke (tasks.py).
# Quickstart:  make serve   |   make test

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEEDS  ?= seeds
OUTPUT ?= output
PORT   ?= 8000
INVOKE := $(BIN)/invoke

.DEFAULT_GOAL := help
.PHONY: help setup serve test build rebuild clean livereload preview tasks

help:
	@echo "make serve   build the archive from $(SEEDS)/ and serve it with live reload on http://127.0.0.1:$(PORT)/"
	@echo "make test    run the linters and the whole test suite"
	@echo "make build SEEDS=dir OUTPUT=dir   build once (see 'make tasks' for everything else)"
	@echo "make tasks   list the invoke tasks"

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed $(if $(wildcard package.json),node_modules/.installed)

serve: setup
	$(INVOKE) livereload --seeds "$(SEEDS)" --output "$(OUTPUT)" --port $(PORT)

livereload: serve

test: setup
	$(INVOKE) test

build: setup
	$(INVOKE) build --seeds "$(SEEDS)" --output "$(OUTPUT)"

rebuild: setup
	$(INVOKE) rebuild --seeds "$(SEEDS)" --output "$(OUTPUT)"

clean: setup
	$(INVOKE) clean --output "$(OUTPUT)"

preview: setup
	$(INVOKE) preview --port $(PORT)

tasks: setup
	$(INVOKE) --list
