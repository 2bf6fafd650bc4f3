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
    # The comparison of one audit year is in the same table, whose year can be changed.
    assert table.get_by_role("columnheader", name="inom 3 år").is_visible()
    year = page.get_by_label("Granskningsår")
    chosen = year.input_value()
    other = next(y for y in year.locator("option").all_inner_texts() if y != chosen)
    year.select_option(other)
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert f"ar={other}" in page.url
    assert page.get_by_text(f"rekommendationerna från granskningarna {other}").is_visible()
    problems = reflow_problems(page, {"national": "/", "national-year": page.url})
    assert not problems, pformat(problems)
    page.goto("/")
    page.get_by_role("link", name="Lunds kommun", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/lund/")
    assert page.get_by_role("heading", level=1).is_visible()
    problems = reflow_problems(page, {"municipality-start": "/lund/"})
    assert not problems, pformat(problems)


def test_the_national_list_offers_a_municipalitys_boards_once_it_is_chosen(page, seeds):
    _lund, kfn, *_rest = make_town("Lunds kommun", "lund", "KFN", "LUNDMARK")
    page.goto("/rekommendationer/")
    board = page.get_by_label("Nämnd", exact=True)
    assert board.locator("option").count() == 1  # only "Alla nämnder"
    assert page.get_by_text("Välj en kommun för att välja bland dess nämnder").is_visible()
    page.get_by_label("Kommun", exact=True).select_option(label="Lunds kommun")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert "municipality=lund" in page.url
    options = page.get_by_label("Nämnd", exact=True).locator("option").all_inner_texts()
    assert options == ["Alla nämnder", kfn.name]
    problems = reflow_problems(page, {"national-list-municipality": page.url})
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
