"""Plan the outbox from the data: which reminders are due today, for whom.

The rules about the data are not repeated here: which boards still owe a reply and which
measures are overdue come from recommendations/attention.py (the *Att granska* page),
which rests on ``Measure.objects.overdue`` and the fuzzy-date rules (a date of uncertain
precision is due at the end of its period). This module only decides the stage of each
reminder and who hears of it, in a fixed number of queries whatever the data's size.

Stages, counted from the last day of the date's period (``FuzzyDate.end``), in the days of
``recommendations.reminders.SCHEDULE`` (the one schedule the auditors' form and the mails
tell of too):

* a round opened for answers (``FollowUpRound.opened_on``): the boards it asks hear that
  the auditors ask for an answer, and by when, the day it opens (board staff);
* a round's reply deadline: 14 days ahead, 3 days ahead, the day after it passed
  (board staff), and 14 days late (escalation to the auditors and the board's contact);
* a measure: due within 14 days, overdue (board staff), 30 days overdue (escalation).

A reminder is keyed on its object AND the date as it stands, so a moved date makes a
new reminder and the old one is cancelled before it goes.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from recommendations import attention, roles
from recommendations.reminders import SCHEDULE

from .models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Kind,
    Notification,
    Preference,
    Profile,
    writes_to,
)

SOON_DAYS = SCHEDULE.measure_soon
# The stages' names are stored on the outbox's rows (``Notification.stage``) and name the
# mails' sections; their days are the schedule's.
DEADLINE_STAGES = (
    ("deadline_14", -SCHEDULE.early_reminder),
    ("deadline_3", -SCHEDULE.last_reminder),
)
DEADLINE_PASSED_AFTER = SCHEDULE.late_reminder
REPLY_ESCALATION_AFTER = SCHEDULE.reply_escalation
MEASURE_ESCALATION_AFTER = SCHEDULE.measure_escalation
# Kinds whose reminders planning both creates and withdraws; the others (the auditors'
# digest, new answers for followers) are created once and only checked at send time.
PLANNED_KINDS = (Kind.BOARD_REMINDER, Kind.ESCALATION)


@dataclass
class Plan:
    today: dt.date
    rows: list[Notification] = field(default_factory=list)
    created: int = 0
    cancelled: int = 0


def _catch_up() -> int:
    return settings.NOTIFICATIONS_CATCH_UP_DAYS


def _within(days_since_trigger: int) -> bool:
    """Whether a reminder triggered that many days ago is still worth sending."""
    return 0 <= days_since_trigger <= _catch_up()


def deadline_stage(days_late: int) -> str | None:
    """The board staff's reminder stage for a reply ``days_late`` (negative: ahead)."""
    if days_late >= DEADLINE_PASSED_AFTER:
        return "deadline_passed" if _within(days_late - DEADLINE_PASSED_AFTER) else None
    for stage, offset in reversed(DEADLINE_STAGES):
        if days_late >= offset:
            return stage
    return None


def replies_to_chase(today: dt.date, *, round_ids=None):
    """The replies a reminder may be about on ``today``: owed to a round whose deadline
    ends within the first reminder's days (``SCHEDULE.early_reminder``) or has passed
    (``attention.missing_responses``), while the round is open for answers. Staff answer
    only an open round (``FollowUpRound.objects.open_for``): one the auditors have closed
    asks nothing more of its boards, and its late reply is no longer escalated (*Att
    granska* still lists it as missing). The outbox asks the same, for its rows' rounds,
    just before it sends: closing a round withdraws its waiting reminders."""
    horizon = today + dt.timedelta(days=SCHEDULE.early_reminder + 1)
    return [
        item
        for item in attention.missing_responses(horizon, None, round_ids=round_ids)
        if item.round.is_open and item.round.deadline is not None
    ]


OPENED_STAGE = "round_opened"


def rounds_to_announce(today: dt.date, *, round_ids=None):
    """The replies a round opened lately asks for (within the catch-up days of the day it
    opened), while it is still open and its deadline has not passed
    (``FollowUpRoundQuerySet.awaiting_answers``, *Att granska*'s rule of what is still
    awaited): the news that the auditors ask for an answer. The outbox asks the same,
    for its rows' rounds, just before it sends: a round closed again, or answered,
    withdraws its announcement."""
    from recommendations.models import FollowUpRound

    rounds = FollowUpRound.objects.awaiting_answers(today).filter(
        opened_on__gte=today - dt.timedelta(days=_catch_up()),
        opened_on__lte=today,
    )
    if round_ids is not None:
        rounds = rounds.filter(pk__in=round_ids)
    return attention.owed_responses(rounds)


def round_due_text(round_) -> str:
    """A round's deadline as its reminders store it ("" for a round without one)."""
    return round_.deadline.as_text() if round_.deadline else ""


def measures_to_chase(today: dt.date):
    """The measures a reminder may be about on ``today``: public, not settled, on an open
    recommendation, due within ``SOON_DAYS`` or overdue (``attention.overdue_measures``).
    The outbox asks the same, for its rows' measures, just before it sends."""
    return attention.overdue_measures(today + dt.timedelta(days=SOON_DAYS + 1), None)


def escalation_recipients(board, auditors_by_municipality, people) -> list:
    """Whom an escalation about ``board`` goes to, of ``people`` ({user id: user}): the
    auditors of the board's municipality (``auditors_by_municipality``: {municipality id:
    user ids} of those ``roles.gets_auditor_mail`` is true of) and the board's contact
    person. The planner asks it with everybody it writes to, loaded at once; the outbox,
    through ``still_writes_to``, with the one user of a row before it sends."""
    chosen = [
        people[pk] for pk in auditors_by_municipality.get(board.municipality_id, ()) if pk in people
    ]
    if board.contact_id and board.contact_id in people:
        chosen.append(people[board.contact_id])
    return chosen


def still_writes_to(row: Notification) -> bool:
    """Whether the planner would still write to this row's recipient about it: an active
    user with an address the mail server has not refused (``models.writes_to``), and for
    a board reminder one of the board's staff
    (``roles.staff_board_ids``), for an escalation one of ``escalation_recipients``, for
    the auditors' digest an auditor (``roles.gets_auditor_mail``).
    The outbox asks it before it sends a row planned earlier: a mail waiting for Monday,
    or after a failed send, goes to nobody who has since left the role."""
    user = row.recipient
    profile = getattr(user, "notification_profile", None)
    if not writes_to(user, profile.refused_email if profile else ""):
        return False
    if row.kind == Kind.BOARD_REMINDER:
        return row.board_id in roles.staff_board_ids(user)
    if row.kind == Kind.ESCALATION:
        auditing = {roles.municipality_id(user): [user.pk]} if roles.gets_auditor_mail(user) else {}
        return user in escalation_recipients(row.board, auditing, {user.pk: user})
    if row.kind == Kind.AUDITOR_DIGEST:
        return roles.gets_auditor_mail(user)
    return True


class _Planner:
    def __init__(self, today: dt.date):
        self.today = today
        self.rows: dict[str, Notification] = {}
        self.catch_up = _catch_up()
        self.refused: dict[int, str] = {}  # {user id: address refused for good}

    def add(self, user, frequencies, *, kind, stage, group, key, **objects):
        if not writes_to(user, self.refused.get(user.pk, "")):
            return
        frequency = frequencies.get((user.pk, kind), DEFAULT_FREQUENCY[kind])
        if frequency == Frequency.OFF:
            return
        key = f"{kind}:{user.pk}:{key}"
        self.rows.setdefault(
            key,
            Notification(
                recipient=user,
                email=user.email,
                kind=kind,
                stage=stage,
                group=group,
                key=key,
                send_after=frequency.send_after(self.today),
                **objects,
            ),
        )

    def build(self) -> list[Notification]:
        today = self.today
        late_replies = replies_to_chase(today)
        openings = rounds_to_announce(today)
        # Every measure whose period ends between the escalation window and 14 days
        # ahead, not settled, on an open recommendation (``overdue_measures``): one query.
        # The oldest ended ``MEASURE_ESCALATION_AFTER`` + catch-up days ago, the last day
        # its escalation may still go (``_within``); those overdue on that day are older.
        oldest = today - dt.timedelta(days=MEASURE_ESCALATION_AFTER + self.catch_up)
        # Every municipality, and measures everybody may see: those a published response
        # announced (a draft's or a submitted response's measures are not decided yet).
        measures = list(
            measures_to_chase(today)
            .exclude(pk__in=attention.overdue_measures(oldest, None).values("pk"))
            .select_related("board")
            # ``is_overdue`` asks whether a shared measure serves an open recommendation,
            # and whether the measure is public (every one here is).
            .prefetch_related("also_serves")
            .with_publicity()
        )
        boards = {item.board.pk: item.board for item in [*late_replies, *openings]}
        boards.update({measure.board_id: measure.board for measure in measures})

        User = get_user_model()
        staff = defaultdict(list)
        for board_id, user in roles.staff_of_boards(boards):
            staff[board_id].append(user)
        # The municipality's auditors: Revisorer members of that municipality (Membership,
        # the same rule that scopes what they read).
        auditors = list(roles.auditor_mail_recipients())
        auditors_by_municipality = defaultdict(list)
        for auditor in auditors:
            auditors_by_municipality[auditor.membership.municipality_id].append(auditor.pk)
        contact_ids = {board.contact_id for board in boards.values() if board.contact_id}
        people = {user.pk: user for user in auditors}
        people.update(User.objects.in_bulk(contact_ids - people.keys()))
        everyone = {user.pk for users in staff.values() for user in users} | people.keys()
        frequencies = Preference.objects.frequencies(everyone)
        self.refused = Profile.objects.refused_addresses(everyone)

        def escalated_to(board):
            return escalation_recipients(board, auditors_by_municipality, people)

        reminded = set()  # (round, board) with a deadline reminder: it says it all
        for item in late_replies:
            board, round_ = item.board, item.round
            deadline = round_.deadline
            days_late = (today - deadline.end).days
            objects = {
                "board": board,
                "round": round_,
                "due_date": deadline.end,
                "due_text": deadline.as_text(),
            }
            event = f"round:{round_.pk}:board:{board.pk}:{deadline.as_text()}"
            group = f"board:{board.pk}"
            stage = deadline_stage(days_late)
            if stage:
                reminded.add((round_.pk, board.pk))
                for user in staff[board.pk]:
                    self.add(
                        user,
                        frequencies,
                        kind=Kind.BOARD_REMINDER,
                        stage=stage,
                        group=group,
                        key=f"{event}:{stage}",
                        **objects,
                    )
            if _within(days_late - REPLY_ESCALATION_AFTER):
                for user in escalated_to(board):
                    self.add(
                        user,
                        frequencies,
                        kind=Kind.ESCALATION,
                        stage="reply_late",
                        group=group,
                        key=event,
                        **objects,
                    )

        for item in openings:
            board, round_ = item.board, item.round
            if (round_.pk, board.pk) in reminded:
                continue
            for user in staff[board.pk]:
                self.add(
                    user,
                    frequencies,
                    kind=Kind.BOARD_REMINDER,
                    stage=OPENED_STAGE,
                    group=f"board:{board.pk}",
                    # Opened again later (closed by mistake, say): announced again.
                    key=f"round:{round_.pk}:board:{board.pk}:opened:{round_.opened_on}",
                    board=board,
                    round=round_,
                    due_date=round_.deadline.end if round_.deadline else None,
                    due_text=round_due_text(round_),
                )

        for measure in measures:
            due = measure.due
            objects = {
                "board": measure.board,
                "measure": measure,
                "due_date": due.end,
                "due_text": due.as_text(),
            }
            event = f"measure:{measure.pk}:{due.as_text()}"
            group = f"board:{measure.board_id}"
            days = measure.days_overdue(today)
            if days:
                stage = "overdue" if _within(days - 1) else None
                if _within(days - MEASURE_ESCALATION_AFTER):
                    for user in escalated_to(measure.board):
                        self.add(
                            user,
                            frequencies,
                            kind=Kind.ESCALATION,
                            stage="measure_late",
                            group=group,
                            key=event,
                            **objects,
                        )
            else:
                stage = "due_soon"
            if stage:
                for user in staff[measure.board_id]:
                    self.add(
                        user,
                        frequencies,
                        kind=Kind.BOARD_REMINDER,
                        stage=stage,
                        group=group,
                        key=f"{event}:{stage}",
                        **objects,
                    )

        self._plan_auditor_digests(auditors, frequencies)
        return list(self.rows.values())

    def _plan_auditor_digests(self, auditors, frequencies):
        for user in auditors:
            frequency = frequencies.get(
                (user.pk, Kind.AUDITOR_DIGEST), DEFAULT_FREQUENCY[Kind.AUDITOR_DIGEST]
            )
            if frequency == Frequency.WEEKLY:
                year, week, _weekday = self.today.isocalendar()
                period = f"{year}-W{week:02d}"
                send_after = self.today - dt.timedelta(days=self.today.weekday())
            else:
                period = self.today.isoformat()
                send_after = self.today
            self.add(
                user,
                frequencies,
                kind=Kind.AUDITOR_DIGEST,
                stage=frequency,
                group="attention",
                key=period,
            )
            row = self.rows.get(f"{Kind.AUDITOR_DIGEST}:{user.pk}:{period}")
            if row is not None:
                row.send_after = send_after


def plan(today: dt.date) -> Plan:
    """What is due ``today``, as unsaved outbox rows (nothing is written)."""
    return Plan(today=today, rows=_Planner(today).build())


@transaction.atomic
def write_plan(today: dt.date, *, dry_run: bool = False) -> Plan:
    """Add the planned rows that are new and cancel waiting reminders the data no longer
    asks for (a settled measure, a moved date, an answered round, a choice turned off).

    Idempotent on ``Notification.key``: rows already in the outbox, sent or not, are
    left alone, and a concurrent run's rows are skipped by the unique constraint
    (bulk_create with ignore_conflicts keeps the query count independent of the data).
    """
    result = plan(today)
    wanted = {row.key for row in result.rows}
    existing = set(Notification.objects.filter(key__in=wanted).values_list("key", flat=True))
    new_rows = [row for row in result.rows if row.key not in existing]
    waiting = Notification.objects.pending().filter(kind__in=PLANNED_KINDS)
    stale = [pk for pk, key in waiting.values_list("pk", "key") if key not in wanted]
    result.created, result.cancelled = len(new_rows), len(stale)
    if not dry_run:
        Notification.objects.bulk_create(new_rows, ignore_conflicts=True)
        Notification.objects.filter(pk__in=stale).update(cancelled_at=timezone.now())
    return result
