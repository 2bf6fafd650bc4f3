"""Every day a form asks for is a date input (``auditfollowup.lib.date_fields.DayInput``),
which holds a day or nothing: a browser drops any other value from it, warning in its
console. A filter's day that is no day (typed into an address) is refused with an error
that quotes it, beside an empty field, the same way on every page that filters by a day."""

import pytest
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.date_fields import DayInput
from recommendations.assessment_forms import AttentionForm, CloseForm
from recommendations.filters import MatrixFilter
from reports.forms import AsOfForm
from responses.forms import PublishForm


def date_filter_pages(world):
    """(a user who may open it or None, its URL, the name of its day) of each page that
    filters by a day."""
    slug = world.municipality.slug
    return [
        (world.auditor, reverse("auditors:attention"), "since"),
        (None, reverse("municipal:matrix", args=[slug]), "per"),
        (None, reverse("reports:council_report", args=[slug, timezone.localdate().year]), "per"),
    ]


@pytest.mark.parametrize("typed", ["2026-13-45", "igår", "2026-02-30", "31/12/2020"])
def test_every_date_filter_leaves_a_day_it_cannot_read_out_of_its_field_and_quotes_it(
    client, world, typed
):
    for user, url, name in date_filter_pages(world):
        if user:
            client.force_login(user)
        page = client.get(url, {name: typed})

        assert page.status_code == 400, url
        assert f"”{typed}” är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD" in page.text
        field = page.text.split(f'<input type="date" name="{name}"', 1)[1].split(">", 1)[0]
        assert "value=" not in field, url
        assert 'aria-invalid="true"' in field, url


def test_a_long_value_is_quoted_by_its_beginning(client, world):
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"), {"since": "x" * 5000})
    error = page.text.split('id="id_since_error">', 1)[1].split("</ul>", 1)[0]
    assert f"<li>”{'x' * 39}…” är inget giltigt datum." in error


def test_a_day_the_field_reads_is_shown_as_a_date_input_writes_it():
    form = AttentionForm({"since": " 2026-1-5 "})
    assert form.since_date().isoformat() == "2026-01-05"
    assert 'value="2026-01-05"' in str(form["since"])


def test_a_day_refused_for_another_reason_stays_in_its_field_beside_the_error(client, world):
    # A day the input can hold: the person sees it and the reason (its year) side by side.
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"), {"since": "0001-01-01"})
    assert 'name="since" value="0001-01-01"' in page.text
    assert "Året måste ligga mellan 1900 och 2200." in page.text


def test_every_day_a_form_asks_for_is_a_day_input(world):
    fields = [
        AttentionForm()["since"],
        MatrixFilter({}).form["per"],
        AsOfForm()["per"],
        CloseForm()["closed_on"],
        PublishForm()["decision_date"],
    ]
    for field in fields:
        assert isinstance(field.field.widget, DayInput), field.name
        assert str(field).startswith('<input type="date"'), field.name
