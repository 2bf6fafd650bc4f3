"""The Django admin site of Uppföljning: Django's own, opened only to admins.

``roles.may_use_admin`` decides who gets in (Django's default lets in anyone with staff
status). Installed in place of ``django.contrib.admin`` (settings.INSTALLED_APPS) through
``AdminConfig``, so ``admin.site`` and ``@admin.register`` everywhere are this site.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    site_header = _("Uppföljning – administration")
    site_title = _("Uppföljning")
    index_title = _("Administration")

    def has_permission(self, request):
        from recommendations import roles

        return roles.may_use_admin(request.user)


class AdminConfig(DjangoAdminConfig):
    default_site = "auditfollowup.admin_site.AdminSite"
