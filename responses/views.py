"""The public response page: a response (yttrande) shown as the document it is."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from recommendations.roles import Public, access, may_see_history

from .models import MeasureUpdate, Response, ResponseEntry


@access(Public)
@require_safe
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
    context = {
        "response": response,
        "may_see_history": may_see_history(request.user),
        "may_edit": response.is_editable_by(request.user),
        "may_publish": response.is_publishable_by(request.user),
    }
    return render(request, "responses/response_detail.html", context)
