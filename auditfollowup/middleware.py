"""Site-wide middleware."""

from django.urls import reverse


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
