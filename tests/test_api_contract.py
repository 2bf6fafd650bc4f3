"""The JSON API tested against its own OpenAPI description with schemathesis.

Property-based: schemathesis generates valid and invalid query strings from the document
and calls the WSGI application. Every answer must be a 200 or 400 matching its schema, and
input the document says is invalid must be refused with 400.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from auditfollowup.wsgi import application
from tests.factories import make_tracked_audit

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def tracked_data(db):
    return make_tracked_audit(n_recommendations=3)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_the_promises_of_its_description(case, tracked_data):
    # Not checked: that every schema-valid request succeeds. Which board and audit ids exist,
    # and how many pages there are, depends on the data; an unknown id or a page past the
    # last is a documented 400.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
