"""Send what the outbox holds: one mail per recipient, kind and group, each in its own
transaction.

For each mail the waiting rows are locked (``select_for_update(skip_locked=True)``: a
second sender running at the same time skips them), checked once more against the data
(a settled measure, a moved date, an answered round, a choice turned off or an
unpublished answer cancels them), sent, and marked sent before the transaction commits.
A crash between two mails leaves the first marked and the rest waiting: the next run
sends only the rest. A mail that cannot be written or sent waits for the next run and holds
back no other, unless the mail server refused it for good (``refusal``): then its rows are
marked refused, with the server's answer, and never tried again; an address refused so
is written to no more (a follower's is removed with its follows, a user's kept on their
profile until it changes: ``_refuse``). (The one window no outbox can close is a crash
after the SMTP server accepted a mail and before the commit; that mail would go again.)
"""

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from recommendations import attention
from recommendations.reminders import SCHEDULE

from . import mail, planning
from .models import Follower, Frequency, Kind, Language, Notification, Preference, Profile

logger = logging.getLogger(__name__)

DIGEST_LIMIT = 20


@dataclass
class SendResult:
    mails: list = field(default_factory=list)
    cancelled: int = 0
    failed: int = 0
    refused: int = 0


def _language(row: Notification) -> str:
    if row.follower_id:
        return row.follower.language
    profile = getattr(row.recipient, "notification_profile", None)
    return profile.language if profile else Language.SWEDISH


def _still_wanted(rows: list[Notification], today: dt.date) -> tuple[list, list]:
    """Split the rows into those still true of the data and those to cancel.

    The reminders ask the planner's own questions again (``planning.measures_to_chase``,
    ``planning.replies_to_chase``), for these rows' objects only: a measure settled,
    closed or moved, or a reply handed in or no longer owed since the plan was written,
    cancels its row; so does a recipient who has left the role the mail was planned for
    (``planning.still_writes_to``). A followed answer must still be public."""
    first = rows[0]
    if (
        first.recipient_id
        and first.kind != Kind.NEW_ANSWER
        and (
            not planning.still_writes_to(first)
            or Preference.frequency_for(first.recipient, first.kind) == Frequency.OFF
        )
    ):
        return [], rows
    measure_ids = {row.measure_id for row in rows if row.measure_id}
    chased_due = {}
    if measure_ids:
        chased_due = {
            measure.pk: measure.due.as_text()
            for measure in planning.measures_to_chase(today).filter(pk__in=measure_ids)
        }
    round_ids = {row.round_id for row in rows if row.round_id}
    owed_deadline, announced = {}, {}
    if round_ids:
        owed_deadline = {
            (item.round.pk, item.board.pk): item.round.deadline.as_text()
            for item in planning.replies_to_chase(today, round_ids=round_ids)
        }
    opened_ids = {row.round_id for row in rows if row.stage == planning.OPENED_STAGE}
    if opened_ids:
        announced = {
            (item.round.pk, item.board.pk): planning.round_due_text(item.round)
            for item in planning.rounds_to_announce(today, round_ids=opened_ids)
        }
    keep, drop = [], []
    for row in rows:
        if row.measure_id:
            wanted = chased_due.get(row.measure_id) == row.due_text
        elif row.round_id:
            owed = announced if row.stage == planning.OPENED_STAGE else owed_deadline
            wanted = owed.get((row.round_id, row.board_id)) == row.due_text
        elif row.response_id:
            wanted = row.response.is_public
        else:
            wanted = True
        (keep if wanted else drop).append(row)
    return keep, drop


def _address(row: Notification) -> str:
    """Where the mail goes: a user's address as it is now (an admin may have corrected it
    since the row was planned: the old mailbox may be someone else's), a follower's the
    one they confirmed."""
    return row.recipient.email if row.recipient_id else row.email


def _dated(row: Notification):
    return {"row": row, "due": FuzzyDate.parse(row.due_text) if row.due_text else None}


def _board_context(rows, today):
    by_stage = {}
    for row in sorted(rows, key=lambda r: (r.due_date or today, r.pk or 0)):
        item = _dated(row)
        # How many days late it is, 0 while it is not, for both the mail's forms: a
        # measure by its own rule (never while settled or its recommendation closed), a
        # reply once its deadline's whole period has passed.
        if row.measure_id:
            item["days_late"] = row.measure.days_overdue(today)
        elif row.round_id and item["due"]:
            item["days_late"] = item["due"].days_overdue(today)
        # And how many days are left until the last day of its period, which the mail
        # says in words (today, tomorrow, in 3 days): "within three days" is not enough
        # on the last day of a round.
        if item["due"] and not item.get("days_late"):
            item["days_left"] = max((item["due"].end - today).days, 0)
        by_stage.setdefault(row.stage, []).append(item)
    # Whether anything in it reminds: a mail that only tells of a newly opened round is
    # news, and its subject and first line say so (the board_reminder templates).
    reminds = any(stage != planning.OPENED_STAGE for stage in by_stage)
    return {"board": rows[0].board, "stages": by_stage, "reminds": reminds}


# How long a response may take from the moment it is stamped handed in to its commit: a
# digest reports only what arrived before this long before the moment it reads, so a
# response stamped but not yet committed then is reported by the next, not lost.
DIGEST_SETTLE = dt.timedelta(minutes=1)


def _digest_until(now: dt.datetime) -> dt.datetime:
    """Where a digest read at ``now`` ends its report (not included): the same instant
    the send step records on its rows (``reported_until``) when it went."""
    return now - DIGEST_SETTLE


def _planned_since(row: Notification) -> dt.date:
    """The first day a digest row reports on by its plan: the day before the day it was
    planned for, or the Monday a week before its week's (a weekly digest waits for
    Monday)."""
    return row.send_after - dt.timedelta(days=7 if row.stage == Frequency.WEEKLY else 1)


def _digest_since(rows: list[Notification]) -> dt.date | dt.datetime:
    """Where a digest's *arrived* starts: where the user's last digest that went ended
    (its ``reported_until``), so the windows of two digests running meet and never
    overlap: an answer is told once, whenever in the minute around a run it arrived.
    Before any has gone, the first day the earliest of the rows reports on. A digest
    that failed or was refused was not sent: the next one still reports from the last
    that went, and loses nothing."""
    first = rows[0]
    last = Notification.objects.reported_until(first.recipient_id, first.kind)
    if last is not None:
        return last
    return min(_planned_since(row) for row in rows)


def _attention_context(rows, today, now):
    """The digest of *Att granska* for these rows, one mail: what arrived since the last
    digest that went (``_digest_since``) until ``_digest_until(now)``, so a digest held
    back (a failed send, a missed run) still tells what arrived before the day it
    finally goes, and the next one starts where this one ends."""
    row = rows[0]
    weekly = row.stage == Frequency.WEEKLY
    since = _digest_since(rows)
    arrived = attention.arrived_responses(since, row.recipient, until=_digest_until(now))
    sections = {
        "arrived": list(arrived[: DIGEST_LIMIT + 1]),
        "overdue": list(attention.overdue_measures(today, row.recipient)[: DIGEST_LIMIT + 1]),
        "disagreements": list(attention.disagreements(row.recipient)[: DIGEST_LIMIT + 1]),
        "missing": attention.missing_responses(today, row.recipient)[: DIGEST_LIMIT + 1],
    }
    if not any(sections.values()):
        return None
    return {
        "since": since,
        "weekly": weekly,
        "limit": DIGEST_LIMIT,
        "sections": {name: items[:DIGEST_LIMIT] for name, items in sections.items()},
        "more": {name: len(items) > DIGEST_LIMIT for name, items in sections.items()},
        "attention_url": mail.absolute_url("/att-granska/"),
    }


def _compose(rows, today, now):
    first = rows[0]
    language = _language(first)
    if first.kind == Kind.NEW_ANSWER:
        response = first.response
        context = {
            "response": response,
            "response_url": mail.absolute_url(response.get_absolute_url()),
            "follower": first.follower,
            "recommendations": [
                entry.recommendation for entry in response.entries.select_related("recommendation")
            ],
        }
        stop_url = mail.unfollow_url(first.email)
    else:
        if first.kind == Kind.AUDITOR_DIGEST:
            context = _attention_context(rows, today, now)
            if context is None:
                return None
        else:
            context = _board_context(rows, today)
            context["board_url"] = mail.absolute_url(first.board.get_absolute_url())
            # The days its headings name: the schedule the planner counts.
            context["reminders"] = SCHEDULE
            if first.kind == Kind.BOARD_REMINDER:
                # Where the board's staff write the answer and report on the measures:
                # their drafts, the open rounds and the overdue measures, on one page.
                context["responses_url"] = mail.absolute_url(reverse("responses:response_start"))
        context["user"] = first.recipient
        context["account_url"] = mail.absolute_url("/konto/")
        stop_url = mail.unsubscribe_url(first.recipient_id, first.kind)
    context["today"] = today
    return mail.compose(
        template=first.kind,
        to=_address(first),
        language=language,
        context=context,
        stop_url=stop_url,
    )


@dataclass(frozen=True)
class Refusal:
    """The mail server's permanent answer to one mail (see ``refusal``)."""

    answer: str  # "550 5.1.1 No such user", for the outbox's record
    address_gone: bool  # the recipient's address itself was refused


def _answer(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"[:300]


def refusal(error: Exception) -> Refusal | None:
    """Whether a failed send was refused for good, and why; None when trying again later
    may help.

    Permanent (RFC 5321, a 5xx answer): the recipient refused (no such mailbox, the
    domain takes no mail), or the mail itself refused after it was written (its DATA).
    Everything else waits for the next run: a 4xx answer (a full mailbox, greylisting), a
    server that cannot be reached, and a 5xx to our own sender address or login, which
    is the configuration's fault and would refuse every mail alike."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        if answers and all(code >= 500 for code, _text in answers):
            return Refusal(_answer(*answers[0]), address_gone=True)
        return None
    if isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500:
        return Refusal(_answer(error.smtp_code, error.smtp_error), address_gone=False)
    return None


def _refuse(rows: list[Notification], found: Refusal, when, address: str) -> None:
    """Mark ``rows`` refused for good and, when ``address`` itself was refused, write no
    more to it, whoever's it is: a follower's stops following (its follows deleted, as
    when it unfollows; the refused rows stay, without the follower, as the outbox's
    record); a user's is kept on their profile (``Profile.refused_email``), which
    ``models.writes_to`` reads before any mail is planned or sent to them, until their
    address is another one, and which they and the admins see."""
    pks = [row.pk for row in rows]
    Notification.objects.filter(pk__in=pks).update(refused_at=when, refusal=found.answer)
    if not found.address_gone:
        return
    first = rows[0]
    if first.follower_id:
        Notification.objects.filter(pk__in=pks).update(follower=None)
        Follower.objects.of_address(first.email).delete()
    elif first.recipient_id:
        Profile.record_refusal(first.recipient_id, address, when, found.answer)


def _mails_due(today) -> list[tuple]:
    """What is due, one (recipient, address, kind, group) per mail: a user's rows by
    the user (two colleagues reading one mailbox each get their own, each checked
    against their own role; a user's rows planned before and after an address change are
    one mail), a follower's by the address (one mail however many things it follows)."""
    rows = (
        Notification.objects.due(today)
        .order_by("email", "kind", "group")
        .values_list("recipient_id", "email", "kind", "group")
        .distinct()
    )
    mails = {}
    for recipient_id, email, kind, group in rows:
        mails.setdefault((recipient_id, None if recipient_id else email, kind, group), None)
    return list(mails)


def _locked_rows(today, recipient_id, email, kind, group):
    """The due rows of one mail, locked against a second sender."""
    whose = {"recipient_id": recipient_id} if recipient_id else {"email": email}
    return list(
        Notification.objects.due(today)
        .filter(**whose, kind=kind, group=group)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "recipient__notification_profile",
            "follower",
            # With the municipality: the mails link to pages beneath it.
            "board__municipality",
            "round__audit__municipality",
            "measure__recommendation__audit__municipality",
            # Whether the measure is public, for how late it is (``Measure.is_overdue``).
            "measure__announced_in__response",
            "response__board__municipality",
            "response__round__audit",
        )
        .order_by("pk")
    )


def send_due(today: dt.date, *, dry_run: bool = False) -> SendResult:
    """Send every mail due by ``today``; with ``dry_run``, compose them and send none."""
    result = SendResult()
    connection = get_connection()
    try:
        for recipient_id, email, kind, group in _mails_due(today):
            with transaction.atomic():
                rows = _locked_rows(today, recipient_id, email, kind, group)
                if not rows:
                    continue  # another sender has them
                keep, drop = _still_wanted(rows, today)
                # One instant for what the mail reads and what its rows record.
                now = timezone.now()
                try:
                    message = _compose(keep, today, now) if keep else None
                except Exception:
                    # A fault in this mail's data or templates: it waits for the next
                    # run (and the log says why), and the other mails still go.
                    logger.exception("Could not write %s to %s", kind, email or recipient_id)
                    result.failed += 1
                    transaction.set_rollback(True)
                    continue
                if message is None:
                    drop, keep = drop + keep, []
                if dry_run:
                    if message:
                        result.mails.append(message)
                    result.cancelled += len(drop)
                    continue
                if drop:
                    Notification.objects.filter(pk__in=[row.pk for row in drop]).update(
                        cancelled_at=now
                    )
                    result.cancelled += len(drop)
                if not keep:
                    continue
                message.connection = connection
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as error:
                    found = refusal(error)
                    if found is not None:
                        # Refused for good: never tried again (the cancellations above
                        # stand too); the other mails still go.
                        logger.warning(
                            "Refused for good: %s to %s: %s", kind, message.to[0], found.answer
                        )
                        _refuse(keep, found, now, message.to[0])
                        result.refused += 1
                        continue
                    # A temporary failure, or the mail server could not be reached: the
                    # rows stay waiting for the next run; the other mails still go.
                    logger.exception("Could not send %s to %s", kind, message.to[0])
                    result.failed += 1
                    transaction.set_rollback(True)
                    continue
                # The address it went to, for the outbox's record, and where a digest's
                # report ended: the next one starts there.
                reported = (
                    {"reported_until": _digest_until(now)} if kind == Kind.AUDITOR_DIGEST else {}
                )
                Notification.objects.filter(pk__in=[row.pk for row in keep]).update(
                    sent_at=now, email=message.to[0], **reported
                )
                result.mails.append(message)
    finally:
        connection.close()
    return result
