"""The one module that builds test data.

Plain functions that build test data: one object per call, sensible defaults.

Every factory takes keyword arguments for what a test cares about and fills in the
rest. Boards and the municipality are reused by their short code (get_or_create), so
calling ``make_board(short_code="ASN")`` twice gives the same board. Fuzzy dates are
given as text the way people write them ("2019-02-22", "maj 2026", "hösten 2020").

``make_tracked_audit()`` builds a whole small world: an audit with two follow-up
rounds (2019 and 2020), recommendations answered in both rounds, measures and
measure updates, which most page tests need. ``build_world()`` is the staff and auditor
tests' world (the ``world`` fixture in conftest.py); ``build_sample()`` the browser tests'.
"""

import datetime
import datetime as dt
import itertools
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate, Precision
from recommendations.models import (
    Audit,
    AuditorAssessment,
    Board,
    FollowUpRound,
    Membership,
    Municipality,
    Recommendation,
    SourceDocument,
)
from recommendations.roles import ADMIN_GROUP, AUDITOR_GROUP, STAFF_GROUP
from recommendations.status import Status
from responses import services
from responses.models import (
    DecisionStep,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    Signatory,
)

_counter = itertools.count(1)


def _fuzzy(value):
    """Accept a FuzzyDate, a date (precision day), text ("maj 2026") or None."""
    if value is None or isinstance(value, FuzzyDate):
        return value
    if isinstance(value, dt.date):
        return FuzzyDate(value, "day")
    return FuzzyDate.parse(value)


def make_municipality(*, name="Malmö stad", slug="malmo", organisation_number="212000-1124"):
    municipality, _ = Municipality.objects.get_or_create(
        slug=slug, defaults={"name": name, "organisation_number": organisation_number}
    )
    return municipality


def make_board(*, short_code="ASN", name=None, kind=Board.Kind.BOARD, municipality=None):
    """A board, reused by short code within the municipality."""
    board, _ = Board.objects.get_or_create(
        municipality=municipality or make_municipality(),
        short_code=short_code,
        defaults={"name": name or f"{short_code}-nämnden", "kind": kind},
    )
    return board


def make_auditors(municipality=None):
    return make_board(
        short_code="SR",
        name="Stadsrevisionen",
        kind=Board.Kind.AUDITORS,
        municipality=municipality,
    )


def make_source_document(*, file_name=None, title="Yttrande", kind="response", **fields):
    fields.setdefault("document_date", dt.date(2019, 9, 1))
    return SourceDocument.objects.create(
        file_name=file_name or f"{next(_counter):03d}_doc.txt", title=title, kind=kind, **fields
    )


def make_audit(
    *,
    reference=None,
    title="Granskning av arbetsmarknadsinsatser",
    boards=(),
    kind=Audit.Kind.AUDIT,
    conducted_from="2018",
    municipality=None,
    **fields,
):
    """An audit of ``boards`` (Board objects or short codes) by the city's auditors, in
    ``municipality`` (by default the boards', else Malmö): an audit links only to its own
    municipality's boards."""
    named = next((b.municipality for b in boards if isinstance(b, Board)), None)
    municipality = municipality or named or make_municipality()
    audit = Audit(
        municipality=municipality,
        # Never the form of a reference a test gives (the seeds' "SR-2018-71"): a counter
        # that reached 71 in a long test process clashed with it in one municipality.
        reference=reference if reference is not None else f"TEST-{next(_counter)}",
        title=title,
        kind=kind,
        auditor=make_auditors(municipality),
        **fields,
    )
    audit.conducted_from = _fuzzy(conducted_from)
    audit.save()
    audit.audited_boards.set([_board(b) for b in boards] or [make_board(municipality=municipality)])
    return audit


def _board(board_or_code):
    if isinstance(board_or_code, Board):
        return board_or_code
    return make_board(short_code=board_or_code)


def make_round(audit, *, sequence=None, kind=None, title=None, deadline=None, is_open=False):
    if sequence is None:
        sequence = audit.rounds.count() + 1
    follow_up = FollowUpRound(
        audit=audit,
        sequence=sequence,
        kind=kind
        or (
            FollowUpRound.Kind.FIRST_RESPONSE
            if sequence == 1
            else FollowUpRound.Kind.MEASURES_TAKEN
        ),
        title=title or f"Uppföljning {sequence}",
        is_open=is_open,
    )
    follow_up.deadline = _fuzzy(deadline)
    follow_up.save()
    return follow_up


def make_recommendation(
    audit=None,
    *,
    position=None,
    text="Säkerställ att insatserna följs upp.",
    label="",
    kind=Recommendation.Kind.RECOMMENDATION,
    addressed_to=(),
    answered_by=(),
    **fields,
):
    """A recommendation; addressed to the audit's boards unless ``addressed_to`` is given."""
    audit = audit or make_audit()
    if position is None:
        position = audit.recommendations.count() + 1
    recommendation = Recommendation.objects.create(
        audit=audit,
        position=position,
        label=label or f"Rekommendation {position}",
        text=text,
        kind=kind,
        **fields,
    )
    recommendation.addressed_to.set(
        [_board(b) for b in addressed_to] or list(audit.audited_boards.all())
    )
    recommendation.answered_by.set([_board(b) for b in answered_by])
    return recommendation


def make_response(
    *,
    board=None,
    round=None,
    state=Response.State.PUBLISHED,
    title=None,
    diary_number=None,
    decision_date=None,
    document=None,
    provenance=Response.Provenance.ENTERED,
    published_at=None,
    **fields,
):
    """A response by ``board`` in ``round``; published (with published_at) unless told."""
    board = _board(board) if board else make_board()
    round = round or make_round(make_audit(boards=[board]))
    response = Response(
        board=board,
        round=round,
        state=state,
        title=title or f"Yttrande {round.sequence} från {board.short_code}",
        diary_number=(
            diary_number if diary_number is not None else f"{board.short_code}-{next(_counter)}"
        ),
        decision_date=decision_date,
        provenance=provenance,
        published_at=published_at
        or (timezone.now() if state == Response.State.PUBLISHED else None),
        **fields,
    )
    response.document = _fuzzy(document)
    response.save()
    return response


def make_entry(response, recommendation, *, status=Status.IN_PROGRESS, narrative=""):
    return ResponseEntry.objects.create(
        response=response, recommendation=recommendation, status=status, narrative=narrative
    )


def make_measure(
    recommendation,
    *,
    board=None,
    title="Ta fram en rutin för uppföljning",
    status=Status.PLANNED,
    due=None,
    completed=None,
    announced_in=None,
    responsible="",
):
    measure = Measure(
        recommendation=recommendation,
        board=_board(board) if board else recommendation.addressed_to.first() or make_board(),
        title=title,
        status=status,
        announced_in=announced_in,
        responsible=responsible,
    )
    measure.due = _fuzzy(due)
    measure.completed = _fuzzy(completed)
    measure.save()
    return measure


def make_measure_update(measure, entry, *, status=None, note=""):
    return MeasureUpdate.objects.create(
        measure=measure, entry=entry, status=status or measure.status, note=note
    )


def make_due_date_change(measure, *, previous, new, reason="Försenad upphandling", entry=None):
    change = DueDateChange(measure=measure, reason=reason, changed_at=timezone.now(), entry=entry)
    change.previous = _fuzzy(previous)
    change.new = _fuzzy(new)
    change.save()
    return change


def make_assessment(
    recommendation,
    round,
    *,
    status=Status.IN_PROGRESS,
    comment="",
    assessed_on=dt.date(2020, 12, 1),
):
    return AuditorAssessment.objects.create(
        recommendation=recommendation,
        round=round,
        status=status,
        comment=comment,
        assessed_on=assessed_on,
    )


def make_decision_step(response, *, body="Nämndsammanträde", date=None, kind="board_meeting"):
    return DecisionStep.objects.create(
        response=response, body=body, date=date or dt.date(2019, 9, 20), kind=kind
    )


def make_signatory(response, *, name="Anna Andersson", role="chair", position=0):
    return Signatory.objects.create(response=response, name=name, role=role, position=position)


def make_user(
    username=None,
    *,
    groups=(),
    boards=(),
    superuser=False,
    password="lösenord-123",  # noqa: S107
    municipality=None,
    **fields,
):
    """A user in the given role groups ("Revisorer", "Handläggare"), staff of ``boards``.

    Auditors and Administratörer members belong to ``municipality`` (by default the first
    one in the database, else Malmö's)."""
    fields.setdefault("is_staff", superuser)
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_counter)}",
        password=password,
        is_superuser=superuser,
        **fields,
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    for board in boards:
        _board(board).staff.add(user)
    if {AUDITOR_GROUP, ADMIN_GROUP} & set(groups):
        municipality = (
            municipality or Municipality.objects.order_by("pk").first() or make_municipality()
        )
        Membership.objects.create(user=user, municipality=municipality)
    return user


def make_tracked_audit(
    *,
    n_recommendations=2,
    board="ASN",
    reference=None,
    title="Granskning av arbetsmarknadsinsatser",
    with_draft=False,
):
    """An audit followed up in 2019 and 2020, every recommendation answered in both.

    Each recommendation gets an entry per round (status planned in 2019, in progress
    in 2020, narratives that name the recommendation), a measure announced in 2019
    that is overdue since June 2020 with one moved due date, an update on it in each
    round, and an auditors' assessment in 2020. With ``with_draft`` a third round has
    a draft response whose narrative contains the word "hemligt".
    """
    board = _board(board)
    audit = make_audit(reference=reference, title=title, boards=[board])
    first = make_round(audit, sequence=1, deadline="2019-09-30")
    second = make_round(audit, sequence=2, kind=FollowUpRound.Kind.STATUS_DESCRIPTION)
    r2019 = make_response(board=board, round=first, decision_date=dt.date(2019, 9, 24))
    r2020 = make_response(board=board, round=second, decision_date=dt.date(2020, 10, 20))
    draft = None
    if with_draft:
        third = make_round(audit, sequence=3)
        draft = make_response(board=board, round=third, state=Response.State.DRAFT)
    recommendations = []
    for _ in range(n_recommendations):
        rec = make_recommendation(audit, addressed_to=[board])
        e2019 = make_entry(
            r2019,
            rec,
            status=Status.PLANNED,
            narrative=f"Vi planerar en arbetsgrupp för {rec.label}.",
        )
        e2020 = make_entry(
            r2020,
            rec,
            status=Status.IN_PROGRESS,
            narrative=f"Arbetsgruppen för {rec.label} har startat och kartlagt insatserna.",
        )
        measure = make_measure(
            rec, board=board, due="2020-06", announced_in=e2019, title=f"Arbetsgrupp {rec.pk}"
        )
        make_measure_update(measure, e2019, status=Status.PLANNED)
        make_measure_update(measure, e2020, status=Status.IN_PROGRESS)
        make_due_date_change(measure, previous="2020-03", new="2020-06", entry=e2020)
        make_assessment(rec, second, status=Status.PARTLY_IMPLEMENTED)
        if draft:
            make_entry(draft, rec, status=Status.IMPLEMENTED, narrative="hemligt utkast")
        recommendations.append(rec)
    return SimpleNamespace(
        audit=audit,
        board=board,
        rounds=[first, second],
        responses=[r2019, r2020],
        draft=draft,
        recommendations=recommendations,
    )


def make_audit_answered_once(
    *,
    conducted,
    answered_on,
    board="ASN",
    title="Granskning av upphandlingen",
    status=Status.IN_PROGRESS,
):
    """An audit dated ``conducted`` (as people write it: "2021", "maj 2021"; None for an
    audit without a date), with one recommendation that ``board`` answered once, in a
    response decided on ``answered_on``."""
    board = _board(board)
    audit = make_audit(title=title, boards=[board], conducted_from=conducted)
    response = make_response(
        board=board, round=make_round(audit, sequence=1), decision_date=answered_on
    )
    recommendation = make_recommendation(audit, addressed_to=[board])
    make_entry(response, recommendation, status=status, narrative="Arbetet har börjat.")
    return SimpleNamespace(
        audit=audit, board=board, recommendation=recommendation, response=response
    )


def make_recent_and_imported_responses():
    """An audit's answers of 2019 and autumn 2020 imported from the documents (no
    publication time, 2020's dated by its document alone) and one published here this
    week: the order every "latest published" list shows them in (this week's, 2020's,
    2019's)."""
    world = make_tracked_audit(n_recommendations=1)
    r2019, r2020 = world.responses
    for imported in world.responses:
        imported.published_at = None  # imported from the documents
        imported.save()
    r2020.decision_date = None
    r2020.document = FuzzyDate.parse("hösten 2020")
    r2020.save()
    this_week = make_response(
        board=world.board, round=make_round(world.audit, sequence=3), decision_date=None
    )
    this_week.published_at = timezone.now() - dt.timedelta(days=2)
    this_week.save()
    return [this_week, r2020, r2019]


# ---- A small world for the staff and auditor tests (the `world` and `draft` fixtures) ----
# Two boards, an audit with a published first round and an open second one, one user per role.

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class World:
    municipality: Municipality
    board_a: Board
    board_b: Board
    audit: Audit
    round1: FollowUpRound
    round2: FollowUpRound
    rec1: Recommendation
    rec2: Recommendation
    rec_b: Recommendation
    published_a: Response
    open_measure: Measure
    done_measure: Measure
    staff_a: object
    staff_b: object
    auditor: object
    admin: object


def build_world() -> World:
    malmo = Municipality.objects.create(name="Malmö stad", slug="malmo")
    auditors = Board.objects.create(
        municipality=malmo, name="Revisorskollegiet", short_code="SR", kind=Board.Kind.AUDITORS
    )
    board_a = Board.objects.create(
        municipality=malmo, name="Arbetsmarknads- och socialnämnden", short_code="ASN"
    )
    board_b = Board.objects.create(municipality=malmo, name="Servicenämnden", short_code="SN")
    audit = Audit.objects.create(
        municipality=malmo, reference="SR-2018-71", title="Arbetsmarknadsinsatser", auditor=auditors
    )
    audit.audited_boards.set([board_a, board_b])
    round1 = FollowUpRound.objects.create(
        audit=audit, sequence=1, kind=FollowUpRound.Kind.FIRST_RESPONSE, title="Första yttrande"
    )
    round2 = FollowUpRound(
        audit=audit,
        sequence=2,
        kind=FollowUpRound.Kind.STATUS_DESCRIPTION,
        title="Lägesbeskrivning",
        requested_by="Revisorskollegiet",
        is_open=True,
    )
    round2.deadline = FuzzyDate.parse("2099-09-30")
    round2.save()
    rec1 = make_recommendation(audit, position=1, addressed_to=[board_a], answered_by=[board_a])
    rec2 = make_recommendation(audit, position=2, addressed_to=[board_a], answered_by=[board_a])
    rec_b = make_recommendation(audit, position=3, addressed_to=[board_b], answered_by=[board_b])
    published_a = Response.objects.create(
        board=board_a,
        round=round1,
        title="ASN yttrande 2019",
        state=Response.State.PUBLISHED,
        decision_date=dt.date(2019, 2, 22),
        published_at=timezone.now() - dt.timedelta(days=2000),
    )
    entry1 = ResponseEntry.objects.create(
        response=published_a, recommendation=rec1, status=Status.PLANNED, narrative="Planerat."
    )
    ResponseEntry.objects.create(
        response=published_a, recommendation=rec2, status=Status.IN_PROGRESS
    )
    open_measure = Measure(
        recommendation=rec1,
        board=board_a,
        title="Ny rutin för uppföljning",
        responsible="Enheten för stöd",
        status=Status.PLANNED,
        announced_in=entry1,
    )
    open_measure.due = FuzzyDate.parse("maj 2026")
    open_measure.save()
    done_measure = Measure(
        recommendation=rec1,
        board=board_a,
        title="Utbildning av handläggare",
        status=Status.IMPLEMENTED,
        announced_in=entry1,
    )
    done_measure.completed = FuzzyDate.parse("2019")
    done_measure.save()
    MeasureUpdate.objects.create(measure=open_measure, entry=entry1, status=Status.PLANNED)
    return World(
        municipality=malmo,
        board_a=board_a,
        board_b=board_b,
        audit=audit,
        round1=round1,
        round2=round2,
        rec1=rec1,
        rec2=rec2,
        rec_b=rec_b,
        published_a=published_a,
        open_measure=open_measure,
        done_measure=done_measure,
        staff_a=make_user("anna", groups=[STAFF_GROUP], boards=[board_a]),
        staff_b=make_user("bertil", groups=[STAFF_GROUP], boards=[board_b]),
        auditor=make_user("revisor", groups=[AUDITOR_GROUP]),
        admin=make_user("admin", groups=[ADMIN_GROUP], is_staff=True),
    )


def edit_page_data(response, **overrides) -> dict:
    """The POST of the edit page as a browser would send it with nothing changed."""
    from responses.edit_page import EditPage

    page = EditPage(response)
    data = {}
    for form in page.forms():
        if hasattr(form, "management_form"):
            for field in form.management_form:
                data[field.html_name] = field.value()
            for sub in form:
                for field in sub:
                    data[field.html_name] = field.value() or ""
            continue
        for field in form:
            value = field.value()
            data[field.html_name] = field.field.prepare_value(value) if value is not None else ""
    data.update(overrides)
    return data


def save_edit_page(client, user, draft, **fields) -> None:
    """`user` saves the draft's edit page with `fields` changed from what it shows, and the
    save succeeds (a page with errors fails the test, naming them)."""
    client.force_login(user)
    draft.refresh_from_db()
    page = client.post(
        reverse("responses:response_edit", args=[draft.pk]), edit_page_data(draft, **fields)
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    client.logout()


def admin_page_data(page) -> dict:
    """The POST of an admin change page (its form and inlines) as a browser would send it
    with nothing changed."""

    def data_of(form) -> dict:
        data = {}
        for field in form:
            value = field.value()
            if value is None or value is False or hasattr(value, "field"):
                continue  # empty, unchecked, or a file field
            data[field.html_name] = value
        return data

    data = data_of(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(data_of(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(data_of(form))
    return data


# ---- A realistic sample for page and browser tests ----
# Modelled on the seed documents: the PwC audit of labour-market measures (SR-2018-71) of the
# labour-market and social board (ASN), its first response of 2019-02-22, a follow-up on the
# measures taken in 2019, and an open round for a status description. ``text`` is appended to
# every free-text field (for hostile input).


@dataclass
class Sample:
    municipality: Municipality
    asn: Board
    service_board: Board
    auditors: Board
    audit: Audit
    first_round: FollowUpRound
    second_round: FollowUpRound
    open_round: FollowUpRound
    rec_1: Recommendation
    rec_2: Recommendation
    first_response: Response
    second_response: Response
    measure: Measure


def build_sample(*, text: str = "") -> Sample:
    """Create the sample; ``text`` is appended to every free-text field (for hostile input)."""
    malmo = Municipality.objects.create(name="Malmö stad", slug="malmo")
    asn = Board.objects.create(
        municipality=malmo, name="Arbetsmarknads- och socialnämnden", short_code="ASN"
    )
    service_board = Board.objects.create(municipality=malmo, name="Servicenämnden", short_code="SN")
    auditors = Board.objects.create(
        municipality=malmo, name="Revisorskollegiet", short_code="REV", kind=Board.Kind.AUDITORS
    )
    audit = Audit.objects.create(
        municipality=malmo,
        reference="SR-2018-71",
        title="Granskning av arbetsmarknadsinsatser" + text,
        auditor=auditors,
        firm="PwC",
        conducted_from_date=datetime.date(2018, 1, 1),
        conducted_from_precision=Precision.YEAR,
        summary="Granskningen av nämndens arbetsmarknadsinsatser." + text,
    )
    audit.audited_boards.add(asn)
    first_round, second_round, open_round = (
        FollowUpRound.objects.create(
            audit=audit,
            sequence=sequence,
            kind=kind,
            title=title + text,
            requested_by="Revisorskollegiet",
            deadline_date=deadline,
            deadline_precision=Precision.DAY,
            is_open=is_open,
        )
        for sequence, kind, title, deadline, is_open in (
            (1, FollowUpRound.Kind.FIRST_RESPONSE, "Yttrande över revisionsrapporten",
             datetime.date(2019, 2, 22), False),
            (2, FollowUpRound.Kind.MEASURES_TAKEN, "Uppföljning av vidtagna åtgärder",
             datetime.date(2019, 9, 30), False),
            (3, FollowUpRound.Kind.STATUS_DESCRIPTION, "Lägesbeskrivning",
             datetime.date(2026, 12, 31), True),
        )
    )  # fmt: skip
    rec_1 = Recommendation.objects.create(
        audit=audit,
        position=1,
        label="Rekommendation 1",
        text="Säkerställ en gemensam uppföljning av deltagarnas resultat." + text,
    )
    rec_2 = Recommendation.objects.create(
        audit=audit,
        position=2,
        label="Rekommendation 2",
        text="Tydliggör ansvarsfördelningen mellan förvaltningarna." + text,
    )
    for recommendation in (rec_1, rec_2):
        recommendation.addressed_to.add(asn)
        recommendation.answered_by.add(asn)
    first_response = Response.objects.create(
        board=asn,
        round=first_round,
        title="Yttrande över revisionsrapport om arbetsmarknadsinsatser" + text,
        diary_number="ASN-2018-22109",
        decision_date=datetime.date(2019, 2, 22),
        decided_by="Arbetsmarknads- och socialnämnden",
        state=Response.State.PUBLISHED,
    )
    ResponseEntry.objects.create(
        response=first_response,
        recommendation=rec_1,
        status=Status.PLANNED,
        narrative="Nämnden ska ta fram ett uppföljningssystem för deltagarna." + text,
    )
    ResponseEntry.objects.create(
        response=first_response,
        recommendation=rec_2,
        status=Status.IN_PROGRESS,
        narrative="En samverkansöverenskommelse förbereds." + text,
    )
    second_response = Response.objects.create(
        board=asn,
        round=second_round,
        title="Uppföljning av vidtagna åtgärder" + text,
        diary_number="ASN-2019-1234",
        decision_date=datetime.date(2019, 9, 24),
        state=Response.State.PUBLISHED,
        summary="Nämnden redovisar vidtagna åtgärder." + text,
    )
    entry = ResponseEntry.objects.create(
        response=second_response,
        recommendation=rec_1,
        status=Status.IN_PROGRESS,
        narrative="Uppföljningssystemet Stratsys införs under hösten." + text,
    )
    ResponseEntry.objects.create(
        response=second_response,
        recommendation=rec_2,
        status=Status.IMPLEMENTED,
        narrative="Samverkansöverenskommelsen är beslutad." + text,
    )
    measure = Measure.objects.create(
        recommendation=rec_1,
        board=asn,
        title="Införa Stratsys för deltagaruppföljning" + text,
        description="Ett gemensamt system för resultatuppföljning." + text,
        responsible="Avdelningen för arbetsmarknad" + text,
        status=Status.IN_PROGRESS,
        due_date=datetime.date(2020, 1, 1),
        due_precision=Precision.TERM,
        announced_in=entry,
    )
    return Sample(
        municipality=malmo,
        asn=asn,
        service_board=service_board,
        auditors=auditors,
        audit=audit,
        first_round=first_round,
        second_round=second_round,
        open_round=open_round,
        rec_1=rec_1,
        rec_2=rec_2,
        first_response=first_response,
        second_response=second_response,
        measure=measure,
    )


def make_town(name, slug, code, marker):
    """A municipality with one board, an audit with an open round, one recommendation and a
    submitted response whose title and text carry ``marker``."""
    municipality = make_municipality(name=name, slug=slug)
    board = make_board(short_code=code, municipality=municipality)
    audit = make_audit(municipality=municipality, boards=[board], title=f"Granskning i {name}")
    round_ = make_round(audit, sequence=1, is_open=True)
    recommendation = make_recommendation(audit, addressed_to=[board])
    submitted = make_response(
        board=board, round=round_, state=Response.State.DRAFT, title=f"Inlämnat {marker}"
    )
    make_entry(submitted, recommendation, narrative=f"Inlämnad text {marker}")
    hand_in(submitted)
    return municipality, board, audit, round_, recommendation, submitted


def hand_in(draft):
    """Hand ``draft`` in as its board's staff do: a change of its state to submitted, the
    moment Att granska counts it from (a response created handed in, as an import makes
    one, counts from the date it is known by)."""
    draft.state = Response.State.SUBMITTED
    draft.save()
    return draft


def publish_new_answer(recommendation, *, board=None, round_=None):
    """A board's new answer on ``recommendation`` (in progress) published as its staff
    publish one, through ``services.publish_response``: the event followers and the
    auditors are told of. ``board`` is the one it is addressed to and ``round_`` a new
    first round unless told; wrap the call in ``django_capture_on_commit_callbacks`` to
    run what publishing sets off on commit."""
    board = board or recommendation.addressed_to.get()
    round_ = round_ or make_round(recommendation.audit, sequence=1)
    draft = make_response(board=board, round=round_, state=Response.State.DRAFT)
    make_entry(draft, recommendation, status=Status.IN_PROGRESS, narrative="Arbetet pågår.")
    services.publish_response(
        response=draft,
        expected_version=draft.version,
        user=None,
        decision_date=dt.date(2026, 3, 1),
        diary_number="ASN-2026-1",
    )
    return draft
