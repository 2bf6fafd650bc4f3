"""The years the product shows grow with the calendar: on New Year's Day the matrix, its
exports, the start page's chart and the list's year filter get the new year's column
(and the round filter its next round), without a release."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_entry, make_response, make_round, make_tracked_audit

pytestmark = pytest.mark.django_db

NEW_YEARS_WEEK = dt.date(2027, 1, 5)


@pytest.fixture
def answered_in_the_new_year(monkeypatch):
    """An audit answered in 2019 and 2020, and again on 2027-01-04; today is 2027-01-05."""
    world = make_tracked_audit(n_recommendations=1)
    third = make_round(world.audit, sequence=3)
    answer = make_response(
        board=world.board, round=third, decision_date=dt.date(2027, 1, 4), state="published"
    )
    make_entry(answer, world.recommendations[0], status="implemented", narrative="Klart.")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: NEW_YEARS_WEEK)
    return world


def test_the_matrix_shows_the_new_years_answer_in_its_own_column(client, answered_in_the_new_year):
    page = client.get(reverse("municipal:matrix", args=["malmo"]))
    assert page.context["years"][-1] == 2027
    (group,) = page.context["groups"]
    (row,) = group.rows
    assert row.cells[-1].status == "implemented"
    assert ">2027<" in page.text


def test_the_matrix_export_has_the_new_years_column(client, answered_in_the_new_year):
    export = client.get(reverse("recommendations:matrix_csv"))
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[-1] == "2027"
    assert rows[1][header.index("2027")] == "Genomförd"


def test_the_list_can_be_filtered_by_the_new_year(client, answered_in_the_new_year):
    page = client.get(reverse("municipal:recommendation_list", args=["malmo"]), {"year": 2027})
    assert page.status_code == 200
    assert '<option value="2027" selected>2027</option>' in page.text
    assert [rec.pk for rec in page.context["page"].object_list] == [
        answered_in_the_new_year.recommendations[0].pk
    ]


def test_the_start_pages_chart_counts_the_new_years_answers(client, answered_in_the_new_year):
    page = client.get(reverse("municipal:home", args=["malmo"])).content.decode()
    assert "2027: Genomförd 1." in page


def test_the_list_offers_a_ninth_round_in_the_ninth_year(client, answered_in_the_new_year):
    world = answered_in_the_new_year
    ninth = make_round(world.audit, sequence=9)
    answer = make_response(
        board=world.board, round=ninth, decision_date=dt.date(2027, 1, 4), state="published"
    )
    make_entry(answer, world.recommendations[0], status="implemented", narrative="Klart.")
    page = client.get(reverse("municipal:recommendation_list", args=["malmo"]), {"round": 9})
    assert page.status_code == 200
    assert '<option value="9" selected>9</option>' in page.text
    assert [rec.pk for rec in page.context["page"].object_list] == [world.recommendations[0].pk]
