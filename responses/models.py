"""The boards' answers: responses (yttranden), their entries per recommendation,
and the measures (åtgärder) with their history across rounds."""

import datetime as dt
import functools
import os
from collections import defaultdict
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from auditfollowup.lib.dates import (
    FuzzyDateDescriptor,
    ended_before_q,
    fuzzy_date_fields,
    known_by_q,
    validate_fuzzy_date,
)
from auditfollowup.lib.inference import inference_field
from auditfollowup.lib.loaded_values import RemembersLoadedValues
from auditfollowup.lib.urls import reverse_fast, reverser
from recommendations import municipal_links
from recommendations.models import (
    Board,
    FollowUpRound,
    InMunicipalityQuerySet,
    Recommendation,
    SourceDocument,
)
from recommendations.status import Status
from recommendations.tenancy_paths import path_of


def readable_states(user) -> set[str]:
    """The states of responses this user may read in their own municipality (everywhere
    for superusers); elsewhere only published ones; own boards' in any state."""
    from recommendations import roles

    if roles.is_admin(user):
        return set(Response.State.values)
    if roles.is_auditor(user):
        return {Response.State.PUBLISHED, Response.State.SUBMITTED}
    return {Response.State.PUBLISHED}


class ResponseReadRule:
    """The one read rule, for one user, in its two forms: a query condition (``q``, for
    the tables) and a test of one response (``allows``, for the stored versions a change
    history reads, ``history.ReadableVersions``). Published responses for everyone; in the
    user's own municipality (``roles.scope`` / ``roles.covers``) what their role reads
    there (auditors: submitted ones too; admins: everything); their own boards' responses
    in any state for board staff; everything for superusers.

    Every ``visible_to(user)`` below is built on it, so no module filters on a
    response's state by hand.
    """

    def __init__(self, user):
        from recommendations import roles

        self.user = user
        self.everything = roles.is_superuser(user)
        self.own_states = readable_states(user) - {Response.State.PUBLISHED}
        self.own_boards = roles.staff_board_ids(user)

    def q(self, prefix: str = "") -> models.Q:
        """The condition on a response reached through ``prefix`` (``""`` for Response
        itself, ``"response__"`` for an entry, and so on)."""
        from recommendations import roles

        if self.everything:
            return roles.EVERYTHING
        visible = models.Q(**{f"{prefix}state": Response.State.PUBLISHED})
        if self.own_states:
            in_scope = roles.scope(self.user, prefix + path_of(Response))
            visible |= in_scope & models.Q(**{f"{prefix}state__in": self.own_states})
        if self.own_boards:
            visible |= models.Q(**{f"{prefix}board_id__in": self.own_boards})
        return visible

    def allows(self, state: str, board_id: int, municipality_id: int) -> bool:
        """Whether a response in this state, of this board of this municipality, is one
        the user may read: the same rule as ``q``."""
        from recommendations import roles

        return (
            self.everything
            or state == Response.State.PUBLISHED
            or board_id in self.own_boards
            or (state in self.own_states and roles.covers(self.user, municipality_id))
        )


def response_visibility(user, prefix: str = "") -> models.Q:
    """The one read rule as a condition on a response reached through ``prefix``
    (``ResponseReadRule.q``)."""
    return ResponseReadRule(user).q(prefix)


def _public(prefix: str) -> models.Q:
    """What everybody may read, by the one read rule."""
    return _public_rule().q(prefix)


@functools.cache
def _public_rule() -> ResponseReadRule:
    """The one read rule for an anonymous visitor, who has no groups, boards or
    municipality: the same for every request, so made once (asked of every answer a
    timeline shows, whether to mark it unpublished)."""
    from django.contrib.auth.models import AnonymousUser

    return ResponseReadRule(AnonymousUser())


def _count(queryset) -> Coalesce:
    """The number of rows of ``queryset`` (0 for none), a subquery of each row of another query."""
    counted = queryset.order_by().annotate(n=models.Func("pk", function="COUNT"))
    return Coalesce(models.Subquery(counted.values("n")[:1]), 0)


class ResponseQuerySet(InMunicipalityQuerySet):
    def published(self):
        return self.filter(state=Response.State.PUBLISHED)

    def drafts(self):
        """Still being written by the board's staff."""
        return self.filter(state=Response.State.DRAFT)

    def handed_in(self):
        """Submitted to the auditors or published: the board has answered the round."""
        return self.exclude(state=Response.State.DRAFT)

    def visible_to(self, user):
        """What this user may read: the rule every view and export goes through."""
        return self.filter(response_visibility(user))

    def moved_on(self) -> int:
        """Move these responses' versions on, in one UPDATE: the rule that any write to a
        response's content by a path other than the staff's edit page (the admin, the
        fixture import) moves its version, so that an edit page opened before it is
        refused on saving (``services._claim_version``) instead of saving over it. Call
        it inside the transaction that writes the content; returns how many moved."""
        return self.order_by().update(version=models.F("version") + 1)

    def moved_on_by(self, rows, batch_size: int = 500, *, besides=()) -> int:
        """``moved_on`` for the responses whose content ``rows`` are (``RESPONSE_CONTENT``:
        the responses themselves, their decision steps, signatories and answers, the
        measures announced in them, reports on measures and moved due dates): one query
        per batch of answers to find their responses, one UPDATE per batch of responses,
        in the order of their ids (two writers lock them in one order). ``besides``: the
        ids of responses created in the same write, at their first version."""
        response_ids, entry_ids = set(), set()
        for row in rows:
            kind, attname = RESPONSE_CONTENT.get(row._meta.label_lower, (None, None))
            value = None if kind is None else getattr(row, attname)
            if value is not None:
                (response_ids if kind == "response" else entry_ids).add(value)
        entry_ids = sorted(entry_ids)
        for start in range(0, len(entry_ids), batch_size):
            response_ids.update(
                ResponseEntry.objects.filter(
                    pk__in=entry_ids[start : start + batch_size]
                ).values_list("response_id", flat=True)
            )
        response_ids = sorted(response_ids - set(besides))
        return sum(
            self.filter(pk__in=response_ids[start : start + batch_size]).moved_on()
            for start in range(0, len(response_ids), batch_size)
        )

    def known_on(self, as_of: dt.date | None):
        """The responses known on ``as_of`` (None: now), by ``standings.known_on``'s rule
        in SQL: published here by that day (the Swedish day), or dated by a decision on or
        before it, or by a document whose whole period lies on or before it; as of today,
        one whose document's period has begun."""
        if as_of is None:
            return self
        return self.filter(
            models.Q(published_at__date__lte=as_of)
            | models.Q(decision_date__lte=as_of)
            | models.Q(decision_date=None) & known_by_q("document", as_of)
        )

    def newest_first(self):
        """By the date each response is known by (``Response.date_of``), newest first:
        undated ones last on every database (PostgreSQL would put them first)."""
        return self.order_by(Response.date_expression().desc(nulls_last=True), "-pk")

    def with_answer_progress(self):
        """Each response with how far its answers have come, as its edit page's contents
        list shows it: ``to_answer_count``, its ``recommendations_to_answer``, and
        ``answered_count``, those of them it has an answer to (the rest are what handing
        it in asks for, ``services.unanswered_recommendations``). Two subqueries in the
        same query, however many responses."""
        to_answer = Response.to_answer_in(
            audit=models.OuterRef("round__audit_id"),
            board=models.OuterRef(models.OuterRef("board_id")),
            response=models.OuterRef(models.OuterRef("pk")),
        )
        answered_here = ResponseEntry.objects.filter(
            response=models.OuterRef(models.OuterRef("pk")), recommendation=models.OuterRef("pk")
        )
        return self.annotate(
            to_answer_count=_count(to_answer),
            answered_count=_count(to_answer.filter(models.Exists(answered_here))),
        )

    def in_hand_first(self):
        """For the board's staff: those still in their hands or the auditors' first (drafts,
        then handed in), then the published ones, each ``newest_first``. By the state's
        code alphabetically, this year's handed-in answer sank below every published one."""
        in_order = models.Case(
            *(models.When(state=state, then=rank) for rank, state in enumerate(Response.State)),
            output_field=models.IntegerField(),
        )
        return self.order_by(in_order, Response.date_expression().desc(nulls_last=True), "-pk")

    def latest_published(self, limit: int) -> list:
        """The ``limit`` responses published last: those published here, newest first
        (read off ``response_recent_published_idx``), then, where there are fewer, those
        imported from the documents (published before this application: no publication
        time) by their date, newest first. Ordered by the publication time alone, a
        database that puts nulls first (PostgreSQL) listed 2019's imported answers above
        this week's. One query, two where the first does not fill the list."""
        published = self.published()
        latest = list(
            published.filter(published_at__isnull=False).order_by(
                "-published_at", "-decision_date", "-pk"
            )[:limit]
        )
        if len(latest) < limit:
            latest += published.filter(published_at__isnull=True).newest_first()[
                : limit - len(latest)
            ]
        return latest


# What a response's content is, and how each row names its response: directly, or by the
# answer (entry) it belongs to. A write of any of them moves the response's version on
# (``ResponseQuerySet.moved_on_by``), as the staff's edit page, which edits them, does.
RESPONSE_CONTENT = {
    "responses.response": ("response", "pk"),
    "responses.decisionstep": ("response", "response_id"),
    "responses.signatory": ("response", "response_id"),
    "responses.responseentry": ("response", "response_id"),
    "responses.measure": ("entry", "announced_in_id"),
    "responses.measureupdate": ("entry", "entry_id"),
    "responses.duedatechange": ("entry", "entry_id"),
}


def in_its_municipalitys_folder(response, filename: str) -> str:
    """Where a response's signed PDF is stored: ``responses/<municipality id>/<year>/``,
    under the name it was uploaded with. The storage makes the name unique within that
    folder only, so a name another municipality used this year changes nothing here: in
    one folder shared by all, Lund's ``protokoll.pdf`` was stored (and shown to Lund) as
    ``protokoll_Ab12Cd3.pdf`` when Malmö had one, which told Lund of Malmö's file. Files
    stored before (``responses/<year>/``) stay where they are."""
    year = timezone.localdate().year
    return f"{response.documents_folder()}{year}/{os.path.basename(filename)}"


class Response(models.Model):
    """A board's response (yttrande) in one follow-up round of an audit."""

    class State(models.TextChoices):
        DRAFT = "draft", _("utkast")
        SUBMITTED = "submitted", _("inlämnat till revisionen")
        PUBLISHED = "published", _("publicerat")

    class Provenance(models.TextChoices):
        DOCUMENT = "document", _("källdokument")
        REFERENCE = "reference", _("känt endast genom hänvisning")
        ENTERED = "entered", _("registrerat i Uppföljning")

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="responses", verbose_name=_("nämnd")
    )
    round = models.ForeignKey(
        FollowUpRound, on_delete=models.PROTECT, related_name="responses", verbose_name=_("omgång")
    )
    title = models.CharField(_("rubrik"), max_length=400)
    title_inference = inference_field(_("tolkning av rubriken"))
    diary_number = models.CharField(_("diarienummer"), max_length=50, blank=True)
    addressed_to = models.CharField(
        _("till"), max_length=200, blank=True, help_text=_("Till exempel Revisorskollegiet.")
    )
    document_date, document_precision = fuzzy_date_fields(_("dokumentets datum"))
    document = FuzzyDateDescriptor("document")
    document_inference = inference_field(_("tolkning av dokumentets datum"))
    # Empty until a decision is known: a proposal's planned board meeting is a
    # DecisionStep marked planned, never a decision date.
    decision_date = models.DateField(
        _("beslutsdatum"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt tills beslutet är känt; ett planerat sammanträde är inget beslut."),
    )
    decided_by = models.CharField(
        _("beslutande organ"),
        max_length=200,
        blank=True,
        help_text=_("Vanligen nämnden själv, till exempel Servicenämnden."),
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    provenance = models.CharField(
        _("ursprung"), max_length=20, choices=Provenance.choices, default=Provenance.ENTERED
    )
    source_document = models.ForeignKey(
        SourceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("källdokument"),
        help_text=_("Dokumentet som innehåller yttrandet."),
    )
    referenced_in = models.ManyToManyField(
        SourceDocument,
        blank=True,
        related_name="referenced_responses",
        verbose_name=_("omnämnt i"),
        help_text=_("Senare dokument som hänvisar till yttrandet."),
    )
    reference_note = models.TextField(
        _("vad hänvisningen säger"),
        blank=True,
        help_text=_(
            "För yttranden som bara är kända genom hänvisning: vad det senare dokumentet säger."
        ),
    )
    decision_document = models.FileField(
        _("beslutat dokument"),
        upload_to=in_its_municipalitys_folder,
        blank=True,
        help_text=_("Det undertecknade yttrandet som PDF."),
    )
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapat av"),
    )
    # Optimistic locking: a save must name the version it started from. Moved on by the
    # staff's saves (``services._claim_version``) and by every other write to the
    # response's content (``ResponseQuerySet.moved_on``: the admin, the import).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Fields a fixture file may carry (``dumpdata`` and the synthetic fixture write them)
    # but the import never takes from it: a stored response keeps its version, moved on
    # by the import, a new one starts at 1. A file setting it cannot lower it.
    kept_from_files = ("version",)

    history = HistoricalRecords()
    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("yttrande")
        verbose_name_plural = _("yttranden")
        ordering = ["round__audit", "round__sequence", "board__name"]
        indexes = [
            # "Recently published" on the start page: newest first, stop after a few. Also
            # serves "state = published" lookups of the visibility rule (index-only).
            models.Index(
                fields=["-published_at", "-decision_date", "-id"],
                condition=models.Q(state="published"),
                name="response_recent_published_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["board", "round"], name="response_one_per_board_round")
        ]

    def __str__(self):
        return f"{self.board} – {self.title}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # After the post_save receivers, which compare the new state with the stored one.
        self._loaded_state = self.state

    def get_absolute_url(self):
        return reverse_fast("municipal:response_detail", self.board.municipality.slug, self.pk)

    def documents_folder(self) -> str:
        """The folder of its municipality's signed PDFs (``in_its_municipalitys_folder``)."""
        return f"responses/{self.board.municipality_id}/"

    def holds_a_document_of_its_municipality(self) -> bool:
        """Whether its signed PDF, if it has one, is stored in its municipality's folder.
        A stored name is all an import gives (``dataimport.importer``): one elsewhere
        would serve another municipality's file to this response's readers."""
        name = self.decision_document.name
        return not name or (
            name.startswith(self.documents_folder()) and ".." not in PurePosixPath(name).parts
        )

    @staticmethod
    def url_for_each():
        """``get_absolute_url`` for the many responses of one request (the API's answers):
        a function of a response's board's municipality's slug and its pk, the pattern
        looked up once (``reverser``)."""
        return reverser("municipal:response_detail", 2)

    def get_writer_url(self) -> str:
        """Where its board's writers open it: its edit page while it can be edited (a
        draft), else its preview, which says what state it is in."""
        if self.is_editable:
            return reverse_fast("responses:response_edit", self.pk)
        return reverse_fast("responses:response_preview", self.pk)

    @classmethod
    def from_db(cls, db, field_names, values):
        response = super().from_db(db, field_names, values)
        # The state as stored: a save that takes a published response back to a draft
        # still changes what the public saw (standings, cached pages).
        response._loaded_state = response.__dict__.get("state")
        return response

    def changes_public_pages(self) -> bool:
        """Whether writing this response (or its content) can change what the public sees:
        only while it is published, or was when it was loaded. A draft's or a submitted
        response's saves change nothing public (the standings and the page cache ask)."""
        published = Response.State.PUBLISHED
        return self.state == published or getattr(self, "_loaded_state", None) == published

    # A published response stays published: its reports are on the measures and the
    # public has read it; hidden again, what it reported would stay public while where
    # it was said would not. (The admin's form and the fixture import both refuse it.)
    STAYS_PUBLISHED = _(
        "Ett publicerat yttrande kan inte bli utkast eller inlämnat igen. Rätta det som är "
        "fel i yttrandet, eller ta bort det."
    )

    @classmethod
    def leaves_published(cls, stored_state: str, new_state: str) -> bool:
        """Whether a change of state takes a published response back (refused)."""
        published = cls.State.PUBLISHED
        return stored_state == published and new_state != published

    @classmethod
    def becomes_published(cls, stored_state: str | None, new_state: str) -> bool:
        """Whether a change of state publishes a response already stored (a draft or a
        submitted one; ``stored_state`` None: not stored yet). Publishing passes its
        reports on to the measures and tells its followers (``services``): the publish
        page and the admin do that, an import refuses it."""
        published = cls.State.PUBLISHED
        return stored_state not in (None, published) and new_state == published

    @staticmethod
    def _public_state(state) -> bool:
        """Whether a response in ``state`` is one everybody may read: the one read rule,
        asked for an anonymous visitor, which reads the state alone (no board or
        municipality is asked, so none is fetched)."""
        return state is not None and _public_rule().allows(state, None, None)

    def was_public(self) -> bool:
        """Whether it was public as stored when it was read: an admin's later change to it
        can change what the public's pages derive from it."""
        return self._public_state(getattr(self, "_loaded_state", None))

    @property
    def is_public(self) -> bool:
        """Whether everybody may read it (followers' mails, the outbox, the measures'
        latest reports go by it)."""
        return self._public_state(self.state)

    @property
    def is_known_by_reference(self) -> bool:
        """Known only because a later document refers to it: it has no text of its own
        (its pages say so, and where it was mentioned)."""
        return self.provenance == self.Provenance.REFERENCE

    @property
    def is_from_document(self) -> bool:
        """Taken from one of the source documents (rather than entered here)."""
        return self.provenance == self.Provenance.DOCUMENT

    @property
    def is_editable(self) -> bool:
        """Only a draft can be edited; submitted and published responses are read-only."""
        return self.state == self.State.DRAFT

    @property
    def is_publishable(self) -> bool:
        """A draft or a submitted response can be published; a published one only corrected
        by the admins."""
        return self.state != self.State.PUBLISHED

    def is_editable_by(self, user) -> bool:
        from recommendations import roles

        return self.is_editable and roles.may_write_for_board(user, self.board)

    def is_publishable_by(self, user) -> bool:
        from recommendations import roles

        return self.is_publishable and roles.may_write_for_board(user, self.board)

    def recommendations_of_its_board(self):
        """The recommendations of its round's audit that its board answers
        (``answered_by_board``), open or closed."""
        return self.of_board_in(audit=self.round.audit_id, board=self.board)

    @staticmethod
    def of_board_in(*, audit, board):
        """``recommendations_of_its_board`` of a response of ``board`` in a round of
        ``audit``, given as values or as references to an outer query's columns."""
        return Recommendation.objects.filter(audit_id=audit).answered_by_board(board)

    def recommendations_to_answer(self):
        """Those of ``recommendations_of_its_board`` still followed up (open): those its
        edit page asks about, and those handing it in and publishing it ask an answer to.
        A closed one is owed nothing, as the reminders and *Att granska* say
        (``attention.missing_responses``); one the response answered before it was
        closed stays with it, so nothing typed is lost."""
        return self.to_answer_in(audit=self.round.audit_id, board=self.board_id, response=self)

    @staticmethod
    def to_answer_in(*, audit, board, response):
        """``recommendations_to_answer`` of ``response``, a response of ``board`` in a
        round of ``audit``: given as values, or, for each response of a query
        (``ResponseQuerySet.with_answer_progress``), as references to its columns, where
        ``board`` and ``response`` are read one subquery deeper than ``audit``."""
        answered_here = ResponseEntry.objects.filter(
            response=response, recommendation=models.OuterRef("pk")
        )
        answered = Response.of_board_in(audit=audit, board=board)
        return answered.open() | answered.filter(models.Exists(answered_here))

    def overdue_measures_left_unreported(self, today):
        """The board's overdue measures (``MeasureQuerySet.overdue``) serving what this
        response answers, on which it reports neither a new due date, nor a settled
        status, nor a word of how they stand: what the staff are asked to account for
        (the start page's overdue list), said before they hand in or publish."""
        reported = MeasureUpdate.objects.filter(
            measure=models.OuterRef("pk"), entry__response=self
        ).filter(models.Q(status__in=Status.settled_values()) | ~models.Q(note=""))
        moved = DueDateChange.objects.filter(measure=models.OuterRef("pk"), entry__response=self)
        return (
            Measure.objects.overdue(today)
            .reportable_in(self)
            .serving(self.recommendations_to_answer())
            .exclude(models.Exists(reported))
            .exclude(models.Exists(moved))
            .select_related("recommendation")
            .order_by("due_date", "pk")
        )

    def recency(self) -> tuple:
        """Which of a board's answers is the later, as a sortable key: the later round,
        then the later decision (an undated one earlier), then the later record. The one
        rule of "latest" for answers, their measure reports and their moved dates;
        ``recency_order`` is the same in SQL (the standings, the timelines)."""
        return (
            self.round.sequence,
            self.decision_date is not None,
            self.decision_date or dt.date.min,
            self.pk or float("inf"),
        )

    @staticmethod
    def recency_order(prefix: str = "") -> list:
        """``recency`` as an ORDER BY, for a response reached through ``prefix``."""
        return [
            f"{prefix}round__sequence",
            models.F(f"{prefix}decision_date").asc(nulls_first=True),
            f"{prefix}id",
        ]

    @property
    def date(self):
        """The date the response is known by (``date_of``)."""
        return Response.date_of(self.decision_date, self.document_date, self.document_precision)

    @staticmethod
    def date_of(decision_date, document_date, document_precision):
        """The date a response is known by: its decision date, else its document's date (of
        the document's precision); None when neither is known. The one rule, for a
        response in hand (``date``) and for rows read as values (the standings)."""
        from auditfollowup.lib.dates import FuzzyDate, Precision

        if decision_date:
            return FuzzyDate(decision_date, Precision.DAY)
        if document_date:
            return FuzzyDate(document_date, document_precision)
        return None

    @staticmethod
    def date_expression(prefix: str = ""):
        """``date_of`` in SQL, for a response reached through ``prefix``: the day to count
        and sort it by (a document's date is the first day of its period)."""
        return Coalesce(f"{prefix}decision_date", f"{prefix}document_date")

    @staticmethod
    def year_expression(prefix: str = ""):
        """The year an answer counts in, in SQL: its response's date's (``date_expression``),
        as the matrix places it in a column (``date.start.year``). The chart per year and
        the list's year filter read it."""
        return ExtractYear(Response.date_expression(prefix))

    @property
    def date_inference(self) -> str:
        """Why ``date`` is an inference ("" when it is not): a decision date is a fact; the
        document date may have been inferred."""
        return "" if self.decision_date else self.document_inference

    def clean(self):
        validate_fuzzy_date(self, "document")
        if self.is_from_document and not self.source_document_id:
            raise ValidationError(
                {"source_document": _("Ange källdokumentet för ett yttrande ur ett dokument.")}
            )
        if self.is_known_by_reference and not self.reference_note.strip():
            raise ValidationError(
                {"reference_note": _("Beskriv vad hänvisningen säger om yttrandet.")}
            )
        # The one rule of links within a municipality (``municipal_links.links_elsewhere``), for
        # the link every path that writes a response sets.
        municipal_links.refuse_links_elsewhere(self, fields=("round",))


class DecisionStep(models.Model):
    """One step of a response's decision timeline: preparation, working committee, board meeting."""

    class Kind(models.TextChoices):
        PREPARATION = "preparation", _("beredning")
        WORKING_COMMITTEE = "working_committee", _("arbetsutskott")
        BOARD_MEETING = "board_meeting", _("nämndsammanträde")
        OTHER = "other", _("annat")

    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="decision_steps",
        verbose_name=_("yttrande"),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    body = models.CharField(
        _("organ"), max_length=200, help_text=_("Som i dokumentet, till exempel ASN beredning.")
    )
    date = models.DateField(_("datum"))
    planned = models.BooleanField(
        _("planerat"),
        default=False,
        help_text=_(
            "Steget står i en beslutsplanering; dokumentet säger inte att det har ägt rum."
        ),
    )

    class Meta:
        verbose_name = _("beslutssteg")
        verbose_name_plural = _("beslutsplanering")
        ordering = ["response", "date", "pk"]

    def __str__(self):
        planned = f" ({_('planerat')})" if self.planned else ""
        return f"{self.body} {self.date.isoformat()}{planned}"


class Signatory(models.Model):
    """Someone who signed or answers for a response."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("ordförande")
        HEAD_OF_ADMINISTRATION = "head_of_administration", _("förvaltningsdirektör/-chef")
        RESPONSIBLE = "responsible", _("ansvarig tjänsteperson")

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("yttrande")
    )
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    title = models.CharField(
        _("titel"),
        max_length=200,
        blank=True,
        help_text=_("Som i dokumentet, till exempel Enhetschef."),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("undertecknare")
        verbose_name_plural = pgettext_lazy("plural", "undertecknare")
        ordering = ["response", "position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.title or self.get_role_display()})"


class ResponseEntryQuerySet(InMunicipalityQuerySet):
    def published(self):
        return self.filter(response__state=Response.State.PUBLISHED)

    def visible_to(self, user):
        """Entries of responses the user may read."""
        return self.filter(response_visibility(user, "response__"))


class ResponseEntry(RemembersLoadedValues, models.Model):
    """What a response says about one recommendation, with the board's status at that round."""

    # Where it was, for the standings of a recommendation an admin moves it away from, or
    # of a published answer an admin moves into another response.
    remembered = ("recommendation_id", "response_id")

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="entries", verbose_name=_("yttrande")
    )
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("rekommendation"),
    )
    status = models.CharField(_("nämndens status"), max_length=30, choices=Status.choices)
    narrative = models.TextField(_("redovisning"), blank=True)
    references = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="referenced_by_entries",
        verbose_name=_("hänvisar till"),
        help_text=_(
            "Rekommendationer eller uppdrag i andra granskningar som svaret hänvisar till."
        ),
    )

    history = HistoricalRecords(m2m_fields=[references])
    objects = ResponseEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("svar på rekommendation")
        verbose_name_plural = _("svar på rekommendationer")
        ordering = ["response", "recommendation__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "recommendation"], name="entry_one_per_recommendation"
            )
        ]

    def __str__(self):
        return f"{self.response} – {self.recommendation.display_name}"

    def changes_public_pages(self) -> bool:
        """Whether saving it can change a public page: its response's rule, and, for an
        answer an admin moves to another response, the rule of the one it leaves."""
        if self.response.changes_public_pages():
            return True
        before = self.moved_from("response_id")
        return bool(before) and Response.objects.get(pk=before[0]).changes_public_pages()

    def clean(self):
        if (
            self.response_id
            and self.recommendation_id
            and self.response.round.audit_id != self.recommendation.audit_id
        ):
            raise ValidationError(
                {"recommendation": _("Rekommendationen hör till en annan granskning än yttrandet.")}
            )


def left_a_public_answer(row, attname: str) -> bool:
    """Whether an admin moved ``row`` (a measure, a report, a moved due date) away from an
    answer the public could read: the answer ``attname`` held when the row was loaded is
    another now, and was public. None, no answer at all (an imported measure, an admin's
    move), counts as public: the row was shown on its own."""
    loaded = getattr(row, "_loaded_values", {})
    if attname not in loaded or loaded[attname] == getattr(row, attname):
        return False
    before = loaded[attname]
    return before is None or ResponseEntry.objects.get(pk=before).changes_public_pages()


class MeasureQuerySet(InMunicipalityQuerySet):
    def visible_to(self, user):
        """Measures the user may see: those announced in a response the user may read
        (or imported without an announcing entry). A measure announced in a draft stays
        with the draft, whatever later responses of the board do."""
        # A correlated EXISTS rather than "IN (every visible response)": PostgreSQL then
        # checks just the measures a page looks at instead of reading all published
        # responses first (the list's overdue filter for one board: 340 ms -> 7 ms at
        # national scale).
        announced_visibly = Response.objects.visible_to(user).filter(
            pk=models.OuterRef("announced_in__response")
        )
        return self.filter(models.Q(announced_in__isnull=True) | models.Exists(announced_visibly))

    def public(self):
        """What everybody may see: announced in a response everybody may read (the one
        read rule, for an anonymous visitor), or imported (``Measure.is_public``, one by
        one)."""
        return self.filter(_announced_publicly())

    def with_publicity(self):
        """Each measure read with whether everybody may see it (``public``'s rule), which
        ``Measure.is_public`` then gives without a query: for pages that judge many
        measures overdue one by one and also show measures of answers not yet published."""
        return self.annotate(
            announced_publicly=models.ExpressionWrapper(
                _announced_publicly(), output_field=models.BooleanField()
            )
        )

    def reportable_in(self, response):
        """The measures a response may report on: the board's public ones and those the
        response announces itself. Never one announced in another unpublished response:
        publishing this one would make it public."""
        return self.filter(board_id=response.board_id).filter(
            models.Q(announced_in__isnull=True)
            | _public("announced_in__response__")
            | models.Q(announced_in__response=response)
        )

    def followed_up(self):
        """Measures still followed up: not settled, and serving an open recommendation
        (its main one, or another a shared measure serves: each is closed on its own
        day). A measure of closed recommendations only is no longer chased by any page,
        list, digest or reminder (``Measure.is_followed_up``, one by one). Half of the
        rule of an open measure: pages, counts and calendars ask ``open``."""
        serves_open = models.Exists(
            Recommendation.objects.filter(shared_measures=models.OuterRef("pk"), closed_on=None)
        )
        return self.exclude(status__in=Status.settled_values()).filter(
            models.Q(recommendation__closed_on__isnull=True) | serves_open
        )

    def open(self):
        """Open measures, for every reader alike: public and followed up (``public``,
        ``followed_up``; ``Measure.is_open``, one by one). The one rule of "open" that
        every count of open or overdue measures, calendar and reminder asks.

        Only public ones: a measure becomes a commitment the board is to make good on
        when the answer announcing it is published (or it was imported); until then it
        is a proposal (``Measure.is_proposal``), which those who may read the answer see
        marked as one, with its due date, but which is open, overdue and due in a
        calendar for nobody. So every page, whoever reads it, says what the stored
        standings (public measures only) say."""
        return self.public().followed_up()

    def proposals(self):
        """Measures announced in answers not yet published (``Measure.is_proposal``, one
        by one): never open. A page, or a private calendar, that shows them to a reader
        who may read the answer (``visible_to``) marks them as proposals."""
        return self.filter(announced_in__isnull=False).exclude(_public("announced_in__response__"))

    def overdue(self, today):
        """Open measures (``open``) whose due period ended before ``today``
        (``Measure.is_overdue``, one by one). A due date moved in an answer not yet
        published is not on the measure yet: the published one counts."""
        return self.open().filter(ended_before_q("due", today))

    def due_first(self, limit: int):
        """The ``limit`` measures of this queryset due first (earliest due date, then pk),
        as a queryset of their own to select related rows on.

        They are picked in a subquery ordered by an expression no index provides
        (``COALESCE(due_date, due_date)``): PostgreSQL then finds the rows through the
        query's own filter (a municipality's boards) and sorts those few. Ordered by the
        plain column it walks the whole country's open measures in due-date order until
        ``limit`` of them match, 6 to 24 ms at national scale depending on the municipality.
        Only the chosen rows are then joined to what the caller selects.
        """
        chosen = self.order_by(Coalesce("due_date", "due_date"), "pk").values("pk")[:limit]
        return self.model.objects.filter(pk__in=chosen).order_by("due_date", "pk")

    def serving(self, recommendation):
        """The measures of a recommendation, whether it is their main one or they also serve it.

        Each measure once, however many of its recommendations are asked about; accepts a
        Recommendation, its pk, or a queryset or list of recommendations (or their pks).
        """
        if isinstance(recommendation, models.QuerySet | list | tuple | set):
            main = models.Q(recommendation__in=recommendation)
            shared = models.Q(also_serves__in=recommendation)
        else:
            main = models.Q(recommendation=recommendation)
            shared = models.Q(also_serves=recommendation)
        return self.filter(pk__in=Measure.objects.filter(main | shared).values("pk"))


def _announced_publicly() -> models.Q:
    """A measure everybody may see: imported (no answer announced it), or announced in
    an answer everybody may read (the one read rule, for an anonymous visitor)."""
    return models.Q(announced_in__isnull=True) | _public("announced_in__response__")


def kept_only_if_published(collector, field, sub_objs, using):
    """``on_delete`` of a link to the response entry a row was written in (a measure's
    ``announced_in``, a moved due date's ``entry``), for the rows whose entry is deleted.

    Those of a response never published go with it: they were never public, and without
    the entry they would read as imported, that is public (``visible_to``). Those of a
    published response were public already and stay, as imported (``SET_NULL``)."""
    published = models.Q(**{f"{field.name}__response__state": Response.State.PUBLISHED})
    models.CASCADE(collector, field, sub_objs.exclude(published), using)
    models.SET_NULL(collector, field, sub_objs.filter(published), using)


def completion_problem(status, completed) -> str:
    """What is wrong with a measure's (or a report's) completion date for its status; ""
    when nothing is. A measure done has the date it was done; one not done has none, or
    the public would read "Pågående, genomförd oktober 2021"."""
    if status == Status.IMPLEMENTED and not completed:
        return _("Ange när åtgärden genomfördes.")
    if completed and status != Status.IMPLEMENTED:
        return _(
            "Bara en genomförd åtgärd har ett datum då den genomfördes: ta bort datumet "
            "eller välj status Genomförd."
        )
    return ""


class Measure(RemembersLoadedValues, models.Model):
    """A concrete action (åtgärd): one row for its life; each round reports a MeasureUpdate."""

    # Where it was, for the standings of a recommendation an admin moves it away from, and
    # the answer that announced it (pointed at another, it may leave or join the public).
    remembered = ("recommendation_id", "announced_in_id")

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("rekommendation"),
    )
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="measures", verbose_name=_("nämnd")
    )
    also_serves = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="shared_measures",
        verbose_name=_("gäller även"),
        help_text=_(
            "Andra rekommendationer i samma granskning som åtgärden också svarar på "
            "(gemensam åtgärd)."
        ),
    )
    title = models.CharField(_("åtgärd"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    responsible = models.CharField(
        _("ansvarig"), max_length=200, blank=True, help_text=_("Enhet eller person.")
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PLANNED
    )
    due_date, due_precision = fuzzy_date_fields(_("klart senast"))
    due = FuzzyDateDescriptor("due")
    due_inference = inference_field(_("tolkning av slutdatumet"))
    completed_date, completed_precision = fuzzy_date_fields(_("genomförd"))
    completed = FuzzyDateDescriptor("completed")
    completed_inference = inference_field(_("tolkning av när åtgärden genomfördes"))
    effect = models.TextField(_("effekt"), blank=True)
    announced_in = models.ForeignKey(
        ResponseEntry,
        on_delete=kept_only_if_published,
        null=True,
        blank=True,
        related_name="announced_measures",
        verbose_name=_("aviserad i"),
    )

    history = HistoricalRecords(m2m_fields=[also_serves])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["recommendation", "due_date", "pk"]
        indexes = [
            # Overdue measures: unsettled ones whose due period has ended, earliest first
            # (start page, board page, the list's overdue filter). The overdue condition is
            # one date range per precision; the precision rides along in the index.
            models.Index(
                fields=["due_date", "due_precision"],
                condition=~models.Q(status__in=Status.settled_values()),
                name="measure_open_due_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        validate_fuzzy_date(self, "due")
        validate_fuzzy_date(self, "completed")
        if problem := completion_problem(self.status, self.completed):
            raise ValidationError({"completed_date": problem})
        municipal_links.refuse_links_elsewhere(self, fields=("recommendation",))
        # Many-to-many values are not on the row: they are checked here only when they are
        # already in hand (the importer wires them); the admin form and the m2m_changed
        # guard in signals.py check them on every other path.
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "also_serves" in prefetched and self.recommendation_id:
            self.check_also_serves(list(prefetched["also_serves"]))

    # What a published report writes onto a measure (``take_report``); the other fields
    # are the measure's own and do not change when it is reported on.
    REPORTED_FIELDS = (
        "status",
        "due_date",
        "due_precision",
        "due_inference",
        "completed_date",
        "completed_precision",
        "completed_inference",
        "effect",
    )

    def take_report(self, *, status, due, completed, effect) -> bool:
        """Take what a published report says of the measure; whether anything changed.

        A date the report states anew is the board's word: the reason an earlier date was
        an inference (read off a document that did not say it) goes with that date, and
        does not stand beside the new one. A date carried over unchanged keeps its reason.
        """
        before = [getattr(self, name) for name in self.REPORTED_FIELDS]
        if due != self.due:
            self.due_inference = ""
        if completed != self.completed:
            self.completed_inference = ""
        self.status, self.due, self.completed, self.effect = status, due, completed, effect
        return [getattr(self, name) for name in self.REPORTED_FIELDS] != before

    def fields_its_answers_decide(self) -> dict[str, str]:
        """{field: where to correct it} for the fields of a stored measure that its answers
        decide, which a change of the measure alone would set apart from them: its status
        (and a completion or effect the report states itself) come from its latest public
        report (``take_report``, ``MeasureUpdateQuerySet.latest_public_by_measure``), its
        due date from its latest public move (``DueDateChangeQuerySet
        .latest_public_by_measure``). The admin's measure forms refuse a change of these:
        the pages showed the measure one way and its report or move another. Queries: 2
        (none for a measure not yet saved)."""
        if self.pk is None:
            return {}
        decided = {}
        report = MeasureUpdate.objects.latest_public_of(self.pk)
        if report is not None:
            # Named by its answer: the measure's page lists all its reports, and the
            # admin is to find the one to correct among them.
            where = _(
                "Kommer från åtgärdens senaste publicerade lägesrapport, i yttrandet "
                "”%(response)s”: rätta den bland åtgärdens lägesrapporter, så följer "
                "åtgärden med."
            ) % {"response": report.entry.response}
            decided["status"] = where
            if report.completed:
                decided["completed"] = where
            if report.effect:
                decided["effect"] = where
        if DueDateChange.objects.latest_public_of(self.pk) is not None:
            decided["due"] = _(
                "Kommer från åtgärdens senaste ändring av slutdatumet: lägg till en ändring "
                "med skäl, så följer åtgärden med."
            )
        return decided

    def check_also_serves(self, recommendations) -> None:
        """The other recommendations a measure serves belong to its own audit and are not
        its main recommendation."""
        main = self.recommendation
        for other in recommendations:
            if other.pk == main.pk:
                raise ValidationError(
                    {"also_serves": _("Huvudrekommendationen behöver inte anges igen.")}
                )
            if other.audit_id != main.audit_id:
                raise ValidationError(
                    {
                        "also_serves": _(
                            "En gemensam åtgärd kan bara gälla rekommendationer i samma "
                            "granskning som huvudrekommendationen."
                        )
                    }
                )

    def serves(self, recommendation_id) -> bool:
        """Whether the measure answers this recommendation, as its main one or a shared one.

        Reads ``also_serves`` through the prefetch cache when there is one."""
        return recommendation_id == self.recommendation_id or any(
            r.pk == recommendation_id for r in self.also_serves.all()
        )

    def changes_public_pages(self) -> bool:
        """A measure is public where the response that announced it is (or imported); an
        admin pointing it at another answer changes what was public where it was too."""
        if self.announced_in_id is None or self.announced_in.changes_public_pages():
            return True
        return left_a_public_answer(self, "announced_in_id")

    def is_followed_up(self, under=None) -> bool:
        """``MeasureQuerySet.followed_up``'s rule for one measure. ``under``: the
        recommendation it is shown under, on that recommendation's page (a shared
        measure is followed up there while that one is open); else any it serves."""
        if Status(self.status).is_settled:
            return False
        if under is not None:
            return not under.is_closed
        return not self.recommendation.is_closed or any(
            not other.is_closed for other in self.also_serves.all()
        )

    @property
    def is_public(self) -> bool:
        """``MeasureQuerySet.public``'s rule for one measure: imported, or announced in an
        answer everybody may read. Read with the measure where its queryset says it
        (``with_publicity``), else asked of its answer (two queries)."""
        if (read := getattr(self, "announced_publicly", None)) is not None:
            return read
        return self.announced_in_id is None or self.announced_in.response.is_public

    @property
    def is_proposal(self) -> bool:
        """Announced in an answer not yet published (not ``is_public``): a proposal that
        those who may read the answer see, marked as one ("I ett svar som inte är
        publicerat än"), and never open, overdue or a measure due in a calendar."""
        return not self.is_public

    def is_open(self, under=None) -> bool:
        """``MeasureQuerySet.open``'s rule for one measure: followed up
        (``is_followed_up``, ``under`` as there) and public (``is_public``)."""
        return self.is_followed_up(under) and self.is_public

    def is_overdue(self, today, under=None) -> bool:
        """``MeasureQuerySet.overdue``'s rule for one measure: open (``is_open``: one in
        an answer not yet published is a proposal, not yet late) and past its whole due
        period."""
        return self.due is not None and self.due.is_past(today) and self.is_open(under)

    def days_overdue(self, today, under=None) -> int:
        """How many days past its due date the measure is, 0 while ``is_overdue`` says it
        is not (due later, done, or its recommendation closed): the number the timeline,
        the API, the exports and the staff form show."""
        return self.due.days_overdue(today) if self.is_overdue(today, under=under) else 0


class MeasureUpdateQuerySet(models.QuerySet):
    def in_public_answers(self):
        """Reports in answers everybody may read (the one read rule, for an anonymous
        visitor): the reports a measure says what the latest of says."""
        return self.filter(_public("entry__response__"))

    def latest_public_by_measure(self, measure_ids, *, besides_response=None) -> dict:
        """{measure id: its latest published report} (``MeasureUpdate._recency``), leaving
        out the reports of ``besides_response``. One query: a measure has a report a
        round or so, and all are read and compared by the one ordering of "latest"."""
        reports = (
            self.in_public_answers()
            .filter(measure_id__in=measure_ids)
            .select_related("entry__response__round", "entry__recommendation", "measure")
        )
        if besides_response is not None:
            reports = reports.exclude(entry__response=besides_response)
        latest = {}
        for report in reports:
            current = latest.get(report.measure_id)
            if current is None or report._recency() > current._recency():
                latest[report.measure_id] = report
        return latest

    def latest_public_of(self, measure_id: int, *, besides=None):
        """The measure's latest published report, leaving out the report ``besides``;
        None when it has none."""
        return self.exclude(pk=besides).latest_public_by_measure([measure_id]).get(measure_id)

    def visible_to(self, user, *, visible_measures=None):
        """Reports in entries the user may read, about measures the user may see.
        ``visible_measures``: ``Measure.objects.visible_to(user)``, when the caller has
        built it already (``timeline.read_timelines``, which reads those measures too)."""
        if visible_measures is None:
            visible_measures = Measure.objects.visible_to(user)
        return self.filter(response_visibility(user, "entry__response__")).filter(
            measure__in=visible_measures
        )

    def keep_dates_shown_before_move(self, before: dict, *, moving) -> None:
        """Before the response ``moving`` moves measures' due dates: the published reports
        of other responses that showed a measure's date (they named none, as imported
        reports and a shared measure's other reports do, or the same date) keep showing
        that date and its reason. Else a 2019 answer would read "klart senast 2027" once
        2026's answer moved the date; one that showed no date (the measure had none) keeps
        showing none when a later round gives it one. ``before`` maps a measure's id to its
        due date and that date's reason as they stand before the move. Two queries at
        most."""
        kept = []
        reports = (
            self.in_public_answers()
            .filter(measure_id__in=list(before), showed_no_due=False)
            .exclude(entry__response=moving)
        )
        for report in reports:
            due, reason = before[report.measure_id]
            if report.due is None and due is None:
                report.showed_no_due = True  # the measure's first due date: it showed none
            elif report.due is None:
                report.due, report.due_inference = due, reason
            elif report.due == due and reason and not report.due_inference:
                report.due_inference = reason
            else:
                continue
            kept.append(report)
        # What the report showed is kept, not changed: no history row (it would read as an
        # edit of a published answer, by whoever published the later one).
        if kept:
            self.model.objects.bulk_update(
                kept, ["due_date", "due_precision", "due_inference", "showed_no_due"]
            )


class MeasureUpdate(RemembersLoadedValues, models.Model):
    """What one round's entry reports about a measure."""

    # What a report passes on to its measure (``Measure.take_report``): a correction of
    # one of these in a published report reaches the measure (``corrects_its_measure``);
    # and the answer it is in, which an admin may change (``left_a_public_answer``).
    remembered = ("status", "completed_date", "completed_precision", "effect", "entry_id")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="updates", verbose_name=_("åtgärd")
    )
    entry = models.ForeignKey(
        ResponseEntry,
        on_delete=models.CASCADE,
        related_name="measure_updates",
        verbose_name=_("svar"),
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    note = models.TextField(_("redovisning"), blank=True)
    # What the round reports besides the status. Staff write here while the response is a
    # draft; publishing copies it onto the Measure row (services.publish_response), so a
    # draft never changes what others see. Imported updates name no due date: they show
    # the measure's, until a later round moves it (``keep_dates_shown_before_move``).
    due_date, due_precision = fuzzy_date_fields(_("klart senast enligt svaret"))
    due = FuzzyDateDescriptor("due")
    # Set when a later round moves the measure's due date: a published report that named
    # no date of its own then keeps the date (and its reason, if a guess) it showed
    # (``keep_dates_shown_before_move``), instead of showing the later one.
    due_inference = inference_field(_("tolkning av slutdatumet"))
    # Set likewise when a later round gives the measure its first due date: the report
    # showed none, and keeps showing none.
    showed_no_due = models.BooleanField(_("visade inget slutdatum"), default=False)
    completed_date, completed_precision = fuzzy_date_fields(_("genomförd enligt svaret"))
    completed = FuzzyDateDescriptor("completed")
    effect = models.TextField(_("effekt enligt svaret"), blank=True)

    history = HistoricalRecords()
    objects = MeasureUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("lägesrapport för åtgärd")
        verbose_name_plural = _("lägesrapporter för åtgärder")
        ordering = ["measure", "entry__response__round__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "entry"], name="measure_update_one_per_entry"
            )
        ]

    def __str__(self):
        return f"{self.measure} – {self.get_status_display()}"

    def changes_public_pages(self) -> bool:
        return self.entry.changes_public_pages() or left_a_public_answer(self, "entry_id")

    @property
    def reported_due(self):
        """The due date as of this report; the measure's own when the report names none
        (and no later round has moved it since: see ``keep_dates_shown_before_move``)."""
        if self.showed_no_due:
            return None
        return self.due or self.measure.due

    @property
    def reported_due_inference(self) -> str:
        """Why the due date shown for this report is an inference ("" when it is not):
        its own, kept when a later round moved the date; else the measure's, where the
        report names no date of its own or repeats the measure's. A date it states anew
        is the board's word (``Measure.take_report``)."""
        if self.due_inference or self.showed_no_due:
            return self.due_inference
        return self.measure.due_inference if self.due in (None, self.measure.due) else ""

    @property
    def reported_completed(self):
        """The day the measure was done as of this report: its own, else (an imported
        report, which names none) the measure's, but only where this report says it is
        done. An earlier report must not show a completion reported later ("Planerad,
        rapporterad klar 2021")."""
        if self.completed:
            return self.completed
        return self.measure.completed if self.status == Status.IMPLEMENTED else None

    @property
    def reported_completed_inference(self) -> str:
        """As ``reported_due_inference``, for the day the measure was done."""
        shown = self.reported_completed
        if shown is not None and shown == self.measure.completed:
            return self.measure.completed_inference
        return ""

    @property
    def reported_effect(self):
        """The effect as of this report: as ``reported_completed``."""
        if self.effect:
            return self.effect
        return self.measure.effect if self.status == Status.IMPLEMENTED else ""

    def corrects_its_measure(self) -> bool:
        """Whether saving this report changes what its measure says: it is published, it
        is the measure's latest public report (the last round's, under the measure's main
        recommendation first), and what it passes on was changed (an admin's
        correction). Publishing is not such a save: it copies the reports itself."""
        loaded = getattr(self, "_loaded_values", None)
        if loaded is not None and all(
            loaded.get(name) == getattr(self, name) for name in self.remembered
        ):
            return False
        return self.is_latest_public_report()

    def is_latest_public_report(self) -> bool:
        """Whether this report is published and its measure's latest public one (or, being
        added, will be once saved): what the measure says comes from it."""
        if not self.entry.response.is_public:
            return False
        # Compared with the latest of the others, so that a report being added (no key
        # yet) is judged as it will stand once saved.
        latest_other = MeasureUpdate.objects.latest_public_of(self.measure_id, besides=self.pk)
        return latest_other is None or self._recency() > latest_other._recency()

    def _recency(self) -> tuple:
        """Which of a measure's published reports is its latest, as a sortable key: the
        later round, the later decision (an undated one earlier), the later response, then
        the report under the measure's main recommendation, then the earlier one."""
        return (
            *self.entry.response.recency(),
            self.entry.recommendation_id == self.measure.recommendation_id,
            -self.entry.recommendation.position,
        )

    def clean(self):
        validate_fuzzy_date(self, "due")
        validate_fuzzy_date(self, "completed")
        # A report that names no completion date reports none (imported ones, a shared
        # measure's under another recommendation): only a date it names is checked.
        if self.completed and (problem := completion_problem(self.status, self.completed)):
            raise ValidationError({"completed_date": problem})
        # A correction its measure takes must leave the measure valid: done, with a day.
        if (
            self.measure_id
            and self.entry_id
            and self.status == Status.IMPLEMENTED
            and self.reported_completed is None
            and self.corrects_its_measure()
        ):
            raise ValidationError(
                {
                    "completed_date": _(
                        "Ange när åtgärden genomfördes: rapporten är åtgärdens senaste "
                        "publicerade, och åtgärden blir genomförd med den."
                    )
                }
            )
        if (
            self.measure_id
            and self.entry_id
            and not self.measure.serves(self.entry.recommendation_id)
        ):
            raise ValidationError(
                {"entry": _("Svaret gäller en annan rekommendation än åtgärden.")}
            )


class DueDateChangeQuerySet(models.QuerySet):
    def public(self):
        """Moves everybody may see: made in a published answer, or imported."""
        return self.filter(models.Q(entry__isnull=True) | _public("entry__response__"))

    def latest_public_of(self, measure_id: int, *, besides=None):
        """The measure's latest public move (the one its due date comes from, by
        ``DueDateChange.in_order``), leaving out the move ``besides``; None when it has
        none. A measure is moved a few times at most: all are read and compared."""
        moves = self.public_moves_of(measure_id).exclude(pk=besides)
        return next(reversed(DueDateChange.in_order(moves)), None)

    def latest_public_by_measure(self, measure_ids) -> dict:
        """{measure id: its latest public move} for these measures, in one query."""
        by_measure = defaultdict(list)
        for move in (
            self.public()
            .filter(measure_id__in=measure_ids)
            .select_related("entry__response__round")
        ):
            by_measure[move.measure_id].append(move)
        return {pk: DueDateChange.in_order(moves)[-1] for pk, moves in by_measure.items()}

    def earliest_public_of(self, measure_id: int):
        """The measure's first public move: the date it moved from is the measure's first."""
        return next(iter(DueDateChange.in_order(self.public_moves_of(measure_id))), None)

    def public_moves_of(self, measure_id: int):
        """The measure's public moves, with what ``DueDateChange.in_order`` compares."""
        return self.public().filter(measure_id=measure_id).select_related("entry__response__round")

    def visible_to(self, user, *, of_visible_measures=False):
        """Moved due dates the user may see: a move made in a response stays with it, and
        a move of a measure the user may not see is hidden with the measure.

        ``of_visible_measures``: the moves are read through measures already filtered by
        ``Measure.objects.visible_to(user)`` (``timeline.read_timelines``), which
        keeps the measure's half of the rule; repeated, it was a second subquery to build,
        compile and run."""
        visible = self.filter(
            models.Q(entry__isnull=True) | response_visibility(user, "entry__response__")
        )
        if of_visible_measures:
            return visible
        return visible.filter(measure__in=Measure.objects.visible_to(user))


class DueDateChange(RemembersLoadedValues, models.Model):
    """A moved due date, with its reason, so the timeline shows the original and every move."""

    remembered = ("entry_id",)  # an admin may move it to another answer

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="due_date_changes", verbose_name=_("åtgärd")
    )
    previous_date, previous_precision = fuzzy_date_fields(_("tidigare datum"))
    previous = FuzzyDateDescriptor("previous")
    new_date, new_precision = fuzzy_date_fields(_("nytt datum"))
    new = FuzzyDateDescriptor("new")
    reason = models.TextField(_("skäl"))
    changed_at = models.DateTimeField(_("ändrat"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrat av"),
    )
    entry = models.ForeignKey(
        ResponseEntry,
        on_delete=kept_only_if_published,
        null=True,
        blank=True,
        related_name="due_date_changes",
        verbose_name=_("i svar"),
    )

    objects = DueDateChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ändrat slutdatum")
        verbose_name_plural = _("ändrade slutdatum")
        ordering = ["measure", "changed_at"]

    def __str__(self):
        return f"{self.measure}: {self.previous} → {self.new}"

    def changes_public_pages(self) -> bool:
        if self.entry_id is None or self.entry.changes_public_pages():
            return True
        return left_a_public_answer(self, "entry_id")

    def is_latest_public_move(self) -> bool:
        """Whether this move is public and its measure's latest public one (or, being
        added, will be once saved): the measure's due date comes from it."""
        if self.entry_id is not None and not self.entry.response.is_public:
            return False
        others = DueDateChange.objects.public_moves_of(self.measure_id).exclude(pk=self.pk)
        return DueDateChange.in_order([*others, self])[-1] is self

    @staticmethod
    def in_order(moves) -> list:
        """A measure's moves from its first to its latest, the one its due date comes from.

        Moves made in answers go in their answers' order (``Response.recency``; then the
        later record): an earlier round's answer published late moves nothing. A move made
        in the admin (no answer) goes right after the answers' moves recorded before it: it
        corrects what they said, and a later answer's move supersedes it."""

        def answer_order(move):
            return (*move.entry.response.recency(), move.changed_at, move.pk or float("inf"))

        def recorded(move):
            return (move.changed_at, move.pk or float("inf"))

        ordered = sorted((m for m in moves if m.entry_id is not None), key=answer_order)
        for move in sorted((m for m in moves if m.entry_id is None), key=recorded):
            after = max(
                (i for i, m in enumerate(ordered) if recorded(m) <= recorded(move)), default=-1
            )
            ordered.insert(after + 1, move)
        return ordered

    def clean(self):
        validate_fuzzy_date(self, "previous")
        validate_fuzzy_date(self, "new")
        if not self.reason.strip():
            raise ValidationError({"reason": _("Ange varför slutdatumet flyttas.")})


def counts_for_recommendation(must_answer: bool, status: str) -> bool:
    """Whether a board's standing counts among a recommendation's boards: the boards that
    answer it (an addressee that leaves the answer to another board does not), and any
    other board that has answered all the same. Its "n av m nämnder har svarat", the
    matrix's lines, the start page's boards and the council report's rows count these;
    ``BoardStandingQuerySet.counting_for_recommendation`` is the same rule in SQL."""
    return bool(must_answer or status)


class BoardStandingQuerySet(InMunicipalityQuerySet):
    def counting_for_recommendation(self):
        """The standings ``counts_for_recommendation`` counts, filtered by the database."""
        return self.filter(models.Q(must_answer=True) | ~models.Q(status=""))

    def owing_answers(self):
        """Standings of a board that answers an open recommendation: whom a follow-up
        round naming no board asks (``FollowUpRoundQuerySet.answered_in`` for some boards
        in SQL, ``attention.asked_boards`` for every board of many rounds)."""
        return self.filter(must_answer=True, is_open=True)

    def answered(self):
        return self.exclude(status="")

    def unanswered(self):
        return self.filter(status="")

    def with_overdue_measures(self, today):
        """Standings whose board has a measure past its whole due period (stored on write:
        ``next_due_end`` is the earliest end among the board's open measures), on an open
        recommendation (``MeasureQuerySet.overdue``'s rule)."""
        return self.filter(next_due_end__lt=today, is_open=True)

    def in_display_order(self):
        """A recommendation's boards in the one order every list of them follows: the
        recommendation page's table of boards and the API (``read_timelines``), the
        matrix's lines and the list export's "each board's status"; by name, then id,
        so two boards of one name never swap places between a page and its export."""
        return self.order_by("board__name", "board_id")


class BoardStanding(models.Model):
    """Where one board stands on one recommendation: its own current status and what
    is due, kept up to date on every write that changes it (``responses/standings.py``).

    One row for every board that must answer the recommendation (addressed to it or
    answering it, or that has published an answer to it). Pages read status here and
    never recompute it from the entries. Only published answers and measures count, so
    a standing is the same for every reader.
    """

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="standings",
        verbose_name=_("rekommendation"),
    )
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="standings", verbose_name=_("nämnd")
    )
    # The board's status in its latest published entry; "" while it has not answered.
    status = models.CharField(
        _("nämndens status"), max_length=30, choices=Status.choices, blank=True
    )
    # Status.rank of ``status`` (unanswered last), so sorting follows the vocabulary.
    status_rank = models.PositiveSmallIntegerField(_("statusordning"), default=len(Status))
    entry = models.ForeignKey(
        ResponseEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("senaste publicerade svar"),
    )
    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("omgång"),
    )
    answered_date, answered_precision = fuzzy_date_fields(_("besvarad"))
    answered = FuzzyDateDescriptor("answered")
    is_addressed = models.BooleanField(_("riktad till nämnden"), default=False)
    # Named among the boards that answer it (``Recommendation.answered_by``). With
    # ``is_addressed`` the recommendation's page and the API read its boards from here.
    is_answering = models.BooleanField(_("besvarar rekommendationen"), default=False)
    # Whether the board answers it by the one rule of who answers
    # (``recommendations.models.answering_pairs``): named to answer it, or an addressee
    # where no board is named; read by ``RecommendationQuerySet.answered_by_board``. An
    # addressee that leaves the answer to another board has a standing but owes no
    # answer, and is not counted among the boards required.
    must_answer = models.BooleanField(_("ska svara"), default=False)
    assessment_status = models.CharField(
        _("revisionens senaste bedömning"), max_length=30, choices=Status.choices, blank=True
    )
    disagrees = models.BooleanField(_("revisionen gör en annan bedömning"), default=False)
    next_due_date, next_due_precision = fuzzy_date_fields(_("nästa åtgärd klar senast"))
    next_due = FuzzyDateDescriptor("next_due")
    # The last day of ``next_due``'s period: a measure is overdue once it has passed.
    next_due_end = models.DateField(_("nästa åtgärd, periodens slut"), null=True, blank=True)
    open_measures = models.PositiveIntegerField(_("öppna åtgärder"), default=0)
    is_open = models.BooleanField(_("rekommendationen är öppen"), default=True)
    # For "acted on within one, two, three years" (the council report, the national
    # page): the audit year it is counted under (``report_cohort``; None if the report
    # leaves it out, or the standing does not count among the recommendation's boards),
    # the day the audit is counted from (``audit_counted_from``), the day the
    # outcome's source (the auditors' latest assessment if any, else the board) first
    # reported it settled, and how many whole years after the first that was. Stored so
    # that a country's shares are one GROUP BY, not every answer read again.
    cohort = models.PositiveSmallIntegerField(_("granskningsår"), null=True, blank=True)
    counted_from = models.DateField(_("granskningen räknas från"), null=True, blank=True)
    settled_on = models.DateField(_("först rapporterad klar"), null=True, blank=True)
    settled_within_years = models.PositiveSmallIntegerField(
        _("klar inom antal år"), null=True, blank=True
    )

    objects = BoardStandingQuerySet.as_manager()
    # Derived as a whole (responses/standings.py): the importer refuses it.
    is_derived = True

    class Meta:
        verbose_name = _("nämndens läge")
        verbose_name_plural = _("nämndernas lägen")
        ordering = ["recommendation", "board__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "board"], name="standing_one_per_board"
            )
        ]
        indexes = [
            # The board page, the list filtered by board and status, counts per board.
            models.Index(fields=["board", "status_rank"], name="standing_board_status_idx"),
            # Overdue measures per board: the earliest open due period's end.
            models.Index(
                fields=["next_due_end"],
                condition=models.Q(next_due_end__isnull=False),
                name="standing_next_due_idx",
            ),
            # The national page's shares of one audit year: read from the index alone.
            models.Index(
                fields=["cohort", "board", "counted_from", "settled_within_years"],
                condition=models.Q(cohort__isnull=False),
                name="standing_cohort_idx",
            ),
        ]

    def __str__(self):
        return f"{self.board} – {self.recommendation}: {self.get_status_display() or '–'}"

    @property
    def status_value(self) -> Status | None:
        return Status(self.status) if self.status else None

    @property
    def assessment_value(self) -> Status | None:
        return Status(self.assessment_status) if self.assessment_status else None

    @property
    def without_answer_label(self) -> str:
        """What a board without a published answer is said to be, on every page and in
        every export: waiting for its answer if it owes one (``must_answer``), else
        leaving the answer to another board, not late."""
        if self.must_answer:
            return _("Har inte svarat än")
        return _("Besvaras av en annan nämnd")

    def has_overdue_measures(self, today) -> bool:
        """``BoardStandingQuerySet.with_overdue_measures`` for one standing."""
        return self.is_open and self.next_due_end is not None and self.next_due_end < today

    @property
    def is_overdue_today(self) -> bool:
        """``has_overdue_measures`` as of today, for templates (they call no arguments)."""

        return self.has_overdue_measures(timezone.localdate())
