import copy
import os
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from auditfollowup.lib.fuzzy_date_forms import fuzzy_date_column, fuzzy_date_form
from recommendations.admin_scope import ScopedAdminMixin, ScopedFieldsMixin, related_only

from . import services
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
# (which fails WCAG 2.1 "labels"; checked with axe in tests/browser). To the second: an input
# to the minute cut the seconds off every stored time it showed, so saving a page unchanged
# moved a user's joining date and a response's publishing time (which orders the published
# responses) and recorded it as a change in the history.
SINGLE_DATETIME_INPUT = {
    models.DateTimeField: {
        "form_class": forms.DateTimeField,
        "widget": forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
        ),
    }
}


class DecisionDocumentInput(AdminFileWidget):
    """The file input for a response's signed PDF, linking to the view that checks who may
    read it: decision documents have no public URL (MEDIA_URL is None), which Django's own
    widget needs."""

    document_url = ""

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["value"] = LinkedFile(os.path.basename(value.name), self.document_url)
        return context


@dataclass(frozen=True)
class LinkedFile:
    name: str
    url: str

    def __str__(self):
        return self.name


# The fields of a measure an answer may decide (``Measure.fields_its_answers_decide``),
# as the admin's typed-date form names them.
ANSWERED_FIELDS = {"status", "completed", "effect", "due"}


class MeasureAdminForm(forms.ModelForm):
    """Checks a shared measure's other recommendations, which Model.clean() cannot see,
    and refuses a change of what the measure's answers decide."""

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
            "due_inference",
            "completed_date",
            "completed_precision",
            "completed_inference",
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
        # What its answers decide is corrected there (its report, a move), where the
        # measure follows: changed here alone, the measure said one thing and its
        # latest report or move another (``Measure.fields_its_answers_decide``).
        if self.instance.pk is not None and set(self.changed_data) & ANSWERED_FIELDS:
            for name, where in self.instance.fields_its_answers_decide().items():
                if name in self.changed_data:
                    self.add_error(name, where)
        return cleaned


# Dates of uncertain precision are typed as in the staff form ("hösten 2021"), not as a first
# day plus a precision.
MeasureDatesForm = fuzzy_date_form(Measure, "due", "completed", base=MeasureAdminForm)


class MovesVersionsOn:
    """An admin page that writes a response's content (the response, its answers, measures,
    reports, moved due dates, decision steps, signatories) moves the version of each
    response it wrote or moved content away from (``ResponseQuerySet.moved_on_by``), in
    its save's transaction, when its form or an inline changed: a staff edit page opened
    before is then refused on saving instead of saving over the admin's change."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and isinstance(form.instance, Response):
            return  # added here, at its first version: no page has opened it yet
        pages = [form, *(inline for formset in formsets for inline in formset.forms)]
        written = [
            row for page in pages if page.has_changed() for row in (page.instance, _as_loaded(page))
        ]
        if written:
            Response.objects.moved_on_by(written)

    def delete_model(self, request, obj):
        Response.objects.moved_on_by([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        Response.objects.moved_on_by(list(queryset))
        super().delete_queryset(request, queryset)


def _as_loaded(form):
    """The form's row naming what it named as the page was loaded: an answer moved to
    another response leaves that response's content changed too."""
    loaded = copy.copy(form.instance)
    for field in loaded._meta.concrete_fields:
        if field.is_relation and field.name in form.initial:
            value = form.initial[field.name]
            # Into its __dict__: the copy shares the instance's cache of related rows.
            loaded.__dict__[field.attname] = getattr(value, "pk", value)
    return loaded


class DecisionStepInline(ScopedFieldsMixin, admin.StackedInline):
    model = DecisionStep
    extra = 0


class SignatoryInline(ScopedFieldsMixin, admin.StackedInline):
    model = Signatory
    extra = 0


class ResponseEntryInline(ScopedFieldsMixin, admin.StackedInline):
    model = ResponseEntry
    extra = 0
    fields = ["recommendation", "status", "narrative", "references"]
    raw_id_fields = ["recommendation", "references"]
    show_change_link = True


class ResponseAdminForm(forms.ModelForm):
    """Publishing here is publishing: it asks what the publish page asks
    (``services.require_publishable``). And a published response stays published: its
    reports are on the measures and the public has read it, so setting it back to a
    draft would leave what it reported public while hiding where it was said."""

    def clean(self):
        cleaned = super().clean()
        stored = self.instance.state if self.instance.pk is not None else None
        if Response.leaves_published(stored, cleaned.get("state")):
            self.add_error("state", Response.STAYS_PUBLISHED)
        elif Response.becomes_published(stored, cleaned.get("state")):
            try:
                services.require_publishable(self.instance, cleaned.get("decision_date"))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return cleaned


@admin.register(Response)
class ResponseAdmin(MovesVersionsOn, ScopedAdminMixin, SimpleHistoryAdmin):
    form = fuzzy_date_form(Response, "document", base=ResponseAdminForm)
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
    list_filter = ["state", "provenance", *related_only("board", "round__audit")]
    list_select_related = ["board", "round__audit"]
    search_fields = ["title", "diary_number", "summary", "board__name", "round__audit__reference"]
    raw_id_fields = ["round", "created_by"]
    date_hierarchy = "decision_date"
    inlines = [DecisionStepInline, SignatoryInline, ResponseEntryInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "board",
                    "round",
                    "title",
                    "title_inference",
                    "diary_number",
                    "addressed_to",
                ]
            },
        ),
        (
            _("Datum och beslut"),
            {
                "fields": [
                    "document",
                    "document_inference",
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "decision_document":
            kwargs["widget"] = DecisionDocumentInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        stored = form.initial.get("state") if change else None
        if Response.becomes_published(stored, obj.state):
            # Copies its reports onto the measures and tells its followers, as the
            # publish page does; saving the state alone left the measures as they were.
            services.publish_in_admin(response=obj, user=request.user)
        else:
            super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            # A fresh form class per request: the widget may carry this response's link.
            widget = form.base_fields["decision_document"].widget
            widget.document_url = reverse("responses:response_document", args=[obj.pk])
        return form


class PassesCorrectedReportsOn:
    """An admin page that saves measure reports: a correction of a measure's latest
    public report reaches the measure, as publishing passed the report on
    (``MeasureUpdate.corrects_its_measure``, ``services.correct_measure_from_report``);
    staff drafts and earlier rounds' reports change nothing there. The report's own
    page, and the reports inline under an answer or a measure."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if isinstance(obj, MeasureUpdate):
            self._pass_on([obj])

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is MeasureUpdate:
            self._pass_on([*formset.new_objects, *(obj for obj, _f in formset.changed_objects)])

    @staticmethod
    def _pass_on(reports) -> None:
        for report in reports:
            if report.corrects_its_measure():
                services.correct_measure_from_report(report)


class MeasureUpdateInline(ScopedFieldsMixin, admin.StackedInline):
    model = MeasureUpdate
    extra = 0
    fields = [
        "measure",
        "status",
        "note",
        ("due_date", "due_precision"),
        "due_inference",
        "showed_no_due",
        ("completed_date", "completed_precision"),
        "effect",
    ]
    raw_id_fields = ["measure"]


class ReportsOfMeasureInline(MeasureUpdateInline):
    """A measure's reports, on the measure's page: each names the answer it was given in
    (the entry, which the page under an answer fills in itself; without it, adding a report
    here failed, and a report's error about its answer had no field to stand beside)."""

    fields = ["entry", *MeasureUpdateInline.fields[1:]]
    raw_id_fields = ["entry"]

    def get_queryset(self, request):
        # Each report names its answer by the response's board and the recommendation.
        return (
            super()
            .get_queryset(request)
            .select_related("entry__response__board", "entry__recommendation")
        )


class AnnouncedMeasureInline(ScopedFieldsMixin, admin.StackedInline):
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
        ("due_inference", "completed_inference"),
        "effect",
    ]
    raw_id_fields = ["recommendation", "also_serves"]
    verbose_name = _("ny åtgärd aviserad i svaret")
    verbose_name_plural = _("nya åtgärder aviserade i svaret")


@admin.register(ResponseEntry)
class ResponseEntryAdmin(
    MovesVersionsOn, PassesCorrectedReportsOn, ScopedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["__str__", "status", "response"]
    list_filter = ["status", *related_only("response__board", "response__round__audit")]
    list_select_related = ["response__board", "recommendation"]
    search_fields = ["narrative", "recommendation__text", "response__title"]
    raw_id_fields = ["response", "recommendation", "references"]
    inlines = [AnnouncedMeasureInline, MeasureUpdateInline]


DueDateChangeDatesForm = fuzzy_date_form(DueDateChange, "previous", "new")


class DueDateChangeInline(ScopedFieldsMixin, admin.StackedInline):
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


class DuePrecisionFilter(admin.ChoicesFieldListFilter):
    """The measures by how exact their due date is, titled so: the stored field is named
    'precision', which a filter of several dates' precisions would not tell apart."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("slutdatumets precision")


@admin.register(Measure)
class MeasureAdmin(MovesVersionsOn, PassesCorrectedReportsOn, ScopedAdminMixin, SimpleHistoryAdmin):
    form = MeasureDatesForm
    list_display = [
        "title",
        "board",
        "responsible",
        "status",
        fuzzy_date_column(Measure, "due"),
    ]
    list_filter = ["status", *related_only("board"), ("due_precision", DuePrecisionFilter)]
    list_select_related = ["board"]
    search_fields = ["title", "description", "responsible", "effect"]
    raw_id_fields = ["recommendation", "also_serves", "announced_in"]
    inlines = [ReportsOfMeasureInline, DueDateChangeInline]


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(
    MovesVersionsOn, PassesCorrectedReportsOn, ScopedAdminMixin, SimpleHistoryAdmin
):
    form = fuzzy_date_form(MeasureUpdate, "due", "completed")
    list_display = ["measure", "entry", "status"]
    list_filter = ["status"]
    list_select_related = ["measure", "entry__response__board", "entry__recommendation"]
    search_fields = ["note", "measure__title"]
    raw_id_fields = ["measure", "entry"]


@admin.register(DueDateChange)
class DueDateChangeAdmin(MovesVersionsOn, ScopedAdminMixin, admin.ModelAdmin):
    form = DueDateChangeDatesForm
    formfield_overrides = SINGLE_DATETIME_INPUT
    list_display = [
        "measure",
        fuzzy_date_column(DueDateChange, "previous"),
        fuzzy_date_column(DueDateChange, "new"),
        "changed_at",
        "changed_by",
    ]
    list_select_related = ["measure", "changed_by"]
    search_fields = ["reason", "measure__title"]
    raw_id_fields = ["measure", "changed_by", "entry"]
