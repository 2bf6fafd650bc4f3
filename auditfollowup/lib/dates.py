"""Dates of uncertain precision ("maj 2026", "hösten 2020", "2018").

The documents often give a month, a term or only a year. We store such a
date honestly as two columns: the first day of the period and its precision.
The first day sorts correctly against exact dates (a coarser date sorts
before a finer one on the same first day); the last day of the period decides
whether something is overdue, so "maj 2026" is not overdue until June.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop


class Precision(models.TextChoices):
    DAY = "day", gettext_lazy("dag")
    MONTH = "month", gettext_lazy("månad")
    # Swedish administrations plan in terms: "våren" is January-June and
    # "hösten" July-December, like the school and budget terms.
    TERM = "term", gettext_lazy("halvår (våren/hösten)")
    YEAR = "year", gettext_lazy("år")

    @property
    def coarseness(self) -> int:
        return [Precision.DAY, Precision.MONTH, Precision.TERM, Precision.YEAR].index(self)


# ``FuzzyDate.precision_note``'s words, translated when one is asked for.
_PRECISION_NOTES = {
    Precision.MONTH: gettext_noop("månaden är känd, inte dagen"),
    Precision.TERM: gettext_noop("halvåret är känt, inte månaden"),
    Precision.YEAR: gettext_noop("året är känt, inte månaden"),
}
_SPRING_WORDS = {"våren", "vår", "spring", "h1"}
_AUTUMN_WORDS = {"hösten", "höst", "autumn", "fall", "h2"}
SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
# Read as well, so that a date typed in the English interface is understood.
ENGLISH_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


# The years a date may be given in. The documents begin in the 2010s; a year like 9999 is
# a slip of the keyboard, and its period's end (and the day after, in a calendar) would
# lie beyond what Python's dates can hold.
YEARS = range(1900, 2201)


def year_problem(year: int) -> str:
    """What is wrong with a date's year ("" when nothing is): it must be one of ``YEARS``.
    The one message of the rule, wherever a date is checked: a stored fuzzy date
    (``validate_fuzzy_date``), a recommendation's closing day and the day *Att granska*
    counts from."""
    if year in YEARS:
        return ""
    return _("Året måste ligga mellan %(first)d och %(last)d.") % {
        "first": YEARS.start,
        "last": YEARS.stop - 1,
    }


@dataclass(frozen=True)
class FuzzyDate:
    """A date known to a day, a month, a term or a year."""

    start: dt.date
    precision: Precision

    def __post_init__(self):
        precision = self.precision
        if type(precision) is not Precision:  # a stored value ("month"): the member
            precision = Precision(precision)
            object.__setattr__(self, "precision", precision)
        expected = period_start(self.start, precision)
        if self.start != expected:
            raise ValueError(
                f"{self.start.isoformat()} is not the first day of its {precision.label}; "
                f"use {expected.isoformat()}."
            )

    @classmethod
    def containing(cls, day: dt.date, precision: Precision) -> "FuzzyDate":
        """The period of the given precision that contains ``day``."""
        return cls(period_start(day, Precision(precision)), precision)

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        """Read "2019-02-22", "22 februari 2019", "22/2/2019", "2026-05", "maj 2026",
        "hösten 2020", "2021-H1" or "2018"; in English too: "May 2026", "22 February
        2019", "autumn 2020". Only years of ``YEARS``."""
        date = cls._parse(text)
        if date.start.year not in YEARS:
            raise ValueError(f"{text!r}: the year must lie in {YEARS.start}–{YEARS.stop - 1}.")
        return date

    @classmethod
    def _parse(cls, text: str) -> "FuzzyDate":
        raw = " ".join(str(text).strip().lower().split())
        if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw):
            year, month, day = map(int, match.groups())
            return cls(_make_date(year, month, day, text), Precision.DAY)
        if match := re.fullmatch(r"(\d{4})-(\d{2})", raw):
            year, month = map(int, match.groups())
            return cls(_make_date(year, month, 1, text), Precision.MONTH)
        if match := re.fullmatch(r"(\d{4})", raw):
            return cls(dt.date(int(match.group(1)), 1, 1), Precision.YEAR)
        # A day as Swedes also write it: 31/12/2027 or 31.12.2027 (day first).
        if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", raw):
            day, month, year = map(int, match.groups())
            return cls(_make_date(year, month, day, text), Precision.DAY)
        words = raw.replace("-", " ").replace(",", " ").split()
        if len(words) == 3:
            # "31 mars 2027", "31. mars 2027", "31 March 2027".
            day_text, word, year_text = words
            day_text = day_text.rstrip(".")
            if day_text.isdigit() and year_text.isdigit() and len(year_text) == 4:
                for months in (SWEDISH_MONTHS, ENGLISH_MONTHS):
                    if word in months:
                        month = months.index(word) + 1
                        return cls(
                            _make_date(int(year_text), month, int(day_text), text), Precision.DAY
                        )
        if len(words) == 2:
            first, second = words
            word, year_text = (second, first) if first.isdigit() else (first, second)
            if year_text.isdigit() and len(year_text) == 4:
                year = int(year_text)
                if word in _SPRING_WORDS:
                    return cls(dt.date(year, 1, 1), Precision.TERM)
                if word in _AUTUMN_WORDS:
                    return cls(dt.date(year, 7, 1), Precision.TERM)
                for months in (SWEDISH_MONTHS, ENGLISH_MONTHS):
                    if word in months:
                        return cls(dt.date(year, months.index(word) + 1, 1), Precision.MONTH)
        raise ValueError(
            f"{text!r} is not a date; write 2019-02-22, 22 februari 2019, 2026-05, maj 2026, "
            "hösten 2020 or 2018."
        )

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        start = self.start
        if self.precision == Precision.DAY:
            return start
        if self.precision == Precision.MONTH:
            next_month = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        if self.precision == Precision.TERM:
            return dt.date(start.year, 6, 30) if start.month == 1 else dt.date(start.year, 12, 31)
        return dt.date(start.year, 12, 31)

    @property
    def sort_key(self) -> tuple[dt.date, int]:
        # On the same first day the coarser date sorts first: "2019" before "2019-01-01".
        return (self.start, -self.precision.coarseness)

    def __lt__(self, other: "FuzzyDate") -> bool:
        return self.sort_key < other.sort_key

    def is_known_on(self, as_of: dt.date) -> bool:
        """Whether something dated so was known on ``as_of``: once the whole period lies
        on or before the day ("hösten 2020" is not yet known on 2020-09-01); as of today,
        once it has begun, since whatever is dated now is known now even if its period
        ("2026") runs on. ``known_by_q`` is the same rule in SQL."""
        if self.end <= as_of:
            return True
        return self.start <= as_of and as_of >= timezone.localdate()

    def is_past(self, today: dt.date) -> bool:
        """True once the whole period lies before ``today``."""
        return self.end < today

    def days_overdue(self, today: dt.date) -> int:
        return max((today - self.end).days, 0)

    def as_text(self) -> str:
        """A stable, machine-readable form that ``parse`` reads back."""
        if self.precision == Precision.DAY:
            return self.start.isoformat()
        if self.precision == Precision.MONTH:
            return self.start.strftime("%Y-%m")
        if self.precision == Precision.TERM:
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        return str(self.start.year)

    @property
    def precision_note(self) -> str:
        """How exactly the date is known, in words, for a date coarser than a day; else ""
        (only the one note asked for is translated)."""
        note = _PRECISION_NOTES.get(self.precision)
        return _(note) if note else ""

    def __str__(self) -> str:
        """In the active language: "2019-02-22", "maj 2026", "hösten 2020", "2018"; in
        English "May 2026", "autumn 2020". ``parse`` reads each back, so a form shows it."""
        if self.precision == Precision.DAY:
            return self.start.isoformat()
        if self.precision == Precision.MONTH:
            return f"{MONTHS[self.start.month]} {self.start.year}"
        if self.precision == Precision.TERM:
            if self.start.month == 1:
                return _("våren %(year)s") % {"year": self.start.year}
            return _("hösten %(year)s") % {"year": self.start.year}
        return str(self.start.year)


class NoSuchDay(ValueError):
    """Text written the way a date is, naming a day the calendar lacks ("31 februari 2026")."""


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoSuchDay(f"{text!r} is not a real date.") from None


def period_start(day: dt.date, precision: Precision) -> dt.date:
    if precision == Precision.DAY:
        return day
    if precision == Precision.MONTH:
        return day.replace(day=1)
    if precision == Precision.TERM:
        return dt.date(day.year, 1 if day.month <= 6 else 7, 1)
    return dt.date(day.year, 1, 1)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def whole_years_until(start: dt.date, day: dt.date) -> int:
    """The fewest whole years after ``start`` by which ``day`` has come: 0 if ``day`` is
    on or before ``start``, 1 if within a year of it, and so on."""
    years = max(day.year - start.year, 0)
    while years > 0 and day <= add_years(start, years - 1):
        years -= 1
    while day > add_years(start, years):
        years += 1
    return years


def last_start_reaching(day: dt.date, years: int) -> dt.date:
    """The latest start whose ``years``-th anniversary (``add_years``) is on or before
    ``day``: a start on or before it has had ``years`` whole years by ``day``."""
    start = add_years(day, -years)
    while add_years(start + dt.timedelta(days=1), years) <= day:
        start += dt.timedelta(days=1)
    while add_years(start, years) > day:
        start -= dt.timedelta(days=1)
    return start


def known_by_q(prefix: str, as_of: dt.date) -> Q:
    """A filter for rows whose ``<prefix>`` fuzzy date was known on ``as_of``:
    ``FuzzyDate.is_known_on`` in SQL (a null date is never known)."""
    known = ended_before_q(prefix, as_of + dt.timedelta(days=1))
    if as_of >= timezone.localdate():
        known |= Q(**{f"{prefix}_date__lte": as_of})
    return known


def ended_before_q(prefix: str, today: dt.date) -> Q:
    """A filter for rows whose ``<prefix>_date``/``<prefix>_precision`` period ended before today.

    A period of precision P has ended exactly when it starts before the period
    of precision P that contains today, so one comparison per precision does it
    in SQL, with no per-row work.
    """
    condition = Q()
    for precision in Precision:
        condition |= Q(
            **{
                f"{prefix}_precision": precision,
                f"{prefix}_date__lt": period_start(today, precision),
            }
        )
    return condition


# Read for every date a page shows: Precision.values builds its list anew each time.
PRECISIONS = frozenset(Precision.values)


class FuzzyDateDescriptor(property):
    """A ``FuzzyDate`` read from and written to ``<name>_date`` and ``<name>_precision``.

    A property, so Django also accepts it as a keyword argument:
    ``Measure(due=FuzzyDate.parse("maj 2026"))``.
    """

    def __init__(self, name: str):
        date_field, precision_field = f"{name}_date", f"{name}_precision"

        def get(instance):
            start = getattr(instance, date_field)
            precision = getattr(instance, precision_field) or Precision.DAY
            if start is None or precision not in PRECISIONS:
                # Only unvalidated input holds an unknown precision; clean_fields() reports it.
                return None
            return FuzzyDate(start, precision)

        def set_(instance, value: FuzzyDate | None):
            setattr(instance, date_field, None if value is None else value.start)
            setattr(instance, precision_field, Precision.DAY if value is None else value.precision)

        super().__init__(get, set_, doc=f"The {name} date as a FuzzyDate.")


def validate_fuzzy_date(instance, name: str) -> None:
    """Model.clean() helper: the stored date must be the first day of its period, in a
    year of ``YEARS``."""
    start = getattr(instance, f"{name}_date")
    precision = getattr(instance, f"{name}_precision")
    if start is None or precision not in Precision.values:
        return  # clean_fields() reports a missing or unknown precision
    if problem := year_problem(start.year):
        raise ValidationError({f"{name}_date": problem})
    expected = period_start(start, Precision(precision))
    if start != expected:
        raise ValidationError(
            {
                f"{name}_date": _(
                    "Datumet måste vara periodens första dag (%(expected)s) "
                    "när precisionen är %(precision)s."
                )
                % {"expected": expected.isoformat(), "precision": Precision(precision).label}
            }
        )


def fuzzy_date_fields(verbose_name: str, *, required: bool = False, help_text: str = ""):
    """The two fields that store a ``FuzzyDate``: (date field, precision field)."""
    date_field = models.DateField(
        verbose_name,
        null=not required,
        blank=not required,
        help_text=help_text
        or gettext_lazy(
            "Periodens första dag; precisionen säger om det är dag, månad, halvår eller år."
        ),
    )
    precision_field = models.CharField(
        gettext_lazy("precision"),
        max_length=8,
        choices=Precision.choices,
        default=Precision.DAY,
    )
    return date_field, precision_field
