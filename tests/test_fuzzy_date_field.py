"""The staff forms' date field reads back every date it writes, at every precision."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from auditfollowup.lib.dates import FuzzyDate, Precision
from responses.forms import FuzzyDateField, fuzzy_date_as_input

fuzzy_dates = st.builds(
    FuzzyDate.containing,
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(list(Precision)),
)


@given(fuzzy_dates)
def test_what_the_field_shows_it_reads_back_unchanged(value):
    field = FuzzyDateField(required=False)
    assert field.clean(field.prepare_value(value)) == value


@given(st.text(max_size=20))
def test_any_text_is_either_a_date_or_a_swedish_error(text):
    field = FuzzyDateField(required=False)
    try:
        result = field.clean(text)
    except ValidationError as error:
        assert error.code in ("invalid", "no_such_day")
    else:
        assert result is None or isinstance(result, FuzzyDate)


def test_a_day_missing_from_the_calendar_is_named_not_answered_with_the_formats():
    with pytest.raises(ValidationError) as raised:
        FuzzyDateField(required=False).clean("31 februari 2026")
    assert raised.value.messages == [
        "Dagen ”31 februari 2026” finns inte i kalendern. Kontrollera dag och månad."
    ]


def test_the_field_shows_dates_the_way_people_write_them():
    assert fuzzy_date_as_input(FuzzyDate.parse("2026-05")) == "maj 2026"
    assert fuzzy_date_as_input(FuzzyDate.parse("2026-H2")) == "hösten 2026"
    assert fuzzy_date_as_input(FuzzyDate.parse("2027")) == "2027"
    assert fuzzy_date_as_input(FuzzyDate.parse("2026-05-31")) == "2026-05-31"
