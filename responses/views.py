"""The public response page: a response (yttrande) shown as the document it is."""

from django.shortcuts import render

from .document import document_context


def response_detail(request, pk):
    """Queries: those of ``document_context``."""
    return render(request, "responses/response_detail.html", document_context(request.user, pk))
