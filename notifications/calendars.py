"""Calendars to subscribe to (iCalendar, RFC 5545): reply deadlines and measures' due dates.

What a calendar shows follows the reader: the public one only measures visible to an
anonymous visitor (``Measure.objects.visible_to``, built on the one read rule),
a private one (a secret address per user) what that user may see. A date of uncertain
precision is an all-day event on the last day of its period, the day it falls due, with
the period in the text.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from auditfollowup.lib.dates import Precision
from recommendations.models import FollowUpRound
from responses.models import Measure

from .mail import absolute_url


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1]


def _event(*, uid: str, due, summary: str, description: str, url: str, stamp) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", due.end)
    event.add("dtend", due.end + dt.timedelta(days=1))
    event.add("summary", summary)
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


def build(*, name: str, user, rounds, measures) -> bytes:
    """One calendar of ``rounds`` (FollowUpRound queryset) and ``measures`` (Measure
    queryset), narrowed to what ``user`` may see: two queries."""
    calendar = Calendar()
    calendar.add("prodid", "-//Uppföljning//notifications//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for round_ in rounds.filter(deadline_date__isnull=False).select_related("audit__municipality"):
        calendar.add_component(
            _event(
                uid=f"round-{round_.pk}-deadline",
                due=round_.deadline,
                summary=_("Svar senast: %(audit)s, %(round)s")
                % {"audit": round_.audit, "round": round_.title},
                description=round_.request or round_.title,
                url=absolute_url(round_.audit.get_absolute_url()),
                stamp=stamp,
            )
        )
    shown = (
        measures.filter(
            pk__in=Measure.objects.visible_to(user).values("pk"), due_date__isnull=False
        )
        .select_related("board", "recommendation__audit__municipality")
        .order_by("due_date", "pk")
    )
    for measure in shown:
        calendar.add_component(
            _event(
                uid=f"measure-{measure.pk}-due",
                due=measure.due,
                summary=_("Åtgärd klar senast: %(title)s") % {"title": measure.title},
                description=_("%(board)s, %(audit)s, %(recommendation)s. Status: %(status)s.")
                % {
                    "board": measure.board,
                    "audit": measure.recommendation.audit,
                    "recommendation": measure.recommendation.display_name,
                    "status": measure.get_status_display(),
                },
                url=absolute_url(measure.recommendation.get_absolute_url()),
                stamp=stamp,
            )
        )
    return calendar.to_ical()


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
    )
