from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from auditfollowup.admin_names import name_link_rows
from auditfollowup.lib.fuzzy_date_forms import fuzzy_date_column, fuzzy_date_form
from auditfollowup.lib.ids import is_id
from responses.admin import MeasureDatesForm
from responses.models import Measure

from . import (
    admin_axes,  # noqa: F401  (re-registers django-axes' login records, scoped)
    admin_users,  # registers the scoped user admin, and warns of staff who write nothing
    roles,
)
from .admin_scope import (
    MunicipalityOnlyForSuperusers,
    ScopedAdminMixin,
    ScopedFieldsMixin,
    related_only,
)
from .assessment_forms import ChangedOnlyAsShown, RoundChangedMeanwhile
from .models import (
    Audit,
    AuditorAssessment,
    Board,
    FollowUpRound,
    Municipality,
    Recommendation,
    SourceDocument,
)
from .timeline import build_timeline, timeline_recommendations


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityOnlyForSuperusers, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "organisation_number"]
    search_fields = ["name", "organisation_number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Board)
class BoardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_code", "kind", "municipality"]
    list_filter = ["kind", *related_only("municipality")]
    search_fields = ["name", "short_code"]
    raw_id_fields = ["contact"]
    # The board's staff by name in a labelled list (not a box of user ids). Django's
    # filter_horizontal and autocomplete widgets fail axe (an unlabelled search box).

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = get_user_model().objects.order_by("username")
            kwargs["help_text"] = _(
                "Användare som får skriva nämndens yttranden: de som också är med i gruppen "
                "Handläggare."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        admin_users.warn_of_places_granting_nothing(
            request, Board.staff.through.objects.filter(board=form.instance), self.admin_site
        )


@admin.register(SourceDocument)
class SourceDocumentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = fuzzy_date_form(SourceDocument, "document")
    list_display = [
        "file_name",
        "title",
        "kind",
        "diary_number",
        fuzzy_date_column(SourceDocument, "document"),
        "municipality",
    ]
    list_filter = ["kind", *related_only("municipality")]
    search_fields = ["file_name", "title", "diary_number", "notes"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A municipality's admin adds documents of their own municipality only: one left
        # without (a superuser's) would be out of their reach as soon as it was saved.
        if db_field.name == "municipality" and not roles.is_superuser(request.user):
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


FollowUpRoundDatesForm = fuzzy_date_form(FollowUpRound, "deadline")


class FollowUpRoundForm(fuzzy_date_form(FollowUpRound, "deadline", base=ChangedOnlyAsShown)):
    """The admin's change form of a round saves only if the round is still as its page
    showed it, as the auditors' form does (``ChangedOnlyAsShown``): an admin and an
    auditor saving one round overwrote each other unseen. A round changed meanwhile is
    not saved; the page says so and shows the round as it now stands (``current``).

    Checked while the form is validated: the admin validates and saves in one transaction
    (``ModelAdmin.changeform_view``), so the round's row stays locked until the save."""

    current = None

    def clean(self):
        cleaned = super().clean()
        if "shown_fingerprint" in cleaned:
            try:
                self.refuse_changed_meanwhile()
            except RoundChangedMeanwhile as meanwhile:
                self.add_error(None, meanwhile.message)
                self.current = meanwhile.current
        return cleaned


round_deadline = fuzzy_date_column(FollowUpRound, "deadline")


class FollowUpRoundInline(ScopedFieldsMixin, admin.StackedInline):
    """The audit's rounds: a new one may be added here, but a stored one is changed only on
    its own page, whose form saves only if the round is still as the page showed it
    (``ChangedOnlyAsShown``): edited here, an admin's save would overwrite an auditor's
    change made meanwhile, unseen. Each stored round links to that page."""

    model = FollowUpRound
    form = FollowUpRoundDatesForm
    extra = 0
    fields = ["sequence", "kind", "title", "deadline", "is_open", "asks"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=round_deadline.short_description)
    def deadline(self, round_):
        """A stored round's deadline, shown to read as people write it: the admin would
        write the pair's descriptor as "None" under "Deadline"."""
        return round_deadline(round_) or self.get_empty_value_display()


class RecommendationInline(ScopedFieldsMixin, admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = [("position", "label", "kind"), "text", ("addressed_to", "answered_by")]
    show_change_link = True


@admin.register(Audit)
class AuditAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = fuzzy_date_form(Audit, "conducted_from", "conducted_to")
    list_display = [
        "reference",
        "title",
        "kind",
        "auditor",
        "firm",
        fuzzy_date_column(Audit, "conducted_from"),
        "n_recs",
    ]
    list_filter = ["kind", *related_only("auditor", "audited_boards", "municipality")]
    search_fields = ["reference", "title", "summary"]
    inlines = [FollowUpRoundInline, RecommendationInline]
    fieldsets = [
        (None, {"fields": ["municipality", "reference", "title", "title_inference", "kind"]}),
        (
            _("Vem och när"),
            {
                "fields": [
                    "auditor",
                    "firm",
                    ("conducted_from", "conducted_to"),
                    "conducted_inference",
                    "audited_boards",
                ]
            },
        ),
        (_("Innehåll"), {"fields": ["summary", "conclusion", "source_documents"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_recs=Count("recommendations"))

    @admin.display(description=_("rekommendationer"), ordering="n_recs")
    def n_recs(self, obj):
        return obj.n_recs


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = FollowUpRoundForm
    change_form_template = "recommendations/admin_round_change_form.html"
    list_display = ["__str__", "kind", round_deadline, "is_open"]
    list_filter = ["kind", "is_open", *related_only("audit")]
    list_select_related = ["audit"]
    search_fields = ["title", "request", "audit__reference", "audit__title"]
    raw_id_fields = ["audit"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A new round has nothing to overwrite: its form has no fingerprint to show.
        return fields if obj is not None else [f for f in fields if f != "shown_fingerprint"]

    def get_object(self, request, object_id, from_field=None):
        round_ = super().get_object(request, object_id, from_field)
        if round_ is not None:
            # Read once, for the form's choices and its fingerprint.
            prefetch_related_objects([round_], "asks")
        return round_

    def render_change_form(self, request, context, *args, **kwargs):
        page = super().render_change_form(request, context, *args, **kwargs)
        if context["adminform"].form.current is not None:
            page.status_code = 409  # as the auditors' page answers a round changed meanwhile
        return page


class MeasureInline(ScopedFieldsMixin, admin.StackedInline):
    model = Measure
    form = MeasureDatesForm
    extra = 0
    fields = [
        ("title", "board"),
        "also_serves",
        ("responsible", "status"),
        ("due", "completed"),
        ("due_inference", "completed_inference"),
        "effect",
        "announced_in",
    ]
    raw_id_fields = ["also_serves", "announced_in"]
    show_change_link = True

    def get_queryset(self, request):
        # The board, the announcing entry and the shared recommendations are read with the
        # measures, not once per inline row.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "board", "announced_in__response__board", "announced_in__recommendation"
            )
            .prefetch_related("also_serves")
        )


class AuditorAssessmentInline(ScopedFieldsMixin, admin.StackedInline):
    model = AuditorAssessment
    extra = 0
    fields = ["round", "status", "comment", "assessed_on", "assessed_by"]
    raw_id_fields = ["round", "assessed_by"]

    def get_queryset(self, request):
        # Each assessment's round is named with its audit.
        return super().get_queryset(request).select_related("round__audit")


@admin.register(Recommendation)
class RecommendationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = fuzzy_date_form(Recommendation, "report_back")
    list_display = ["__str__", "audit", "kind", "position", "closed_on"]
    list_filter = ["kind", *related_only("audit", "addressed_to"), "closed_on"]
    list_select_related = ["audit"]
    search_fields = ["text", "label", "audit__reference", "audit__title"]
    raw_id_fields = ["audit", "closed_by"]
    inlines = [MeasureInline, AuditorAssessmentInline]
    fieldsets = [
        (None, {"fields": ["audit", ("position", "label", "kind"), "text"]}),
        (_("Nämnder"), {"fields": ["addressed_to", "addressed_to_inference", "answered_by"]}),
        (
            _("Återrapportering"),
            {"fields": ["report_back", "report_back_text", "report_back_inference"]},
        ),
        (_("Avslut"), {"fields": ["closed_on", "closed_reason", "closed_by"]}),
    ]
    # The public status timeline, read-only, below the form.
    change_form_template = "recommendations/admin_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        # What the public sees: published answers only, whoever the admin is.
        found = None
        if is_id(str(object_id)):
            public = Recommendation.objects.filter(pk=object_id)
            found = next(timeline_recommendations(public, AnonymousUser()), None)
        if found is not None:
            today = timezone.localdate()
            extra_context.update(timeline=build_timeline(found, today), today=today)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AuditorAssessment)
class AuditorAssessmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["recommendation", "round", "status", "assessed_on", "assessed_by"]
    list_filter = ["status", *related_only("round__audit")]
    list_select_related = ["recommendation", "round__audit", "assessed_by"]
    search_fields = ["comment", "recommendation__text"]
    raw_id_fields = ["recommendation", "round", "assessed_by"]


# After the user admin has named a board's staff list and a user's groups in its own way.
name_link_rows(["recommendations", "responses", "notifications", "auth"])
