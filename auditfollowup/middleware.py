"""Project-wide middleware."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Swedish unless the visitor has chosen English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header,
    so a Swedish official with an English browser would get the English version
    without asking for it. We follow only the explicit choice (the cookie the
    language switch sets).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def speak_the_mails_language(request, language: str | None) -> None:
    """A page opened from a link in a mail (stop a kind of mail, confirm or stop a follow)
    speaks the mail's language, unless this browser has chosen one with the language
    switch (``ChosenLanguageMiddleware``): the reader who chose English mails, or followed
    from an English page, may never have used the switch on the device that opens it."""
    supported = {code for code, _name in settings.LANGUAGES}
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or language not in supported:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


class AdminInlineStylesMiddleware:
    """Allow inline styles, and only styles, on the Django admin's pages.

    Our own pages need no inline code at all, and the policy forbids it. The admin's own
    templates and widgets, and django-simple-history's history list, set ``style``
    attributes we do not control; blocked, they render broken. Inline *scripts* stay
    forbidden on the admin too. Must come after ``csp.middleware.CSPMiddleware``, which
    reads ``_csp_update`` on its way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


class RejectNulCharactersMiddleware:
    """Answer 400 to a query string, an address or a header with a NUL character, which no
    filter, search, token or slug of ours accepts and PostgreSQL refuses in any string (a
    500 in the admin's list filters, for a private calendar's token: /kalender/%00/..., and
    for a failed login, whose User-Agent and Accept django-axes stores; gunicorn refuses
    such a header itself, the development server does not).

    A view that answers JSON (``answers_json``, the API) gets its error in the API's own
    documented form; every other view the site's 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        spoiled = [
            key
            for key, values in request.GET.lists()
            if "\x00" in key or any("\x00" in value for value in values)
        ]
        if any("\x00" in str(part) for part in (*view_args, *view_kwargs.values())):
            raise SuspiciousOperation("NUL character in the address")
        if any(
            "\x00" in value
            for key, value in request.META.items()
            if key.startswith("HTTP_") and isinstance(value, str)
        ):
            raise SuspiciousOperation("NUL character in a header")
        if not spoiled:
            return None
        if getattr(view_func, "answers_json", False):
            error = {"message": _("Tecknet NUL är inte tillåtet."), "code": "null_characters"}
            errors = {key.replace("\x00", "") or "query": [error] for key in spoiled}
            return JsonResponse({"errors": errors}, status=400)
        raise SuspiciousOperation("NUL character in the query string")


class PrivateCacheForLoggedInMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a logged-in user.

    What a logged-in user sees (drafts, submitted responses, exports that include them, the
    admin) must not stay in a shared proxy or on a shared computer's disk cache. Anonymous
    pages show only what is published and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


# When the session was last extended (seconds since the epoch).
SESSION_ACTIVITY_KEY = "_last_activity"


class SlidingSessionMiddleware:
    """A logged-in session ends after SESSION_COOKIE_AGE (a working day) without activity.

    Django's expiry counts from the session's last save, so activity must save it. Saving
    on every request (SESSION_SAVE_EVERY_REQUEST) would cost a database write per page; we
    save at most once per SESSION_REFRESH_SECONDS, so the idle limit is exact to within
    those few minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # No session cookie: nothing to extend (and no query to find out).
        if session.session_key is None or SESSION_KEY not in session:
            return response
        now = int(time.time())
        if now - session.get(SESSION_ACTIVITY_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[SESSION_ACTIVITY_KEY] = now  # marks it modified: saved with a new expiry
        return response


def note_activity_at_login(sender, request, user, **kwargs):
    """Logging in saves the session anyway: start its idle clock without another write.
    Connected to ``user_logged_in`` in RecommendationsConfig.ready()."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_ACTIVITY_KEY] = int(time.time())
