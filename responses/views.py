"""The public response page: a response (yttrande) shown as the document it is."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from recommendations.history import may_see_history

from .models import MeasureUpdate, Response, ResponseEntry
from .staff_views import may_write_for_board


def response_detail(request, pk):
    """Queries: the response (+board, round, audit, source document), referencing
    documents, their responses, responses this one's document refers to, decision
    steps, signatories, entries (+recommendation), measure updates (+measure)."""
    visible = Response.objects.visible_to(request.user)
    entries = ResponseEntry.objects.select_related("recommendation").prefetch_related(
        Prefetch(
            "measure_updates",
            queryset=MeasureUpdate.objects.visible_to(request.user)
            .select_related("measure")
            .order_by("measure__due_date", "measure__pk"),
        )
    )
    response = get_object_or_404(
        visible.select_related("board", "round__audit", "source_document").prefetch_related(
            "referenced_in",
            Prefetch("referenced_in__responses", queryset=visible, to_attr="visible_responses"),
            Prefetch(
                "source_document__referenced_responses",
                queryset=visible,
                to_attr="visible_referenced",
            ),
            "decision_steps",
            "signatories",
            Prefetch("entries", queryset=entries.order_by("recommendation__position")),
        ),
        pk=pk,
    )
    may_write = may_write_for_board(request.user, response.board)
    context = {
        "response": response,
        "may_see_history": may_see_history(request.user),
        "may_edit": may_write and response.state == Response.State.DRAFT,
        "may_publish": may_write and response.state != Response.State.PUBLISHED,
    }
    return render(request, "responses/response_detail.html", context)
