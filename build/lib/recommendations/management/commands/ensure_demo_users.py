"""Create the development demo users, one per role (never in production), and a second,
small demo municipality with its own auditor, so that tenancy can be tried.

The users and their passwords are listed in DEMO_USERS below and in the README
("Roles and users"). Board staff are attached to the board with that short code; the
auditor `revisor` belongs to the first municipality (the seeds' Malmö), the auditor
`exempelby-revisor` to the demo municipality Exempelby.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recommendations.models import (
    Audit,
    Board,
    FollowUpRound,
    Membership,
    Municipality,
    Recommendation,
)
from recommendations.role_groups import ensure_role_groups
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from recommendations.status import Status
from responses.models import Response, ResponseEntry

DEMO_SLUG = "exempelby"

# (username, password, full name, group, board short code, municipality: None for the
# first one, else the demo municipality's slug)
DEMO_USERS = [
    ("admin", "uppfoljning-admin", "Demo Administratör", None, None, None),
    ("asn-handlaggare", "uppfoljning-asn", "Demo Handläggare ASN", STAFF_GROUP, "ASN", None),
    ("sn-handlaggare", "uppfoljning-sn", "Demo Handläggare SN", STAFF_GROUP, "SN", None),
    ("revisor", "uppfoljning-revisor", "Demo Revisor", AUDITOR_GROUP, None, None),
    (
        "exempelby-revisor",
        "uppfoljning-exempelby",
        "Demo Revisor Exempelby",
        AUDITOR_GROUP,
        None,
        DEMO_SLUG,
    ),
]


def ensure_demo_municipality() -> Municipality:
    """Exempelby: two boards, one audit with one recommendation, and a response submitted
    to its auditors (which only they, not Malmö's, may read)."""
    town, _ = Municipality.objects.get_or_create(
        slug=DEMO_SLUG, defaults={"name": "Exempelby kommun"}
    )
    auditors, _ = Board.objects.get_or_create(
        municipality=town,
        short_code="REV",
        defaults={"name": "Exempelby revisorer", "kind": Board.Kind.AUDITORS},
    )
    board, _ = Board.objects.get_or_create(
        municipality=town, short_code="KFN", defaults={"name": "Kultur- och fritidsnämnden"}
    )
    audit, created = Audit.objects.get_or_create(
        municipality=town,
        reference="EX-2024-1",
        defaults={
            "title": "Granskning av föreningsbidragen",
            "auditor": auditors,
            "conducted_from_date": dt.date(2024, 1, 1),
            "conducted_from_precision": "year",
        },
    )
    if created:
        audit.audited_boards.set([board])
    round_, _ = FollowUpRound.objects.get_or_create(
        audit=audit,
        sequence=1,
        defaults={
            "kind": FollowUpRound.Kind.FIRST_RESPONSE,
            "title": "Yttrande över granskningen",
            "deadline_date": dt.date(2024, 9, 30),
            "deadline_precision": "day",
        },
    )
    recommendation, created = Recommendation.objects.get_or_create(
        audit=audit,
        position=1,
        defaults={
            "label": "Rekommendation 1",
            "text": "Säkerställ att bidragen följs upp mot föreningarnas redovisningar.",
        },
    )
    if created:
        recommendation.addressed_to.set([board])
    response, _ = Response.objects.get_or_create(
        board=board,
        round=round_,
        defaults={
            "title": "Yttrande över granskningen av föreningsbidragen",
            "state": Response.State.SUBMITTED,
            "document_date": dt.date(2024, 9, 20),
            "document_precision": "day",
        },
    )
    ResponseEntry.objects.get_or_create(
        response=response,
        recommendation=recommendation,
        defaults={
            "status": Status.PLANNED,
            "narrative": "Nämnden inför en årlig uppföljning av bidragen från 2025.",
        },
    )
    return town


class Command(BaseCommand):
    help = "Create or reset the development demo users. Refuses to run in production."

    @transaction.atomic
    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo users are for development only (DJANGO_ENV=production).")
        ensure_role_groups()
        demo_town = ensure_demo_municipality()
        first_town = Municipality.objects.exclude(pk=demo_town.pk).order_by("pk").first()
        for username, password, full_name, group_name, board_code, town_slug in DEMO_USERS:
            first_name, last_name = full_name.split(" ", 1)
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.invalid"},
            )
            user.first_name, user.last_name = first_name, last_name
            user.is_staff = user.is_superuser = group_name is None
            user.set_password(password)
            user.save()
            note = ""
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])
            if group_name == AUDITOR_GROUP:
                town = demo_town if town_slug == DEMO_SLUG else first_town
                if town is None:
                    note = " (no municipality yet: import the fixtures, then run this again)"
                else:
                    Membership.objects.update_or_create(user=user, defaults={"municipality": town})
            if board_code:
                boards = list(
                    Board.objects.filter(short_code=board_code).exclude(municipality=demo_town)
                )
                for board in boards:
                    board.staff.add(user)
                if not boards:
                    note = f" (no board {board_code} yet: import the fixtures, then run this again)"
            verb = "Created" if created else "Reset"
            self.stdout.write(f"{verb} demo user {username} (password {password}){note}.")
