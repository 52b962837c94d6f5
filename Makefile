# The README's two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format migrate track demo worker beat bench bench-ratio schema e2e clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes, so repeated runs are quick.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: migrate, load the track, create the demo accounts, serve http://127.0.0.1:8000/
run: export DJANGO_DEBUG = 1
run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_track
	$(MANAGE) generate_signing_key
	$(MANAGE) seed_demo
	$(MANAGE) runserver $(HOST):$(PORT)

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

schema: $(STAMP)
	DJANGO_DEBUG=1 $(MANAGE) spectacular --validate --fail-on-warn --file var/openapi.yaml

e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles test-artifacts
