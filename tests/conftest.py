"""Shared fixtures. Helpers for building objects live in tests/factories.py."""

from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).parent / "data"


@pytest.fixture
def minimal_fixture_path() -> Path:
    """A small, valid fixture file: one audit, two rounds, one recommendation, one response."""
    return DATA / "minimal.json"


@pytest.fixture
def minimal_data(db, minimal_fixture_path):
    call_command("import_fixtures", str(minimal_fixture_path), verbosity=0)
