from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DecisionStep,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    Signatory,
)


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


class DecisionStepInline(admin.TabularInline):
    model = DecisionStep
    extra = 0


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class ResponseEntryInline(admin.StackedInline):
    model = ResponseEntry
    extra = 0
    fields = ["recommendation", "status", "narrative", "references"]
    autocomplete_fields = ["recommendation", "references"]
    show_change_link = True


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
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
    autocomplete_fields = ["board", "round", "source_document", "referenced_in", "created_by"]
    date_hierarchy = "decision_date"
    inlines = [DecisionStepInline, SignatoryInline, ResponseEntryInline]
    fieldsets = [
        (None, {"fields": ["board", "round", "title", "diary_number", "addressed_to"]}),
        (
            _("Datum och beslut"),
            {
                "fields": [
                    ("document_date", "document_precision"),
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


class MeasureUpdateInline(admin.TabularInline):
    model = MeasureUpdate
    extra = 0
    fields = ["measure", "status", "note"]
    autocomplete_fields = ["measure"]


class AnnouncedMeasureInline(admin.StackedInline):
    model = Measure
    form = MeasureAdminForm
    fk_name = "announced_in"
    extra = 0
    fields = [
        ("title", "board"),
        "recommendation",
        "also_serves",
        ("responsible", "status"),
        ("due_date", "due_precision"),
        ("completed_date", "completed_precision"),
        "effect",
    ]
    autocomplete_fields = ["recommendation", "also_serves", "board"]
    verbose_name = _("ny åtgärd aviserad i svaret")
    verbose_name_plural = _("nya åtgärder aviserade i svaret")


@admin.register(ResponseEntry)
class ResponseEntryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "response"]
    list_filter = ["status", "response__board", "response__round__audit"]
    list_select_related = ["response__board", "recommendation"]
    search_fields = ["narrative", "recommendation__text", "response__title"]
    autocomplete_fields = ["response", "recommendation", "references"]
    inlines = [AnnouncedMeasureInline, MeasureUpdateInline]


class DueDateChangeInline(admin.TabularInline):
    model = DueDateChange
    extra = 0
    fields = [
        "previous_date",
        "previous_precision",
        "new_date",
        "new_precision",
        "reason",
        "changed_at",
        "changed_by",
    ]
    autocomplete_fields = ["changed_by"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    form = MeasureAdminForm
    list_display = ["title", "board", "responsible", "status", "due_date", "due_precision"]
    list_filter = ["status", "board", "due_precision"]
    list_select_related = ["board"]
    search_fields = ["title", "description", "responsible", "effect"]
    autocomplete_fields = ["recommendation", "also_serves", "board", "announced_in"]
    inlines = [MeasureUpdateInline, DueDateChangeInline]


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "entry", "status"]
    list_filter = ["status"]
    list_select_related = ["measure", "entry__response__board", "entry__recommendation"]
    search_fields = ["note", "measure__title"]
    autocomplete_fields = ["measure", "entry"]


@admin.register(DueDateChange)
class DueDateChangeAdmin(admin.ModelAdmin):
    list_display = ["measure", "previous_date", "new_date", "changed_at", "changed_by"]
    list_select_related = ["measure", "changed_by"]
    search_fields = ["reason", "measure__title"]
    autocomplete_fields = ["measure", "changed_by", "entry"]
