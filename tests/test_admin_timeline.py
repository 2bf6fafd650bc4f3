"""The public timeline, read-only, on the admin's recommendation page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    make_due_date_change,
    make_entry,
    make_measure_update,
    make_response,
    make_round,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db


def admin_url(recommendation):
    return reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])


def test_the_admin_recommendation_page_shows_the_public_timeline(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    client.force_login(make_user(superuser=True))
    page = client.get(admin_url(world.recommendations[0])).content.decode()
    assert "Tidslinjen som allmänheten ser den" in page
    entries = page.index("Svaren omgång för omgång")
    assert page.index("2019-09-24", entries) < page.index("2020-10-20", entries)
    assert "hemligt utkast" not in page  # what the public sees: no drafts


def test_the_admin_timeline_query_count_does_not_grow(client):
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    client.force_login(make_user(superuser=True))
    measure = rec.measures.get()
    client.get(admin_url(rec))  # warm the session and content type caches
    # The admin's own queries (session, user, inlines, history) plus the timeline's 9.
    # The growth adds rounds, entries, measure updates and moved due dates but no new
    # measure: the admin's measure inline costs queries per measure of its own.
    with CaptureQueriesContext(connection) as before:
        client.get(admin_url(rec))
    for sequence in (3, 4, 5):
        response = make_response(
            board=world.board,
            round=make_round(world.audit, sequence=sequence),
            decision_date=dt.date(2019 + sequence, 5, 1),
        )
        entry = make_entry(response, rec, narrative=f"Omgång {sequence}")
        make_measure_update(measure, entry)
        make_due_date_change(measure, previous="2020-06", new=f"{2020 + sequence}-06", entry=entry)
    with CaptureQueriesContext(connection) as after:
        client.get(admin_url(rec))
    assert len(after) == len(before)
