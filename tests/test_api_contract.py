"""The JSON API tested against its own OpenAPI description with schemathesis.

Property-based: schemathesis generates valid and invalid query strings from the document
and calls the WSGI application. Every answer must be a 200 or 400 matching its schema, and
input the document says is invalid must be refused with 400.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from auditfollowup.wsgi import application
from tests.factories import make_tracked_audit

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def tracked_data(db):
    # Called as a WSGI application, Django would close the database connection after each
    # request, inside the test's transaction; its own test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield make_tracked_audit(n_recommendations=3)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_the_promises_of_its_description(case, tracked_data):
    # Not checked: that every schema-valid request succeeds. Which board and audit ids exist,
    # and how many pages there are, depends on the data; an unknown id or a page past the
    # last is a documented 400.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
