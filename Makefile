# Two commands matter: `make run` and `make test`. Both set up everything they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= python3

ifeq ($(origin DATABASE_URL), undefined)
LOCAL_DB := 1
GEOPORTAL_PG_PORT ?= 5439
GEOPORTAL_DB_NAME ?= geoportal
export DATABASE_URL := postgres://geoportal:geoportal@127.0.0.1:$(GEOPORTAL_PG_PORT)/$(GEOPORTAL_DB_NAME)
export GEOPORTAL_PG_PORT GEOPORTAL_DB_NAME PORT  # PORT: links in emails follow it (settings/dev.py)
endif

.DEFAULT_GOAL := help
.PHONY: help run serve dev test bench lint setup system db migrate static demo messages clean-db loadtest backup restore deploy-check vendor

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: setup demo ## Set up everything, load the demo city and serve http://127.0.0.1:$(PORT) with gunicorn
	@echo "Ctrl+C stops the server and the workers"
	$(PY) manage.py serve --port $(PORT)

# A city of its own (docs/new-city.md): `run` would load Köln into its database.
serve: setup ## Like run, but without the demo city: serve your own city's database
	$(PY) manage.py serve --port $(PORT)

dev: setup demo ## Like run, but Django's runserver reloading on code changes
	$(PY) manage.py serve --dev --port $(PORT)

test: system-test setup node_modules/.installed ## Set up everything and run the whole test suite against a real PostGIS
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

bench: system-bench setup demo ## Run the benchmarks and print their results
	@for b in bench/[!_]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

loadtest: setup demo ## Load + fault test under gunicorn on 127.0.0.1 (SECONDS=30), see docs/trust.md
	$(PY) scripts/loadtest.py --seconds $(or $(SECONDS),30)

BACKUP ?= var/backup-$(shell date +%Y%m%d-%H%M%S).tar
backup: setup ## Database dump + media folder into one tar (BACKUP=path)
	$(PY) manage.py backup_platform $(BACKUP)

restore: setup ## Restore BACKUP=path into the EMPTY database TARGET_DATABASE_URL=postgres://…
	$(PY) manage.py restore_platform $(BACKUP) --database-url $(TARGET_DATABASE_URL)

deploy-check: $(VENV)/.installed static ## check --deploy and probe the configured services (production settings from the environment)
	DJANGO_SETTINGS_MODULE=geoportal.settings.production $(PY) manage.py deploy_check

lint: $(VENV)/.installed ## ruff over the whole tree
	$(VENV)/bin/ruff check .

setup: system $(VENV)/.installed db migrate static

system:
	@scripts/system-deps.sh run

system-test:
	@scripts/system-deps.sh test

system-bench:
	@scripts/system-deps.sh bench

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# The base map's vector layer for Leaflet and OpenLayers for the admin's geometry widgets (the
# version Django's gis widget was written for, see geoportal/widgets.py), pinned in package.json,
# are committed under static/vendor so `make run` needs no npm and an offline machine serves them;
# this refreshes them after an upgrade. Source map comments are dropped: the hashed-name storage
# would look for the .map they name.
VENDOR_DIR := geoportal/static/geoportal/vendor
VENDOR := $(VENDOR_DIR)/protomaps-leaflet
vendor: node_modules/.installed ## Copy the pinned protomaps-leaflet and OpenLayers builds into geoportal/static/geoportal/vendor
	sed '/^\/\/# sourceMappingURL=/d' node_modules/protomaps-leaflet/dist/protomaps-leaflet.js > $(VENDOR)/protomaps-leaflet.js
	cp node_modules/protomaps-leaflet/LICENSE $(VENDOR)/LICENSE
	mkdir -p $(VENDOR_DIR)/ol
	sed '/^\/\/# sourceMappingURL=/d' node_modules/ol/dist/ol.js > $(VENDOR_DIR)/ol/ol.js
	sed '/sourceMappingURL=/d' node_modules/ol/ol.css > $(VENDOR_DIR)/ol/ol.css
	cp node_modules/ol/LICENSE.md $(VENDOR_DIR)/ol/LICENSE.md

db:
ifdef LOCAL_DB
	@scripts/db.sh
endif

migrate:
	@$(PY) manage.py migrate --no-input -v 0

# Hashed, compressed copies that WhiteNoise serves; collected again only when a static file or
# an installed package changed (collecting with brotli takes a minute or two).
STATIC_MANIFEST := $(or $(STATIC_ROOT),var/static)/staticfiles.json
static: $(STATIC_MANIFEST)
$(STATIC_MANIFEST): $(VENV)/.installed $(shell find . \( -name .venv -o -name node_modules -o -name var -o -name .git \) -prune -o -path '*/static/*' -type f -print)
	@echo "Collecting static files (hashed names, gzip and brotli)"
	@$(PY) manage.py collectstatic --no-input -v 0
	@touch $@

demo: ## Load the demo city (Köln) once; a second run keeps the data
	$(PY) manage.py load_demo

messages: ## Update the English catalogue from the German source strings (needs gettext)
	$(PY) manage.py makemessages -l en --ignore=".venv/*" --ignore="node_modules/*" --ignore="tests/*" --ignore="bench/*"
	$(PY) manage.py makemessages -d djangojs -l en --ignore=".venv/*" --ignore="node_modules/*" --ignore="tests/*" --ignore="bench/*" --ignore="var/*" --ignore="*/templates/*"
	$(PY) manage.py compilemessages -l en --ignore=".venv/*"

clean-db: ## Drop and recreate the local database (loses all data)
ifdef LOCAL_DB
	runuser -u postgres -- dropdb -p $(GEOPORTAL_PG_PORT) --if-exists $(GEOPORTAL_DB_NAME)
	@scripts/db.sh
endif
