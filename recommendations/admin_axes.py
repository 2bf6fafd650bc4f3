"""django-axes' login records in the admin, scoped: an Administratörer member sees, and
lifts (deletes), only the lockouts and login records of the users they manage.

A record names a username and the client address it came from. The users an
Administratörer member manages are the tenancy's users of their municipality
(``tenancy.condition(User, ...)``, never a superuser); records of anyone else, and of
usernames that are no user at all (typing errors, guesses), are the superusers', who see
every record. The action that cleans up expired attempts deletes every municipality's, not
the selected ones, so it is offered to superusers only.

django-axes registers its own admin classes (``axes.admin``); they are replaced here by
subclasses that add the scope (imported from ``recommendations/admin.py``).
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.translation import gettext

from auditfollowup.admin_lists import ChecksDateHierarchy

from . import roles, tenancy


def _local_time(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


# django-axes names its records in English, by the moment in UTC to the microsecond
# ("Attempted Access: 2026-12-06 13:31:58.428184+00:00"): the page an admin opens to lift a
# lock, and the question "ta bort inloggningsförsök ...?", did not say whose lock it was.
# Named by whom and whence instead (no migration: a model's name for a row is not in one).
def _attempt_name(attempt) -> str:
    return gettext("%(username)s från %(address)s") % {
        "username": attempt.username or "",
        "address": attempt.ip_address or "",
    }


def _login_name(record) -> str:
    return gettext("%(username)s, %(time)s") % {
        "username": record.username or "",
        "time": _local_time(record.attempt_time),
    }


def _failure_name(record) -> str:
    return gettext("%(username)s från %(address)s, %(time)s") % {
        "username": record.username or "",
        "address": record.ip_address or "",
        "time": _local_time(record.attempt_time),
    }


AccessAttempt.__str__ = _attempt_name
AccessLog.__str__ = _login_name
AccessFailureLog.__str__ = _failure_name


class ScopedLoginRecordsMixin(ChecksDateHierarchy):
    """Only the records whose username is a user in the admin's scope."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if roles.is_superuser(request.user):
            return queryset
        User = get_user_model()
        users = User.objects.filter(tenancy.condition(User, request.user))
        return queryset.filter(username__in=users.values(User.USERNAME_FIELD))


class ScopedAccessAttemptAdmin(ScopedLoginRecordsMixin, axes_admin.AccessAttemptAdmin):
    def get_actions(self, request):
        actions = super().get_actions(request)
        if not roles.is_superuser(request.user):
            actions.pop("cleanup_expired_attempts", None)
        return actions


class ScopedAccessLogAdmin(ScopedLoginRecordsMixin, axes_admin.AccessLogAdmin):
    pass


class ScopedAccessFailureLogAdmin(ScopedLoginRecordsMixin, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _admin_class in [
    (AccessAttempt, ScopedAccessAttemptAdmin),
    (AccessLog, ScopedAccessLogAdmin),
    (AccessFailureLog, ScopedAccessFailureLogAdmin),
]:
    # Only what django-axes registered (AXES_ENABLE_ADMIN).
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _admin_class)
