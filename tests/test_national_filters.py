"""The filters of the national list, matrix, exports and API: a municipality is chosen by
its slug, and only then are its boards and audits offered; the country's thousands of
boards and audits are never listed, yet a shared link with a board's or audit's id still
filters. Beneath a municipality the form is as it was."""

import pytest
from django.urls import reverse

from recommendations.openapi import parameters
from tests.factories import make_audit, make_board, make_recommendation, make_town

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:recommendation_list")
MATRIX = reverse("recommendations:matrix")


def offered(page, name):
    """The values a form field lists (without its empty "all" choice)."""
    choices = page.context["filter"].form.fields[name].choices
    return [str(value) for value, _label in choices if value != ""]


def listed(page):
    return [rec.pk for rec in page.context["page"].object_list]


def test_the_national_form_offers_the_municipalities_and_no_boards_or_audits(client, towns):
    for url in (LIST, MATRIX):
        page = client.get(url)
        assert page.status_code == 200
        assert offered(page, "municipality") == ["lund", "malmo"], url
        assert offered(page, "board") == [], url
        assert offered(page, "audit") == [], url
        assert "Välj en kommun för att välja bland dess nämnder och granskningar." in page.text
        assert 'aria-describedby="id_municipality_helptext"' in page.text
        assert 'id="id_municipality_helptext"' in page.text
        assert "MALMOMARK" not in page.text  # no board of Malmö's in a select


def test_choosing_a_municipality_offers_its_boards_and_audits_and_lists_only_its_own(client, towns):
    malmo, lund = towns
    page = client.get(LIST, {"municipality": "lund"})
    assert page.status_code == 200
    assert offered(page, "board") == [str(lund[1].pk)]
    assert offered(page, "audit") == [str(lund[2].pk)]
    assert listed(page) == [lund[4].pk]
    assert '<option value="lund" selected>Lunds kommun</option>' in page.text
    assert ("Kommun", lund[0]) in [
        (label, value) for label, value, _ in page.context["active_filters"]
    ]
    matrix = client.get(MATRIX, {"municipality": "malmo"})
    assert offered(matrix, "board") == [str(malmo[1].pk)]
    assert [group.audit for group in matrix.context["groups"]] == [malmo[2]]


def test_a_shared_link_with_a_boards_or_audits_id_still_filters_nationally(client, towns):
    malmo, lund = towns
    by_board = client.get(LIST, {"board": lund[1].pk})
    assert by_board.status_code == 200
    assert listed(by_board) == [lund[4].pk]
    # The chosen board is offered, so that the form keeps it; no other is.
    assert offered(by_board, "board") == [str(lund[1].pk)]
    by_audit = client.get(LIST, {"audit": malmo[2].pk})
    assert listed(by_audit) == [malmo[4].pk]
    assert offered(by_audit, "audit") == [str(malmo[2].pk)]
    matrix = client.get(MATRIX, {"board": malmo[1].pk})
    assert [group.audit for group in matrix.context["groups"]] == [malmo[2]]


def test_another_municipalitys_board_or_an_unknown_municipality_is_refused(client, towns):
    _malmo, lund = towns
    assert client.get(LIST, {"municipality": "malmo", "board": lund[1].pk}).status_code == 400
    unknown = client.get(LIST, {"municipality": "okand"})
    assert unknown.status_code == 400
    assert "Välj ett giltigt alternativ" in unknown.text
    assert client.get(LIST, {"board": 987654321}).status_code == 400


def test_beneath_a_municipality_there_is_no_municipality_to_choose(client, towns):
    malmo, _lund = towns
    for name in ("recommendation_list", "matrix"):
        page = client.get(reverse(f"municipal:{name}", args=["malmo"]))
        assert "municipality" not in page.context["filter"].form.fields, name
        assert offered(page, "board") == [str(malmo[1].pk)], name


def test_the_exports_and_the_api_take_the_municipality_too(client, towns):
    malmo, lund = towns
    api = client.get(reverse("recommendations:api_recommendations"), {"municipality": "lund"})
    assert [item["id"] for item in api.json()["results"]] == [lund[4].pk]
    csv = client.get(reverse("recommendations:recommendation_list_csv"), {"municipality": "lund"})
    text = csv.getvalue().decode("utf-8-sig")
    assert "Granskning i Lunds kommun" in text and "Granskning i Malmö stad" not in text
    matrix_csv = client.get(reverse("recommendations:matrix_csv"), {"municipality": "malmo"})
    rows = matrix_csv.getvalue().decode("utf-8-sig")
    assert malmo[2].reference in rows and lund[2].reference not in rows
    bad = client.get(reverse("recommendations:api_recommendations"), {"municipality": "okand"})
    assert bad.status_code == 400
    assert "municipality" in bad.json()["errors"]


def test_the_openapi_document_describes_the_municipality_by_its_slug(client):
    (municipality,) = [p for p in parameters() if p.name == "municipality"]
    assert municipality.schema == {"type": "string"}
    assert "kortnamnet i kommunens adress" in municipality.description


def test_the_national_matrix_waits_for_a_choice(client, towns):
    page = client.get(MATRIX)
    assert page.status_code == 200
    assert page.context["groups"] is None
    assert "Välj en kommun, nämnd eller granskning för att se matrisen." in page.text
    # The export still holds the whole country, offered on the open-data page.
    csv = client.get(reverse("recommendations:matrix_csv")).getvalue().decode("utf-8-sig")
    assert all(town[2].reference in csv for town in towns)


def test_the_national_matrix_offers_its_downloads_only_once_a_choice_shows_a_table(client, towns):
    """Before a choice the page shows no table, yet offered "Ladda ner matrisen", which
    gave the whole country's: now it points to the open-data page for that."""
    csv, xlsx = reverse("recommendations:matrix_csv"), reverse("recommendations:matrix_xlsx")
    waiting = client.get(MATRIX).text
    assert "Ladda ner matrisen" not in waiting
    assert f'href="{csv}' not in waiting and f'href="{xlsx}' not in waiting
    assert f'<a href="{reverse("recommendations:open_data")}">Öppna data</a>' in waiting

    chosen = client.get(MATRIX, {"municipality": "malmo"}).text
    assert f'<a href="{csv}?municipality=malmo">CSV</a>' in chosen
    assert f'<a href="{xlsx}?municipality=malmo">Excel</a>' in chosen


def test_the_query_count_stays_the_same_whatever_the_municipalities_boards_and_audits(
    client, towns, django_assert_num_queries
):
    malmo, _lund = towns

    def count(params):
        with django_assert_num_queries(8):
            assert client.get(LIST, params).status_code == 200

    # Queries: the chosen municipality and board validated, count, page, its boards, the
    # municipality choices, the chosen municipality's board and audit choices (each by a
    # subquery on its slug, no query of its own).
    chosen = {"municipality": "malmo", "board": malmo[1].pk}
    count(chosen)
    make_town("Göteborgs stad", "goteborg", "GSN", "GBGMARK")
    for n in range(5):
        board = make_board(municipality=malmo[0], short_code=f"N{n}")
        make_recommendation(make_audit(municipality=malmo[0], boards=[board, malmo[1]]))
    count(chosen)
    # Nationally with none chosen: no board or audit choices at all.
    with django_assert_num_queries(4):
        client.get(LIST)
