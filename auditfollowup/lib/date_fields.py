"""Form fields for a day, shared by the apps' forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DayThatHasComeField(forms.DateField):
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
