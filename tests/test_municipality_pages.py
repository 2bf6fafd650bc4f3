"""Every municipality has its pages under its slug (/<slug>/...), showing only its own
audits, boards and recommendations; / is the national page comparing them; the old
unprefixed addresses of single objects redirect to their municipality's."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from recommendations.filters import MatrixFilter, RecommendationFilter
from recommendations.models import Municipality
from recommendations.municipal import for_municipality
from recommendations.status import Status
from responses.models import Response

from .factories import (
    make_audit,
    make_entry,
    make_recommendation,
    make_response,
    make_round,
    make_town,
    make_tracked_audit,
)

pytestmark = pytest.mark.django_db


def municipal(name, town, *args):
    return reverse(f"municipal:{name}", args=[town[0].slug, *args])


class _TableReader(HTMLParser):
    """The text of each header and cell of the table with id ``kommuner``."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "kommuner") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def national_table(page) -> dict[str, dict[str, str]]:
    """The national page's table as a reader sees it: {municipality: {column: text}}."""
    reader = _TableReader()
    reader.feed(page.text)
    header, *rows = reader.rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_a_municipalitys_pages_name_it_in_their_titles(client, towns):
    import re

    def title(url):
        return re.search(r"<title>(.*?)</title>", client.get(url, follow=True).text).group(1)

    assert title(municipal("home", towns[0])).startswith("Start – Malmö stad – ")
    assert title(municipal("home", towns[1])).startswith("Start – Lunds kommun – ")
    assert "Malmö stad" in title(municipal("recommendation_list", towns[0]))
    assert "Malmö stad" not in title(reverse("recommendations:home"))


def test_a_municipalitys_list_shows_only_its_own_recommendations(client, towns):
    malmo, _lund = towns
    page = client.get(municipal("recommendation_list", malmo))
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [malmo[4]]
    assert "Granskning i Malmö stad" in page.text
    assert "Granskning i Lunds kommun" not in page.text


def test_a_filterset_given_no_queryset_filters_only_the_pages_municipality(rf, towns):
    """``RecommendationFilter(request.GET, request=request)``: a view passes no queryset,
    and a municipality's page still gets only its recommendations; a national page all."""
    malmo, lund = towns
    listed = {}

    @for_municipality
    def page(request):
        for filterset in (RecommendationFilter, MatrixFilter):
            listed[filterset.__name__] = list(filterset(request.GET, request=request).qs)

    page(rf.get("/malmo/rekommendationer/"), municipality=malmo[0].slug)
    assert listed == {"RecommendationFilter": [malmo[4]], "MatrixFilter": [malmo[4]]}
    national = rf.get("/rekommendationer/")
    assert set(RecommendationFilter(national.GET, request=national).qs) == {malmo[4], lund[4]}


def test_its_filters_offer_only_its_own_boards_and_audits(client, towns):
    malmo, _lund = towns
    for name in ("recommendation_list", "matrix"):
        form = client.get(municipal(name, malmo)).context["filter"].form
        assert list(form.fields["board"].queryset) == [malmo[1]], name
        assert list(form.fields["audit"].queryset) == [malmo[2]], name


def test_choosing_another_municipalitys_board_is_refused(client, towns):
    malmo, lund = towns
    page = client.get(municipal("recommendation_list", malmo), {"board": lund[1].pk})
    assert page.status_code == 400
    assert "Välj ett giltigt alternativ" in page.text


def test_another_municipalitys_objects_are_not_found_beneath_this_one(client, towns):
    malmo, lund = towns
    published = make_response(board=lund[1], round=make_round(lund[2], sequence=2))
    for name, obj in [
        ("recommendation_detail", lund[4]),
        ("audit_detail", lund[2]),
        ("board_detail", lund[1]),
        ("response_detail", published),
    ]:
        assert client.get(municipal(name, malmo, obj.pk)).status_code == 404, name
        assert client.get(obj.get_absolute_url()).status_code == 200, name


def test_an_unknown_municipality_is_not_found(client, towns):
    assert client.get("/okand-kommun/").status_code == 404
    assert client.get("/okand-kommun/rekommendationer/").status_code == 404


def test_the_start_page_counts_only_its_municipality(client, towns):
    malmo, _lund = towns
    make_recommendation(malmo[2])
    page = client.get(municipal("home", malmo))
    assert page.context["counts"]["audits"] == 1
    assert page.context["counts"]["recommendations"] == 2
    assert [row.pk for row in page.context["by_audit"]] == [malmo[2].pk]
    assert [row.pk for row in page.context["by_board"]] == [malmo[1].pk]


def test_the_api_exports_matrix_and_feed_hold_only_its_municipality(client, towns):
    malmo, lund = towns
    make_response(board=lund[1], round=make_round(lund[2], sequence=2), title="Lunds svar")
    make_response(board=malmo[1], round=make_round(malmo[2], sequence=2), title="Malmös svar")
    api = client.get(municipal("api_recommendations", malmo)).json()
    assert [item["id"] for item in api["results"]] == [malmo[4].pk]
    assert api["results"][0]["url"].endswith(malmo[4].get_absolute_url())
    csv = client.get(municipal("recommendation_list_csv", malmo)).getvalue().decode("utf-8-sig")
    assert "Granskning i Malmö stad" in csv
    assert "Granskning i Lunds kommun" not in csv
    matrix = client.get(municipal("matrix", malmo))
    assert [group.audit for group in matrix.context["groups"]] == [malmo[2]]
    feed = client.get(municipal("response_feed", malmo)).text
    assert "Malmös svar" in feed and "Lunds svar" not in feed
    # The national addresses keep every municipality.
    national = client.get(reverse("recommendations:api_recommendations")).json()
    assert national["count"] == 2


def test_links_on_a_municipalitys_pages_stay_beneath_it(client, towns):
    malmo, _lund = towns
    page = client.get(malmo[4].get_absolute_url()).text
    assert f'href="{municipal("recommendation_list", malmo)}"' in page
    assert f'href="{malmo[2].get_absolute_url()}"' in page
    assert malmo[2].get_absolute_url().startswith("/malmo/granskningar/")


def test_the_old_addresses_redirect_permanently_to_the_municipalitys(client, towns):
    malmo, lund = towns
    published = make_response(board=lund[1], round=make_round(lund[2], sequence=2))
    for old, new in [
        (f"/rekommendationer/{malmo[4].pk}/", f"/malmo/rekommendationer/{malmo[4].pk}/"),
        (f"/granskningar/{lund[2].pk}/", f"/lund/granskningar/{lund[2].pk}/"),
        (f"/namnder/{lund[1].pk}/", f"/lund/namnder/{lund[1].pk}/"),
        (f"/yttranden/{published.pk}/", f"/lund/yttranden/{published.pk}/"),
    ]:
        page = client.get(old)
        assert (page.status_code, page["Location"]) == (301, new)


def test_the_old_address_of_a_response_the_visitor_may_not_read_is_not_found(client, towns):
    _malmo, lund = towns
    assert lund[5].state == Response.State.SUBMITTED
    assert client.get(f"/yttranden/{lund[5].pk}/").status_code == 404


def test_with_one_municipality_the_national_page_goes_straight_to_it(client):
    town = make_town("Malmö stad", "malmo", "ASN", "X")
    page = client.get("/")
    assert page.status_code == 302
    assert page["Location"] == reverse("municipal:home", args=[town[0].slug])


def test_the_national_page_lists_every_municipality_with_its_counts(client, towns):
    malmo, _lund = towns
    second = make_recommendation(malmo[2])
    answer = make_response(
        board=malmo[1], round=make_round(malmo[2], sequence=2), decision_date=dt.date(2019, 6, 1)
    )
    make_entry(answer, second, status=Status.IMPLEMENTED)
    page = client.get("/")
    assert page.status_code == 200
    table = national_table(page)
    assert counts(table["Malmö stad"]) == ("1", "2", "50 %")
    assert counts(table["Lunds kommun"]) == ("1", "1", "0 %")
    assert f'href="{reverse("municipal:home", args=["lund"])}"' in page.text


def counts(row):
    return (row["Granskningar"], row["Rekommendationer"], row["Andel genomförda"])


def national_counts(client, name="Malmö stad"):
    return counts(national_table(client.get("/"))[name])


def test_the_national_counts_follow_every_write_that_changes_them(client, towns):
    malmo, _lund = towns
    assert national_counts(client) == ("1", "1", "0 %")
    second = make_recommendation(malmo[2])
    assert national_counts(client) == ("1", "2", "0 %")
    answer = make_response(
        board=malmo[1], round=make_round(malmo[2], sequence=2), decision_date=dt.date(2019, 6, 1)
    )
    make_entry(answer, second, status=Status.IMPLEMENTED)
    assert national_counts(client) == ("1", "2", "50 %")
    another = make_audit(municipality=malmo[0], boards=[malmo[1]], conducted_from="2020")
    assert national_counts(client) == ("2", "2", "50 %")
    extra = make_recommendation(another)
    assert national_counts(client) == ("2", "3", "33 %")
    extra.delete()
    assert national_counts(client) == ("2", "2", "50 %")
    another.delete()
    assert national_counts(client) == ("1", "2", "50 %")


def test_the_national_comparison_gives_each_municipalitys_share_acted_on_within_years(
    client, towns
):
    malmo, _lund = towns
    # The audits ran in 2018 (counted from its end); Malmö's board implemented one of its
    # two recommendations in June 2019, within a year; Lund's has done nothing.
    second = make_recommendation(malmo[2])
    answer = make_response(
        board=malmo[1], round=make_round(malmo[2], sequence=2), decision_date=dt.date(2019, 6, 1)
    )
    make_entry(answer, second, status=Status.IMPLEMENTED)
    page = client.get("/")
    assert page.context["cohort"] == 2018  # the latest audit year whose three years are over
    table = national_table(page)
    within = ["Inom 1 år", "Inom 2 år", "Inom 3 år"]
    assert [table["Malmö stad"][column] for column in within] == ["50 % (1 av 2)"] * 3
    assert [table["Lunds kommun"][column] for column in within] == ["0 % (0 av 1)"] * 3
    malmo_row = page.text[page.text.index('href="/malmo/"') :].split("</tr>")[0]
    assert malmo_row.count("50 %") == 4  # implemented today, and within one, two, three years
    assert "(1 av 2)" in malmo_row
    assert (
        f'href="{reverse("reports:council_report", args=["malmo", timezone.localdate().year])}"'
        in malmo_row
    )


def test_the_national_comparison_shows_the_audit_year_the_reader_chooses(client, towns):
    _malmo, lund = towns
    later = make_audit(municipality=lund[0], boards=[lund[1]], conducted_from="2021")
    make_recommendation(later)
    page = client.get("/", {"ar": 2021})
    assert page.context["cohort"] == 2021
    table = national_table(page)
    within = ["Inom 1 år", "Inom 2 år", "Inom 3 år"]
    assert [table["Lunds kommun"][column] for column in within] == ["0 % (0 av 1)"] * 3
    # No audits that year: a dash in each column.
    assert [table["Malmö stad"][column] for column in within] == ["–"] * 3
    assert '<option value="2021" selected>2021</option>' in page.text
    assert '<option value="2018">2018</option>' in page.text
    # Only the years with audits are offered, not the years between them.
    assert '<option value="2019">' not in page.text
    assert client.get("/", {"ar": 1999}).status_code == 400


def test_the_national_pages_query_count_does_not_grow_with_the_data(
    client, towns, django_assert_num_queries
):
    # The municipalities with their counts, the audit years (first and last, then which
    # years between have any), the shares of one year.
    make_tracked_audit(n_recommendations=1)
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200
    make_town("Göteborgs stad", "goteborg", "GSN", "Y")
    make_audit(municipality=towns[1][0], boards=[towns[1][1]], conducted_from="2020")
    make_tracked_audit(n_recommendations=4, board="SN")
    for _ in range(3):
        make_recommendation(towns[0][2])
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("slug", ["rapport", "api", "konto", "rekommendationer", "admin"])
def test_a_municipality_may_not_take_the_slug_of_a_fixed_address(slug):
    with pytest.raises(ValidationError) as refused:
        Municipality(name="Ny kommun", slug=slug).full_clean()
    assert "används redan av en sida" in str(refused.value)
    Municipality(name="Ny kommun", slug="ny-kommun").full_clean()


def test_the_national_page_says_what_a_dash_in_its_table_means(client, towns):
    """A municipality without audits that year has a dash where the shares are; the page
    explained how the shares are counted, but not the dash."""
    _malmo, lund = towns
    make_recommendation(make_audit(municipality=lund[0], boards=[lund[1]], conducted_from="2021"))
    page = client.get("/", {"ar": 2021}).text
    assert "–" in national_table(client.get("/", {"ar": 2021}))["Malmö stad"]["Inom 1 år"]
    explanation = page[page.index("Så räknas andelarna") : page.index("</details>")]
    assert "Ett streck (–) betyder att det inte finns något att räkna" in explanation
