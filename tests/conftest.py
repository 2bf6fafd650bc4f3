"""Shared fixtures. Helpers for building objects live in tests/factories.py."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

DATA = Path(__file__).parent / "data"
SEED_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests change data inside a transaction that never commits, so the page cache
    would never be invalidated: it is off except where tests/test_page_cache.py turns it
    on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def minimal_fixture_path() -> Path:
    """A small, valid fixture file: one audit, two rounds, one recommendation, one response."""
    return DATA / "minimal.json"


@pytest.fixture
def minimal_data(db, minimal_fixture_path):
    call_command("import_fixtures", str(minimal_fixture_path), verbosity=0)


@pytest.fixture(scope="module")
def seeds_once(django_db_setup, django_db_blocker):
    """Import every seed file once per test module, and roll it all back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_fixtures", str(SEED_FIXTURES), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeds_once, db):
    """The seed documents, imported once for the module; each test runs in its own savepoint."""
