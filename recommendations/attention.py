"""What needs the auditors' attention ("Att granska"), each part a fixed number of queries.

Each part is limited to the auditor's own municipality (``roles.scope``). With ``user``
None the parts cover every municipality and what everybody may see: the scheduled
reminders (``notifications/planning.py``) act for the whole installation, not for a
person."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import roles, tenancy
from .models import Board, FollowUpRound


def _scope(model, user):
    """``model``'s rows of the user's municipality (``tenancy.condition``); every row for
    ``user`` None."""
    return roles.EVERYTHING if user is None else tenancy.condition(model, user)


def arrived_responses(since: dt.date | dt.datetime, user, until: dt.datetime | None = None):
    """Responses submitted or published since ``since`` (the first time they left draft):
    from the start of that day, or from that moment (a digest reporting from where the
    last one ended), and with ``until`` before that moment (a digest's half-open window,
    [since, until): the next starts at its ``until``, so each response is in one).

    One query: the moment a response was first handed in is read from its history (a
    change to submitted; one created handed in, by an import or in the admin, was not
    handed in then, and the day it was loaded is no news to the auditors); a response
    published directly counts from its publication; an imported one, which has neither,
    from the date it is known by (``Response.date_of``: its decision date, else its
    document's).
    """
    from responses.models import Response

    first_submitted = (
        Response.history.filter(id=OuterRef("pk"), state=Response.State.SUBMITTED, history_type="~")
        .order_by("history_date")
        .values("history_date")[:1]
    )
    if isinstance(since, dt.datetime):
        start, since = since, timezone.localdate(since)
    else:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    arrived = Q(arrived_at__gte=start)
    # Imported responses have no publication time; the date they are known by stands in,
    # in whole days: [the day of since, the day of until).
    known = Q(arrived_at__isnull=True, known_on__gte=since)
    if until is not None:
        arrived &= Q(arrived_at__lt=until)
        known &= Q(known_on__lt=timezone.localdate(until))
    return (
        Response.objects.visible_to(user)
        .handed_in()
        .filter(_scope(Response, user))
        .annotate(
            arrived_at=Coalesce(Subquery(first_submitted), F("published_at")),
            known_on=Response.date_expression(),
        )
        .filter(arrived | known)
        # board__municipality: each links to its page (``get_absolute_url``).
        .select_related("board__municipality", "round__audit")
        .order_by(F("arrived_at").desc(nulls_last=True), F("known_on").desc(nulls_last=True))
    )


def overdue_measures(today: dt.date, user):
    """Measures overdue (``MeasureQuerySet.overdue``: public, past their due period, not
    settled, on an open recommendation) that the user may see (the same rule as every
    other page: ``Measure.objects.visible_to``); disagreements and missing replies
    likewise ask for open recommendations."""
    from responses.models import Measure

    visible = Measure.objects.public() if user is None else Measure.objects.visible_to(user)
    return (
        visible.filter(_scope(Measure, user))
        .overdue(today)
        .select_related("board", "recommendation__audit")
        .order_by("due_date", "pk")
    )


def disagreements(user):
    """Open recommendations where a board's own status differs from the auditors' latest
    assessment: one line per board, read from the stored standings."""
    from responses.models import BoardStanding

    return (
        BoardStanding.objects.filter(disagrees=True, is_open=True)
        .filter(_scope(BoardStanding, user))
        .select_related("recommendation__audit", "board")
        .order_by("recommendation__audit_id", "recommendation__position", "board__name")
    )


@dataclass(frozen=True)
class MissingResponse:
    round: FollowUpRound
    board: Board


def missing_responses(today: dt.date, user, *, round_ids=None) -> list[MissingResponse]:
    """Rounds whose deadline has passed without a response from a board they ask
    (``FollowUpRoundQuerySet.asking_any_of``'s rule): every board a round names (the
    auditors asked it, a consultation's too, whether or not it answers a
    recommendation); in a round naming none, every board that answers one of the audit's
    recommendations, while one it answers is open (its standings' ``must_answer``): a
    board whose recommendations are all closed owes that round nothing more. Five
    queries: rounds, the boards they name, answering boards, responses given, and the
    boards.
    ``round_ids`` limits it to those rounds (the outbox asks again, just before sending,
    whether a reminder's reply is still owed)."""
    rounds = FollowUpRound.objects.past_deadline(today)
    if round_ids is not None:
        rounds = rounds.filter(pk__in=round_ids)
    return owed_responses(rounds.filter(_scope(FollowUpRound, user)))


def awaited_responses(today: dt.date, user) -> list[MissingResponse]:
    """The answers the open rounds of the user's municipality still wait for before their
    deadline (or without one): what is coming, beside ``missing_responses``, what is
    late. Five queries (``owed_responses``)."""
    rounds = FollowUpRound.objects.awaiting_answers(today)
    return owed_responses(rounds.filter(_scope(FollowUpRound, user)))


def waiting_boards(rounds) -> dict[int, list[Board]]:
    """{round id: the boards it asks that have handed in nothing yet}, for ``rounds``
    (``owed_responses``'s rule): what the auditors wait for in a round still open."""
    waiting = defaultdict(list)
    for item in owed_responses(rounds):
        waiting[item.round.pk].append(item.board)
    return waiting


def asked_boards(rounds) -> list[tuple[FollowUpRound, list[Board]]]:
    """Each of ``rounds`` (a FollowUpRound QuerySet), earliest deadline first, with the
    boards it asks, by name: those it names (``FollowUpRound.asks``), else every board
    answering an open recommendation of its audit (``BoardStanding.objects.owing_answers``). The
    rule of whom a round asks, in bulk (``FollowUpRound.objects.asking_any_of`` asks it
    in SQL of some boards): ``owed_responses`` leaves out those that have handed in, the
    municipality's calendar names them all. Four queries."""
    from responses.models import BoardStanding

    rounds = list(
        rounds.select_related("audit__municipality").order_by(  # *Att granska* links each audit
            "deadline_date", "pk"
        )
    )
    audit_ids = {round_.audit_id for round_ in rounds}
    named = defaultdict(set)
    for round_id, board_id in FollowUpRound.asks.through.objects.filter(
        followupround__in=rounds
    ).values_list("followupround_id", "board_id"):
        named[round_id].add(board_id)
    answering = set(
        BoardStanding.objects.owing_answers()
        .filter(recommendation__audit_id__in=audit_ids)
        .values_list("recommendation__audit_id", "board_id")
    )
    boards = Board.objects.select_related("municipality").in_bulk(
        {board_id for _audit_id, board_id in answering}.union(*named.values())
    )
    asked = []
    for round_ in rounds:
        board_ids = named.get(round_.pk)
        if board_ids is None:
            board_ids = {board for audit, board in answering if audit == round_.audit_id}
        asked.append((round_, sorted((boards[pk] for pk in board_ids), key=lambda b: b.name)))
    return asked


def owed_responses(rounds) -> list[MissingResponse]:
    """(round, board) for each board that ``rounds`` (a FollowUpRound QuerySet) ask
    (``asked_boards``) and that has handed in no response to it yet:
    ``missing_responses``'s rule, for any rounds (the reminders announce a newly opened
    round with it). Five queries."""
    from responses.models import Response

    asked = asked_boards(rounds)
    answered = set(
        Response.objects.handed_in()
        .filter(round__in=[round_ for round_, _boards in asked])
        .values_list("round_id", "board_id")
    )
    return [
        MissingResponse(round=round_, board=board)
        for round_, boards in asked
        for board in boards
        if (round_.pk, board.pk) not in answered
    ]
