"""The recommendation list: filters, search, sorting, pagination, shareable URLs."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from recommendations.models import Recommendation
from recommendations.overview import status_per_year
from recommendations.status import Status
from recommendations.views import CappedPaginator
from tests.conftest import postgresql_only
from tests.factories import (
    make_audit,
    make_board,
    make_entry,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_tracked_audit,
)

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:recommendation_list")


def listed(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def labels(response):
    return [rec.pk for rec in response.context["page"].object_list]


def test_it_lists_every_recommendation_with_a_count(client):
    world = make_tracked_audit(n_recommendations=3)
    response = listed(client)
    assert labels(response) == [rec.pk for rec in world.recommendations]
    assert "3 träffar" in response.content.decode()


def test_a_search_finding_nothing_says_what_to_try_next(client):
    make_tracked_audit(n_recommendations=2)

    page = listed(client, q="arbetsmarknadsinsatsr").content.decode()

    assert "0 träffar" in page
    assert "Pröva ett annat eller kortare sökord, eller ta bort ett filter ovan." in page
    after = page.split("Inga rekommendationer matchar filtren.")[1].split("</p>")[0]
    assert f'href="{URL}"' in after and "Rensa alla filter" in after


def test_each_result_names_the_boards_it_is_addressed_to(client):
    make_tracked_audit(n_recommendations=1, board="ASN")
    make_tracked_audit(n_recommendations=1, board="SN")
    results = listed(client).content.decode()
    # By the short code, with the board's full name for those who do not know it.
    assert results.count('<span><abbr title="ASN-nämnden">ASN</abbr></span>') == 1
    assert results.count('<span><abbr title="SN-nämnden">SN</abbr></span>') == 1


def test_the_national_list_names_each_recommendations_municipality_and_its_own_list_does_not(
    client,
):
    """Across the country, two "Rekommendation 1" of two municipalities' audits read alike:
    nothing said whose each was."""
    malmo = make_municipality()
    lund = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1132")
    make_recommendation(make_audit(municipality=malmo, reference="SR-1"))
    make_recommendation(make_audit(municipality=lund, reference="LR-1"))

    national = listed(client).content.decode()
    own = client.get(reverse("municipal:recommendation_list", args=["lund"])).content.decode()

    assert '<span class="muted result-audit"><span class="case-number">SR-1</span>' in national
    results = national.split('<ol class="result-list"')[1]
    assert results.count("· Malmö stad</span></h3>") == 1
    assert results.count("· Lunds kommun</span></h3>") == 1
    assert "· Lunds kommun</span></h3>" not in own


def test_filters_narrow_the_results(client):
    asn = make_tracked_audit(n_recommendations=2, board="ASN")
    sn = make_tracked_audit(n_recommendations=1, board="SN")
    other = make_recommendation(make_audit(boards=["GVN"]), kind=Recommendation.Kind.OTHER_REMARK)
    assert labels(listed(client, board=sn.board.pk)) == [sn.recommendations[0].pk]
    assert labels(listed(client, audit=asn.audit.pk)) == [r.pk for r in asn.recommendations]
    assert labels(listed(client, kind="other_remark")) == [other.pk]
    assert set(labels(listed(client, status="in_progress"))) == {
        *[r.pk for r in asn.recommendations],
        sn.recommendations[0].pk,
    }
    assert labels(listed(client, status="implemented")) == []
    assert other.pk not in labels(listed(client, year=2020))
    assert other.pk not in labels(listed(client, round=2))
    assert labels(listed(client, overdue="false")) == [other.pk]
    assert other.pk not in labels(listed(client, overdue="true"))


def test_the_year_filter_uses_the_answers_date(client):
    world = make_tracked_audit(n_recommendations=1)
    audit = make_audit(boards=[world.board])
    late = make_recommendation(audit)
    make_entry(
        make_response(
            board=world.board, round=make_round(audit), decision_date=dt.date(2023, 3, 1)
        ),
        late,
    )
    assert labels(listed(client, year=2023)) == [late.pk]
    assert labels(listed(client, year=2019)) == [world.recommendations[0].pk]


def test_search_finds_a_word_from_a_response_narrative(client, django_capture_on_commit_callbacks):
    # The search vectors are rebuilt on commit (PostgreSQL): run those callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        world = make_tracked_audit(n_recommendations=2)
        rec = world.recommendations[1]
        entry = rec.entries.get(response=world.responses[1])
        entry.narrative = "Förvaltningen har infört lönesubventioner för unga."
        entry.save()
    assert labels(listed(client, q="lönesubventioner")) == [rec.pk]
    assert labels(listed(client, q="insatserna följs")) == [r.pk for r in world.recommendations]


def test_search_never_finds_words_that_are_only_in_drafts(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_tracked_audit(n_recommendations=1, with_draft=True)
    assert labels(listed(client, q="hemligt")) == []


def test_active_filters_are_shown_and_removable(client):
    world = make_tracked_audit(n_recommendations=1)
    page = listed(client, board=world.board.pk, status="in_progress").content.decode()
    assert "Aktiva filter" in page
    assert f'href="?board={world.board.pk}"' in page  # removing the status filter
    assert 'href="?status=in_progress"' in page  # removing the board filter


def test_it_sorts_and_paginates_with_the_filters_in_the_links(client):
    world = make_tracked_audit(n_recommendations=27)
    first = listed(client, sort="-position", audit=world.audit.pk)
    assert labels(first)[0] == world.recommendations[-1].pk
    assert len(labels(first)) == 25
    assert f"sort=-position&amp;audit={world.audit.pk}&amp;page=2" in first.content.decode()
    second = listed(client, sort="-position", audit=world.audit.pk, page=2)
    assert labels(second) == [world.recommendations[1].pk, world.recommendations[0].pk]


@pytest.mark.parametrize("page", ["0", "-1", "3", "99999999999999999999", "1.5", "²", "zwei"])
def test_a_page_that_is_not_one_of_the_lists_pages_is_not_found(client, page):
    # As the API refuses it: page=-1 showed the first page and page=3 of two the last,
    # each under an address naming another page.
    make_tracked_audit(n_recommendations=27)

    response = client.get(URL, {"page": page})

    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_an_empty_list_has_its_first_page_and_no_page_asked_is_the_first(client):
    assert labels(listed(client, page="1", q="ingenting")) == []
    world = make_tracked_audit(n_recommendations=1)
    assert labels(listed(client, page="")) == [world.recommendations[0].pk]


def test_every_control_has_a_label(client):
    make_tracked_audit(n_recommendations=1)
    response = listed(client)
    page = response.content.decode()
    for field in response.context["filter"].form:
        assert f'<label for="{field.id_for_label}">' in page


def test_the_kind_filter_names_the_kinds_as_the_rows_do(client):
    make_tracked_audit(n_recommendations=1)
    page = listed(client).content.decode()
    assert '<option value="recommendation">Rekommendation</option>' in page
    assert "<span>Rekommendation</span>" in page


def test_its_query_count_does_not_grow_with_the_data(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_board(short_code="SN")
    with django_capture_on_commit_callbacks(execute=True):
        make_tracked_audit(n_recommendations=2)
    params = {"q": "arbetsgrupp", "status": Status.IN_PROGRESS, "overdue": "true"}
    # Queries: count, page of recommendations, their addressed_to boards, the municipality
    # choices of the filter form (nationally, with none chosen, no board or audit choices).
    with django_assert_num_queries(4):
        listed(client, **params)
    with django_capture_on_commit_callbacks(execute=True):
        make_tracked_audit(n_recommendations=8)
    with django_assert_num_queries(4):
        response = listed(client, **params)
    assert len(labels(response)) == 10


@postgresql_only
def test_its_filter_choices_are_read_in_plain_queries_not_server_side_cursors(
    client, server_side_cursors
):
    # Django lists a model choice field's options through QuerySet.iterator(), on
    # PostgreSQL a server-side cursor (declare, fetch, close): three round trips per
    # select on every list, search and matrix page.
    world = make_tracked_audit(n_recommendations=1)
    make_audit(reference="KS 2020/1", boards=[world.board])

    page = client.get(
        reverse("municipal:recommendation_list", args=[world.board.municipality.slug])
    )

    assert page.status_code == 200
    assert ">KS 2020/1 Granskning" in page.text  # the audits' choices were listed
    assert server_side_cursors == []


def test_an_invalid_filter_is_a_400_with_the_error_shown(client):
    make_tracked_audit(n_recommendations=1)
    page = client.get(reverse("recommendations:recommendation_list"), {"status": "nonsense"})
    assert page.status_code == 400
    assert "nonsense" in page.text


@pytest.mark.parametrize("with_board", [False, True])
def test_an_invalid_filter_lists_nothing_and_asks_to_correct_it(client, with_board):
    world = make_tracked_audit(n_recommendations=2)
    params = {"status": "genomford", **({"board": world.board.pk} if with_board else {})}

    page = client.get(URL, params)

    assert page.status_code == 400
    assert labels(page) == []
    assert "Filtret innehåller fel" in page.text
    assert "Rätta det markerade fältet i filtret för att se träffarna." in page.text
    assert "0 träffar" not in page.text and "2 träffar" not in page.text
    assert "Ladda ner urvalet" not in page.text


def test_beyond_the_cap_it_says_more_than_and_pages_through_the_first(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    make_tracked_audit(n_recommendations=3)
    response = listed(client)
    assert "Fler än 2 träffar" in response.text
    assert "Sidorna visar de första 2." in response.text
    assert len(labels(response)) == 2
    # The exports and the API hold them all.
    assert client.get(reverse("recommendations:api_recommendations")).json()["count"] == 3
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    exactly = listed(client)
    assert "3 träffar" in exactly.text and "Fler än" not in exactly.text


def test_a_board_finds_the_recommendations_it_answers_for_another_board(client):
    # As in SR 2018:71: addressed to the municipal board, answered by the service board.
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    sn = make_board(short_code="SN", name="Servicenämnden")
    audit = make_audit(boards=[ks, sn])
    answered_for_ks = make_recommendation(audit, addressed_to=[ks], answered_by=[sn])
    make_entry(
        make_response(board=sn, round=make_round(audit), decision_date=dt.date(2020, 5, 1)),
        answered_for_ks,
        status=Status.IMPLEMENTED,
    )
    url = reverse("recommendations:recommendation_list")

    by_sn = client.get(url, {"board": sn.pk, "status": Status.IMPLEMENTED})
    by_ks = client.get(url, {"board": ks.pk})

    assert list(by_sn.context["page"].object_list) == [answered_for_ks]
    assert list(by_ks.context["page"].object_list) == [answered_for_ks]


def test_with_a_board_chosen_each_row_shows_that_boards_status_beside_the_recommendations(
    client,
):
    asn = make_board(short_code="ASN", name="Arbetsmarknadsnämnden")
    sn = make_board(short_code="SN", name="Servicenämnden")
    audit = make_audit(boards=[asn, sn])
    shared = make_recommendation(audit, addressed_to=[asn, sn], answered_by=[asn, sn])
    round_ = make_round(audit)
    for board, status in [(asn, Status.IMPLEMENTED), (sn, Status.IN_PROGRESS)]:
        response = make_response(board=board, round=round_, decision_date=dt.date(2020, 5, 1))
        make_entry(response, shared, status=status)

    page = client.get(
        reverse("recommendations:recommendation_list"),
        {"board": asn.pk, "status": Status.IMPLEMENTED},
    )

    (meta,) = re.findall(r'<p class="result-meta">(.*?)</p>', page.text, re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", meta).split())
    assert "ASN Nämndens status: ● Genomförd" in words
    assert "Hela rekommendationen Aktuell status: ◑ Pågående" in words


def test_a_closed_recommendation_says_so_in_the_list(client):
    import datetime as dt

    from tests.factories import make_tracked_audit

    world = make_tracked_audit(n_recommendations=2)
    closed = world.recommendations[0]
    closed.closed_on, closed.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    closed.save()

    page = client.get(reverse("recommendations:recommendation_list"), follow=True).text

    assert page.count("Avslutad 2024-01-10") == 1


def test_an_auditor_finds_the_closed_recommendations_to_reopen_one_closed_by_mistake(client):
    """*Avslutad: Ja* lists the closed ones, *Nej* those still followed up; the API and
    the exports take the same parameter."""
    world = make_tracked_audit(n_recommendations=3)
    closed = world.recommendations[1]
    closed.close(dt.date(2026, 6, 15), "Genomförd.", None)

    assert labels(listed(client, closed="true")) == [closed.pk]
    assert labels(listed(client, closed="false")) == [
        world.recommendations[0].pk,
        world.recommendations[2].pk,
    ]
    assert len(labels(listed(client))) == 3
    page = listed(client, closed="true").content.decode()
    assert '<select name="closed"' in page and "Avslutad" in page


def test_the_auditors_own_body_is_not_a_board_to_filter_by(client):
    """The list and the matrix offer the boards the auditors audit
    (``Board.objects.audited``), not the body that audits them; asked for anyway, its
    id is refused as a filter would refuse any board not offered."""
    world = make_tracked_audit(n_recommendations=1, board="ASN")
    auditors = world.audit.auditor
    for url in (URL, reverse("recommendations:matrix")):
        offered = client.get(url).context["filter"].form.fields["board"]
        assert list(offered.queryset) == [world.board]
        assert client.get(url, {"board": auditors.pk}).status_code == 400


def test_an_answer_counts_in_one_year_on_the_list_the_chart_and_the_matrix(client):
    """The year an answer counts in is its response's date's (the decision's, else the
    document's; ``Response.year_expression``): the list's year filter, the start page's
    chart per year and the matrix's columns place it alike."""
    audit = make_audit(boards=["ASN"])
    decided, documented = make_recommendation(audit), make_recommendation(audit)
    round_ = make_round(audit)
    # Decided in 2021 on a document of 2020: 2021. Undecided, of autumn 2020: 2020.
    make_entry(
        make_response(round=round_, decision_date=dt.date(2021, 3, 1), document="2020"), decided
    )
    other = make_round(audit)
    make_entry(make_response(round=other, document="hösten 2020"), documented)

    assert labels(listed(client, year=2021)) == [decided.pk]
    assert labels(listed(client, year=2020)) == [documented.pk]
    chart = {bar.label: bar.total for bar in status_per_year(AnonymousUser()).bars}
    assert (chart["2020"], chart["2021"]) == (1, 1)
    matrix = client.get(reverse("recommendations:matrix"), {"audit": audit.pk})
    rows = {
        row.recommendation: row.cells for group in matrix.context["groups"] for row in group.rows
    }
    years = list(matrix.context["years"])
    assert rows[decided][years.index(2021)] and not rows[decided][years.index(2020)]
    assert rows[documented][years.index(2020)] and not rows[documented][years.index(2021)]
