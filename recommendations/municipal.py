"""Pages per municipality: ``/<slug>/`` and everything beneath it (``municipal_urls.py``).

``for_municipality`` resolves the slug (404 if unknown) and leaves the municipality on the
request; the views read it with ``current_municipality`` and scope every queryset with
the models' ``in_municipality(municipality)`` (``recommendations.models``), the one home
of that rule. The unprefixed pages run the same views with no municipality: national.
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from auditfollowup.lib.urls import reverse_fast, reverser

from .models import Audit, Board, Municipality, Recommendation
from .roles import Public, access, municipality_slug


def for_municipality(view):
    """Resolve the ``municipality`` slug of a prefixed URL for ``view``: not found (404) if
    no municipality has it, told to a view that answers JSON (``answers_json``, the API)
    in the API's own error form. Queries: 1."""

    @wraps(view)
    def scoped(request, *args, municipality, **kwargs):
        request.municipality = Municipality.objects.filter(slug=municipality).first()
        if request.municipality is None:
            if getattr(view, "answers_json", False):
                from .api import errors_answer

                message = _("Det finns ingen kommun med kortnamnet %(slug)s.") % {
                    "slug": municipality
                }
                error = {"message": message, "code": "not_found"}
                return errors_answer({"kommun": [error]}, status=404)
            raise Http404
        return view(request, *args, **kwargs)

    return scoped


def current_municipality(request):
    """The municipality of a prefixed page; None on the national (unprefixed) pages."""
    return getattr(request, "municipality", None)


def page_url(request, name: str, *args) -> str:
    """The URL of page ``name`` in the same place as this request: beneath its
    municipality on a municipality's pages, else the national page of that name."""
    municipality = current_municipality(request)
    if municipality is None:
        return reverse_fast(f"recommendations:{name}", *args)
    return reverse_fast(f"municipal:{name}", municipality.slug, *args)


def own_page_url(request, name: str, *args) -> str:
    """The URL of page ``name`` of the municipality the user acts for (an auditor's or an
    admin's, ``roles.municipality_slug``), from a page of no municipality (Att granska)
    as from any other; for a superuser or a user of no municipality, ``page_url``'s."""
    slug = municipality_slug(request.user)
    if slug is None:
        return page_url(request, name, *args)
    return reverse_fast(f"municipal:{name}", slug, *args)


def url_for_each_municipality(name: str, *args):
    """A function giving the URL of page ``name`` (with ``args`` after the slug) of any
    municipality by its slug, the pattern reversed once (``reverser``): for a list of
    every municipality."""
    url = reverser(name, 1 + len(args))
    return lambda slug: url(slug, *args)


def _moved(queryset):
    """A view answering an old unprefixed address with a permanent redirect to the
    object's page beneath its municipality (404 where the object is not there)."""

    @access(Public)
    @require_safe
    def moved(request, pk):
        return redirect(get_object_or_404(queryset(request), pk=pk), permanent=True)

    return moved


moved_recommendation = _moved(
    lambda request: Recommendation.objects.select_related("audit__municipality")
)
moved_audit = _moved(lambda request: Audit.objects.select_related("municipality"))
moved_board = _moved(lambda request: Board.objects.select_related("municipality"))


def _visible_responses(request):
    from responses.models import Response

    # Only a response the visitor may read is redirected: the others stay 404, as before.
    return Response.objects.visible_to(request.user).select_related("board__municipality")


moved_response = _moved(_visible_responses)
