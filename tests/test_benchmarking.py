"""The benchmark's switchable pieces: the Server-Timing middleware and the trivial view."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
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


def test_the_benchmark_reads_the_server_timing_header_the_middleware_writes():
    from bench.run_benchmark import _SERVER_TIMING

    header = ServerTimingMiddleware(trivial_view)(RequestFactory().get("/"))["Server-Timing"]

    match = _SERVER_TIMING.search(header)
    assert match is not None
    assert int(match.group(3)) == 1


def test_the_report_compares_every_page_with_the_trivial_view_and_flags_missed_targets():
    from argparse import Namespace

    from bench.run_benchmark import Page, Result, report

    trivial = Result(Page("Trivial view (1 query)", "/t/"), server_ms=[1.0] * 20, queries=1)
    trivial.throughput = 1000.0
    fast = Result(Page("List, search", "/s/"), server_ms=[10.0] * 19 + [40.0], queries=5)
    fast.throughput = 400.0
    slow = Result(Page("Start page", "/"), server_ms=[150.0] * 20, queries=11)
    slow.throughput = 100.0
    args = Namespace(
        scale="1",
        database="uf_bench",
        server="unused",
        workers=2,
        requests=20,
        duration=10,
        concurrency=4,
        wrk=None,
    )

    rows = report(args, [trivial, fast, slow], None, None, machine_lines=[]).splitlines()

    search_row = next(row for row in rows if row.startswith("| List, search"))
    start_row = next(row for row in rows if row.startswith("| Start page"))
    assert "| 40% |" in search_row and "(yes < 50)" in search_row
    assert start_row.endswith("| **no** | **no** |")


def test_every_page_the_benchmark_picks_opens_for_its_user(client):
    from bench.run_benchmark import TRIVIAL_PATH, pick_pages

    call_command("generate_synthetic_data", scale="1", seed=1, stdout=io.StringIO())

    pages = pick_pages()

    assert pages[0].path == TRIVIAL_PATH
    names = [page.name for page in pages]
    assert {
        "Municipality start page",
        "List, filtered (board + status)",
        "List, search",
        "Recommendation page",
        "Matrix (one board)",
        "JSON API (one board)",
        "CSV export (one board)",
        "Staff response form",
    } <= set(names)
    for page in pages[1:]:
        client.cookies.clear()
        if page.cookie:
            name, value = page.cookie.split("=", 1)
            client.cookies[name] = value
        assert client.get(page.path).status_code == 200, page.name
