"""Dates of uncertain precision: stored honestly, sorted correctly, shown in Swedish."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from auditfollowup.lib.dates import (
    FuzzyDate,
    Precision,
    add_years,
    ended_before_q,
    last_start_reaching,
    whole_years_until,
    year_problem,
)
from recommendations.models import closing_day_problem
from responses.models import Measure


@pytest.mark.parametrize(
    ("text", "start", "precision", "shown"),
    [
        ("2019-02-22", dt.date(2019, 2, 22), Precision.DAY, "2019-02-22"),
        ("2026-05", dt.date(2026, 5, 1), Precision.MONTH, "maj 2026"),
        ("maj 2026", dt.date(2026, 5, 1), Precision.MONTH, "maj 2026"),
        ("hösten 2020", dt.date(2020, 7, 1), Precision.TERM, "hösten 2020"),
        ("Våren 2021", dt.date(2021, 1, 1), Precision.TERM, "våren 2021"),
        ("2021-H1", dt.date(2021, 1, 1), Precision.TERM, "våren 2021"),
        ("2018", dt.date(2018, 1, 1), Precision.YEAR, "2018"),
        ("31 mars 2027", dt.date(2027, 3, 31), Precision.DAY, "2027-03-31"),
        ("31. Mars 2027", dt.date(2027, 3, 31), Precision.DAY, "2027-03-31"),
        ("1 May 2026", dt.date(2026, 5, 1), Precision.DAY, "2026-05-01"),
        ("31/12/2027", dt.date(2027, 12, 31), Precision.DAY, "2027-12-31"),
        ("3.4.2027", dt.date(2027, 4, 3), Precision.DAY, "2027-04-03"),
    ],
)
def test_dates_are_read_and_shown_in_swedish_with_their_precision(text, start, precision, shown):
    with translation.override("sv"):
        date = FuzzyDate.parse(text)

        assert (date.start, date.precision) == (start, precision)
        assert str(date) == shown
        assert FuzzyDate.parse(date.as_text()) == date


def test_dates_are_shown_in_english_when_english_is_chosen():
    with translation.override("en"):
        assert str(FuzzyDate.parse("hösten 2020")) == "autumn 2020"
        assert (
            str(FuzzyDate.parse("maj 2026")) == "May 2026"
        )  # English capitalises month names, Swedish does not


@pytest.mark.parametrize(
    "text",
    [
        "2019-02-30",
        "soon",
        "sommaren 2020",
        "2019/02/22",
        "",
        "9999-12",
        "hösten 9999",
        "0001",
        "31 februari 2027",
        "12/31/2027",
        "31 mars",
        "mars 31 2027 x",
    ],
)
def test_text_that_is_not_a_date_is_refused(text):
    with pytest.raises(ValueError):
        FuzzyDate.parse(text)


def test_a_date_must_be_the_first_day_of_its_period():
    with pytest.raises(ValueError, match="2026-05-01"):
        FuzzyDate(dt.date(2026, 5, 15), Precision.MONTH)


def test_a_coarse_date_sorts_before_finer_dates_in_its_period_and_after_earlier_ones():
    dates = [
        FuzzyDate.parse(t)
        for t in ["2020-09-30", "hösten 2020", "2020", "2019-12-31", "september 2020", "2021"]
    ]

    assert [d.as_text() for d in sorted(dates)] == [
        "2019-12-31",
        "2020",
        "2020-H2",
        "2020-09",
        "2020-09-30",
        "2021",
    ]


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2026-05", dt.date(2026, 5, 31)),
        ("2024-02", dt.date(2024, 2, 29)),
        ("2026-12", dt.date(2026, 12, 31)),
        ("våren 2021", dt.date(2021, 6, 30)),
        ("hösten 2021", dt.date(2021, 12, 31)),
        ("2018", dt.date(2018, 12, 31)),
        ("2019-02-22", dt.date(2019, 2, 22)),
    ],
)
def test_the_end_of_a_period_is_its_last_day(text, end):
    assert FuzzyDate.parse(text).end == end


def test_a_month_is_not_overdue_until_the_month_has_passed():
    may = FuzzyDate.parse("maj 2026")

    assert not may.is_past(dt.date(2026, 5, 31))
    assert may.is_past(dt.date(2026, 6, 1))
    assert may.days_overdue(dt.date(2026, 6, 11)) == 11


@pytest.mark.django_db
def test_the_sql_filter_for_ended_periods_agrees_with_the_python_rule(minimal_data):
    measure = Measure.objects.get()
    today = dt.date(2026, 6, 1)
    for text in ["2026-05-31", "2026-06-01", "maj 2026", "juni 2026", "våren 2026", "2026", "2025"]:
        measure.due = FuzzyDate.parse(text)
        measure.save()

        in_sql = Measure.objects.filter(ended_before_q("due", today)).exists()

        assert in_sql == measure.due.is_past(today), text


@pytest.mark.django_db
def test_a_model_refuses_a_date_that_does_not_start_its_period(minimal_data):
    measure = Measure.objects.get()
    measure.due_date = dt.date(2026, 5, 15)
    measure.due_precision = Precision.MONTH

    with pytest.raises(ValidationError) as error:
        measure.full_clean()

    assert "due_date" in error.value.message_dict


def test_a_date_coarser_than_a_day_says_so_in_words_in_the_active_language():

    assert FuzzyDate.parse("2019-02-22").precision_note == ""
    assert FuzzyDate.parse("maj 2026").precision_note == "månaden är känd, inte dagen"
    assert FuzzyDate.parse("hösten 2020").precision_note == "halvåret är känt, inte månaden"
    assert FuzzyDate.parse("2018").precision_note == "året är känt, inte månaden"
    with translation.override("en"):
        assert FuzzyDate.parse("maj 2026").precision_note == "the month is known, not the day"


def test_english_dates_are_read_and_shown_back_in_english():

    assert FuzzyDate.parse("May 2026") == FuzzyDate.parse("maj 2026")
    assert FuzzyDate.parse("autumn 2022") == FuzzyDate.parse("hösten 2022")
    with translation.override("en"):
        assert str(FuzzyDate.parse("autumn 2022")) == "autumn 2022"
        assert str(FuzzyDate.parse("maj 2026")) == "May 2026"
    assert str(FuzzyDate.parse("autumn 2022")) == "hösten 2022"


@pytest.mark.parametrize(
    ("start", "day", "years"),
    [
        (dt.date(2020, 6, 30), dt.date(2020, 6, 1), 0),  # before the start
        (dt.date(2020, 6, 30), dt.date(2020, 6, 30), 0),
        (dt.date(2020, 6, 30), dt.date(2021, 6, 30), 1),  # on the anniversary: within one
        (dt.date(2020, 6, 30), dt.date(2021, 7, 1), 2),
        (dt.date(2020, 2, 29), dt.date(2021, 2, 28), 1),  # a leap day's anniversary
        (dt.date(2020, 2, 29), dt.date(2021, 3, 1), 2),
    ],
)
def test_whole_years_until_counts_the_anniversaries_a_day_has_reached(start, day, years):
    assert whole_years_until(start, day) == years


@pytest.mark.parametrize(
    ("day", "years", "latest"),
    [
        (dt.date(2026, 12, 2), 1, dt.date(2025, 12, 2)),
        (dt.date(2026, 12, 2), 3, dt.date(2023, 12, 2)),
        (dt.date(2025, 2, 28), 1, dt.date(2024, 2, 29)),  # its anniversary is 28 Feb
        (dt.date(2024, 2, 29), 4, dt.date(2020, 2, 29)),
    ],
)
def test_the_latest_start_with_whole_years_behind_it(day, years, latest):
    assert last_start_reaching(day, years) == latest
    assert add_years(latest, years) <= day
    assert add_years(latest + dt.timedelta(days=1), years) > day


def test_a_period_is_known_once_it_has_ended_and_as_of_today_once_it_has_begun():
    autumn = FuzzyDate.parse("hösten 2020")
    today = timezone.localdate()
    this_year = FuzzyDate.parse(str(today.year))

    assert not autumn.is_known_on(dt.date(2020, 9, 1))
    assert autumn.is_known_on(dt.date(2020, 12, 31))
    assert this_year.is_known_on(today)
    assert not this_year.is_known_on(today - dt.timedelta(days=1))


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_check_of_a_dates_year_refuses_the_same_years_in_the_same_words(language):
    """A stored fuzzy date and a recommendation's closing day ask one rule
    (``year_problem``): the years 1900 to 2200, and one message for the rest."""
    with translation.override(language):
        assert year_problem(1900) == year_problem(2200) == ""
        message = year_problem(1899)
        assert message == year_problem(2201) != ""
        assert "1900" in message and "2200" in message
        assert closing_day_problem(dt.date(1899, 12, 31)) == message
        measure = Measure(due=FuzzyDate(dt.date(1899, 1, 1), Precision.YEAR))
        with pytest.raises(ValidationError) as refused:
            measure.clean()
        assert refused.value.message_dict["due_date"] == [message]
