# Uppföljning: the two quick-start commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/uppfoljning

.PHONY: install lock browser pdf-libraries gettext run test test-postgres lint format messages check-messages check-deploy ci

install: $(VENV)/.installed

# Exactly what the lock file names, each file checked against its hash; then the project
# itself, editable, with the setuptools the lock pinned.
$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	@# First the pip the lock pins, checked by its hashes: the venv's own may be older, and
	@# pip 23 asks for an extra's requirement (weasyprint's fonttools[woff]) to be pinned on
	@# its own as soon as a newer fonttools is released.
	sed -n '/^pip==/,/# via/p' requirements-dev.lock > $(VENV)/pip.lock
	$(VENV)/bin/pip install --quiet --require-hashes --no-deps -r $(VENV)/pip.lock
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@

# Recompile the lock files from pyproject.toml (the one list of dependencies) after changing it:
# requirements.lock for production, requirements-dev.lock (with the dev extra) for `install`.
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links pyproject.toml
lock: install
	$(LOCK) --output-file requirements.lock
	$(LOCK) --extra dev --output-file requirements-dev.lock

# Browser tests drive Debian's chromium (Playwright may not download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint (the council report's PDF) needs Pango and HarfBuzz from Debian, and a font.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libraries:
	@dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing the system libraries WeasyPrint needs: $(PDF_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; }

# Set up, load the seed documents and serve the app on SQLite.
run: install pdf-libraries
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_fixtures --if-empty fixtures/
	$(PY) manage.py ensure_demo_users
	@echo
	@echo "  Uppföljning runs at http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	@echo "  Log in as admin / uppfoljning-admin (development only; see README for the other demo users)."
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite runs in one process per core (pytest-xdist), a test module to a process:
# a module's seed import and its Redis database stay with one process. TEST_WORKERS=0 runs
# it in this process alone (a debugger, or output in order).
TEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest --numprocesses $(TEST_WORKERS) --dist loadfile

# Set up and run the whole test suite on SQLite (browser tests included).
test: install browser pdf-libraries
	$(PYTEST)

# The same suite on the PostgreSQL server on this machine.
test-postgres: install browser pdf-libraries
	DATABASE_URL=$(PG_URL) $(PYTEST)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Refresh the English catalogue (no source locations, so parallel branches merge cleanly) and compile it.
messages: install gettext
	$(PY) manage.py makemessages -l en --no-location --no-obsolete --ignore=.venv
	$(PY) manage.py compilemessages -l en -l sv --ignore=.venv

# makemessages and compilemessages call GNU gettext's tools.
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
	  echo "Installing GNU gettext for the message catalogue"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }

# Fails when the code holds a Swedish string the English catalogue has no translation for (run
# `make messages` and translate it). The test suite reads the catalogue as it is, so a string
# that was never collected into it would pass unseen. The catalogue is put back as it was.
CATALOGUE := locale/en/LC_MESSAGES/django.po
check-messages: install gettext
	@saved=$$(mktemp); cp $(CATALOGUE) $$saved; trap 'cp '"$$saved"' $(CATALOGUE); rm -f '"$$saved" EXIT; \
	$(PY) manage.py makemessages -l en --no-location --no-obsolete --ignore=.venv >/dev/null; \
	missing=$$(msgattrib --untranslated $(CATALOGUE); msgattrib --only-fuzzy $(CATALOGUE)); \
	if [ -n "$$missing" ]; then \
	  echo "Strings without an English translation (make messages, then translate them):"; \
	  echo "$$missing" | grep '^msgid'; exit 1; \
	fi; echo "Every string has its English translation."

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

ci: test test-postgres lint
	$(PY) manage.py makemigrations --check --dry-run
