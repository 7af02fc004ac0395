# Two commands do all the set-up: `make run` and `make test` (see README.md).
# CI runs `.ci/run`, which calls `make test` verbatim.

SHELL := /bin/bash
PYENV_PYTHON := $(shell pyenv root 2>/dev/null)/versions/3.10.13/bin/python
PYTHON310 ?= $(if $(wildcard $(PYENV_PYTHON)),$(PYENV_PYTHON),python3.10)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL_STAMP := models/.trained
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
SPACY_PIPELINE := kneecare/language/model/meta.json
WIDGET_DEPS := web/node_modules/.package-lock.json
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/*/*.yml) \
	$(wildcard nlu_components/*.py) $(wildcard kneecare/language/patterns/*) \
	kneecare/language/text_classifier.py

export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# never send telemetry or crash reports off the machine
export RASA_TELEMETRY_ENABLED := false

.PHONY: run shell test lint lock train clean

run: $(VENV)/.installed-run $(MODEL_STAMP) $(WIDGET_DEPS)  ## install, train if needed, start everything
	$(PY) -m runner

shell: $(VENV)/.installed-run $(MODEL_STAMP)  ## chat in the terminal
	$(PY) -m runner --shell

test: $(VENV)/.installed-dev $(CHROMIUM) $(NGINX) $(MODEL_STAMP) $(WIDGET_DEPS) lint  ## install test needs, run the whole suite
	$(PY) -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy  # every package (pyproject.toml [tool.mypy] files); strict, Rasa adapters may subclass Rasa

train: $(MODEL_STAMP)

# Our assistant against Rasa's stock config (bench/): table and plot in bench/results/.
# The baseline model is trained once into models/bench/ and reused until data changes.
.PHONY: bench
bench: $(VENV)/.installed-run $(MODEL_STAMP)
	$(PY) -m bench

# 100 conversations of 20 turns at once, then every message checked in the tracker store
# (tests/soak/; a 20 x 10 form runs in `make test`).
.PHONY: soak
soak: $(VENV)/.installed-run $(MODEL_STAMP)
	$(PY) -m tests.soak

$(VENV)/bin/python:
	$(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip==24.0" wheel

$(VENV)/.installed-run: requirements.in constraints.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.in -c constraints.txt
	touch $@

$(VENV)/.installed-dev: requirements.in requirements-dev.in constraints.txt $(VENV)/.installed-run
	$(PY) -m pip install --quiet -r requirements-dev.in -c constraints.txt
	touch $@

$(SPACY_PIPELINE): $(wildcard kneecare/language/*.py kneecare/language/patterns/*) | $(VENV)/.installed-run
	$(PY) -m kneecare.language.pipeline

# The chat widget serves socket.io-client from web/node_modules (no CDN).
$(WIDGET_DEPS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

# The production shape in front of everything (deploy/nginx.conf): nginx from
# Debian. policy-rc.d keeps the package from starting a system-wide nginx on
# port 80; ours runs only under `make prod-check` and the tests.
$(NGINX):
	@created=0; if [ ! -e /usr/sbin/policy-rc.d ]; then \
	  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; created=1; fi; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; rc=$$?; \
	if [ $$created = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; exit $$rc

# nginx, two Rasa processes on PostgreSQL and Redis, one killed mid-load
# (deploy/prod_check.py, docs/deployment.md); exits non-zero on a lost message
.PHONY: prod-check
prod-check: $(VENV)/.installed-run $(NGINX) $(MODEL_STAMP) $(WIDGET_DEPS)
	$(PY) -m deploy.prod_check

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Retrain only when the data, config or custom NLU code changed.
$(MODEL_STAMP): $(TRAINING_INPUTS) $(SPACY_PIPELINE) | $(VENV)/.installed-run
	rm -f models/*.tar.gz
	$(RASA) train --fixed-model-name knee-assistant --out models
	touch $@

# mutmut over triage, the parser, cases and actions: kill rates per package against their
# targets, survivors decided in tests/MUTATION.md (under 30 minutes on 2 cores)
.PHONY: mutation
mutation: $(VENV)/.installed-mutation
	$(PY) -m tests.mutation

# mutmut only for `make mutation`: `make test` does not install it
$(VENV)/.installed-mutation: requirements-mutation.in $(VENV)/.installed-dev
	$(PY) -m pip install --quiet -r requirements-mutation.in -c constraints.txt
	touch $@

# Regenerate the pinned set from requirements*.in (a clean resolve).
lock:
	rm -rf .lock-venv && $(PYTHON310) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet "pip==24.0" && .lock-venv/bin/pip install --quiet -r requirements-mutation.in
	.lock-venv/bin/pip freeze --exclude pip > constraints.txt && rm -rf .lock-venv

clean:
	rm -rf models/*.tar.gz $(MODEL_STAMP) kneecare/language/model .rasa results var
