"""The benchmark's switchable pieces: the Server-Timing middleware and the trivial view."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from auditfollowup.benchmarking import ServerTimingMiddleware, trivial_view
from recommendations.models import Municipality

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parent.parent


def test_the_trivial_view_answers_with_exactly_one_query(django_assert_num_queries):
    Municipality.objects.create(name="Malmö stad", slug="malmo")

    # The one query: the first municipality's primary key.
    with django_assert_num_queries(1):
        response = trivial_view(RequestFactory().get("/"))

    assert response.status_code == 200
    assert response.content.startswith(b"ok ")


def test_server_timing_reports_the_time_and_the_queries_of_the_request():
    middleware = ServerTimingMiddleware(trivial_view)

    response = middleware(RequestFactory().get("/"))

    header = response["Server-Timing"]
    assert re.fullmatch(r'app;dur=\d+\.\d\d, db;dur=\d+\.\d\d;desc="1 queries"', header)


def test_without_the_switch_there_is_no_trivial_view_and_no_header(client):
    response = client.get("/__benchmark__/trivial/")

    assert response.status_code == 404
    assert "Server-Timing" not in response


def _settings_under(env: dict) -> str:
    """Print what settings and URLs look like in a fresh process with ``env``."""
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.urls import resolve;"
        "print(settings.MIDDLEWARE[0]);"
        "print(resolve('/__benchmark__/trivial/').func.__name__)"
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "auditfollowup.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout + completed.stderr


def test_the_benchmark_switch_installs_the_middleware_and_routes_the_trivial_view():
    output = _settings_under({"UF_BENCHMARK": "1"})

    assert "auditfollowup.benchmarking.ServerTimingMiddleware" in output
    assert "trivial_view" in output


def test_without_the_switch_the_settings_stay_as_in_production():
    output = _settings_under({"UF_BENCHMARK": "0"})

    assert "ServerTimingMiddleware" not in output
    assert "Resolver404" in output
