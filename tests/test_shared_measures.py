"""One measure may serve several recommendations of an audit (a shared measure)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate
from recommendations.status import Status
from responses.admin import MeasureAdminForm
from responses.models import Measure, MeasureUpdate
from tests.factories import (
    make_audit,
    make_board,
    make_entry,
    make_measure,
    make_recommendation,
    make_response,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_with_shared_measure():
    board = make_board(short_code="ASN")
    audit = make_audit(boards=[board])
    first = make_recommendation(audit)
    second = make_recommendation(audit)
    third = make_recommendation(audit)
    measure = make_measure(first, board=board, title="Gemensamma workshoppar")
    measure.also_serves.set([second])
    return audit, board, first, second, third, measure


def test_a_recommendation_is_served_by_its_own_and_its_shared_measures(audit_with_shared_measure):
    _audit, board, first, second, third, measure = audit_with_shared_measure
    own = make_measure(second, board=board, title="Egen åtgärd")

    assert set(Measure.objects.serving(second)) == {measure, own}
    assert list(Measure.objects.serving(first)) == [measure]
    assert list(Measure.objects.serving(third)) == []


def test_serving_several_recommendations_lists_a_shared_measure_once(audit_with_shared_measure):
    audit, _board, _first, _second, _third, measure = audit_with_shared_measure

    assert list(Measure.objects.serving(audit.recommendations.all())) == [measure]


def test_an_update_may_be_reported_under_a_recommendation_the_measure_also_serves(
    audit_with_shared_measure,
):
    audit, board, _first, second, _third, measure = audit_with_shared_measure
    entry = make_entry(make_response(board=board, round=make_round(audit)), second)

    update = MeasureUpdate(measure=measure, entry=entry, status=Status.IN_PROGRESS)
    update.full_clean()


def test_an_update_under_a_recommendation_the_measure_does_not_serve_is_refused(
    audit_with_shared_measure,
):
    audit, board, _first, _second, third, measure = audit_with_shared_measure
    entry = make_entry(make_response(board=board, round=make_round(audit)), third)

    with pytest.raises(ValidationError) as error:
        MeasureUpdate(measure=measure, entry=entry, status=Status.IN_PROGRESS).full_clean()
    assert "entry" in error.value.message_dict


def test_a_measure_cannot_also_serve_a_recommendation_of_another_audit(audit_with_shared_measure):
    *_rest, measure = audit_with_shared_measure
    elsewhere = make_recommendation(make_audit())

    with pytest.raises(ValidationError), transaction.atomic():
        measure.also_serves.add(elsewhere)
    assert elsewhere not in measure.also_serves.all()


def test_the_admin_form_refuses_a_recommendation_of_another_audit(audit_with_shared_measure):
    _audit, board, first, second, _third, measure = audit_with_shared_measure
    elsewhere = make_recommendation(make_audit())
    data = {
        "recommendation": first.pk,
        "board": board.pk,
        "title": measure.title,
        "status": measure.status,
        "due_precision": measure.due_precision,
        "completed_precision": measure.completed_precision,
    }

    refused = MeasureAdminForm({**data, "also_serves": [elsewhere.pk]}, instance=measure)
    accepted = MeasureAdminForm({**data, "also_serves": [second.pk]}, instance=measure)

    assert "also_serves" in refused.errors
    assert accepted.is_valid(), accepted.errors


def test_the_admin_form_refuses_the_main_recommendation_as_a_shared_one(
    audit_with_shared_measure,
):
    _audit, board, first, _second, _third, measure = audit_with_shared_measure
    form = MeasureAdminForm(
        {
            "recommendation": first.pk,
            "board": board.pk,
            "title": measure.title,
            "status": measure.status,
            "also_serves": [first.pk],
        },
        instance=measure,
    )

    assert "also_serves" in form.errors


def _page(client, recommendation):
    return client.get(recommendation.get_absolute_url()).content.decode()


def test_the_page_of_a_recommendation_lists_a_shared_measure_with_a_link_to_its_main_one(
    client, audit_with_shared_measure
):
    _audit, _board, first, second, _third, _measure = audit_with_shared_measure
    page = _page(client, second)

    assert "Gemensamma workshoppar" in page
    assert "Gemensam åtgärd, redovisas främst under" in page
    assert first.get_absolute_url() in page


def test_the_page_of_the_main_recommendation_names_the_others_the_measure_serves(
    client, audit_with_shared_measure
):
    _audit, _board, first, second, _third, _measure = audit_with_shared_measure
    page = _page(client, first)

    assert "Gemensam åtgärd, även för" in page
    assert second.get_absolute_url() in page


def test_the_api_marks_a_shared_measure_and_names_its_recommendations(
    client, audit_with_shared_measure
):
    _audit, _board, first, second, _third, measure = audit_with_shared_measure
    data = client.get(reverse("recommendations:api_recommendations")).json()
    by_id = {rec["id"]: rec for rec in data["results"]}

    (shared,) = by_id[second.pk]["measures"]
    assert shared["id"] == measure.pk and shared["shared"] is True
    assert shared["recommendation"] == first.pk and shared["shared_with"] == [first.pk]
    assert by_id[first.pk]["measures"][0]["shared_with"] == [second.pk]


def test_an_overdue_shared_measure_is_counted_once_on_the_start_page(
    client, audit_with_shared_measure
):
    *_rest, measure = audit_with_shared_measure
    measure.due = FuzzyDate.parse("2020")
    measure.save()

    response = client.get(reverse("recommendations:home"), follow=True)

    assert response.context["overdue_count"] == 1


def test_the_overdue_filter_finds_every_recommendation_a_late_shared_measure_serves(
    client, audit_with_shared_measure
):
    _audit, _board, first, second, _third, measure = audit_with_shared_measure
    measure.due = FuzzyDate.parse("2020")
    measure.save()

    data = client.get(reverse("recommendations:api_recommendations"), {"overdue": "true"}).json()

    assert {rec["id"] for rec in data["results"]} == {first.pk, second.pk}


def test_the_admin_lets_an_admin_pick_shared_recommendations_by_lookup(
    admin_client, audit_with_shared_measure
):
    """A labelled number field with a lookup window: accessible, and fine at 100,000 rows."""
    _audit, _board, first, _second, _third, measure = audit_with_shared_measure
    measure_page = admin_client.get(
        reverse("admin:responses_measure_change", args=[measure.pk])
    ).content.decode()
    recommendation_page = admin_client.get(
        reverse("admin:recommendations_recommendation_change", args=[first.pk])
    ).content.decode()

    (field,) = re.findall(r'<input[^>]*name="also_serves"[^>]*>', measure_page)
    assert "vManyToManyRawIdAdminField" in field
    assert '<label for="id_also_serves"' in measure_page
    assert 'name="measures-0-also_serves"' in recommendation_page


def test_the_admin_saves_a_measure_that_also_serves_another_recommendation(
    admin_client, audit_with_shared_measure
):
    _audit, board, first, second, third, measure = audit_with_shared_measure
    url = reverse("admin:responses_measure_change", args=[measure.pk])
    data = {
        "recommendation": first.pk,
        "also_serves": f"{second.pk},{third.pk}",  # the lookup field takes numbers, comma-separated
        "board": board.pk,
        "title": measure.title,
        "status": measure.status,
        "due_precision": measure.due_precision,
        "completed_precision": measure.completed_precision,
    }
    for prefix in ("updates", "due_date_changes"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(measure.also_serves.all()) == {second, third}


def _late_and_closed(audit_with_shared_measure, closed: str):
    """The shared measure is late; ``closed`` ("first", its main recommendation, or
    "second", the other it serves) is closed."""
    _audit, _board, first, second, _third, measure = audit_with_shared_measure
    measure.due = FuzzyDate.parse("2020")
    measure.save()
    recommendation = first if closed == "first" else second
    recommendation.closed_on, recommendation.closed_reason = dt.date(2024, 1, 10), "Ersatt."
    recommendation.save()
    return first, second


def _page_says_overdue(client, recommendation) -> bool:
    page = client.get(recommendation.get_absolute_url(), follow=True)
    return "åtgärd är försenad" in page.content.decode()


def _api_overdue(client, recommendation):
    """(the measures' overdue flags, the standings' overdue flags) in the API."""
    data = client.get(reverse("recommendations:api_recommendations"), follow=True).json()
    row = next(rec for rec in data["results"] if rec["id"] == recommendation.pk)
    return [m["overdue"] for m in row["measures"]], [s["overdue"] for s in row["standings"]]


def test_a_late_shared_measure_is_not_overdue_on_the_page_of_a_closed_recommendation(
    client, audit_with_shared_measure
):
    first, second = _late_and_closed(audit_with_shared_measure, closed="second")

    assert _page_says_overdue(client, first)
    assert not _page_says_overdue(client, second)
    # The measure's flag and the board's standing agree on each recommendation.
    assert _api_overdue(client, first) == ([True], [True])
    assert _api_overdue(client, second) == ([False], [False])


def test_a_late_shared_measure_whose_main_recommendation_closed_is_chased_for_the_other(
    client, audit_with_shared_measure
):
    first, second = _late_and_closed(audit_with_shared_measure, closed="first")

    assert _page_says_overdue(client, second)
    assert not _page_says_overdue(client, first)
    assert _api_overdue(client, second) == ([True], [True])
    home = client.get(reverse("recommendations:home"), follow=True)
    assert home.context["overdue_count"] == 1
    listed = client.get(reverse("recommendations:api_recommendations"), {"overdue": "true"})
    assert {rec["id"] for rec in listed.json()["results"]} == {second.pk}
