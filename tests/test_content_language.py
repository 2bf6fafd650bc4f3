"""In the English interface, text the documents, boards and auditors wrote is marked as
Swedish (WCAG 3.1.2, language of parts), so a screen reader reads it as Swedish; the
Swedish pages are left as they were."""

from html import escape

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from responses.models import Response
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_client(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def the_followed_up_answer():
    return Response.objects.get(pk=4200)


def test_an_answer_in_english_marks_its_titles_measures_and_interpretations_as_swedish(
    seeded, english_client, unmarked_swedish
):
    response = the_followed_up_answer()
    page = english_client.get(response.get_absolute_url())

    html = page.content.decode()
    assert f'<h1 lang="sv">{response.title}</h1>' in html
    assert f'<span lang="sv">{response.round.title}</span>' in html
    measure = response.entries.first().measure_updates.first().measure
    assert f'<span lang="sv">{measure.title}</span>' in html
    assert unmarked_swedish(page) == []


def test_the_public_pages_in_english_leave_no_swedish_text_unmarked(
    seeded, english_client, unmarked_swedish
):
    response = the_followed_up_answer()
    recommendation = response.entries.first().recommendation
    municipality = recommendation.audit.municipality
    pages = [
        reverse("municipal:home", args=[municipality.slug]),
        reverse("municipal:recommendation_list", args=[municipality.slug]),
        recommendation.get_absolute_url(),
        recommendation.audit.get_absolute_url(),
        response.board.get_absolute_url(),
        reverse("municipal:matrix", args=[municipality.slug]),
        reverse("reports:council_report", args=[municipality.slug, 2026]),
        reverse("notifications:follow", args=["recommendation", recommendation.pk]),
        reverse("notifications:follow", args=["board", response.board.pk]),
    ]

    for path in pages:
        page = english_client.get(path)
        assert page.status_code == 200, path
        assert unmarked_swedish(page) == [], path


def test_the_auditors_and_staffs_pages_in_english_leave_no_swedish_text_unmarked(
    seeded, english_client, unmarked_swedish
):
    response = the_followed_up_answer()
    recommendation = response.entries.first().recommendation
    municipality = recommendation.audit.municipality
    auditor = make_user("granskare", groups=[AUDITOR_GROUP], municipality=municipality)
    writer = make_user("skrivare", groups=[STAFF_GROUP], boards=[response.board])
    pages = {
        auditor: [
            reverse("auditors:assess", args=[recommendation.pk]),
            reverse("auditors:recommendation_history", args=[recommendation.pk]),
            reverse("auditors:attention"),
        ],
        writer: [reverse("responses:response_history", args=[response.pk])],
    }

    for user, paths in pages.items():
        english_client.force_login(user)
        for path in paths:
            page = english_client.get(path)
            assert page.status_code == 200, path
            assert unmarked_swedish(page) == [], path


def test_the_swedish_pages_carry_no_marks_of_their_own_language(seeded, client):
    response = the_followed_up_answer()

    html = client.get(response.get_absolute_url()).content.decode()

    assert f'<h1 lang="sv">{response.title}</h1>' in html  # the document's own heading
    assert '<span lang="sv">' not in html


def test_a_recommendation_named_by_its_kind_and_position_is_not_marked_as_swedish_in_english(
    seeded, english_client
):
    # The seeds' first recommendation of SR-2018-71 has no label of its own: its name is
    # our words ("Recommendation 1"), translated; a labelled one's is the document's.
    unlabelled = Recommendation.objects.get(pk=1100)
    labelled = Recommendation.objects.get(pk=4100)
    assert not unlabelled.label and labelled.label
    municipality = unlabelled.audit.municipality.slug

    own_page = english_client.get(unlabelled.get_absolute_url()).content.decode()
    listed = english_client.get(reverse("municipal:recommendation_list", args=[municipality]))
    matrix = english_client.get(reverse("municipal:matrix", args=[municipality]))

    assert "<h1>Recommendation 1</h1>" in own_page
    assert '<span lang="sv">Recommendation' not in own_page
    for page in (listed.content.decode(), matrix.content.decode()):
        assert '<span lang="sv">Recommendation' not in page
        assert f'<span lang="sv">{labelled.label}</span>' in page
    # The words a screen reader hears before a change to the text are English too.
    assert '<span class="visually-hidden" lang="en">added: </span>' in own_page


def test_the_follow_link_names_the_recommendation_in_english_and_its_words_in_swedish(
    seeded, english_client
):
    recommendation = Recommendation.objects.get(pk=1100)

    page = english_client.get(recommendation.get_absolute_url()).content.decode()

    assert (
        f'Follow by e-mail<span class="visually-hidden">: Recommendation 1: '
        f'<span lang="sv">{escape(recommendation.short_text)}</span></span>'
    ) in page
