# Premier Hotel — `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
WEB_STAMP := src/premier/static/.built

.PHONY: run test install web webtest api-types browser lint typecheck pytest bench lock clean

# Development settings: the development secret key, demo accounts, email and SMS captured in
# the local database (the default `capture` providers).
run: install web  ## install everything, then serve API + workers + web UI on :8000
	PREMIER_ENVIRONMENT=$${PREMIER_ENVIRONMENT:-development} \
	PREMIER_SEED_DEMO_DATA=$${PREMIER_SEED_DEMO_DATA:-true} \
	PREMIER_DATABASE_URL=$${PREMIER_DATABASE_URL:-sqlite:///var/premier.db} $(BIN)/premier serve

test: install web webtest browser lint typecheck pytest  ## install everything and run every check

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

web: $(WEB_STAMP)

$(WEB_STAMP): $(shell find web/src web/index.html web/package.json web/package-lock.json web/vite.config.ts -type f 2>/dev/null)
	@if [ -f web/package.json ]; then \
		cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build; \
	else echo "no web/ yet: serving the API only"; fi
	mkdir -p src/premier/static && touch $@

webtest: web  ## unit tests of the web UI (vitest)
	@if [ -f web/package.json ]; then cd web && npm test --silent; fi

# Regenerate web/src/api/schema.d.ts from the app's OpenAPI document (no server needed).
api-types: install
	PREMIER_ENVIRONMENT=development $(BIN)/python -c "import json; from premier.app import create_app; \
		print(json.dumps(create_app().openapi(), indent=1))" > web/openapi.json
	cd web && npm run gen:api

# Browser tests use Debian's Chromium; install it where we may, otherwise they skip.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "could not install chromium: browser tests will skip"; \
		else echo "chromium not installed: browser tests will skip"; fi; \
	fi

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest

bench: install web  ## run every benchmark; figures go to bench/results/
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lock:  ## re-resolve requirements.lock after changing pyproject.toml
	$(UV) pip compile pyproject.toml --extra dev --quiet -o requirements.lock

clean:
	rm -rf $(VENV) web/node_modules src/premier/static var
