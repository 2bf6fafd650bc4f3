"""Form fields for a day, shared by the apps' forms."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

# How a date input writes a day, the only form it shows or sends.
DAY_FORMAT = "%Y-%m-%d"


def parse_day(text: str) -> dt.date | None:
    """The day ``text`` writes in ``DAY_FORMAT`` (as Django's DateField reads it); None."""
    try:
        return dt.datetime.strptime(text.strip(), DAY_FORMAT).date()
    except ValueError:
        return None


class DayInput(forms.DateInput):
    """A date input, ``<input type="date">``: the one widget every form's day is shown in.

    It holds a day or nothing. A browser drops any other value (``?since=igår``,
    ``?per=2026-13-45``, typed into an address), showing the field empty and warning in
    its console, so such a value is left out here, and the field's error quotes it
    (``DayField``): the person sees what they typed there, not an empty field unexplained."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            value = parse_day(value)
        return value.isoformat() if value else None


class DayField(forms.DateField):
    """A day, written as a date input sends it (YYYY-MM-DD) and shown in a ``DayInput``.
    What is no such day is refused with a message that quotes it (the first 40
    characters), as the input, left empty, cannot show it."""

    widget = DayInput
    input_formats = [DAY_FORMAT]
    default_error_messages = {
        "invalid": _(
            "”%(value)s” är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD, "
            "till exempel 2021-12-31."
        ),
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code != "invalid":
                raise
            typed = Truncator(str(value).strip()).chars(40)
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": typed}
            ) from None


class DayThatHasComeField(DayField):
    """A day no later than today: what will be known, or decided, on a day to come is not
    known yet. The one rule of the pages read "as of" a day (the matrix, the council
    report) and of a board's decision day; the date input offers no later day (``max``),
    asked each time a form is built. A form may word the refusal its own way
    (``error_messages={"future": ...}``; ``%(today)s`` is the day it is)."""

    default_error_messages = {
        "future": _("Dagen har inte kommit än: välj en dag senast i dag, %(today)s."),
    }

    def validate(self, value):
        super().validate(value)
        today = timezone.localdate()
        if value and value > today:
            raise forms.ValidationError(
                self.error_messages["future"], code="future", params={"today": today.isoformat()}
            )

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "max": timezone.localdate().isoformat()}

    def __deepcopy__(self, memo):
        # A form declared in a class builds its fields once, when the module is loaded,
        # and gives each form a copy: the copy asks for today again, or a server started
        # yesterday offers no later day than yesterday.
        field = super().__deepcopy__(memo)
        field.widget.attrs["max"] = timezone.localdate().isoformat()
        return field
