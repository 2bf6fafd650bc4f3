"""Audits and what they ask for: boards, audits, recommendations, follow-up rounds,
the auditors' own assessments, and the source documents everything comes from.

The boards' answers (responses, entries, measures) live in the ``responses`` app.
"""

import datetime as dt
import re
import textwrap
from collections import defaultdict

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models import Exists, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from auditfollowup.lib.dates import (
    FuzzyDate,
    FuzzyDateDescriptor,
    ended_before_q,
    fuzzy_date_fields,
    validate_fuzzy_date,
    year_problem,
)
from auditfollowup.lib.inference import inference_field
from auditfollowup.lib.loaded_values import RemembersLoadedValues
from auditfollowup.lib.urls import reserved_slugs, reverse_fast, reverser

from .status import Status
from .tenancy_paths import path_of


def validate_organisation_number(value: str) -> None:
    """A Swedish organisation number: NNNNNN-NNNN whose last digit is the Luhn check digit."""
    if not re.fullmatch(r"\d{6}-\d{4}", value):
        raise ValidationError(
            _("Ange organisationsnumret som NNNNNN-NNNN, till exempel 212000-1124."),
            code="format",
        )
    digits = value.replace("-", "")
    total = 0
    for position, digit in enumerate(int(d) for d in digits):
        product = digit * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    if total % 10:
        raise ValidationError(
            _("Organisationsnumrets kontrollsiffra stämmer inte."), code="check_digit"
        )


class MunicipalityQuerySet(models.QuerySet):
    def compared_nationally(self) -> bool:
        """Whether ``/`` is the national page comparing the municipalities: with only one,
        there is nothing to compare and ``/`` redirects to its start page (``national_home``,
        which has the whole list at hand). One query, reading at most two rows."""
        return len(self.order_by()[:2].values_list("pk", flat=True)) > 1


class Municipality(models.Model):
    """A municipality; one database can serve many (see the national benchmark)."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_(
            "Till exempel 212000-1124. Anger kommunen som utgivare i katalogen över öppna data."
        ),
    )

    # What the national page lists per municipality, counted on write
    # (``responses.standings.refresh_municipality_counts``) instead of over every
    # audit and recommendation of the country on each visit.
    audit_count = models.PositiveIntegerField(_("antal granskningar"), default=0, editable=False)
    recommendation_count = models.PositiveIntegerField(
        _("antal rekommendationer"), default=0, editable=False
    )
    implemented_count = models.PositiveIntegerField(
        _("antal genomförda rekommendationer"), default=0, editable=False
    )
    # Kept by the application, never written by fixtures: the importer refuses them in a
    # file and leaves them as they are when it updates a municipality (importing the
    # municipality alone once set them to 0, and the national page showed none).
    derived_fields = ("audit_count", "recommendation_count", "implemented_count")

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # The municipality's pages live at /<slug>/, after every fixed address.
        if self.slug in reserved_slugs():
            raise ValidationError(
                {"slug": _("Kortnamnet används redan av en sida på webbplatsen; välj ett annat.")}
            )


class Membership(models.Model):
    """The municipality an auditor or an admin works for (``recommendations.roles``).

    Superusers need none: they act for every municipality. Board staff are scoped by
    the boards they are staff of.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("användare"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("kommun"),
    )

    class Meta:
        verbose_name = _("kommuntillhörighet")
        verbose_name_plural = _("kommuntillhörigheter")

    def __str__(self):
        return f"{self.user} – {self.municipality}"


def _in_municipality(queryset, path: str, municipality):
    """The one scoping rule of the pages per municipality: rows reached through ``path``
    (a lookup ending at a Municipality) of that municipality; every row when it is None
    (the national pages)."""
    if municipality is None:
        return queryset
    return queryset.filter(**{path: municipality})


class InMunicipalityQuerySet(models.QuerySet):
    """A QuerySet whose rows belong to a municipality, by the lookup ``tenancy_paths``
    declares for its model (the one the admin and *Att granska* scope by too)."""

    def in_municipality(self, municipality):
        return _in_municipality(self, path_of(self.model), municipality)


class BoardQuerySet(InMunicipalityQuerySet):
    def audited(self):
        """The bodies the auditors audit and ask for answers: every kind but the auditors'
        own body, which asks rather than answers. The boards the list and the matrix
        filter by, and those a follow-up round may ask."""
        return self.exclude(kind=Board.Kind.AUDITORS)


class Board(models.Model):
    """A board (nämnd), the executive board, the auditors' body, or an office (stadskontoret)."""

    class Kind(models.TextChoices):
        BOARD = "board", _("nämnd")
        EXECUTIVE_BOARD = "executive_board", _("kommunstyrelse")
        AUDITORS = "auditors", _("revision")
        OFFICE = "office", _("förvaltning/kontor")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="boards", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=200)
    short_code = models.CharField(
        _("förkortning"), max_length=20, help_text=_("Till exempel ASN, KS, GVN, SN.")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.BOARD)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="boards",
        verbose_name=_("handläggare"),
        help_text=_("Användare som får skriva nämndens yttranden."),
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for_boards",
        verbose_name=_("kontaktperson"),
        help_text=_(
            "Förvaltningschefen eller den som ska få veta när svar eller åtgärder "
            "är kraftigt försenade."
        ),
    )

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("nämnd")
        verbose_name_plural = _("nämnder")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "short_code"], name="board_unique_code_per_municipality"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_fast("municipal:board_detail", self.municipality.slug, self.pk)

    @staticmethod
    def url_for_each():
        """``get_absolute_url`` for the many boards of one request (a table's rows): a
        function of a board's municipality's slug and its pk, the pattern looked up once
        (``reverser``)."""
        return reverser("municipal:board_detail", 2)


class SourceDocumentQuerySet(models.QuerySet):
    def give_owners_from_links(self) -> int:
        """Give each of these documents that belongs to no municipality the one
        municipality whose audits and responses name it (as the audit's source, the
        response's own document, or a document the response refers to); a document named
        by several municipalities', or by none, stays without one, a superuser's to
        manage. The importer asks it of the documents a file leaves without a
        municipality; migration 0013 filled the stored documents by the same rule. Nor
        does a document get a municipality that already has a document of its file name
        (unique within a municipality: ``Meta.constraints``): it too stays a superuser's,
        to rename or merge. Returns how many documents it gave a municipality."""
        from responses.models import Response

        unowned = self.filter(municipality=None).values("pk")
        links = [
            Audit.source_documents.through.objects.filter(sourcedocument__in=unowned).values_list(
                "sourcedocument_id", "audit__municipality_id"
            ),
            Response.objects.filter(source_document__in=unowned).values_list(
                "source_document_id", "board__municipality_id"
            ),
            Response.referenced_in.through.objects.filter(sourcedocument__in=unowned).values_list(
                "sourcedocument_id", "response__board__municipality_id"
            ),
        ]
        named_by = defaultdict(set)
        for rows in links:
            for document, municipality in rows.order_by().distinct():
                named_by[document].add(municipality)
        owner_of = {
            document: municipalities.pop()
            for document, municipalities in named_by.items()
            if len(municipalities) == 1
        }
        if not owner_of:
            return 0
        name_of = dict(
            SourceDocument.objects.filter(pk__in=owner_of).values_list("pk", "file_name")
        )
        taken = set(
            SourceDocument.objects.filter(
                municipality__in=set(owner_of.values()), file_name__in=set(name_of.values())
            ).values_list("municipality_id", "file_name")
        )
        # Two documents of none never share a name: only a stored one can hold it.
        by_owner = defaultdict(list)
        for document, municipality in owner_of.items():
            if (municipality, name_of[document]) not in taken:
                by_owner[municipality].append(document)
        for municipality, documents in by_owner.items():
            SourceDocument.objects.filter(pk__in=documents).update(municipality=municipality)
        return sum(len(documents) for documents in by_owner.values())


class SourceDocument(models.Model):
    """One of the real documents the data was read from (provenance).

    It belongs to a municipality (``municipality``), whose admin alone manages it
    (``tenancy_paths``), from the moment it is added, before any audit or response names
    it; one of no municipality is a superuser's."""

    class Kind(models.TextChoices):
        RESPONSE = "response", _("yttrande")
        MEMO = "memo", _("tjänsteskrivelse")
        AUDIT_REPORT = "audit_report", _("revisionsrapport")
        DECISION = "decision", _("beslut/protokoll")
        OTHER = "other", _("annat")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="source_documents",
        verbose_name=_("kommun"),
        help_text=_(
            "Kommunen vars administratörer förvaltar dokumentet. Utan kommun förvaltar bara "
            "superanvändare det."
        ),
    )
    # Unique within its municipality (and among the documents of none), not across the
    # database: a name taken in another municipality would tell its admin, by refusing
    # it, that that municipality holds a document so named (``Meta.constraints``).
    file_name = models.CharField(_("filnamn"), max_length=200)
    title = models.CharField(_("titel"), max_length=400)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    diary_number = models.CharField(_("diarienummer"), max_length=50, blank=True)
    document_date, document_precision = fuzzy_date_fields(_("datum"))
    document = FuzzyDateDescriptor("document")
    notes = models.TextField(
        _("anmärkningar"),
        blank=True,
        help_text=_("Till exempel om texten är OCR-skadad och hur den har tolkats."),
    )
    objects = SourceDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("källdokument")
        verbose_name_plural = pgettext_lazy("plural", "källdokument")
        ordering = ["document_date", "file_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["file_name", "municipality"],
                name="source_document_unique_file_name_per_municipality",
                violation_error_code="file_name_taken",
                violation_error_message=_(
                    "Kommunen har redan ett källdokument med det här filnamnet."
                ),
            ),
            # A NULL municipality makes no pair equal to another: the documents of none
            # (a superuser's) have their own rule.
            models.UniqueConstraint(
                fields=["file_name"],
                condition=Q(municipality=None),
                name="source_document_unique_file_name_without_municipality",
                violation_error_code="file_name_taken",
                violation_error_message=_(
                    "Ett källdokument utan kommun har redan det här filnamnet."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.file_name})"

    def validate_constraints(self, exclude=None):
        """Django's check of the constraints, with a taken file name told on the field
        ``file_name`` (the one to change), where a constraint of two fields tells it above
        the form."""
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            above = errors.pop(NON_FIELD_ERRORS, [])
            for found in above:
                field = "file_name" if found.code == "file_name_taken" else NON_FIELD_ERRORS
                errors.setdefault(field, []).append(found)
            raise ValidationError(errors) from None

    # A title's lead before its colon names its kind when it is the kind word with at most
    # this many words before it that describe it ("Kommunstyrelsens uppföljande yttrande: …").
    KIND_LEAD_WORDS = 2
    # Words that make a lead about something else than the document's kind: "Begäran om
    # yttrande: …" asks for one, "Svar på yttrande: …" answers one.
    NOT_IN_KIND_LEAD = frozenset(
        {"av", "efter", "eller", "från", "för", "inför", "med", "och", "om", "på", "till", "över"}
    )

    @property
    def title_names_kind(self) -> bool:
        """Whether the title already names the document's kind, as the documents name it:
        it begins with the kind ("Tjänsteskrivelse: Bakomliggande orsaker …"), or its lead
        before the colon ends with it ("Uppföljande yttrande: …"). Then the document is
        named by its title alone, not "Tjänsteskrivelse: Tjänsteskrivelse: …" or "Yttrande:
        Uppföljande yttrande: …". Compared in the documents' language
        (``CONTENT_LANGUAGE``), in which the title is written, whatever the page's, and
        without regard to case."""
        with translation.override(settings.CONTENT_LANGUAGE):
            kind = str(self.Kind(self.kind).label).casefold()
        title = self.title.casefold()
        if title.startswith(kind):
            return True
        lead, colon, _rest = title.partition(":")
        *before, last = lead.split() or [""]
        return (
            bool(colon)
            and last == kind
            and len(before) <= self.KIND_LEAD_WORDS
            and self.NOT_IN_KIND_LEAD.isdisjoint(before)
        )

    def clean(self):
        validate_fuzzy_date(self, "document")


def audit_counted_from(from_date, from_precision, to_date, to_precision) -> dt.date | None:
    """The day the years to act on an audit's recommendations are counted from, by its
    four date columns (read as values): the end of ``conducted_to``, else of
    ``conducted_from``; None when it has neither."""
    if to_date:
        return FuzzyDate(to_date, to_precision).end
    if from_date:
        return FuzzyDate(from_date, from_precision).end
    return None


def report_cohort(recommendation_kind, audit_kind, conducted_from_date) -> int | None:
    """The audit year (cohort) under which the council report and the national page
    count a recommendation: the year its audit began, for the recommendations (not other
    remarks or assignments) of audits and in-depth audits; None for anything they leave
    out, an undated audit included."""
    if (
        recommendation_kind == Recommendation.Kind.RECOMMENDATION
        and audit_kind in Audit.REPORTED_KINDS
        and conducted_from_date is not None
    ):
        return conducted_from_date.year
    return None


class Audit(RemembersLoadedValues, models.Model):
    """An audit (granskning), an in-depth audit, or an investigation with assignments."""

    # Where it was, for the counts of a municipality a superuser moves it away from.
    remembered = ("municipality_id",)

    class Kind(models.TextChoices):
        AUDIT = "audit", _("granskning")
        IN_DEPTH_AUDIT = "in_depth_audit", _("fördjupad granskning")
        INVESTIGATION = "investigation", _("utredning med uppdrag")

    # The kinds whose recommendations the council report counts (not assignments).
    REPORTED_KINDS = (Kind.AUDIT, Kind.IN_DEPTH_AUDIT)

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="audits", verbose_name=_("kommun")
    )
    reference = models.CharField(
        _("diarienummer"),
        max_length=50,
        blank=True,
        help_text=_("Till exempel SR-2018-71. Lämna tomt om det inte är känt."),
    )
    title = models.CharField(_("titel"), max_length=400)
    title_inference = inference_field(_("tolkning av titeln"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.AUDIT)
    auditor = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="audits_performed",
        verbose_name=_("granskande organ"),
        help_text=_("Revisionen, eller kommunstyrelsen/stadskontoret för en utredning."),
    )
    firm = models.CharField(
        _("utförd av"), max_length=200, blank=True, help_text=_("Till exempel PwC.")
    )
    conducted_from_date, conducted_from_precision = fuzzy_date_fields(_("genomförd från"))
    conducted_from = FuzzyDateDescriptor("conducted_from")
    conducted_to_date, conducted_to_precision = fuzzy_date_fields(_("genomförd till"))
    conducted_to = FuzzyDateDescriptor("conducted_to")
    conducted_inference = inference_field(_("tolkning av tiden för granskningen"))
    audited_boards = models.ManyToManyField(
        Board, related_name="audits", verbose_name=_("granskade nämnder")
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    conclusion = models.TextField(
        _("revisionens samlade bedömning"),
        blank=True,
        help_text=_("Granskningens övergripande bedömning, med dess egna ord."),
    )
    source_documents = models.ManyToManyField(
        SourceDocument,
        blank=True,
        related_name="audits",
        verbose_name=pgettext_lazy("plural", "källdokument"),
    )
    objects = InMunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("granskning")
        verbose_name_plural = _("granskningar")
        ordering = ["-conducted_from_date", "title"]
        indexes = [
            # The audit filter's choices and the list's sort "by audit" order by reference.
            models.Index(fields=["reference", "title"], name="audit_reference_idx"),
            # The default order, which the recommendation list follows: the newest audits'
            # recommendations are found without sorting the country's 20,000 audits.
            models.Index(fields=["-conducted_from_date", "title"], name="audit_recent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"],
                condition=~models.Q(reference=""),
                name="audit_unique_reference_per_municipality",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return reverse_fast("municipal:audit_detail", self.municipality.slug, self.pk)

    @staticmethod
    def url_for_each():
        """``get_absolute_url`` for the many audits of one request (a table's rows): a
        function of an audit's municipality's slug and its pk, the pattern looked up once
        (``reverser``)."""
        return reverser("municipal:audit_detail", 2)

    @property
    def short_name(self) -> str:
        """How the audit is named where space is short (a breadcrumb, a table's cell, a
        spreadsheet cell, a typed choice): its reference, or its title when it has none.
        Pages write it as HTML through ``{{ audit|audit_name:"short" }}``."""
        return self.reference or self.title

    def clean(self):
        validate_fuzzy_date(self, "conducted_from")
        validate_fuzzy_date(self, "conducted_to")
        if (
            self.conducted_from
            and self.conducted_to
            and self.conducted_to.end < self.conducted_from.start
        ):
            raise ValidationError({"conducted_to_date": _("Slutet kan inte ligga före början.")})


class FollowUpRoundQuerySet(InMunicipalityQuerySet):
    def next_sequence(self, audit) -> int:
        """The number the audit's next round takes: one after its last (1 for its first)."""
        last = self.filter(audit=audit).aggregate(last=Max("sequence"))["last"]
        return (last or 0) + 1

    def asking_any_of(self, boards):
        """The rounds that ask one of ``boards`` for an answer: those naming it among the
        boards they ask (``FollowUpRound.asks``), and those naming none where it answers a
        recommendation of the audit that is still open (``answered_by_any_of``; a board
        whose recommendations there are all closed owes such a round nothing). The one
        rule of whom a round asks, for the staff's pages, calendars, the missing replies
        and the reminders alike (``FollowUpRound.asks_board`` for one board;
        ``attention.missing_responses`` reads the same from the standings)."""
        answered = self.answered_in(OuterRef("audit"), boards)
        asked = FollowUpRound.asks.through.objects.filter(followupround=OuterRef("pk"))
        return self.filter(
            Exists(asked.filter(board__in=boards)) | (~Exists(asked) & Exists(answered))
        )

    @staticmethod
    def answered_in(audit, boards):
        """The open recommendations of ``audit`` (an audit, or a reference to one) that one
        of ``boards`` answers: a round of the audit naming no board asks those boards
        (``asking_any_of``). None at all, and such a round asks nobody."""
        from responses.models import BoardStanding

        owing = BoardStanding.objects.owing_answers().filter(
            recommendation=OuterRef("pk"), board__in=boards
        )
        return Recommendation.objects.filter(Exists(owing), audit=audit)

    def open_for(self, boards):
        """The open rounds that ask one of ``boards``: where its staff may respond."""
        return self.asking_any_of(boards).filter(is_open=True)

    def past_deadline(self, today):
        """The rounds whose reply deadline's whole period ended before ``today``
        (``FuzzyDate.is_past`` in SQL): a reply they lack is late, whether or not they are
        still open. None without a deadline."""
        return self.filter(ended_before_q("deadline", today))

    def awaiting_answers(self, today):
        """The rounds open for answers whose deadline has not passed on ``today`` (or that
        have none): what the boards are still asked for before it is late, beside
        ``past_deadline``. *Att granska*'s awaited answers and the announcement of a round
        opened lately both read it."""
        return self.filter(is_open=True).exclude(ended_before_q("deadline", today))


class FollowUpRound(RemembersLoadedValues, models.Model):
    """One round of an audit's follow-up: what the auditors asked for, and by when."""

    # The audit it belonged to, for the standings of an audit an admin moves it away from;
    # whether it was open, for the day it opens (``opened_on``).
    remembered = ("audit_id", "is_open")

    class Kind(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("första yttrande")
        MEASURES_TAKEN = "measures_taken", _("uppföljning av vidtagna åtgärder")
        STATUS_DESCRIPTION = "status_description", _("lägesbeskrivning")
        CONSULTATION = "consultation", _("remissvar")
        DECISION = "decision", _("beslut")
        REPORT_BACK = "report_back", _("återrapportering")

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("granskning")
    )
    sequence = models.PositiveSmallIntegerField(
        _("ordning"), help_text=_("1 för första omgången, 2 för nästa och så vidare.")
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    requested_by = models.CharField(
        _("begärd av"), max_length=200, blank=True, help_text=_("Till exempel Revisorskollegiet.")
    )
    request = models.TextField(
        _("vad som begärdes"), blank=True, help_text=_("Revisionens begäran, med dess egna ord.")
    )
    deadline_date, deadline_precision = fuzzy_date_fields(_("senast"))
    deadline = FuzzyDateDescriptor("deadline")
    is_open = models.BooleanField(
        _("öppen för yttranden"),
        default=False,
        help_text=_("Nämndernas handläggare kan lämna yttranden i en öppen omgång."),
    )
    opened_on = models.DateField(
        _("öppnad"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Dagen omgången senast öppnades för yttranden: de tillfrågade nämndernas "
            "handläggare får då veta att revisionen begär svar."
        ),
    )
    asks = models.ManyToManyField(
        Board,
        blank=True,
        related_name="asked_rounds",
        verbose_name=_("tillfrågade nämnder"),
        help_text=_(
            "Nämnderna som omgången begär svar av, när det inte är alla. Tomt: varje nämnd "
            "som besvarar någon av granskningens rekommendationer."
        ),
    )

    objects = FollowUpRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljningsomgång")
        verbose_name_plural = _("uppföljningsomgångar")
        ordering = ["audit", "sequence"]
        indexes = [
            # Staff choose among the open rounds: a small slice of all rounds.
            models.Index(fields=["audit"], condition=models.Q(is_open=True), name="round_open_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["audit", "sequence"], name="round_unique_sequence")
        ]

    def __str__(self):
        return f"{self.audit.short_name}: {self.sequence}. {self.title}"

    def save(self, *args, **kwargs):
        # The day it opens is kept on write, by whichever page opens it (the auditors'
        # or the admin): the reminders announce a round opened lately to the boards it
        # asks. Rounds an import writes (in bulk, without save) are history, not news.
        if self.is_open and (self._state.adding or self.loaded_value("is_open") is False):
            self.opened_on = timezone.localdate()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "opened_on"}
        super().save(*args, **kwargs)
        # Saved again while still open, it has not opened again.
        self._loaded_values = {**getattr(self, "_loaded_values", {}), "is_open": self.is_open}

    def clean(self):
        validate_fuzzy_date(self, "deadline")

    def asks_board(self, board) -> bool:
        """Whether this round asks ``board`` for an answer (``asking_any_of``'s rule)."""
        return FollowUpRound.objects.filter(pk=self.pk).asking_any_of([board]).exists()

    @staticmethod
    def asks_among(named_board_ids, board_id: int, *, answers_in_audit: bool) -> bool:
        """``asking_any_of``'s rule in Python, for a round whose named boards were read
        already (``named_board_ids``, empty when it names none): a board it names, or,
        naming none, one that answers a recommendation of the audit. The matrix asks it of
        past rounds, where a recommendation closed since does not take back the question
        the round asked then; ``asking_any_of`` speaks of today, when a board whose
        recommendations are all closed owes a round naming none nothing."""
        return board_id in named_board_ids if named_board_ids else answers_in_audit


def answering_pairs(named: set, addressed: set) -> set:
    """(recommendation id, board id) of the boards that answer each recommendation, from
    its ``answered_by`` pairs (``named``) and ``addressed_to`` pairs: the named boards, or
    where none is named, the addressees. The one rule of who answers; the standings keep
    its result (``BoardStanding.must_answer``) for everything else to read."""
    with_named = {recommendation for recommendation, _board in named}
    return named | {pair for pair in addressed if pair[0] not in with_named}


class RecommendationQuerySet(InMunicipalityQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)

    def closed(self):
        return self.filter(closed_on__isnull=False)

    # Who answers a recommendation (``answering_pairs``) is derived on write into each
    # board's standing (``BoardStanding.must_answer``) and read from there: what a board's
    # response in a round covers and requires, and whom the reminders chase when a
    # round's deadline passes without one.

    def answered_by_board(self, board):
        """The recommendations ``board`` answers: a Board, its id, or a reference to the
        board of each row of an outer query (``Response.to_answer_in``)."""
        return self._answered_by(board=board)

    def answered_by_any_of(self, boards):
        """The recommendations one of ``boards`` (a list or QuerySet) answers."""
        return self._answered_by(board__in=boards)

    def _answered_by(self, **boards):
        from responses.models import BoardStanding

        answering = BoardStanding.objects.filter(
            recommendation=OuterRef("pk"), must_answer=True, **boards
        )
        return self.filter(Exists(answering))

    def refresh_search_vectors(self) -> int:
        """Rebuild ``search_vector`` from the wording, the audit's reference and title, every
        published narrative and those responses' diary numbers.

        One UPDATE in SQL (PostgreSQL, "swedish" configuration); the wording weighs most,
        then the audit, then the answers. Call it after an import, after a response is
        saved or published and after an audit is saved. Drafts never enter the vector, so
        search never reveals them. On other databases there is no vector and ``search()``
        reads the text directly.
        """
        if connection.vendor != "postgresql":
            return 0
        from django.contrib.postgres.aggregates import StringAgg
        from django.contrib.postgres.search import SearchVector

        from responses.models import ResponseEntry

        def text(subquery):
            return Coalesce(Subquery(subquery), Value(""), output_field=models.TextField())

        published = (
            ResponseEntry.objects.published().filter(recommendation=OuterRef("pk")).order_by()
        )
        narratives = (
            published.values("recommendation")
            .annotate(all_text=StringAgg("narrative", delimiter="\n"))
            .values("all_text")
        )
        diary_numbers = (
            published.values("recommendation")
            .annotate(all_numbers=StringAgg("response__diary_number", delimiter=" "))
            .values("all_numbers")
        )
        audit = Audit.objects.filter(pk=OuterRef("audit_id"))
        return self.update(
            search_vector=SearchVector("label", "text", weight="A", config="swedish")
            + SearchVector(
                text(audit.values("reference")),
                text(audit.values("title")),
                weight="B",
                config="swedish",
            )
            + SearchVector(text(narratives), text(diary_numbers), weight="C", config="swedish")
        )

    def search(self, words: str):
        """Recommendations whose wording, audit (reference or title), or a published answer
        (narrative or diary number) matches ``words``.

        PostgreSQL: full-text search on the stored vector (web-search syntax, Swedish
        stemming, so "arbetsgruppen" finds "arbetsgrupp"). Elsewhere: every word must
        occur (case-insensitive) in the wording, the audit's reference or title, or one
        published response's narrative or diary number.
        """
        from responses.models import ResponseEntry

        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery

            return self.filter(
                search_vector=SearchQuery(words, config="swedish", search_type="websearch")
            )
        result = self
        for word in words.split():
            published = ResponseEntry.objects.published().filter(
                Q(narrative__icontains=word) | Q(response__diary_number__icontains=word),
                recommendation=OuterRef("pk"),
            )
            result = result.filter(
                Q(text__icontains=word)
                | Q(label__icontains=word)
                | Q(audit__reference__icontains=word)
                | Q(audit__title__icontains=word)
                | Exists(published)
            )
        return result


class RecommendationManager(models.Manager.from_queryset(RecommendationQuerySet)):
    """Recommendations without their stored search vector unless asked for: only the
    database reads it (``search()`` filters on it), and it is some five times the size of
    the wording, so every list, page and export read it for nothing."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


def closing_day_problem(day) -> str:
    """What is wrong with the day a recommendation is closed on ("" when nothing is): it
    has come, in a year every other date may have (the auditors' form and the admin both
    ask)."""
    if day > timezone.localdate():
        return _("Datumet kan inte ligga i framtiden.")
    return year_problem(day.year)


class Recommendation(RemembersLoadedValues, models.Model):
    """A recommendation, one of the auditors' other remarks, or a decision point (assignment)."""

    # The audit it belonged to: moved to another municipality's audit, the one it leaves
    # counts one fewer.
    remembered = ("audit_id",)

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("rekommendation")
        OTHER_REMARK = "other_remark", _("revisionens övriga synpunkter")
        DECISION_POINT = "decision_point", _("beslutspunkt/uppdrag")

    audit = models.ForeignKey(
        Audit,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("granskning"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    label = models.CharField(
        _("beteckning"),
        max_length=100,
        blank=True,
        help_text=_("Som i dokumentet, till exempel Rekommendation 1 eller Beslutspunkt 3."),
    )
    text = models.TextField(_("lydelse"), help_text=_("Exakt som i granskningen."))
    kind = models.CharField(
        _("typ"), max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION
    )
    addressed_to = models.ManyToManyField(
        Board, related_name="addressed_recommendations", verbose_name=_("riktad till")
    )
    addressed_to_inference = inference_field(_("tolkning av mottagarna"))
    answered_by = models.ManyToManyField(
        Board,
        related_name="answered_recommendations",
        blank=True,
        verbose_name=_("besvaras av"),
        help_text=_("Nämnder som yttrar sig, även om rekommendationen riktas till andra."),
    )
    report_back_date, report_back_precision = fuzzy_date_fields(_("återrapportering senast"))
    report_back = FuzzyDateDescriptor("report_back")
    report_back_text = models.CharField(
        _("återrapportering enligt beslutet"),
        max_length=300,
        blank=True,
        help_text=_("Beslutets ord, till exempel i samband med Delårsrapporten 2021."),
    )
    report_back_inference = inference_field(_("tolkning av återrapporteringsdatumet"))
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    closed_reason = models.TextField(_("skäl för avslut"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avslutad av"),
    )
    # Full-text search (PostgreSQL, "swedish" configuration) over the wording and
    # every published answer; kept up to date by refresh_search_vectors().
    search_vector = SearchVectorField(null=True, editable=False)
    # The recommendation's own status, derived on write from its boards' standings
    # (responses/standings.py): the least advanced status among the boards that have
    # answered; empty while none has. Never edited by hand, so not in the history.
    current_status = models.CharField(
        _("aktuell status"), max_length=30, choices=Status.choices, blank=True, editable=False
    )
    current_status_rank = models.PositiveSmallIntegerField(default=len(Status), editable=False)
    boards_answered = models.PositiveSmallIntegerField(
        _("nämnder som har svarat"), default=0, editable=False
    )
    boards_required = models.PositiveSmallIntegerField(
        _("nämnder som ska svara"), default=0, editable=False
    )

    # Kept by the application, never written by people or fixtures: not in the history,
    # refused by the importer.
    derived_fields = (
        "search_vector",
        "current_status",
        "current_status_rank",
        "boards_answered",
        "boards_required",
    )

    history = HistoricalRecords(excluded_fields=list(derived_fields))
    objects = RecommendationManager()

    class Meta:
        verbose_name = _("rekommendation")
        verbose_name_plural = _("rekommendationer")
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "position"], name="recommendation_unique_position"
            )
        ]
        indexes = [
            # The list's status filter and its sort by status (the vocabulary's order).
            models.Index(fields=["current_status"], name="recommendation_status_idx"),
            models.Index(
                fields=["current_status_rank", "audit", "position"],
                name="recommendation_status_rank_idx",
            ),
        ]

    def __str__(self):
        # Cut at a word, with an ellipsis: this names the recommendation in headings
        # ("Följ …"), links and the admin, where "roll in" for "roll inom" misleads.
        return f"{self.display_name}: {self.short_text}"

    def get_absolute_url(self):
        return reverse_fast(
            "municipal:recommendation_detail", self.audit.municipality.slug, self.pk
        )

    @staticmethod
    def url_for_each():
        """``get_absolute_url`` for the many recommendations of one request (the matrix's
        rows): a function of a recommendation's municipality's slug and its pk, the
        pattern looked up once (``reverser``)."""
        return reverser("municipal:recommendation_detail", 2)

    @property
    def display_name(self) -> str:
        """The recommendation's name wherever it is shown or exported: its label as in the
        document ("Beslutspunkt 3"), else its kind and position ("Rekommendation 2"), in
        the page's language: only a label is the document's text (``content_tags``)."""
        return self.display_name_of(self.label, self.kind, self.position)

    @classmethod
    def display_name_of(cls, label: str, kind: str, position: int) -> str:
        """``display_name`` for a recommendation read as values (the council report's)."""
        if label:
            return label
        return f"{str(cls.Kind(kind).label).capitalize()} {position}"

    @property
    def name_is_documents(self) -> bool:
        """Whether ``display_name`` is the label a document gave it, the documents' text
        (marked as their language on an English page), not a name in the page's words."""
        return bool(self.label)

    @property
    def short_text(self) -> str:
        """The wording cut at a word near 80 characters, with an ellipsis."""
        return textwrap.shorten(self.text, 80, placeholder=" …")

    def clean(self):
        validate_fuzzy_date(self, "report_back")
        if self.closed_on and not self.closed_reason.strip():
            raise ValidationError({"closed_reason": _("Ange varför rekommendationen avslutas.")})
        if self.closed_on and (problem := closing_day_problem(self.closed_on)):
            raise ValidationError({"closed_on": problem})

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def close(self, day: dt.date, reason: str, by) -> None:
        """The auditors' decision that it is no longer followed up (or a corrected day or
        reason for it). Saved like any change, so its boards' standings, the overdue
        lists and the cached pages follow."""
        self.closed_on, self.closed_reason, self.closed_by = day, reason, by
        self.full_clean()
        self.save()

    def reopen(self) -> None:
        """Undo a closing: it is followed up again, its measures can be overdue again."""
        self.closed_on, self.closed_reason, self.closed_by = None, "", None
        self.save()

    @property
    def status_value(self) -> Status | None:
        return Status(self.current_status) if self.current_status else None


class AuditorAssessment(RemembersLoadedValues, models.Model):
    """The auditors' own view of a recommendation in a round; may differ from the board's."""

    # Where it was, for the standings of a recommendation an admin moves it away from.
    remembered = ("recommendation_id",)

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("rekommendation"),
    )
    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("omgång"),
    )
    status = models.CharField(_("revisionens bedömning"), max_length=30, choices=Status.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    assessed_on = models.DateField(_("bedömd"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bedömd av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revisionens bedömning")
        verbose_name_plural = _("revisionens bedömningar")
        ordering = ["recommendation", "round__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "round"], name="assessment_unique_per_round"
            )
        ]

    def __str__(self):
        return f"{self.recommendation} – {self.round.sequence}: {self.get_status_display()}"

    @classmethod
    def record(cls, *, recommendation, round, status, comment, user) -> "AuditorAssessment":
        """The auditors' assessment of ``recommendation`` in ``round``, made or changed.

        The day of the assessment is the day its status was judged: mending the comment
        keeps it (the history records the edit), or a 2019 assessment would count as
        settled years later in the council report."""
        assessment = cls.objects.filter(recommendation=recommendation, round=round).first()
        if assessment is None:
            assessment = cls(recommendation=recommendation, round=round)
        if assessment.pk is None or assessment.status != status:
            assessment.assessed_on = timezone.localdate()
            assessment.assessed_by = user
        assessment.status, assessment.comment = status, comment
        assessment.full_clean()
        assessment.save()
        return assessment

    @staticmethod
    def disagrees(board_status: str | None, assessment_status: str | None) -> bool:
        """Whether the auditors' assessment differs from the board's own status: both are
        known, and they are not the same status. The one rule, for a round's answer and
        assessment (the timeline, the matrix) and for the latest of each
        (``BoardStanding.disagrees``, stored on write: the board's page, *Att granska*,
        the digest, the API)."""
        return bool(board_status and assessment_status and board_status != assessment_status)

    def clean(self):
        if (
            self.recommendation_id
            and self.round_id
            and self.round.audit_id != self.recommendation.audit_id
        ):
            raise ValidationError({"round": _("Omgången hör till en annan granskning.")})
