"""Project-wide middleware."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation


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


class AdminInlineStylesMiddleware:
    """Allow inline styles, and only styles, on the Django admin's pages.

    Our own pages need no inline code at all, and the policy forbids it. The admin's
    bundled widgets (select2 for autocomplete fields, the two-box many-to-many filter,
    django-simple-history's history list) set ``style`` attributes we do not control;
    blocked, they render broken. Inline *scripts* stay forbidden on the admin too.
    Must come after ``csp.middleware.CSPMiddleware``, which reads ``_csp_update`` on its
    way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


class RejectNulCharactersMiddleware:
    """Answer 400 to a query string with a NUL character, which no filter or search of
    ours accepts and PostgreSQL refuses in any string (a 500 in the admin's list filters).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise SuspiciousOperation("NUL character in the query string")
        return self.get_response(request)
