"""The national page and a municipality's pages in the browser: the national page lists the
municipalities and leads to each one's start page; a municipality with many audits lets the
visitor type one into the list's filter; both reflow at 320 px, with no console warning."""

from pprint import pformat

import pytest

from recommendations.filters import TYPED_CHOICE_FROM
from recommendations.models import Municipality
from tests.browser.test_reflow import reflow_problems
from tests.factories import make_audit, make_board, make_recommendation, make_town

pytestmark = pytest.mark.browser


def test_the_national_page_leads_to_a_municipalitys_start_page(page, seeds):
    make_town("Lunds kommun", "lund", "KFN", "LUNDMARK")
    page.goto("/")
    table = page.get_by_role("table", name="Varje kommun med antal granskningar")
    assert table.get_by_role("row").count() == 3  # the header and two municipalities
    assert page.get_by_role("table", name="Andel åtgärdade rekommendationer").is_visible()
    page.get_by_role("link", name="Lunds kommun").click()
    page.wait_for_load_state()
    assert page.url.endswith("/lund/")
    assert page.get_by_role("heading", level=1).is_visible()
    problems = reflow_problems(page, {"national": "/", "municipality-start": "/lund/"})
    assert not problems, pformat(problems)


def test_an_audit_is_typed_into_the_lists_filter_and_the_choice_is_kept(page, db):
    municipality = Municipality.objects.create(name="Lunds kommun", slug="lund")
    board = make_board(municipality=municipality, short_code="KFN")
    audits = [
        make_audit(municipality=municipality, boards=[board], reference=f"LR-2020-{n:02}")
        for n in range(TYPED_CHOICE_FROM)
    ]
    make_recommendation(audits[0], text="Första granskningens rekommendation.")
    make_recommendation(audits[7], text="Sjunde granskningens rekommendation.")
    page.goto("/lund/rekommendationer/")
    field = page.get_by_label("Granskning", exact=True)
    field.focus()
    page.keyboard.type("LR-2020-07")
    page.keyboard.press("Escape")  # closes the datalist's suggestions
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "audit=LR-2020-07" in page.url
    assert page.get_by_text("Sjunde granskningens rekommendation.").is_visible()
    assert page.get_by_text("Första granskningens rekommendation.").count() == 0
    assert page.get_by_label("Granskning", exact=True).input_value() == "LR-2020-07"
    problems = reflow_problems(page, {"list-typed-audit": page.url})
    assert not problems, pformat(problems)
