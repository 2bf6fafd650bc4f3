"""The audit page and the board page, with links both ways."""

import datetime as dt

import pytest
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate
from recommendations.roles import AUDITOR_GROUP
from responses.models import Response
from tests.factories import (
    make_audit,
    make_board,
    make_recommendation,
    make_response,
    make_round,
    make_source_document,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_the_audit_page_lists_recommendations_rounds_and_responses(client):
    world = make_tracked_audit(n_recommendations=2)
    page = client.get(world.audit.get_absolute_url()).content.decode()
    for rec in world.recommendations:
        assert rec.get_absolute_url() in page
    for response in world.responses:
        assert response.get_absolute_url() in page
    assert world.board.get_absolute_url() in page


@pytest.mark.parametrize(
    ("conducted_to", "shown"), [("2018", "<dd>2018"), ("2019-03", "<dd>2018 – mars 2019")]
)
def test_the_audit_page_gives_when_it_was_conducted_once_or_as_a_span(client, conducted_to, shown):
    audit = make_audit()
    audit.conducted_to = FuzzyDate.parse(conducted_to)
    audit.save()
    page = client.get(audit.get_absolute_url()).content.decode()
    assert shown in page
    assert "2018 – 2018" not in page


def test_the_audit_page_names_a_source_document_by_its_kind_and_title(client):
    audit = make_audit()
    audit.source_documents.add(
        make_source_document(kind="response", title="Åtgärder med anledning av granskningen")
    )
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "<li>Yttrande: Åtgärder med anledning av granskningen" in page


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_audit_page_does_not_repeat_a_kind_the_documents_title_begins_with(client, language):
    audit = make_audit()
    audit.source_documents.add(
        make_source_document(kind="memo", title="TJÄNSTESKRIVELSE: Bakomliggande orsaker")
    )
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    text = client.get(audit.get_absolute_url()).content.decode()
    assert "Bakomliggande orsaker" in text
    # Neither the Swedish kind before the Swedish title nor its English name.
    assert "Tjänsteskrivelse: TJÄNSTESKRIVELSE" not in text
    assert "fficer report: " not in text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_audit_page_does_not_repeat_a_kind_the_words_before_the_titles_colon_name(
    client, language
):
    """It read "Yttrande: Uppföljande yttrande: …": only a title beginning with the kind
    was recognised."""
    audit = make_audit()
    audit.source_documents.add(
        make_source_document(kind="response", title="Uppföljande yttrande: Bakomliggande orsaker")
    )
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    text = client.get(audit.get_absolute_url()).content.decode()
    assert "Uppföljande yttrande: Bakomliggande orsaker" in text
    assert "Yttrande: Uppföljande" not in text
    assert "Response: Uppföljande" not in text


@pytest.mark.parametrize(
    ("kind", "title", "names_kind"),
    [
        ("response", "Yttrande över revisionsrapporten", True),
        ("memo", "TJÄNSTESKRIVELSE: Bakomliggande orsaker", True),
        ("response", "Uppföljande yttrande: Bakomliggande orsaker", True),
        ("response", "Kommunstyrelsens uppföljande YTTRANDE: Bakomliggande orsaker", True),
        ("memo", "Kompletterande tjänsteskrivelse: Ekonomi", True),
        # The kind word, but not as what the title calls the document.
        ("response", "Begäran om yttrande: Bakomliggande orsaker", False),
        ("response", "Svar på yttrande: Bakomliggande orsaker", False),
        ("response", "Granskning av hur nämnderna skriver sitt yttrande: del 2", False),
        ("response", "Uppföljande yttrande om Bakomliggande orsaker", False),
        ("response", "Åtgärder: ett yttrande", False),
        ("response", "Motyttrande: Bakomliggande orsaker", False),
        ("memo", "Uppföljande yttrande: Bakomliggande orsaker", False),
        ("response", "Åtgärder med anledning av granskningen", False),
        ("response", ": yttrande", False),
    ],
)
def test_a_source_documents_title_names_its_kind_when_it_begins_with_it_or_its_lead_ends_with_it(
    kind, title, names_kind
):
    assert make_source_document(kind=kind, title=title).title_names_kind is names_kind


def test_the_audit_page_hides_drafts_from_the_public_but_not_from_auditors(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    world.draft.state = "submitted"
    world.draft.save()
    assert (
        world.draft.get_absolute_url()
        not in client.get(world.audit.get_absolute_url()).content.decode()
    )
    client.force_login(make_user(groups=[AUDITOR_GROUP]))
    assert (
        world.draft.get_absolute_url()
        in client.get(world.audit.get_absolute_url()).content.decode()
    )


def test_the_board_page_lists_its_recommendations_responses_and_overdue_measures(client):
    world = make_tracked_audit(n_recommendations=2, with_draft=True)
    page = client.get(world.board.get_absolute_url()).content.decode()
    assert world.audit.get_absolute_url() in page
    assert world.recommendations[1].get_absolute_url() in page
    assert world.responses[0].get_absolute_url() in page
    assert world.draft.get_absolute_url() not in page
    assert f"Arbetsgrupp {world.recommendations[0].pk}" in page


def test_the_board_page_leaves_out_what_another_board_answers_for_it(client):
    """Addressed to KS and ASN, answered by ASN: KS's page does not list it among the
    recommendations KS answers."""
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    asn = make_board(short_code="ASN", name="Arbetsmarknads- och socialnämnden")
    left = make_recommendation(
        make_audit(boards=[ks, asn]), addressed_to=[ks, asn], answered_by=[asn]
    )

    ks_page = client.get(ks.get_absolute_url())
    asn_page = client.get(asn.get_absolute_url())

    assert [s.recommendation for s in ks_page.context["standings"]] == []
    assert [s.recommendation for s in asn_page.context["standings"]] == [left]


def test_unknown_audits_and_boards_are_404(client):
    assert client.get(reverse("recommendations:moved_audit", args=[999])).status_code == 404
    assert client.get(reverse("recommendations:moved_board", args=[999])).status_code == 404


def test_the_audit_page_query_count_does_not_grow(client, django_assert_num_queries):
    world = make_tracked_audit(n_recommendations=2)
    # Queries: audit+auditor, audited boards, source documents, rounds, their visible
    # responses+board, recommendations with status, their addressed_to boards.
    url = world.audit.get_absolute_url()
    with django_assert_num_queries(8):
        client.get(url)
    more = make_tracked_audit(n_recommendations=8)
    url = more.audit.get_absolute_url()
    with django_assert_num_queries(8):
        client.get(url)


def test_the_board_page_query_count_does_not_grow(client, django_assert_num_queries):
    world = make_tracked_audit(n_recommendations=2)
    # Queries: board, its audits, recommendations with status+audit, responses+round+audit,
    # overdue measures+recommendation+audit.
    url = world.board.get_absolute_url()
    with django_assert_num_queries(6):
        client.get(url)
    make_tracked_audit(n_recommendations=8)
    with django_assert_num_queries(6):
        client.get(url)


def test_the_board_page_lists_its_responses_newest_first_by_the_date_they_are_known_by(client):
    """A response known only by its document's date (March 2024) is the newest here, on
    SQLite and on PostgreSQL alike (which would put a missing decision date first)."""
    board = make_board(short_code="ASN")
    audit = make_audit(boards=[board])
    first, second, third = (make_round(audit, sequence=n) for n in (1, 2, 3))
    decided_2019 = make_response(board=board, round=first, decision_date=dt.date(2019, 5, 1))
    decided_2021 = make_response(board=board, round=second, decision_date=dt.date(2021, 5, 1))
    known_by_its_document = make_response(
        board=board,
        round=third,
        decision_date=None,
        document="mars 2024",
        provenance=Response.Provenance.ENTERED,
    )

    listed = list(client.get(board.get_absolute_url()).context["responses"])

    assert listed == [known_by_its_document, decided_2021, decided_2019]


def test_the_audit_pages_breadcrumb_leads_to_the_whole_list_as_the_menu_does(client):
    """ "Rekommendationer" in the breadcrumb and in the menu went to two places (the
    breadcrumb to the list filtered by the audit); the audit's own list has its own link."""
    world = make_tracked_audit(n_recommendations=1)
    audit = world.audit
    page = client.get(audit.get_absolute_url()).content.decode()
    listing = reverse("municipal:recommendation_list", args=[audit.municipality.slug])
    breadcrumbs = page[
        page.index('class="breadcrumbs"') : page.index("</nav>", page.index('class="breadcrumbs"'))
    ]
    assert f'<a href="{listing}">Rekommendationer</a>' in breadcrumbs
    assert f'<a href="{listing}?audit={audit.pk}">Visa granskningen i listan</a>' in page
