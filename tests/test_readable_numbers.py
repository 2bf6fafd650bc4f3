"""Counts and numbers of days read grouped in threes, as each language writes them: "2 716
dagar" with a non-breaking space in Swedish, "2,716 days" in English (``{{ n|grouped }}``,
``auditfollowup/lib/number_tags.py``). Years, ids, diary numbers and numbers in links stay
as they are: ``USE_THOUSAND_SEPARATOR`` stays off."""

import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from auditfollowup.lib.number_tags import grouped_number
from recommendations.models import Municipality
from recommendations.views import CappedPaginator
from responses.models import Measure
from tests.factories import make_tracked_audit

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def grouped_number_in(language, value):
    with translation.override(language):
        return grouped_number(value)


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("sv", 2716, f"2{NBSP}716"),
        ("sv", 100043, f"100{NBSP}043"),
        ("sv", 1234567, f"1{NBSP}234{NBSP}567"),
        ("sv", 999, "999"),
        ("en", 2716, "2,716"),
        ("en", 100043, "100,043"),
        ("en", 0, "0"),
        ("sv", -2716, f"-2{NBSP}716"),
        ("sv", -999, "-999"),
        ("en", 1000, "1,000"),
    ],
)
def test_a_count_reads_grouped_in_threes_as_its_language_writes_it(language, value, shown):
    with translation.override(language):
        assert grouped_number(value) == shown


def test_what_is_not_a_number_is_left_as_it_is():
    assert grouped_number(None) is None
    assert grouped_number("–") == "–"
    assert grouped_number(True) is True


def test_in_a_sentence_the_plural_follows_the_number_and_the_text_shows_it_grouped():
    template = engines["django"].from_string(
        "{% load i18n number_tags %}{% blocktranslate count late=n with days=n|grouped %}"
        "{{ days }} dag sen{% plural %}{{ days }} dagar sen{% endblocktranslate %} {{ year }}"
    )
    with translation.override("sv"):
        assert template.render({"n": 1, "year": 2019}) == "1 dag sen 2019"
        assert template.render({"n": 2716, "year": 2019}) == f"2{NBSP}716 dagar sen 2019"
    with translation.override("en"):
        assert template.render({"n": 1, "year": 2019}) == "1 day late 2019"
        assert template.render({"n": 2716, "year": 2019}) == "2,716 days late 2019"


def test_how_late_a_measure_is_reads_grouped_on_its_recommendations_page(client):
    """The tracked audit's measure is overdue since June 2020: well over 999 days."""
    recommendation = make_tracked_audit(n_recommendations=1).recommendations[0]
    days = Measure.objects.get(recommendation=recommendation).days_overdue(timezone.localdate())
    assert days > 999
    url = recommendation.get_absolute_url()

    swedish = client.get(url).content.decode()
    assert f"Försenad {grouped_number_in('sv', days)} dagar" in swedish
    assert not re.search(r"Försenad \d{4,} dagar", swedish)

    shown = english(client).get(url).content.decode()
    assert f"{grouped_number_in('en', days)} days" in shown


def test_the_national_page_groups_each_municipalitys_counts_and_leaves_years_and_links_alone(
    client, towns
):
    Municipality.objects.filter(slug="malmo").update(audit_count=1234, recommendation_count=100043)
    this_year = timezone.localdate().year

    page = client.get(reverse("recommendations:home")).content.decode()
    assert f'<td class="num">1{NBSP}234</td><td class="num">100{NBSP}043</td>' in page
    assert "100043" not in page
    # The report's year in its link and in its label, as written.
    report = reverse("reports:council_report", args=["malmo", this_year])
    assert f'href="{report}"' in page
    year = str(this_year)
    assert f"{year[0]}{NBSP}{year[1:]}" not in page and f"{year[0]},{year[1:]}" not in page

    page = english(client).get(reverse("recommendations:home")).content.decode()
    assert '<td class="num">1,234</td><td class="num">100,043</td>' in page
    assert f'href="{report}"' in page


def test_the_lists_count_of_hits_and_its_pages_read_grouped(client, monkeypatch):
    make_tracked_audit(n_recommendations=1)
    monkeypatch.setattr(CappedPaginator, "count", 1234)  # 50 pages of 25
    listing = reverse("recommendations:recommendation_list")

    swedish = client.get(listing).content.decode()
    assert f"1{NBSP}234 träffar" in swedish
    assert "Sida 1 av 50" in swedish

    assert "1,234 results" in english(client).get(listing).content.decode()


def test_beyond_the_lists_cap_the_cap_reads_grouped(client, monkeypatch):
    make_tracked_audit(n_recommendations=3)
    monkeypatch.setattr(CappedPaginator, "cap", 2000)
    monkeypatch.setattr(CappedPaginator, "is_capped", True)
    monkeypatch.setattr(CappedPaginator, "count", 2000)
    page = client.get(reverse("recommendations:recommendation_list")).content.decode()
    assert f"Fler än 2{NBSP}000 träffar" in page
    assert f"Sidorna visar de första 2{NBSP}000." in page


def test_the_council_reports_tables_group_counts_and_keep_the_year_in_their_ids():
    board = {"name": "Arbetsmarknadsnämnden"}
    row = {
        "board": board,
        "count": 12345,
        "outcome_cells": [(10234, "83 %")],
        "by_assessment": 1000,
        "by_board_status": 11345,
    }
    context = {"rows": [row], "total": row, "report": {"outcome_categories": []}}
    template = engines["django"].get_template("reports/_outcome_table.html")
    with translation.override("sv"):
        table = template.render({**context, "caption_year": 2019})
    assert f'<td class="num">12{NBSP}345</td>' in table
    assert f'<td class="num">10{NBSP}234 <span class="share">(83 %)</span></td>' in table
    assert f"1{NBSP}000 / 11{NBSP}345" in table
    assert 'id="outcome-2019-caption"' in table and "granskningar från 2019" in table
    with translation.override("en"):
        assert '<td class="num">12,345</td>' in template.render(context)
