"""Create the development demo users, one per role (never in production).

The users and their passwords are listed in DEMO_USERS below and in the README
("Roles and users"). Board staff are attached to the board with that short code.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from recommendations.models import Board
from recommendations.role_groups import ensure_role_groups
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP

# (username, password, full name, group, board short code)
DEMO_USERS = [
    ("admin", "uppfoljning-admin", "Demo Administratör", None, None),
    ("asn-handlaggare", "uppfoljning-asn", "Demo Handläggare ASN", STAFF_GROUP, "ASN"),
    ("sn-handlaggare", "uppfoljning-sn", "Demo Handläggare SN", STAFF_GROUP, "SN"),
    ("revisor", "uppfoljning-revisor", "Demo Revisor", AUDITOR_GROUP, None),
]


class Command(BaseCommand):
    help = "Create or reset the development demo users. Refuses to run in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo users are for development only (DJANGO_ENV=production).")
        ensure_role_groups()
        for username, password, full_name, group_name, board_code in DEMO_USERS:
            first_name, last_name = full_name.split(" ", 1)
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.invalid"},
            )
            user.first_name, user.last_name = first_name, last_name
            user.is_staff = user.is_superuser = group_name is None
            user.set_password(password)
            user.save()
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])
            note = ""
            if board_code:
                boards = list(Board.objects.filter(short_code=board_code))
                for board in boards:
                    board.staff.add(user)
                if not boards:
                    note = f" (no board {board_code} yet: import the fixtures, then run this again)"
            verb = "Created" if created else "Reset"
            self.stdout.write(f"{verb} demo user {username} (password {password}){note}.")
