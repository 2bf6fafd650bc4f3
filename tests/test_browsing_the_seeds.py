"""The browsing pages on the real seed fixtures (the five Malmö documents)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import Audit, Board, Recommendation
from responses.models import Response

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# SR-2018-71, recommendation 1: answered 2019-02-22 (known by reference), 2019-09-03 and
# in the autumn of 2020.
SR_2018_71_FIRST = 1100


@pytest.fixture
def seeds(db):
    # The importer rebuilds the search vectors itself (no on-commit callback needed).
    call_command("import_fixtures", str(FIXTURES), verbosity=0)


def test_the_timeline_shows_the_2019_and_2020_answers_in_order(client, seeds):
    url = Recommendation.objects.get(pk=SR_2018_71_FIRST).get_absolute_url()
    page = client.get(url).content.decode()
    entries = page.index("Svaren omgång för omgång")
    first = page.index("2019-02-22", entries)
    second = page.index("2019-09-03", entries)
    third = page.index("hösten 2020", entries)
    assert first < second < third
    assert "känt genom hänvisning" in page[first:second]
    # Said of the answer, beside its title, not of its missing diary number.
    assert page.index("känt genom hänvisning", first) < page.index("dnr", first)


def test_the_matrix_as_of_new_year_2020_hides_the_2020_round(client, seeds):
    rec = Recommendation.objects.get(pk=SR_2018_71_FIRST)
    url = reverse("recommendations:matrix")
    params = {"audit": rec.audit_id}

    def known_years(response):
        (group,) = response.context["groups"]
        row = next(r for r in group.rows if r.recommendation.pk == rec.pk)
        return [y for y, cell in zip(response.context["years"], row.cells, strict=True) if cell]

    assert known_years(client.get(url, params)) == [2019, 2020]
    assert known_years(client.get(url, {**params, "per": "2020-01-01"})) == [2019]


def test_search_finds_a_word_that_is_only_in_an_answer(client, seeds):
    response = client.get(reverse("recommendations:recommendation_list"), {"q": "dialogmöten"})
    found = [rec.pk for rec in response.context["page"].object_list]
    assert SR_2018_71_FIRST in found
    assert "dialogmöten" not in Recommendation.objects.get(pk=SR_2018_71_FIRST).text


def test_every_page_of_the_seeds_opens(client, seeds):
    urls = [reverse("recommendations:home"), reverse("recommendations:matrix")]
    urls += [rec.get_absolute_url() for rec in Recommendation.objects.all()]
    urls += [audit.get_absolute_url() for audit in Audit.objects.all()]
    urls += [board.get_absolute_url() for board in Board.objects.all()]
    urls += [response.get_absolute_url() for response in Response.objects.published()]
    for url in urls:
        # "/" goes straight to the seeds' one municipality.
        assert client.get(url, follow=True).status_code == 200, url
