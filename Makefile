# The README's two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links the development server writes (QR codes, credentials, invitations, evidence) point at the
# address it serves; a wildcard bind address is reached as 127.0.0.1. Set SITE_URL to override.
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
DEV := DJANGO_DEBUG=1 SITE_URL=$(SITE_URL)
# A local settings file for development, read by safety_academy/settings.py when present.
ENV_FILE ?= .env

.PHONY: run test install lint format migrate track demo worker beat bench bench-ratio content schema e2e screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes, so repeated runs are quick.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) $(ENV_FILE)

# Written once, never overwritten: `python manage.py …` then runs in development mode, as the README shows.
$(ENV_FILE):
	printf '%s\n' '# Local development settings, written by make; edit freely (see .env.example).' \
	  'DJANGO_DEBUG=1' > $@

## make run [HOST=127.0.0.1] [PORT=8000]: migrate, load the track, create the demo accounts, serve
run: $(STAMP) $(ENV_FILE)
	$(DEV) $(MANAGE) generate_signing_key
	$(DEV) $(MANAGE) migrate --noinput
	$(DEV) $(MANAGE) load_track
	$(DEV) $(MANAGE) seed_demo
	$(DEV) $(MANAGE) runserver $(HOST):$(PORT)

## make test: lint (style, formatting, the layer contract), then the whole test suite
## (browser tests included when Chromium is present)
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput

track: $(STAMP)
	DJANGO_DEBUG=1 $(MANAGE) load_track

demo: $(STAMP)
	DJANGO_DEBUG=1 $(MANAGE) seed_demo

## Celery worker and beat, for a stack with REDIS_URL set
worker: $(STAMP)
	$(BIN)/celery -A safety_academy worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A safety_academy beat --loglevel=info

# The benchmarks' own extra (locust, the load generator where wrk is not installed); never for `make test`.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

## make bench: timings under bench/ (certificates per second, team dashboard), then the side-by-side
## ratio benchmark of every page against a bare Django view. Set DATABASE_URL and REDIS_URL for the real
## figures; BENCH_ARGS passes options to bench/ratio.py (e.g. BENCH_ARGS="--quick" or "--pages me,search").
bench: $(BENCH_STAMP)
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/ratio.py $(BENCH_ARGS)

## make bench-ratio: only the ratio benchmark (bench/ratio.py $(BENCH_ARGS))
bench-ratio: $(BENCH_STAMP)
	$(BIN)/python bench/ratio.py $(BENCH_ARGS)

## make content: the track's writing standard and the shared audit, with a line per quiz
content: $(STAMP)
	$(BIN)/python -m courses.content_standard fixtures/track
	@if [ -f ../shared/tools/track_audit.py ]; then $(BIN)/python ../shared/tools/track_audit.py fixtures/track --strict; fi

schema: $(STAMP)
	DJANGO_DEBUG=1 $(MANAGE) spectacular --validate --fail-on-warn --file var/openapi.yaml

e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e

## make screenshots: the lesson page on desktop and phone, light and dark, into docs/screenshots/
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles test-artifacts
