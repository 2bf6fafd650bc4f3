"""The public pages carry the staff's and the auditors' work for those who may do it:
change history, assessment and closing links, editing and publishing links, the signed
document; nobody else sees these links."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import AuditorAssessment
from recommendations.status import Status
from responses.models import Measure, Response, ResponseEntry

ROLES = ["public", "staff_a", "staff_b", "auditor", "admin"]


def client_for(world, role) -> Client:
    client = Client()
    if role != "public":
        client.force_login(getattr(world, role))
    return client


def assess_url(world, round_=None):
    url = reverse("auditors:assess", args=[world.rec1.pk])
    return f"{url}?omgang={round_.pk}" if round_ else url


@pytest.mark.parametrize("role", ROLES)
def test_the_recommendation_page_shows_the_change_history_to_staff_and_auditors(world, role):
    page = client_for(world, role).get(world.rec1.get_absolute_url())
    assert page.status_code == 200
    assert ("Ändringshistorik" in page.text) == (role != "public")


@pytest.mark.parametrize("role", ROLES)
def test_auditors_get_an_assessment_link_per_round_and_a_closing_link(world, role):
    page = client_for(world, role).get(world.rec1.get_absolute_url())
    is_auditor = role in ("auditor", "admin")
    for round_ in (world.round1, world.round2):
        assert (f'href="{assess_url(world, round_)}"' in page.text) == is_auditor
    assert ("Registrera revisionens bedömning" in page.text) == is_auditor
    close_url = reverse("auditors:close", args=[world.rec1.pk])
    assert (f'href="{close_url}"' in page.text) == is_auditor
    assert ("Avsluta rekommendationen" in page.text) == is_auditor


@pytest.mark.parametrize("role", ROLES)
def test_a_closed_recommendation_shows_as_closed_to_everyone(world, role):
    world.rec1.closed_on = dt.date(2024, 3, 1)
    world.rec1.closed_reason = "Genomförd enligt revisionens bedömning."
    world.rec1.save()
    page = client_for(world, role).get(world.rec1.get_absolute_url())
    assert "Rekommendationen avslutades 2024-03-01." in page.text
    assert "Genomförd enligt revisionens bedömning." in page.text


@pytest.mark.parametrize("role", ROLES)
def test_matrix_cells_link_auditors_to_the_assessment_of_that_round(world, role):
    matrix = reverse("municipal:matrix", args=[world.rec1.audit.municipality.slug])
    page = client_for(world, role).get(matrix)
    assert page.status_code == 200
    is_auditor = role in ("auditor", "admin")
    # The 2019 cell links to the first round's assessment; the row to the recommendation's.
    assert (f'href="{assess_url(world, world.round1)}"' in page.text) == is_auditor
    assert (f'href="{assess_url(world)}"' in page.text) == is_auditor


def links_on_response_page(client, response):
    page = client.get(response.get_absolute_url())
    if page.status_code != 200:
        return page.status_code
    names = {
        "edit": reverse("responses:response_edit", args=[response.pk]),
        "publish": reverse("responses:response_publish", args=[response.pk]),
        "history": reverse("responses:response_history", args=[response.pk]),
        "document": reverse("responses:response_document", args=[response.pk]),
    }
    return {name for name, url in names.items() if f'href="{url}"' in page.text}


@pytest.mark.parametrize(
    "role, expected",
    [
        ("public", 404),
        ("staff_a", {"edit", "publish", "history"}),
        ("staff_b", 404),
        ("auditor", 404),
        ("admin", {"edit", "publish", "history"}),
    ],
)
def test_the_boards_own_staff_get_edit_and_publish_links_on_their_draft(
    world, draft, role, expected
):
    assert links_on_response_page(client_for(world, role), draft) == expected


@pytest.mark.parametrize(
    "role, expected",
    [
        ("public", 404),
        ("staff_a", {"publish", "history"}),
        ("staff_b", 404),
        ("auditor", {"history"}),
        ("admin", {"publish", "history"}),
    ],
)
def test_a_submitted_response_can_still_be_published_but_not_edited(world, draft, role, expected):
    Response.objects.filter(pk=draft.pk).update(state=Response.State.SUBMITTED)
    assert links_on_response_page(client_for(world, role), draft) == expected


@pytest.mark.parametrize(
    "role, expected",
    [
        ("public", {"document"}),
        ("staff_a", {"document", "history"}),
        ("staff_b", {"document", "history"}),
        ("auditor", {"document", "history"}),
        ("admin", {"document", "history"}),
    ],
)
def test_a_published_response_links_its_signed_document_and_its_history(world, role, expected):
    Response.objects.filter(pk=world.published_a.pk).update(
        decision_document="responses/2019/yttrande.pdf"
    )
    assert links_on_response_page(client_for(world, role), world.published_a) == expected


def test_without_a_signed_document_there_is_no_document_link(world):
    assert links_on_response_page(client_for(world, "public"), world.published_a) == set()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_recommendation_page_with_history_costs_the_same_queries_with_more_data(world):
    """For an auditor: session, user, groups, boards, the timeline's nine, and the change
    history's seven (recommendation, assessments, visible responses, entries, measures,
    measure updates, due-date changes) whatever the amount of data."""
    client = client_for(world, "auditor")
    url = world.rec1.get_absolute_url()
    before = count_queries(client, url)
    entry = ResponseEntry.objects.create(
        response=Response.objects.create(
            board=world.board_a,
            round=world.round2,
            title="ASN 2026",
            state=Response.State.PUBLISHED,
            decision_date=dt.date(2026, 3, 1),
        ),
        recommendation=world.rec1,
        status=Status.IN_PROGRESS,
    )
    for number in range(3):
        Measure.objects.create(
            recommendation=world.rec1,
            board=world.board_a,
            title=f"Extra {number}",
            announced_in=entry,
        )
    AuditorAssessment.objects.create(
        recommendation=world.rec1,
        round=world.round2,
        status=Status.PLANNED,
        assessed_on=dt.date(2026, 4, 1),
    )
    world.rec1.text = "Ny lydelse"
    world.rec1.save()
    assert count_queries(client, url) == before


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_offers_the_boards_responses_to_whoever_that_page_admits(world, role):
    """The menu link and the page ask the same rule (``roles.Writer``): board staff and
    admins, who write their municipality's boards' responses."""
    client = client_for(world, role)
    page = client.get(world.rec1.get_absolute_url()).text
    start = reverse("responses:response_start")

    linked = f'href="{start}"' in page
    admitted = client.get(start).status_code == 200

    assert linked == admitted == (role in {"staff_a", "staff_b", "admin"})
