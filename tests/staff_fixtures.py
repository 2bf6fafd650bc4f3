"""A small world for the staff/auditor tests: two boards, an audit with a published first
round and an open second one, and one user per role."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from recommendations.dates import FuzzyDate
from recommendations.models import (
    Audit,
    Board,
    FollowUpRound,
    Membership,
    Municipality,
    Recommendation,
)
from recommendations.roles import ADMIN_GROUP, AUDITOR_GROUP, STAFF_GROUP
from recommendations.status import Status
from responses.models import Measure, MeasureUpdate, Response, ResponseEntry

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


def make_user(username: str, *, group: str | None = None, boards=(), **extra):
    user = get_user_model().objects.create_user(username=username, password=None, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if group in (AUDITOR_GROUP, ADMIN_GROUP):
        Membership.objects.create(user=user, municipality=Municipality.objects.get(slug="malmo"))
    for board in boards:
        board.staff.add(user)
    return user


def make_recommendation(audit, position, *, boards):
    recommendation = Recommendation.objects.create(
        audit=audit, position=position, label=f"Rekommendation {position}", text=f"Gör {position}"
    )
    recommendation.addressed_to.set(boards)
    recommendation.answered_by.set(boards)
    return recommendation


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
    rec1 = make_recommendation(audit, 1, boards=[board_a])
    rec2 = make_recommendation(audit, 2, boards=[board_a])
    rec_b = make_recommendation(audit, 3, boards=[board_b])
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
        staff_a=make_user("anna", group=STAFF_GROUP, boards=[board_a]),
        staff_b=make_user("bertil", group=STAFF_GROUP, boards=[board_b]),
        auditor=make_user("revisor", group=AUDITOR_GROUP),
        admin=make_user("admin", group=ADMIN_GROUP, is_staff=True),
    )


def edit_page_data(response, **overrides) -> dict:
    """The POST of the edit page as a browser would send it with nothing changed."""
    from responses.staff_views import EditPage

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
