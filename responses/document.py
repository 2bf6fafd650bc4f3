"""A response shown as the document it is: one query set and one template for the public page
and the staff preview, so that the preview shows exactly what the public will see."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from recommendations.roles import may_assess, may_see_history

from .models import DueDateChange, MeasureUpdate, Response, ResponseEntry


def document_context(user, pk: int, municipality=None) -> dict:
    """The response ``pk`` as the document ``user`` may read (404 otherwise), and what they
    may do with it.

    Queries: the response (+board, round, audit, source document), referencing documents,
    their responses, responses this one's document refers to, decision steps, signatories,
    entries (+recommendation), measure updates (+measure), and the due dates this response
    moved: nine at most, whatever the size.
    """
    visible = Response.objects.visible_to(user).in_municipality(municipality)
    # The due dates this response moved; every entry of a readable response is readable.
    moved_here = (
        DueDateChange.objects.visible_to(user)
        .filter(entry__response_id=pk)
        .order_by("changed_at", "pk")
    )
    updates = (
        MeasureUpdate.objects.visible_to(user)
        .select_related("measure")
        .prefetch_related(Prefetch("measure__due_date_changes", moved_here))
        .order_by("measure__due_date", "measure__pk")
    )
    entries = ResponseEntry.objects.select_related(
        "recommendation__audit__municipality"
    ).prefetch_related(Prefetch("measure_updates", queryset=updates))
    linked = visible.select_related("board__municipality")
    response = get_object_or_404(
        visible.select_related(
            "board__municipality", "round__audit__municipality", "source_document"
        ).prefetch_related(
            "referenced_in",
            Prefetch("referenced_in__responses", queryset=linked, to_attr="visible_responses"),
            Prefetch(
                "source_document__referenced_responses",
                queryset=linked,
                to_attr="visible_referenced",
            ),
            "decision_steps",
            "signatories",
            Prefetch("entries", queryset=entries.order_by("recommendation__position")),
        ),
        pk=pk,
    )
    return {
        "response": response,
        "may_see_history": may_see_history(user),
        # The municipality's auditors assess each answer in the response's round.
        "may_assess": may_assess(user, response.round.audit.municipality_id),
        "may_edit": response.is_editable_by(user),
        "may_publish": response.is_publishable_by(user),
    }
