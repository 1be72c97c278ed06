# xinbao: `make run` starts the system on SQLite with demo data; `make test` runs everything.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
STAMP := $(VENV)/.installed
VENDOR := static/vendor/.installed
export XINBAO_DEBUG ?= 1

.PHONY: run test install assets lint typecheck test-sqlite test-postgres browser-deps bench clean seed migrate

$(PYTHON):
	@command -v $(PY) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PY)）"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PYTHON)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The English catalogues (the project's and each app's own) are compiled, not committed; msgfmt comes from
# Debian's gettext. The stamp is rebuilt when any catalogue changes.
MO := locale/en/LC_MESSAGES/.compiled
PO_FILES := $(wildcard locale/en/LC_MESSAGES/django.po xinbao/*/locale/en/LC_MESSAGES/django.po)
$(MO): $(PO_FILES) | $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq gettext >/dev/null; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0
	touch $(MO)

install: $(STAMP) $(MO)

$(VENDOR): package.json
	npm install --no-audit --no-fund --silent
	bash scripts/copy_vendor.sh
	touch $(VENDOR)

assets: $(VENDOR)

migrate: install
	mkdir -p var
	$(MANAGE) migrate --noinput

run: install assets migrate
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) rebuild_search_index --if-empty
	$(MANAGE) rebuild_reuse_index --if-empty
	$(MANAGE) demo_accounts
	bash scripts/run_dev.sh

seed: install migrate
	$(MANAGE) seed_demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# Browser tests need Debian's Chromium and CJK fonts; install them when missing and we are root.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "缺少 chromium 或 fonts-noto-cjk，且非 root，无法自动安装"; exit 1; fi; \
	fi

test-sqlite: install assets browser-deps
	XINBAO_TESTING=1 DATABASE_URL= $(BIN)/pytest -q -n 2 --dist loadgroup

test-postgres: install assets browser-deps
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== PostgreSQL: $${DATABASE_URL%%@*}@…"; \
	  XINBAO_TESTING=1 $(BIN)/pytest -q -n 2 --dist loadgroup; \
	else echo "DATABASE_URL 未设置：跳过 PostgreSQL"; fi

test: install assets browser-deps lint typecheck
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

bench: install assets migrate
	bash bench/run_all.sh

clean:
	rm -rf $(VENV) node_modules static/vendor var/staticfiles
