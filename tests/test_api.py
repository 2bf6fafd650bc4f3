"""The read-only JSON API of recommendations with their full timeline."""

import pytest
from django.test import Client
from django.urls import reverse

from recommendations.models import Recommendation
from recommendations.roles import STAFF_GROUP
from responses.models import Measure
from tests.factories import (
    make_board,
    make_measure,
    make_recommendation,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:api_recommendations")


def test_it_returns_recommendations_with_audit_boards_status_and_timeline(client):
    world = make_tracked_audit(n_recommendations=1)
    data = client.get(URL).json()
    assert data["count"] == 1 and data["page"] == 1 and data["next"] is None
    (rec,) = data["results"]
    assert rec["audit"]["reference"] == world.audit.reference
    assert rec["addressed_to"][0]["short_code"] == "ASN"
    assert rec["current_status"] == {"value": "in_progress", "label": "Pågående"}
    first, second = rec["timeline"]
    assert first["entries"][0]["response"]["date"]["text"] == "2019-09-24"
    assert second["entries"][0]["status_change"] == "forward"
    assert second["assessment"]["status"]["value"] == "partly_implemented"
    (measure,) = rec["measures"]
    assert measure["due"] == {"text": "2020-06", "start": "2020-06-01", "end": "2020-06-30"}
    assert measure["overdue"] is True
    assert measure["due_date_changes"][0]["previous"]["text"] == "2020-03"


def test_a_recommendation_without_a_label_of_its_own_is_named_as_the_pages_and_exports_name_it(
    client,
):
    """The seed audit SR-2018-71 numbers its recommendations without a label: the pages,
    the matrix and the list's CSV call them "Rekommendation 1" (``display_name``), the
    API sent an empty label, which its description says reads "Rekommendation 1"."""
    world = make_tracked_audit(n_recommendations=1)
    Recommendation.objects.filter(pk=world.recommendations[0].pk).update(label="")

    (rec,) = client.get(URL).json()["results"]
    exported = client.get(reverse("recommendations:recommendation_list_csv"))
    header, row = exported.content.decode("utf-8-sig").splitlines()[:2]

    assert rec["label"] == "Rekommendation 1"
    assert row.split(";")[header.split(";").index("Beteckning")] == rec["label"]
    english = Client()
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert english.get(URL).json()["results"][0]["label"] == "Recommendation 1"


def test_it_sends_json_with_swedish_letters_as_written(client):
    make_tracked_audit(n_recommendations=1)
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    assert "Pågående".encode() in response.content
    assert b"\\u00e5" not in response.content


def test_status_labels_follow_the_language_of_each_request(client):
    # Each labelled status is made once per status and language, then shared.
    make_tracked_audit(n_recommendations=1)
    english_client = Client()
    english_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for _ in range(2):
        swedish = client.get(URL).json()["results"][0]["current_status"]
        english = english_client.get(URL).json()["results"][0]["current_status"]
        assert swedish == {"value": "in_progress", "label": "Pågående"}
        assert english == {"value": "in_progress", "label": "In progress"}


def test_it_filters_like_the_list_and_paginates(client):
    world = make_tracked_audit(n_recommendations=22, board="ASN")
    make_tracked_audit(n_recommendations=1, board="SN")
    data = client.get(URL, {"board": world.board.pk}).json()
    assert data["count"] == 22 and data["pages"] == 2
    assert "board=" in data["next"] and "page=2" in data["next"]
    second = client.get(URL, {"board": world.board.pk, "page": 2}).json()
    assert [r["id"] for r in second["results"]] == [r.pk for r in world.recommendations[20:]]


def test_it_rejects_an_invalid_filter(client):
    assert client.get(URL, {"status": "nonsense"}).status_code == 400


def test_it_never_shows_drafts_to_the_public(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    body = client.get(URL).content.decode()
    assert "hemligt" not in body
    client.force_login(make_user(groups=[STAFF_GROUP], boards=[world.board]))
    assert "hemligt" in client.get(URL).content.decode()


def test_a_measure_of_a_draft_is_a_proposal_to_its_staff_never_open_or_overdue(client):
    """The board's staff read their draft's measure in the API, due in 2020 and so long
    past: marked a proposal, not overdue, and not counted among the board's open
    measures, which the public reads alike (the stored standing's)."""
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    (rec,) = world.recommendations
    draft_entry = world.draft.entries.get()
    make_measure(
        rec, board=world.board, due="2020-01", announced_in=draft_entry, title="Förslag i utkast"
    )
    public = client.get(URL).json()["results"][0]
    client.force_login(make_user(groups=[STAFF_GROUP], boards=[world.board]))

    (shown,) = client.get(URL).json()["results"]

    measures = {m["title"]: m for m in shown["measures"]}
    assert measures["Förslag i utkast"]["proposal"] is True
    assert measures["Förslag i utkast"]["overdue"] is False
    assert measures[f"Arbetsgrupp {rec.pk}"]["proposal"] is False
    assert [m["proposal"] for m in public["measures"]] == [False]
    assert shown["standings"][0]["open_measures"] == public["standings"][0]["open_measures"] == 1


def test_its_query_count_does_not_grow(client, django_assert_num_queries):
    world = make_tracked_audit(n_recommendations=2)
    Measure.objects.get(recommendation=world.recommendations[0]).also_serves.add(
        world.recommendations[1]
    )
    # Queries: count, page of recommendations+audit, then the timeline prefetches:
    # rounds, assessments, entries, measure updates, measures, their due date changes,
    # the recommendations they also serve, shared measures, their due date changes, the
    # standings (which also say the boards it is addressed to and answered by).
    with django_assert_num_queries(12):
        client.get(URL)
    bigger = make_tracked_audit(n_recommendations=8)
    Measure.objects.get(recommendation=bigger.recommendations[0]).also_serves.add(
        *bigger.recommendations[1:]
    )
    with django_assert_num_queries(12):
        client.get(URL)


def test_it_refuses_a_page_that_is_not_a_positive_number_or_past_the_last(client):
    make_tracked_audit(n_recommendations=1)
    for page in ("0", "x", "2"):
        answer = client.get(URL, {"page": page})
        assert answer.status_code == 400
        assert "page" in answer.json()["errors"]


def test_it_refuses_an_overdue_value_other_than_true_or_false(client):
    answer = client.get(URL, {"overdue": "kanske"})
    assert answer.status_code == 400
    assert answer.json()["errors"]["overdue"][0]["code"] == "invalid_choice"


def test_it_answers_only_reading_methods(client):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


def test_a_nul_character_in_a_parameter_is_refused_in_the_apis_own_error_form(client):
    """The site answers a NUL in the query string with its 400 page; the API with JSON, as
    its description promises."""
    page = client.get(reverse("recommendations:api_recommendations"), {"q": "a\x00b"})

    assert page.status_code == 400
    assert page["Content-Type"] == "application/json"
    assert page.json()["errors"]["q"][0]["code"] == "null_characters"


def test_a_municipality_that_does_not_exist_is_not_found_in_the_apis_own_error_form(client):
    """An API client asking beneath a mistyped municipality got the site's 404 page, in
    HTML; it gets a JSON error saying which part of the address is wrong."""
    make_tracked_audit(n_recommendations=1)

    answer = client.get(reverse("municipal:api_recommendations", args=["ingenstans"]))

    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    message = "Det finns ingen kommun med kortnamnet ingenstans."
    assert answer.json() == {"errors": {"kommun": [{"message": message, "code": "not_found"}]}}
    # The municipality's pages for people still answer with the site's 404 page.
    page = client.get(reverse("municipal:recommendation_list", args=["ingenstans"]))
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_board_that_leaves_the_answer_to_another_is_told_apart_from_one_yet_to_answer(client):
    """As the pages and the list export say ("Besvaras av en annan nämnd" beside "Har inte
    svarat än", ``BoardStanding.without_answer_label``): each standing says whether the
    board must answer (``must_answer``), so "n of m boards answered" can be read off."""
    world = make_tracked_audit(n_recommendations=0)
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    gvn = make_board(short_code="GVN", name="Gymnasie- och vuxenutbildningsnämnden")
    make_recommendation(world.audit, addressed_to=[ks, gvn], answered_by=[world.board, gvn])

    (rec,) = client.get(URL).json()["results"]

    by_board = {s["board"]["short_code"]: s for s in rec["standings"]}
    assert {code: s["must_answer"] for code, s in by_board.items()} == {
        "ASN": True,
        "GVN": True,
        "KS": False,
    }
    assert not any(s["answered"] for s in by_board.values())
    assert (rec["boards_answered"], rec["boards_required"]) == (0, 2)
