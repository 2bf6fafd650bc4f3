"""In the English interface, text the documents, boards and auditors wrote is marked as
Swedish (WCAG 3.1.2, language of parts), so a screen reader reads it as Swedish; the
Swedish pages are left as they were."""

import pytest
from django.urls import reverse

from responses.models import Response

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
    ]

    for path in pages:
        page = english_client.get(path)
        assert page.status_code == 200, path
        assert unmarked_swedish(page) == [], path


def test_the_swedish_pages_carry_no_marks_of_their_own_language(seeded, client):
    response = the_followed_up_answer()

    html = client.get(response.get_absolute_url()).content.decode()

    assert f'<h1 lang="sv">{response.title}</h1>' in html  # the document's own heading
    assert '<span lang="sv">' not in html
