"""The one form field for dates of uncertain precision, used by the staff forms and the admin.

People type a date as precisely as it is known ("2026-05-31", "maj 2026", "hösten 2026",
"2027"); the field reads it into a ``FuzzyDate`` and shows it back the same way, in the
active language.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .dates import FuzzyDate, NoSuchDay


def fuzzy_date_as_input(value: FuzzyDate) -> str:
    """How a fuzzy date is written back into a text box: as people type it, in the active
    language ("maj 2026", "autumn 2026"), which ``FuzzyDate.parse`` reads back."""
    return str(value)


class FuzzyDateField(forms.CharField):
    """A date of real precision: "2026-05-31", "maj 2026", "hösten 2026" or "2027"."""

    default_error_messages = {
        "invalid": _(
            "Skriv ett datum som 2026-05-31, 31 maj 2026, maj 2026, våren 2026, hösten 2026 "
            "eller 2027."
        ),
        # Written the right way, but the day is not in the calendar: telling the person
        # to write "31 maj 2026" would not tell them what is wrong with "31 februari 2026".
        "no_such_day": _("Dagen ”%(value)s” finns inte i kalendern. Kontrollera dag och månad."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 30, "size": 16}))
        kwargs.setdefault(
            "help_text",
            _("Så exakt som det är känt: 2026-05-31, maj 2026, hösten 2026 eller 2027."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, FuzzyDate):
            return fuzzy_date_as_input(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return FuzzyDate.parse(text)
        except NoSuchDay:
            raise forms.ValidationError(
                self.error_messages["no_such_day"], code="no_such_day", params={"value": text}
            ) from None
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class FuzzyDatesMixin:
    """A model form that edits each ``<name>_date``/``<name>_precision`` pair of
    ``fuzzy_dates`` as one ``FuzzyDateField`` called ``<name>``."""

    fuzzy_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in self.fuzzy_dates:
                self.initial.setdefault(name, getattr(self.instance, name))

    def clean(self):
        cleaned = super().clean()
        # Set before the model's own clean() runs, which validates the pair.
        for name in self.fuzzy_dates:
            if name in cleaned:
                setattr(self.instance, name, cleaned[name])
        return cleaned

    def add_error(self, field, error):
        """Show the model's errors on a stored pair (``completed_date``) on the typed field
        that edits it (``completed``): the pair is not on the form, and Django refuses an
        error for a field the form does not have (a server error instead of a message)."""
        field_of = {
            f"{name}_{part}": name for name in self.fuzzy_dates for part in ("date", "precision")
        }
        if field is None and isinstance(error, dict):
            error = ValidationError(error)
        if field is None and hasattr(error, "error_dict"):
            remapped = {}
            for key, messages in error.error_dict.items():
                remapped.setdefault(field_of.get(key, key), []).extend(messages)
            error = ValidationError(remapped)
        super().add_error(field_of.get(field, field), error)


def fuzzy_date_form(model, *names: str, base=forms.ModelForm):
    """A ``base`` form for ``model`` with one typed date field for each named pair."""
    fields = {}
    for name in names:
        date_field = model._meta.get_field(f"{name}_date")
        fields[name] = FuzzyDateField(
            label=capfirst(date_field.verbose_name), required=not date_field.blank
        )
    # The stored pairs leave the form: the typed field replaces them.
    pairs = {f"{name}_{part}" for name in names for part in ("date", "precision")}
    base_meta = getattr(base, "Meta", None)
    if base_meta is not None and getattr(base_meta, "fields", None):
        meta = type(
            "Meta", (base_meta,), {"fields": [f for f in base_meta.fields if f not in pairs]}
        )
    else:
        meta = type("Meta", (), {"model": model, "exclude": sorted(pairs)})
    attrs = {"fuzzy_dates": names, "Meta": meta, **fields}
    return type(f"{model.__name__}DatesForm", (FuzzyDatesMixin, base), attrs)


def fuzzy_date_column(model, name: str):
    """An admin list column showing the ``name`` date pair as people write it ("september
    2020", "hösten 2026", "2026-05-31"), sorted by its first day; the change list showed
    the stored first day and its precision in two columns, and a precision for no date."""
    from django.contrib import admin

    date_field = model._meta.get_field(f"{name}_date")

    @admin.display(description=capfirst(date_field.verbose_name), ordering=f"{name}_date")
    def column(obj):
        value = getattr(obj, name)
        return str(value) if value is not None else None

    column.__name__ = f"{name}_shown"
    return column
