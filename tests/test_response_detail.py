"""The response page: the response shown as the document it is."""

import pytest
from django.urls import reverse

from recommendations.roles import STAFF_GROUP
from responses.models import Response
from tests.factories import (
    make_decision_step,
    make_signatory,
    make_source_document,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_it_shows_heading_diary_number_entries_steps_and_signatories(client):
    world = make_tracked_audit(n_recommendations=2)
    response = world.responses[0]
    response.addressed_to = "Revisorskollegiet"
    response.summary = "Nämnden delar revisionens bedömning."
    response.save()
    make_decision_step(response, body="ASN arbetsutskott")
    make_signatory(response, name="Anna Andersson")
    page = client.get(response.get_absolute_url()).content.decode()
    assert f'<h1 lang="sv">{response.title}</h1>' in page
    assert response.diary_number in page
    assert "Revisorskollegiet" in page and "Nämnden delar revisionens bedömning." in page
    assert "ASN arbetsutskott" in page and "Anna Andersson" in page
    for rec in world.recommendations:
        assert rec.get_absolute_url() in page  # each entry under its recommendation, linked
    assert world.audit.get_absolute_url() in page and world.board.get_absolute_url() in page


def test_it_says_when_a_response_is_known_only_by_reference(client):
    world = make_tracked_audit(n_recommendations=1)
    response = world.responses[0]
    later = make_source_document(title="Uppföljande yttrande 2020", diary_number="ASN-2018-22109")
    response.provenance = Response.Provenance.REFERENCE
    response.reference_note = "Nämnden lämnade sitt första yttrande 2019-02-22."
    response.save()
    response.referenced_in.add(later)
    later_response = world.responses[1]
    later_response.provenance = Response.Provenance.DOCUMENT
    later_response.source_document = later
    later_response.save()
    page = client.get(response.get_absolute_url()).content.decode()
    assert "Känt endast genom hänvisning i" in page
    assert f'<a href="{later_response.get_absolute_url()}"><cite>Uppföljande yttrande 2020' in page
    assert "Nämnden lämnade sitt första yttrande 2019-02-22." in page
    back = client.get(later_response.get_absolute_url()).content.decode()
    assert f'<a href="{response.get_absolute_url()}">{response.title}</a>' in back


def test_a_draft_is_404_for_the_public_and_visible_to_its_boards_staff(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    assert client.get(world.draft.get_absolute_url()).status_code == 404
    client.force_login(make_user(groups=[STAFF_GROUP], boards=[world.board]))
    page = client.get(world.draft.get_absolute_url()).content.decode()
    assert "hemligt utkast" in page and "inte publicerat" in page


def test_an_unknown_response_is_404(client):
    assert client.get(reverse("recommendations:moved_response", args=[999])).status_code == 404


def with_provenance(world):
    """The 2020 response comes from a document that refers to the 2019 one."""
    earlier, later = world.responses
    document = make_source_document(title="Lägesbeskrivning 2020")
    later.provenance, later.source_document = Response.Provenance.DOCUMENT, document
    later.save()
    earlier.provenance, earlier.reference_note = Response.Provenance.REFERENCE, "Nämnd i 2020."
    earlier.save()
    earlier.referenced_in.add(document)
    return world


def test_its_query_count_does_not_grow(client, django_assert_num_queries):
    small = with_provenance(make_tracked_audit(n_recommendations=2))
    big = with_provenance(make_tracked_audit(n_recommendations=8))
    # Queries: response+board+round+audit+source document, referenced-in documents,
    # decision steps, signatories, entries+recommendation, measure updates+measure, the due
    # dates this response moved, and
    # either the responses the source document refers to (2020, from a document) or
    # the responses of the documents that refer to it (2019, known by reference).
    for world in (small, big):
        for response in world.responses:
            url = response.get_absolute_url()
            with django_assert_num_queries(9):
                client.get(url)


def test_the_municipalitys_auditors_go_from_each_answer_to_assessing_it_in_its_round(client, world):
    """Reading a board's answer, the auditor goes on to assess it: each recommendation's
    answer links to the assessment form opened for the response's round. Nobody else,
    not the board's staff nor another municipality's auditor, is offered it."""
    from recommendations.roles import AUDITOR_GROUP
    from tests.factories import make_municipality

    response = world.published_a
    assess = reverse("auditors:assess", args=[world.rec1.pk]) + f"?omgang={response.round_id}"
    client.force_login(world.auditor)

    page = client.get(response.get_absolute_url()).text

    assert f'href="{assess}">Registrera revisionens bedömning' in page
    assert f'<span class="visually-hidden">: Rekommendation {world.rec1.position}</span>' in page
    assert client.get(assess).context["answer_round"] == response.round
    elsewhere = make_municipality(
        name="Exempelby kommun", slug="exempelby", organisation_number="212000-0001"
    )
    strangers = (
        world.staff_a,
        make_user("ex-revisor", groups=[AUDITOR_GROUP], municipality=elsewhere),
    )
    for user in strangers:
        client.force_login(user)
        assert (
            reverse("auditors:assess", args=[world.rec1.pk])
            not in client.get(response.get_absolute_url()).text
        )
