from django import forms
from django.utils.translation import gettext_lazy as _

from auditfollowup.lib.date_fields import DayThatHasComeField


class AsOfForm(forms.Form):
    """``per``: the day the report is made as of; empty means today."""

    per = DayThatHasComeField(
        label=_("Som det var känt den"),
        required=False,
        help_text=_("ÅÅÅÅ-MM-DD. Tomt: i dag."),
    )


class CohortForm(forms.Form):
    """``ar``: the audit year the national comparison shows, one of ``years``; empty
    means the default year (``reports.figures.default_cohort``)."""

    ar = forms.TypedChoiceField(label=_("Granskningsår"), coerce=int, required=False)

    def __init__(self, data, *, years):
        super().__init__(data)
        self.fields["ar"].choices = [("", "")] + [(year, str(year)) for year in years]

    def cohort(self, default: int | None) -> int | None:
        if self.is_valid() and self.cleaned_data["ar"] not in (None, ""):
            return self.cleaned_data["ar"]
        return default
