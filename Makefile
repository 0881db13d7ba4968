# The README's two commands: `make demo` (the main job) and `make test` (the whole suite).
SHELL := /bin/bash
ENV := source scripts/env.sh &&

.PHONY: setup demo test lint typecheck bench

setup:
	@bash scripts/bootstrap.sh

demo: setup
	@$(ENV) cdk synth --no-notices --quiet
	@$(ENV) python -m constructs_sfn.cli demo

lint: setup
	@$(ENV) ruff check constructs_sfn tests benchmarks app.py examples
	@$(ENV) ruff format --check constructs_sfn tests benchmarks app.py examples

typecheck: setup
	@$(ENV) mypy

test: setup lint typecheck
	@$(ENV) pytest -n 2 -q
	@if [ -d ../shared/conformance/aws-recorded ]; then \
	  $(ENV) python benchmarks/conformance_score.py --output-dir .stamps/conformance | tail -n 13; \
	fi

bench: setup
	@$(ENV) python benchmarks/run.py
