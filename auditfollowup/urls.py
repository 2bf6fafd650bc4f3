"""Top-level URLs: each app owns its own urls module."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from recommendations.admin_import import fixture_import

from . import views

urlpatterns = [
    path("admin/import/", admin.site.admin_view(fixture_import), name="fixture_import"),
    path("admin/", admin.site.urls),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sprak/", views.choose_language, name="choose_language"),
    # Login, logout and password change only: there is no e-mail password reset (admins
    # set new passwords), so Django's reset pages are not exposed.
    path("konto/login/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "konto/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "konto/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("responses.urls")),
    path("", include("recommendations.auditor_urls")),
    path("", include("recommendations.urls")),
]

if settings.BENCHMARK:
    from auditfollowup.benchmarking import trivial_view

    urlpatterns.insert(0, path("__benchmark__/trivial/", trivial_view, name="benchmark_trivial"))
