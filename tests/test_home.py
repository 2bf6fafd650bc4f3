"""The start page: what is tracked, status counts, recent answers, overdue, the chart."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    make_audit,
    make_board,
    make_measure,
    make_municipality,
    make_recommendation,
    make_tracked_audit,
)

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:home")


def test_it_counts_recommendations_by_status_per_audit_and_board(client):
    world = make_tracked_audit(n_recommendations=3)
    response = client.get(URL, follow=True)
    (audit_row,) = response.context["by_audit"]
    (board_row,) = response.context["by_board"]
    assert audit_row.pk == world.audit.pk and audit_row.total == 3
    assert board_row.pk == world.board.pk and board_row.total == 3
    statuses = [s.value for s in response.context["status_order"]]
    assert audit_row.counts[statuses.index("in_progress")] == 3


def test_it_draws_the_status_per_year_with_text_values(client):
    make_tracked_audit(n_recommendations=3)
    page = client.get(URL, follow=True).content.decode()
    assert '<svg role="img"' in page
    assert "2019: Planerad 3." in page  # the chart's text description
    assert "◔ 3" in page  # symbol and count inside the bar


def test_it_lists_recent_answers_and_overdue_measures(client):
    world = make_tracked_audit(n_recommendations=1)
    page = client.get(URL, follow=True).content.decode()
    assert world.responses[1].get_absolute_url() in page
    assert f"Arbetsgrupp {world.recommendations[0].pk}" in page


def test_it_lists_the_ten_measures_overdue_longest_of_its_own_municipality(client):
    def recommendation_in(municipality):
        board = make_board(short_code=f"B{municipality.slug}", municipality=municipality)
        return make_recommendation(make_audit(municipality=municipality, boards=[board]))

    here = make_municipality(name="Lunds kommun", slug="lund")
    elsewhere = make_municipality(name="Eslövs kommun", slug="eslov")
    recommendation = recommendation_in(here)
    # Twelve overdue here, due in 2021-2022 (two on the same day: the older pk comes first)...
    due_dates = [f"2022-{month:02d}-01" for month in range(1, 12)] + ["2021-06-15"]
    measures = [make_measure(recommendation, title=f"Åtgärd {d}", due=d) for d in due_dates]
    twin = make_measure(recommendation, title="Samma dag", due="2022-01-01")
    # ...and older ones in another municipality, which must not take their places.
    other = recommendation_in(elsewhere)
    for year in (2019, 2020):
        make_measure(other, title=f"Annan kommun {year}", due=f"{year}-01-01")

    response = client.get(reverse("municipal:home", args=["lund"]))

    listed = list(response.context["overdue"])
    expected = sorted([*measures, twin], key=lambda m: (m.due_date, m.pk))[:10]
    assert listed == expected
    assert listed[0].title == "Åtgärd 2021-06-15"
    assert listed[1:3] == [measures[0], twin]
    assert response.context["overdue_count"] == 13
    assert "Annan kommun" not in response.content.decode()


def test_it_never_shows_drafts(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    response = client.get(URL, follow=True)
    assert world.draft not in list(response.context["recent"])
    assert response.context["counts"]["responses"] == 2


def test_its_query_count_does_not_grow_with_the_data(client, django_assert_num_queries):
    make_board(short_code="SN")
    make_tracked_audit(n_recommendations=2)
    # Queries: recommendations with current status, board links, audits, boards, entries
    # for the chart, overdue measures (page + count), recent responses (those published
    # here, then, as these leave room, imported ones), the count of responses (audits and
    # recommendations are counted on write).
    board = make_board(short_code="KS")
    url = reverse("municipal:home", args=[board.municipality.slug])
    # Also the municipality (its slug), instead of the list of municipalities with reports,
    # and whether there are others to compare it with (at most two rows).
    with django_assert_num_queries(12):
        client.get(url)
    make_tracked_audit(n_recommendations=8, board="SN")
    with django_assert_num_queries(12):
        client.get(url)


def test_its_chart_table_counts_answers_per_year_and_status(client):
    make_tracked_audit(n_recommendations=3)
    chart = client.get(URL, follow=True).context["chart"]
    columns = [category.key for category in chart.categories]
    by_year = {bar.label: bar for bar in chart.bars}
    assert by_year["2019"].counts[columns.index("planned")] == 3
    assert by_year["2020"].counts[columns.index("in_progress")] == 3
    assert by_year["2021"].total == 0
    page = client.get(URL, follow=True).content.decode()
    assert "Antal svar per år och status" in page and '<th scope="row">2020</th>' in page


def test_it_links_the_council_report_of_each_municipality(client):
    make_tracked_audit(n_recommendations=1)
    today = client.get(URL, follow=True).context["today"]
    report = reverse("reports:council_report", args=["malmo", today.year])
    assert f'href="{report}"' in client.get(URL, follow=True).content.decode()


def test_an_audit_without_a_reference_leaves_no_dangling_separators(client):
    world = make_tracked_audit(n_recommendations=1)
    world.audit.reference = ""
    world.audit.save()
    make_measure(world.recommendations[0], board=world.board, due="2020-05")

    page = client.get(URL, follow=True).content.decode()

    lines = re.findall(r'<span class="muted">(.*?)</span>', page, re.S)
    assert lines
    for line in lines:
        assert not line.strip().endswith("·"), line
        assert "· ·" not in line, line


def test_a_board_that_leaves_the_answer_to_another_is_not_counted_as_unanswered(client):
    """Addressed to two boards, answered by one: the other owes no answer, so the start
    page's table of boards does not list it as "Har inte svarat än"."""
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    asn = make_board(short_code="ASN", name="Arbetsmarknads- och socialnämnden")
    make_recommendation(make_audit(boards=[ks, asn]), addressed_to=[ks, asn], answered_by=[asn])

    page = client.get(URL, follow=True)

    by_board = {row.pk: row for row in page.context["by_board"]}
    assert ks.pk not in by_board
    assert (by_board[asn.pk].unanswered, by_board[asn.pk].total) == (1, 1)


def test_the_latest_published_come_first_then_the_imported_ones_by_their_date(client):
    """A response published here this week heads the list; the imported ones (no
    publication time) follow by their date, a document dated autumn 2020 before a
    decision of 2019."""
    from tests.factories import make_recent_and_imported_responses

    expected = make_recent_and_imported_responses()

    recent = client.get(URL, follow=True).context["recent"]

    assert recent == expected


def test_a_municipalitys_start_page_leads_to_how_it_compares_with_the_others(client):
    """The national comparison was reached only through the site's name in the header."""
    make_tracked_audit(n_recommendations=1)
    start = reverse("municipal:home", args=["malmo"])
    comparison = f'<a href="{URL}">Jämför Malmö stad med andra kommuner</a>'
    # Alone, there is nothing to compare: "/" is this very page.
    assert comparison not in client.get(start).content.decode()
    make_municipality(name="Lunds kommun", slug="lund")
    assert comparison in client.get(start).content.decode()


def test_a_start_page_without_published_answers_says_so_instead_of_empty_bars(client):
    """A municipality whose boards have not answered yet showed eight years of "0 svar"
    and no bar, with no word of why."""
    make_audit()
    page = client.get(URL, follow=True).content.decode()
    assert "Inga publicerade svar ännu." in page
    assert "bar-chart" not in page
    make_tracked_audit(n_recommendations=1)
    page = client.get(URL, follow=True).content.decode()
    assert "Inga publicerade svar ännu." not in page
    assert "bar-chart" in page


def test_the_start_page_says_whose_boards_it_follows(client):
    """It spoke of "the city's boards" from 2019, in every municipality, whatever it was
    called and whenever its audits began."""
    make_tracked_audit(n_recommendations=1)
    page = client.get(URL, follow=True).content.decode()
    assert "Här följer du hur nämnderna i Malmö stad svarar på revisionens granskningar" in page
    assert "stadens nämnder" not in page
