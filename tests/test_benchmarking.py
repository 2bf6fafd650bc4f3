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
    # Never cached, so it is the same one-query ceiling with and without the page cache.
    assert response["Cache-Control"] == "no-store"


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


def _args(**more):
    from argparse import Namespace

    return Namespace(
        scale="1",
        database="uf_bench",
        server="unused",
        workers=2,
        requests=20,
        duration=10,
        concurrency=4,
        wrk=None,
        redis_url="redis://127.0.0.1:6379/10",
        **more,
    )


def test_the_report_compares_cached_and_uncached_pages_with_the_trivial_view():
    from bench.run_benchmark import Page, Result, report

    def result(name, ms, rate, cache="", cookie=""):
        page = Page(name, "/", cookie=cookie)
        measured = Result(page, server_ms=ms, queries=5, cache=[cache] * len(ms))
        measured.throughput = rate
        return measured

    uncached = [
        result("Trivial view (1 query)", [1.0] * 20, 1000.0),
        result("List, search", [10.0] * 19 + [40.0], 200.0),
        result("Start page", [150.0] * 20, 100.0),
        result("Staff response form", [40.0] * 20, 100.0, cookie="sessionid=x"),
    ]
    cached = [
        result("Trivial view (1 query)", [1.5] * 20, 800.0),
        result("List, search", [2.0] * 20, 600.0, "hit"),
        result("Start page", [3.0] * 20, 400.0, "hit"),
        result("Staff response form", [40.0] * 20, 100.0, cookie="sessionid=x"),
    ]

    text = report(_args(), {"uncached": uncached, "cached": cached}, None, None, machine_lines=[])

    rows = text.splitlines()
    search_row = next(row for row in rows if row.startswith("| List, search"))
    start_row = next(row for row in rows if row.startswith("| Start page"))
    # Both columns are shares of the uncached trivial view (1000 requests/s).
    assert "| 20% |" in search_row and "| 60% | 100% |" in search_row
    assert "(yes < 20)" in search_row
    assert start_row.endswith("| **no** / yes | **no** / **no** |")
    # A logged-in page is never cached: no verdict against the anonymous pages' cached target.
    staff_row = next(row for row in rows if row.startswith("| Staff response form"))
    assert staff_row.endswith("| yes / yes | **no** / (logged in: never cached) |")


def test_the_load_test_report_counts_errors_and_lost_saves():
    from bench.extras import Sample, load_report

    samples = [Sample("Start page", 200, 10.0 + i, 5.0, "hit") for i in range(40)]
    samples.append(Sample("staff save", 500, 30.0, 20.0, ok=False, error="HTTP 500"))
    outcome = {
        "samples": samples,
        "seconds": 10.0,
        "users": 5,
        "writers": 1,
        "saves_checked": 1,
        "lost": 0,
        "think": 1.0,
    }

    text = load_report(outcome, _args(), 300)

    assert "requests: 41 (4.1/s), errors: 1 (target 0: **no**)" in text
    assert "1 writers' last saves read back, 0 lost" in text
    assert "| staff save | 1 | 1 |" in text
    assert "errors by kind: HTTP 500 1" in text


def test_the_load_test_saves_a_draft_through_the_staff_form_as_a_browser_would(client):
    from bench.extras import MARKER, plan, post_form

    call_command("generate_synthetic_data", scale="1", seed=1, stdout=io.StringIO())
    draft = plan(1).staff[0]
    name, value = draft["cookie"].split("=", 1)
    client.cookies[name] = value
    form = post_form(client.get(draft["edit"]).content.decode(), draft["edit"])
    assert form is not None and form["textareas"]
    textarea = form["textareas"][0]
    textarea[1] = MARKER.sub("", textarea[1]).rstrip() + " [bench-1-1]"

    data = {}
    for field_name, field_value in form["fields"]:
        data.setdefault(field_name, []).append(field_value)
    saved = client.post(draft["edit"], data)

    assert saved.status_code == 302
    assert "[bench-1-1]" in client.get(draft["edit"]).content.decode()


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


def test_the_load_test_mix_names_only_pages_the_benchmark_picks(client):
    from bench.extras import ANONYMOUS_MIX
    from bench.run_benchmark import pick_pages

    call_command("generate_synthetic_data", scale="1", seed=1, stdout=io.StringIO())
    # Nationally there are many municipalities, so "/" is the national page, not a redirect.
    Municipality.objects.create(name="Andra kommunen", slug="andra-kommunen")

    names = {page.name for page in pick_pages()}

    assert {name for _weight, name in ANONYMOUS_MIX} - {"recommendation"} <= names
