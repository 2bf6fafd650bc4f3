"""Top-level URLs: each app owns its own urls module."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from dataimport.admin_import import fixture_import
from notifications import views as notification_views
from recommendations.roles import Public, access

from . import views

# Django's form views also answer PUT (as a POST); ours take GET and POST only.
FORM_METHODS = ["get", "post", "head"]

urlpatterns = [
    path("admin/import/", admin.site.admin_view(fixture_import), name="fixture_import"),
    path("admin/", admin.site.urls),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Django's set_language answers any method; changing the language is a POST.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("sprak/", views.choose_language, name="choose_language"),
    # Django's account views; the password reset mails in the user's language and also
    # lifts a login lock (notifications/views.py).
    path("konto/login/", views.login, name="login"),
    path("konto/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "konto/password_change/",
        auth_views.PasswordChangeView.as_view(http_method_names=FORM_METHODS),
        name="password_change",
    ),
    path(
        "konto/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(http_method_names=["get", "head"]),
        name="password_change_done",
    ),
    path(
        "konto/password_reset/",
        access(Public)(
            notification_views.PasswordResetView.as_view(http_method_names=FORM_METHODS)
        ),
        name="password_reset",
    ),
    path(
        "konto/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(http_method_names=["get", "head"]),
        name="password_reset_done",
    ),
    path(
        "konto/reset/<uidb64>/<token>/",
        # The view answers an invalid link before Django's method check: refuse other
        # methods first.
        access(Public)(
            require_http_methods(["GET", "POST"])(
                notification_views.PasswordResetConfirmView.as_view()
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "konto/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(http_method_names=["get", "head"]),
        name="password_reset_complete",
    ),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("responses.urls")),
    path("", include("recommendations.auditor_urls")),
    path("", include("recommendations.urls")),
    # Last: a municipality's pages, /<slug>/ and beneath it. The addresses above come
    # first, so a slug such as "rapport" or "api" could never be reached (README).
    path("<slug:municipality>/", include("recommendations.municipal_urls")),
]

if settings.BENCHMARK:
    from auditfollowup.benchmarking import trivial_view

    urlpatterns.insert(0, path("__benchmark__/trivial/", trivial_view, name="benchmark_trivial"))
