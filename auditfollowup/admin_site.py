"""The Django admin site of Uppföljning: Django's own, opened only to admins.

``roles.may_use_admin`` decides who gets in (Django's default lets in anyone with staff
status). Installed in place of ``django.contrib.admin`` (settings.INSTALLED_APPS) through
``AdminConfig``, so ``admin.site`` and ``@admin.register`` everywhere are this site.
"""

from axes.apps import AppConfig as DjangoAxesConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    site_header = _("Uppföljning – administration")
    site_title = _("Uppföljning")
    index_title = _("Administration")

    @property
    def login_form(self):
        # Imported here: this module is loaded with the app configs, before the models.
        from .login_forms import AdminLoginForm

        return AdminLoginForm

    def has_permission(self, request):
        from recommendations import roles

        return roles.may_use_admin(request.user)

    def get_urls(self):
        # Django's "view on site" link (/admin/r/<content type>/<id>/) looks the object up
        # unscoped: its redirect, or its 404 for a free id, would tell a municipality's
        # admin which ids are another municipality's unpublished responses, and whose.
        # It answers only for objects the admin may open, as the change page does.
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *(url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"),
        ]

    def view_on_site(self, request, content_type_id, object_id):
        # Imported here: this module is loaded with the app configs, before the models.
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404
        try:
            may_open = model_admin.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError):
            may_open = False
        if not may_open:
            raise Http404
        return shortcut(request, content_type_id, object_id)


class AdminConfig(DjangoAdminConfig):
    default_site = "auditfollowup.admin_site.AdminSite"


class AxesConfig(DjangoAxesConfig):
    """django-axes, its login records titled in the admin's language: the app has no
    Swedish of its own (its models' names are in ``locale/sv``)."""

    verbose_name = _("Inloggningsspärrar")
