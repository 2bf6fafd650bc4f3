"""The list's and the matrix's audit filter: a select among a few audits; among many, a
text input whose datalist offers every audit by its reference, typed or picked."""

import pytest
from django.urls import reverse

from recommendations.filters import TYPED_CHOICE_FROM

from .factories import make_audit, make_board, make_municipality, make_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_audits():
    municipality = make_municipality()
    board = make_board(municipality=municipality)
    audits = [
        make_audit(municipality=municipality, boards=[board], reference=f"SR-2020-{n:02}")
        for n in range(TYPED_CHOICE_FROM)
    ]
    make_recommendation(audits[0], text="Den första granskningens rekommendation.")
    make_recommendation(audits[1], text="Den andra granskningens rekommendation.")
    return municipality, audits


def test_among_a_few_audits_one_is_chosen_in_a_select(client):
    make_recommendation(make_audit(reference="SR-2018-71"))
    page = client.get(reverse("municipal:recommendation_list", args=["malmo"])).text
    assert '<select name="audit"' in page
    assert "<datalist" not in page


@pytest.mark.parametrize("name", ["recommendation_list", "matrix"])
def test_among_many_audits_one_is_typed_with_every_reference_offered(client, many_audits, name):
    municipality, audits = many_audits
    page = client.get(reverse(f"municipal:{name}", args=[municipality.slug])).text
    assert '<select name="audit"' not in page
    assert '<input type="text" name="audit" value="" list="id_audit-choices"' in page
    assert 'aria-describedby="id_audit-hint"' in page
    for audit in audits:
        assert f'<option value="{audit.reference}">' in page


def test_a_typed_reference_filters_the_list_and_is_shown_back(client, many_audits):
    municipality, audits = many_audits
    url = reverse("municipal:recommendation_list", args=[municipality.slug])
    page = client.get(url, {"audit": "SR-2020-01"})
    assert page.status_code == 200
    assert [rec.audit for rec in page.context["page"].object_list] == [audits[1]]
    assert 'name="audit" value="SR-2020-01"' in page.text
    # The id of links and of the API works as before, and is shown as the reference.
    by_id = client.get(url, {"audit": audits[1].pk})
    assert [rec.audit for rec in by_id.context["page"].object_list] == [audits[1]]
    assert 'name="audit" value="SR-2020-01"' in by_id.text


def test_an_unknown_reference_is_refused_with_a_message(client, many_audits):
    municipality, _audits = many_audits
    url = reverse("municipal:recommendation_list", args=[municipality.slug])
    page = client.get(url, {"audit": "SR-1999-99"})
    assert page.status_code == 400
    assert "Välj ett giltigt alternativ" in page.text
    assert 'value="SR-1999-99"' in page.text
