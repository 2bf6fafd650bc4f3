"""The public response page: a response (yttrande) shown as the document it is."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import MeasureUpdate, Response, ResponseEntry


def response_detail(request, pk):
    """Queries: the response (+board, round, audit, source document), referencing
    documents, decision steps, signatories, entries (+recommendation), measure updates
    (+measure)."""
    entries = ResponseEntry.objects.select_related("recommendation").prefetch_related(
        Prefetch(
            "measure_updates",
            queryset=MeasureUpdate.objects.select_related("measure").order_by(
                "measure__due_date", "measure__pk"
            ),
        )
    )
    response = get_object_or_404(
        Response.objects.visible_to(request.user)
        .select_related("board", "round__audit", "source_document")
        .prefetch_related(
            "referenced_in",
            "decision_steps",
            "signatories",
            Prefetch("entries", queryset=entries.order_by("recommendation__position")),
        ),
        pk=pk,
    )
    return render(request, "responses/response_detail.html", {"response": response})
