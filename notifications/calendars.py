"""Calendars to subscribe to (iCalendar, RFC 5545): reply deadlines and measures' due dates.

A measure's due date is in a calendar, as a commitment, while the measure is open
(``MeasureQuerySet.open``, the rule every count of open measures asks): public and
followed up, the same in every calendar, whoever reads it. A measure done, no longer
relevant or of closed recommendations only is due no more. One in an answer not yet
published is a proposal, not a commitment: only a private calendar (a secret address per
user) shows it, to a user who may read the answer, and marks it as one (a tentative
event, "Förslag, klar senast: …"). The municipality's calendar names, per
round deadline, the boards the round asks (``attention.asked_boards``). A date of uncertain
precision is an all-day event on the last day of its period, the day it falls due, with
the period in the text.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from auditfollowup.lib.dates import Precision
from recommendations import attention
from recommendations.models import FollowUpRound
from responses.models import Measure

from .mail import absolute_url


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1]


def _event(
    *, uid: str, due, summary: str, description: str, url: str, stamp, tentative=False
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", due.end)
    event.add("dtend", due.end + dt.timedelta(days=1))
    event.add("summary", summary)
    if tentative:
        # A proposal: RFC 5545's tentative event, which takes no time in the day.
        event.add("status", "TENTATIVE")
        event.add("transp", "TRANSPARENT")
    if due.precision != Precision.DAY:
        description = "\n".join(
            [
                _("Datumet är känt som %(period)s; händelsen ligger på periodens sista dag.")
                % {"period": due},
                description,
            ]
        )
    event.add("description", description)
    event.add("url", url)
    return event


def _deadline_text(round_, asked) -> str:
    """A round deadline's text: what the round asks, and, where ``asked`` is given, the
    boards it asks."""
    text = round_.request or round_.title
    if asked is None:
        return text
    boards = ", ".join(board.name for board in asked) or _("ingen nämnd")
    return "\n".join([_("Nämnder som ska svara: %(boards)s.") % {"boards": boards}, text])


def build(*, name: str, user, rounds, measures, name_boards: bool = False) -> bytes:
    """One calendar of ``rounds`` (FollowUpRound queryset) and ``measures`` (Measure
    queryset): the open measures (``MeasureQuerySet.open``: public, not settled, on an
    open recommendation) as commitments, and for a logged-in ``user`` the proposals of
    answers not yet published they may read (``MeasureQuerySet.proposals``), marked as
    such. Two queries, three for a logged-in user. With ``name_boards`` each deadline
    names the boards its round asks (``attention.asked_boards``, three queries more
    however many rounds)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Uppföljning//notifications//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    dated = rounds.filter(deadline_date__isnull=False)
    if name_boards:
        deadlines = attention.asked_boards(dated)
    else:
        deadlines = [(round_, None) for round_ in dated.select_related("audit__municipality")]
    for round_, asked in deadlines:
        calendar.add_component(
            _event(
                uid=f"round-{round_.pk}-deadline",
                due=round_.deadline,
                summary=_("Svar senast: %(audit)s, %(round)s")
                % {"audit": round_.audit, "round": round_.title},
                description=_deadline_text(round_, asked),
                url=absolute_url(round_.audit.get_absolute_url()),
                stamp=stamp,
            )
        )
    for measure in _dated(measures.open()):
        calendar.add_component(_measure_event(measure, stamp, proposal=False))
    if user.is_authenticated:
        proposed = (
            measures.proposals()
            .followed_up()
            .filter(pk__in=Measure.objects.visible_to(user).values("pk"))
        )
        for measure in _dated(proposed):
            calendar.add_component(_measure_event(measure, stamp, proposal=True))
    return calendar.to_ical()


def _dated(measures):
    return (
        measures.filter(due_date__isnull=False)
        .select_related("board", "recommendation__audit__municipality")
        .order_by("due_date", "pk")
    )


def _measure_event(measure, stamp, *, proposal: bool) -> Event:
    """A measure's due date: a commitment, or a proposal (``MeasureQuerySet.proposals``)
    marked as one, tentative."""
    description = _("%(board)s, %(audit)s, %(recommendation)s. Status: %(status)s.") % {
        "board": measure.board,
        "audit": measure.recommendation.audit,
        "recommendation": measure.recommendation.display_name,
        "status": measure.get_status_display(),
    }
    if proposal:
        summary = _("Förslag, klar senast: %(title)s") % {"title": measure.title}
        description = "\n".join(
            [
                _(
                    "I ett svar som inte är publicerat än: ett förslag, inget åtagande "
                    "förrän svaret publiceras."
                ),
                description,
            ]
        )
    else:
        summary = _("Åtgärd klar senast: %(title)s") % {"title": measure.title}
    return _event(
        uid=f"measure-{measure.pk}-due",
        due=measure.due,
        summary=summary,
        description=description,
        url=absolute_url(measure.recommendation.get_absolute_url()),
        stamp=stamp,
        tentative=proposal,
    )


def for_board(board, user) -> bytes:
    from responses.models import Measure

    return build(
        name=_("Uppföljning: %(board)s") % {"board": board},
        user=user,
        rounds=FollowUpRound.objects.asking_any_of([board]),
        measures=Measure.objects.filter(board=board),
    )


def for_municipality(municipality, user) -> bytes:
    from responses.models import Measure

    return build(
        name=_("Uppföljning: %(municipality)s") % {"municipality": municipality},
        user=user,
        rounds=FollowUpRound.objects.in_municipality(municipality),
        measures=Measure.objects.in_municipality(municipality),
        name_boards=True,
    )
