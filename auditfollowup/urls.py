"""Top-level URLs: each app owns its own urls module."""

from django.contrib import admin
from django.urls import include, path

from recommendations.admin_import import fixture_import

urlpatterns = [
    path("admin/import/", admin.site.admin_view(fixture_import), name="fixture_import"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("django.contrib.auth.urls")),
    path("", include("responses.urls")),
    path("", include("recommendations.auditor_urls")),
    path("", include("recommendations.urls")),
]
