from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from recommendations.fuzzy_date_forms import fuzzy_date_form

from .models import (
    DecisionStep,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    Signatory,
)

# One labelled input for a date and time, instead of the admin's two inputs under one label
# (which fails WCAG 2.1 "labels"; checked with axe in tests/browser).
SINGLE_DATETIME_INPUT = {
    models.DateTimeField: {
        "form_class": forms.DateTimeField,
        "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    }
}


class MeasureAdminForm(forms.ModelForm):
    """Checks a shared measure's other recommendations, which Model.clean() cannot see."""

    class Meta:
        model = Measure
        fields = [
            "recommendation",
            "also_serves",
            "board",
            "title",
            "description",
            "responsible",
            "status",
            "due_date",
            "due_precision",
            "completed_date",
            "completed_precision",
            "effect",
            "announced_in",
        ]

    def clean(self):
        cleaned = super().clean()
        others = cleaned.get("also_serves")
        recommendation = cleaned.get("recommendation")
        if recommendation is None:
            try:
                recommendation = self.instance.recommendation
            except ObjectDoesNotExist:
                recommendation = None
        if others and recommendation is not None:
            Measure(recommendation=recommendation).check_also_serves(list(others))
        return cleaned


# Dates of uncertain precision are typed as in the staff form ("hösten 2021"), not as a first
# day plus a precision.
MeasureDatesForm = fuzzy_date_form(Measure, "due", "completed", base=MeasureAdminForm)


class DecisionStepInline(admin.StackedInline):
    model = DecisionStep
    extra = 0


class SignatoryInline(admin.StackedInline):
    model = Signatory
    extra = 0


class ResponseEntryInline(admin.StackedInline):
    model = ResponseEntry
    extra = 0
    fields = ["recommendation", "status", "narrative", "references"]
    raw_id_fields = ["recommendation", "references"]
    show_change_link = True


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    form = fuzzy_date_form(Response, "document")
    formfield_overrides = SINGLE_DATETIME_INPUT
    list_display = [
        "title",
        "board",
        "round",
        "diary_number",
        "decision_date",
        "state",
        "provenance",
    ]
    list_filter = ["state", "provenance", "board", "round__audit"]
    list_select_related = ["board", "round__audit"]
    search_fields = ["title", "diary_number", "summary", "board__name", "round__audit__reference"]
    raw_id_fields = ["round", "created_by"]
    date_hierarchy = "decision_date"
    inlines = [DecisionStepInline, SignatoryInline, ResponseEntryInline]
    fieldsets = [
        (None, {"fields": ["board", "round", "title", "diary_number", "addressed_to"]}),
        (
            _("Datum och beslut"),
            {
                "fields": [
                    "document",
                    "decision_date",
                    "decided_by",
                ]
            },
        ),
        (_("Innehåll"), {"fields": ["summary", "decision_document"]}),
        (
            _("Ursprung"),
            {"fields": ["provenance", "source_document", "referenced_in", "reference_note"]},
        ),
        (_("Publicering"), {"fields": ["state", "published_at", "created_by"]}),
    ]


class MeasureUpdateInline(admin.StackedInline):
    model = MeasureUpdate
    extra = 0
    fields = ["measure", "status", "note"]
    raw_id_fields = ["measure"]


class AnnouncedMeasureInline(admin.StackedInline):
    model = Measure
    form = MeasureDatesForm
    fk_name = "announced_in"
    extra = 0
    fields = [
        ("title", "board"),
        "recommendation",
        "also_serves",
        ("responsible", "status"),
        ("due", "completed"),
        "effect",
    ]
    raw_id_fields = ["recommendation", "also_serves"]
    verbose_name = _("ny åtgärd aviserad i svaret")
    verbose_name_plural = _("nya åtgärder aviserade i svaret")


@admin.register(ResponseEntry)
class ResponseEntryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "response"]
    list_filter = ["status", "response__board", "response__round__audit"]
    list_select_related = ["response__board", "recommendation"]
    search_fields = ["narrative", "recommendation__text", "response__title"]
    raw_id_fields = ["response", "recommendation", "references"]
    inlines = [AnnouncedMeasureInline, MeasureUpdateInline]


DueDateChangeDatesForm = fuzzy_date_form(DueDateChange, "previous", "new")


class DueDateChangeInline(admin.StackedInline):
    form = DueDateChangeDatesForm
    formfield_overrides = SINGLE_DATETIME_INPUT
    model = DueDateChange
    extra = 0
    fields = [
        ("previous", "new"),
        "reason",
        "changed_at",
        "changed_by",
    ]
    raw_id_fields = ["changed_by"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    form = MeasureDatesForm
    list_display = ["title", "board", "responsible", "status", "due_date", "due_precision"]
    list_filter = ["status", "board", "due_precision"]
    list_select_related = ["board"]
    search_fields = ["title", "description", "responsible", "effect"]
    raw_id_fields = ["recommendation", "also_serves", "announced_in"]
    inlines = [MeasureUpdateInline, DueDateChangeInline]


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(SimpleHistoryAdmin):
    form = fuzzy_date_form(MeasureUpdate, "due", "completed")
    list_display = ["measure", "entry", "status"]
    list_filter = ["status"]
    list_select_related = ["measure", "entry__response__board", "entry__recommendation"]
    search_fields = ["note", "measure__title"]
    raw_id_fields = ["measure", "entry"]


@admin.register(DueDateChange)
class DueDateChangeAdmin(admin.ModelAdmin):
    form = DueDateChangeDatesForm
    formfield_overrides = SINGLE_DATETIME_INPUT
    list_display = ["measure", "previous_date", "new_date", "changed_at", "changed_by"]
    list_select_related = ["measure", "changed_by"]
    search_fields = ["reason", "measure__title"]
    raw_id_fields = ["measure", "changed_by", "entry"]
