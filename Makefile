# Two commands matter: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run DEBUG=1`: Django's debug pages instead of the site's own 403/404/500 pages.
DEBUG ?=

# Debian packages: WeasyPrint's libraries (harfbuzz-subset makes it fast), gettext to
# compile translations, redis-server (the task broker), ffmpeg (small copies of videos); for tests
# also Chromium (end-to-end).
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig gettext redis-server ffmpeg
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils

APPS := core organizations accounts courses training certificates surveys notifications demo api

.PHONY: run test debs-run debs-test venv messages migrate seed lint format bench clean

define install_debs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

debs-run:
	$(call install_debs,$(RUN_DEBS))

debs-test:
	$(call install_debs,$(TEST_DEBS))

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

messages: venv
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=var

# Extract messages: each app keeps its own catalogue; locale/ holds lms/ and templates/.
messages-extract: venv
	$(PY) manage.py makemessages -l vi -l en --no-obsolete -v0 --ignore=.venv --ignore=var \
	  $(foreach app,$(APPS),--ignore=$(app))
	for app in $(APPS); do (cd $$app && ../$(PY) ../manage.py makemessages -l vi -l en --no-obsolete -v0); done

migrate: venv
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(PY) manage.py seed_demo

# The whole system with embedded defaults: SQLite, a local Redis (the task broker, data under
# var/redis), a real Celery worker with beat, demo data. bin/run-embedded starts and supervises
# them; Ctrl-C stops them all within 10 s. SITE_URL follows HOST and PORT unless set.
run: debs-run venv messages
	HOST=$(HOST) PORT=$(PORT) DJANGO_DEBUG=$(DEBUG) PY=$(PY) CELERY=$(VENV)/bin/celery bin/run-embedded

# The whole suite (unit, integration, Celery round trips, end-to-end in headless Chromium).
# Lint first (ruff, including the import planner's complexity limits): a minute saved on a red build.
test: debs-test venv messages lint
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

bench: debs-test venv messages
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf var .pytest_cache
	find . -name '*.mo' -path './locale/*' -delete
