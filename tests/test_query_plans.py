"""The pages' queries can use their indexes (PostgreSQL; EXPLAIN, no timings).

A test database is small, so PostgreSQL would rightly read whole tables; each test
switches sequential scans off for its transaction and checks that the planner then
finds the index. A query written so that the index cannot serve it (another text
search configuration, a function around the column, a condition the partial index
does not cover) has no such plan, and the test fails.
"""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from recommendations.filters import RecommendationFilter
from recommendations.models import Audit, FollowUpRound
from responses.models import Measure, Response

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]


@pytest.fixture
def data():
    call_command("generate_synthetic_data", scale="3", seed=1, stdout=io.StringIO())
    with connection.cursor() as cursor:
        # The planner's statistics of this data, not of what earlier tests left in the
        # shared test database's counters (which once led it to another index in a full
        # run). ANALYZE in the test's transaction sees the rows it generated.
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")


def list_queryset(params):
    request = RequestFactory().get("/rekommendationer/", params)
    request.user = AnonymousUser()
    return RecommendationFilter(params, request=request).qs


def test_search_reads_the_gin_index_on_the_stored_search_vector(data):
    # Also without plain index scans, which could walk the list's sort order instead: the
    # search condition itself must be one the GIN index answers.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")

    plan = list_queryset({"q": "riskanalysen"}).explain()

    assert "recommendation_search_vector_gin" in plan


def test_the_search_count_of_the_paginator_reads_the_gin_index_too(data):
    queryset = list_queryset({"q": "internkontroll uppföljning"})

    plan = queryset.order_by().values("pk").explain()

    assert "recommendation_search_vector_gin" in plan


def test_overdue_measures_read_the_partial_index_of_unsettled_due_dates(data):
    # The measures' other plain indexes go, in this transaction only: on a table this small
    # the planner's choice between indexes turns on page counts that a full run's dead rows
    # move (twice it chose the recommendation's index instead). What is tested is that the
    # query's conditions let the partial index serve it at all; the primary key stays.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'responses_measure'"
            " AND indexname <> 'measure_open_due_idx' AND indexdef NOT LIKE '%UNIQUE%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')

    plan = Measure.objects.overdue(dt.date(2026, 11, 22)).order_by("due_date").explain()

    assert "measure_open_due_idx" in plan, plan


def test_recently_published_responses_read_their_index_newest_first(data):
    recent = Response.objects.visible_to(AnonymousUser()).order_by(
        "-published_at", "-decision_date", "-pk"
    )[:6]

    assert "response_recent_published_idx" in recent.explain()


def test_audits_in_reference_order_and_open_rounds_have_their_indexes(data):
    assert "audit_reference_idx" in Audit.objects.order_by("reference", "title").explain()
    assert "round_open_idx" in FollowUpRound.objects.filter(is_open=True).explain()


def test_the_unfiltered_list_walks_the_audits_newest_first_on_their_index(data):
    # The default order (newest audits first): the first page must not sort every audit.
    plan = list_queryset({}).select_related("audit__municipality")[:25].explain()

    assert "audit_recent_idx" in plan
