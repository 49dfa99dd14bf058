# Handoff: `make run` starts the local stack, `make test` runs every check. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# Lambda's runtime is python3.13: the venvs and `sam build` use the same interpreter. Found on PATH, or under
# pyenv (installed there but not on PATH on these machines); `sam build` needs it on PATH, so its directory
# is put first.
PYTHON ?= $(shell for p in python3.13 "$$(pyenv root 2>/dev/null)"/versions/3.13*/bin/python3.13 \
	/usr/local/bin/python3.13 /usr/bin/python3.13; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { command -v "$$p"; break; }; done)
ifeq ($(PYTHON),)
$(error Python 3.13 is needed (Lambda runs python3.13): install it, e.g. `pyenv install 3.13` or `apt install python3.13`, or pass PYTHON=/path/to/python3.13)
endif
export PATH := $(dir $(PYTHON)):$(PATH)
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
PORT ?= 3000
MOTO_PORT ?= 4566
EMAIL ?=
export AWS_ACCOUNT_ID_ENDPOINT_MODE := disabled

$(BIN)/.installed: requirements-dev.txt layers/common/requirements.txt functions/banners/requirements.txt functions/documents/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	# The shared layer and the repo root importable the same way everywhere (no sys.path tricks).
	echo -e "$(CURDIR)\n$(CURDIR)/layers/common" > $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/handoff-dev.pth
	touch $@

ASL_VALIDATOR := tools/asl/node_modules/.bin/asl-validator
$(ASL_VALIDATOR): tools/asl/package.json tools/asl/package-lock.json
	# The state machines' schema validator (tests/deploy): Node.js from the machine, the package from npm.
	@command -v npm >/dev/null || (echo "npm is needed to validate the state machines: apt install npm"; exit 1)
	npm ci --prefix tools/asl --no-audit --no-fund --silent
	touch $@

$(SAM_VENV)/.installed:
	# SAM CLI pins boto3/pydantic/click versions that conflict with ours: it gets a venv of its own.
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet aws-sam-cli==1.170.0
	touch $@

.PHONY: help venv run test check lint typecheck architecture template build pytest security token openapi bench-coldstart bench-ddb bench-local clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

venv: $(BIN)/.installed ## Create the virtual environment (done by every target that needs it)

run: $(BIN)/.installed ## Start the local stack on http://127.0.0.1:$(PORT) with a demo world
	$(BIN)/python -m devstack serve --port $(PORT) --moto-port $(MOTO_PORT) --seed

test: check template pytest ## Every check: lint, types, template (cfn-lint, sam validate, sam build), all tests

check: lint typecheck architecture ## ruff, mypy and the import contracts

lint: $(BIN)/.installed ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed ## mypy
	$(BIN)/mypy

architecture: $(BIN)/.installed ## import-linter: pure domains, a kernel that knows no context, contexts apart
	PYTHONPATH=layers/common $(BIN)/lint-imports --no-cache

template: $(BIN)/.installed $(SAM_VENV)/.installed ## cfn-lint (+ serverless rules), sam validate --lint, make build
	$(BIN)/cfn-lint template.yaml --append-rules cfn_lint_serverless.rules
	AWS_DEFAULT_REGION=us-east-1 $(SAM) validate --lint --template template.yaml
	$(MAKE) --no-print-directory build

build: $(BIN)/.installed $(SAM_VENV)/.installed ## sam build for arm64 (what deploys) into .aws-sam/build, precompiled
	$(BIN)/python -m devstack.build --architecture arm64 > .aws-sam-build.log 2>&1 || (cat .aws-sam-build.log; exit 1)

pytest: $(BIN)/.installed $(SAM_VENV)/.installed $(ASL_VALIDATOR) ## The test suite alone, in parallel
	$(BIN)/pytest -n 2 --dist worksteal  # the long matrix and fuzz tests last: idle workers take them over

security: $(BIN)/.installed ## The security harness alone (isolation matrix, fuzzing, limits, races, idempotency)
	@rm -f .security-summary
	SECURITY_SUMMARY_FILE=.security-summary $(BIN)/pytest tests/security -p no:xdist -q; status=$$?; \
	cat .security-summary 2>/dev/null; exit $$status

token: $(BIN)/.installed ## Print a dev bearer token: make token EMAIL=someone@example.com
	@test -n "$(EMAIL)" || (echo "usage: make token EMAIL=someone@example.com"; exit 2)
	@$(BIN)/python -m devstack token "$(EMAIL)"

openapi: $(BIN)/.installed ## Regenerate docs/openapi.json from the code
	$(BIN)/python -m devstack openapi

bench-coldstart: $(BIN)/.installed $(SAM_VENV)/.installed ## Cold start per built function, as a ratio to a hello world
	$(BIN)/python -m bench.coldstart

bench-local: $(BIN)/.installed ## The embedded stack: memory after N transactional writes, for two N
	$(BIN)/python -m bench.local

bench-ddb: $(BIN)/.installed ## DynamoDB calls per request, per route
	$(BIN)/python -m bench.ddb_calls

clean: ## Remove the virtual environments and build output
	rm -rf $(VENV) $(SAM_VENV) .aws-sam .aws-sam-build.log .devstack tools/asl/node_modules
