"""The three role groups and their model permissions, kept in step after every migrate.

Views decide access with ``recommendations.roles`` (group membership and Board.staff).
The Django admin is for admins only (``roles.may_use_admin``); there these permissions say
what an Administratörer member may do, within their municipality (``admin_scope``).
"""

from django.contrib.auth.models import Group, Permission

from .roles import ADMIN_GROUP, AUDITOR_GROUP, STAFF_GROUP

_ALL = ("add", "change", "delete", "view")

# (app label, model) -> actions, per group.
ROLE_PERMISSIONS = {
    # Board staff and auditors hold no model permissions: they work in the product's own
    # pages, and the admin is closed to them (``roles.may_use_admin``). Permissions here
    # would be a second, broader rule for reading and changing responses than
    # ``visible_to`` and ``is_editable_by``, waiting for someone to open the admin to them.
    STAFF_GROUP: {},
    AUDITOR_GROUP: {},
    ADMIN_GROUP: {
        **{
            ("recommendations", model): _ALL
            for model in (
                "municipality",
                "board",
                "sourcedocument",
                "audit",
                "followupround",
                "recommendation",
                "auditorassessment",
            )
        },
        **{
            ("responses", model): _ALL
            for model in (
                "response",
                "responseentry",
                "measure",
                "measureupdate",
                "duedatechange",
                "decisionstep",
                "signatory",
            )
        },
        # The outbox (notifications.notification) is the superusers' only: a row names the
        # address it mails a board's reminders or an auditors' digest to. Followers are
        # seen and removed (someone asks to stop getting mail), never added or changed: a
        # follower is an address that confirmed the signed link itself. The e-mail settings
        # are those of the users the admin manages (notifications/admin.py).
        ("notifications", "follower"): ("view", "delete"),
        ("notifications", "profile"): _ALL,
        ("notifications", "preference"): _ALL,
        ("auth", "user"): _ALL,
        ("auth", "group"): ("view",),
        # Lifting a login lock is deleting the lock's access attempt (django-axes); only
        # those of the users the admin manages (recommendations/admin_axes.py).
        ("axes", "accessattempt"): ("view", "delete"),
        ("axes", "accesslog"): ("view",),
    },
}


def ensure_role_groups(**kwargs) -> None:
    """Create the groups if missing and set exactly their permissions (a post_migrate hook)."""
    wanted = {
        (app_label, f"{action}_{model}")
        for perms in ROLE_PERMISSIONS.values()
        for (app_label, model), actions in perms.items()
        for action in actions
    }
    by_key = {
        (perm.content_type.app_label, perm.codename): perm
        for perm in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={app for app, _codename in wanted}
        )
    }
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        keys = [
            (app_label, f"{action}_{model}")
            for (app_label, model), actions in perms.items()
            for action in actions
        ]
        group.permissions.set([by_key[key] for key in keys if key in by_key])
