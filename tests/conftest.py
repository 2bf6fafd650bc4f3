"""Shared fixtures. Helpers for building objects live in tests/factories.py."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from responses.models import Response

from .factories import build_world

DATA = Path(__file__).parent / "data"
SEED_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


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


def pytest_configure():
    # Django's default hasher is slow on purpose; tests create many users and log them in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, settings, tmp_path):
    """The staff and auditor tests' world (``factories.build_world``); uploads go to a
    temporary media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture
def draft(world):
    """A draft of board A in the open second round, with no entries yet."""
    return Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
