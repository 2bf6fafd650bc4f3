"""The Atom feed of newly published responses."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from recommendations.roles import STAFF_GROUP
from responses.models import Response
from tests.factories import make_response, make_round, make_tracked_audit, make_user

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:response_feed")


def test_it_lists_published_responses_as_atom(client):
    world = make_tracked_audit(n_recommendations=1)
    response = client.get(URL)
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in body
    for published in world.responses:
        assert published.get_absolute_url() in body


def test_it_never_lists_drafts_even_for_their_authors(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    client.force_login(make_user(groups=[STAFF_GROUP], boards=[world.board]))
    assert world.draft.get_absolute_url() not in client.get(URL).content.decode()


def test_its_query_count_does_not_grow(client, django_assert_num_queries):
    make_tracked_audit(n_recommendations=2)
    # Queries: the latest published responses with board, round and audit; those
    # imported from the documents (no publication time) where fewer were published here.
    with django_assert_num_queries(2):
        client.get(URL)
    for _ in range(4):
        make_tracked_audit(n_recommendations=2)
    with django_assert_num_queries(2):
        client.get(URL)


ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client):
    feed = ElementTree.fromstring(client.get(URL).content)  # noqa: S314 (our own feed)
    return feed.findall(f"{ATOM}entry")


def test_staff_written_summaries_are_declared_text_and_escaped(client):
    world = make_tracked_audit(n_recommendations=1)
    published = world.responses[0]
    published.summary = "<script>alert(1)</script> & <b>fet</b>"
    published.save()
    body = client.get(URL).content.decode()

    assert 'type="html"' not in body
    assert "<script>" not in body
    summaries = [entry.find(f"{ATOM}summary") for entry in entries(client)]
    assert {summary.get("type") for summary in summaries} == {"text"}
    assert any("<script>alert(1)</script> & <b>fet</b>" in s.text for s in summaries)


@pytest.mark.parametrize("history", ["kept", "none"])
def test_every_entry_has_an_updated_date_even_without_a_publication_time(client, history):
    world = make_tracked_audit(n_recommendations=1)
    Response.objects.filter(pk__in=[r.pk for r in world.responses]).update(published_at=None)
    if history == "none":  # as after bulk-loaded synthetic data
        Response.history.all().delete()

    found = entries(client)
    assert len(found) == len(world.responses)
    for entry in found:
        assert entry.find(f"{ATOM}updated") is not None, ElementTree.tostring(entry)
    if history == "none":
        expected = {f"{r.decision_date.isoformat()}T00:00:00+" for r in world.responses}
        updated = {e.find(f"{ATOM}updated").text[:20] for e in found}
        assert updated == expected


def test_a_title_that_already_names_the_board_does_not_name_it_twice(client):
    world = make_tracked_audit(n_recommendations=1)
    published = world.responses[0]
    published.title = f"{world.board.name}: yttrande – uppföljning 2019"
    published.save()
    body = client.get(URL).content.decode()
    assert f"<title>{world.board.name}: yttrande – uppföljning 2019</title>" in body
    assert f"{world.board.name}: {world.board.name}" not in body


def test_text_pasted_with_control_characters_keeps_the_feed_readable(client):
    """Word's manual line break (a vertical tab) cannot stand in XML: Django's feed writer
    failed the whole feed on it. It becomes a new line."""
    world = make_tracked_audit(n_recommendations=1)
    published = world.responses[0]
    published.title = "Yttrande\x0bdel två"
    published.summary = "Första raden\x0bandra raden\x07"
    published.save()

    summaries = [entry.find(f"{ATOM}summary").text for entry in entries(client)]
    titles = [entry.find(f"{ATOM}title").text for entry in entries(client)]

    assert any("Första raden\nandra raden" in summary for summary in summaries)
    assert any("Yttrande\ndel två" in title for title in titles)


def test_it_lists_answers_in_the_start_pages_order(client):
    """Published here first, newest first; then those imported from the documents by
    their date (the feed listed them by their database id)."""
    from tests.factories import make_recent_and_imported_responses

    expected = make_recent_and_imported_responses()
    # Imported last, yet decided first: it ends the list.
    earliest = make_response(
        board=expected[0].board,
        round=make_round(expected[0].round.audit, sequence=4),
        decision_date=dt.date(2018, 5, 2),
    )
    earliest.published_at = None
    earliest.save()
    expected.append(earliest)

    links = [entry.find(f"{ATOM}link").get("href") for entry in entries(client)]

    assert [link.removeprefix("http://testserver") for link in links] == [
        response.get_absolute_url() for response in expected
    ]


def test_each_feed_has_an_author_and_a_title_of_its_own(client):
    world = make_tracked_audit(n_recommendations=1)
    atom = "{http://www.w3.org/2005/Atom}"
    municipality = world.board.municipality
    municipal_url = reverse("municipal:response_feed", args=[municipality.slug])

    def title_and_author(url):
        feed = ElementTree.fromstring(client.get(url).content)  # noqa: S314 (our own feed)
        return feed.findtext(f"{atom}title"), feed.findtext(f"{atom}author/{atom}name")

    assert title_and_author(URL) == ("Uppföljning: nya yttranden i alla kommuner", "Uppföljning")
    assert title_and_author(municipal_url) == (
        f"Uppföljning: nya yttranden i {municipality.name}",
        municipality.name,
    )
