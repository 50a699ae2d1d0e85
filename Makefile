# PatientVoice: `make run` to serve the site with its worker, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
export PYTHONDONTWRITEBYTECODE := 1

HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
UV_VERSION := 0.13.8

# A Python >= 3.12: the first of these that exists and is new enough.
PYTHON_CANDIDATES := python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) /usr/bin/python3.13 /usr/bin/python3.12 python3
PYTHON := $(shell for p in $(PYTHON_CANDIDATES); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	command -v $$p; break; fi; done)

VENV := .venv
BIN := $(VENV)/bin
UV := .tools/bin/uv
MANAGE := $(BIN)/python manage.py

.PHONY: help run test install install-dev check-python lint types migrations-check pytest e2e-deps \
	media-deps messages compilemessages bench bench-search deploy-check restore-check clean

help:
	@echo "make run   - install, migrate, load demo data once, serve on http://$(HOST):$(PORT) with the worker"
	@echo "make test  - install and run ruff, mypy, the migrations check and the whole test suite"
	@echo "make bench - the production server on generated data against the raw ceiling (SCALE=1: full size)"
	@echo "make bench-search - search over a million generated posts, SQLite and PostgreSQL"
	@echo "make deploy-check - start the production profile (PostgreSQL, Redis, S3, 2 servers, worker) and check it"
	@echo "make restore-check - back up a scratch database, restore it, compare every table"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "PatientVoice needs Python 3.12 or newer (3.13 recommended)."; \
		echo "Install it (e.g. 'apt-get install python3.13' or 'pyenv install 3.13') and run make again."; \
		exit 1; fi
	@if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		echo "$(PYTHON) cannot create virtual environments."; \
		echo "On Debian or Ubuntu: apt-get install python3-venv (or python3.X-venv for your version)."; \
		exit 1; fi

$(UV): | check-python
	@$(PYTHON) -m venv .tools
	@.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(BIN)/.installed: pyproject.toml uv.lock | $(UV)
	@UV_PYTHON=$(PYTHON) $(UV) sync --frozen --no-dev --inexact --quiet
	@touch $@

$(BIN)/.installed-dev: pyproject.toml uv.lock | $(UV)
	@UV_PYTHON=$(PYTHON) $(UV) sync --frozen --quiet
	@touch $(BIN)/.installed $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev media-deps

# Debian's ffmpeg (ffprobe and ffmpeg): uploaded videos are checked, remuxed and given a
# poster frame with it (docs/decisions/0042). Installed with apt-get when missing and make
# runs as root; silent when it is already there. `make run` serves the site without it
# (video uploads are refused until it is installed); tests need it.
media-deps:
	@if ! command -v ffprobe >/dev/null 2>&1 || ! command -v ffmpeg >/dev/null 2>&1; then \
		if [ "$$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
			echo "ffmpeg is missing. Install Debian's ffmpeg as root (apt-get install ffmpeg)," \
				"then run make again.$(if $(MEDIA_OPTIONAL), Until then video uploads are off.)" >&2; \
			$(if $(MEDIA_OPTIONAL),true,exit 1); \
		else \
			echo "media: installing ffmpeg with apt-get ..."; \
			log="$$(mktemp)"; \
			if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ffmpeg || \
				{ DEBIAN_FRONTEND=noninteractive apt-get update -q && \
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ffmpeg; }; \
				} >"$$log" 2>&1; then \
				tail -n 30 "$$log" >&2; \
				echo "media: could not install ffmpeg with apt-get (output above)." >&2; \
				rm -f "$$log"; \
				$(if $(MEDIA_OPTIONAL),true,exit 1); \
			fi; \
			rm -f "$$log"; \
		fi; \
	fi

compilemessages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		cd patientvoice && ../$(BIN)/python ../manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt not found: using the compiled catalogues in the repository"; fi

# Extract strings from code and templates into the catalogues (developers only).
messages: install-dev
	@cd patientvoice && ../$(BIN)/python ../manage.py makemessages -l sv -l en --no-obsolete \
		--ignore='static/*' -v 0
	@$(MAKE) --no-print-directory compilemessages

run: MEDIA_OPTIONAL := 1
run: install compilemessages media-deps
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) collectstatic --noinput -v 0
	@$(MANAGE) seed_demo --if-empty
	@PV_DEFAULT_SITE_URL=http://$(HOST):$(PORT) $(BIN)/python -m patientvoice.core.serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

# --- Checks ---------------------------------------------------------------------------------
lint: install-dev
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

types: install-dev
	@$(BIN)/mypy patientvoice e2e bench

migrations-check: install-dev
	@PV_TESTING=1 $(MANAGE) makemigrations --check --dry-run -v 1

e2e-deps:
	@bash e2e/install.sh

pytest: install-dev e2e-deps
	@$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test: install-dev lint types migrations-check pytest
	@echo "make test: all checks passed"


# The production server on generated data, against a raw WSGI ceiling (bench/README.md).
# SCALE=1 is full size (1,000,000 posts; generated once into var/bench/, ~15 minutes);
# the default 0.1 takes a few minutes the first time. BENCH_ARGS="--postgres
# postgres://postgres@127.0.0.1:5432/ --redis redis://127.0.0.1:6379/15" for production's parts.
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || true
	@$(BIN)/python bench/run.py --scale $(or $(SCALE),0.1) $(BENCH_ARGS)

# Search over a million generated posts on SQLite FTS5 and PostgreSQL (a few minutes;
# POSTS=100000 for a quick run). Prints p50/p95 per kind of query.
bench-search: install
	@$(BIN)/python bench/search.py --posts $(or $(POSTS),1000000)

# The production profile for real: scratch PostgreSQL database, Redis db 14, a local S3
# server (moto, via uv), two granian servers and a worker, checked over HTTP (deploy/smoke.py).
deploy-check: install
	@$(BIN)/python deploy/smoke.py

# Back up a scratch database with demo data, restore it into another, compare every table
# (deploy/restore_check.py; about a minute and a half).
restore-check: install
	@$(BIN)/python deploy/restore_check.py

clean:
	rm -rf $(VENV) .tools node_modules e2e/artifacts
