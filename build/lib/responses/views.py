"""The public response page: a response (yttrande) shown as the document it is."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from recommendations.municipal import current_municipality
from recommendations.roles import Public, access

from .document import document_context


@access(Public)
@require_safe
def response_detail(request, pk):
    """Queries: those of ``document_context``."""
    return render(
        request,
        "responses/response_detail.html",
        document_context(request.user, pk, current_municipality(request)),
    )
