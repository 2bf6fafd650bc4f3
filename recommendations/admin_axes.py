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

from auditfollowup.admin_lists import ChecksDateHierarchy

from . import roles, tenancy


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
