"""The auditors' views: record an assessment, close a recommendation, ask the boards for a
follow-up (a new round of an audit), see what needs attention, read a recommendation's
change history. Auditors and admins only (403)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import attention as attention_queries
from . import roles
from .assessment_forms import (
    AssessmentForm,
    AttentionForm,
    CloseForm,
    FollowUpRequestForm,
    Meanwhile,
    RoundChooser,
)
from .history import change_history_for_recommendation
from .models import Audit, AuditorAssessment, FollowUpRound, Recommendation
from .reminders import SCHEDULE
from .roles import Auditor, Reader, access
from .timeline import build_timeline, timeline_recommendations
from .views import filter_status


def _recommendation(user, pk: int) -> Recommendation:
    """The recommendation, if the user may assess and close it (``roles.may_assess``, the
    one home of that rule: its municipality's auditors); 404 otherwise, so another
    municipality's recommendations are not even confirmed to exist."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("audit__municipality", "closed_by"), pk=pk
    )
    if not roles.may_assess(user, recommendation.audit.municipality_id):
        raise Http404
    return recommendation


@access(Auditor)
@require_http_methods(["GET", "POST"])
def assess(request, pk: int):
    """Create or update the auditors' assessment of a recommendation for one round."""
    recommendation = _recommendation(request.user, pk)
    assessments = recommendation.assessments.select_related("round", "assessed_by").order_by(
        "round__sequence"
    )
    status = 200
    if request.method == "POST":
        form = AssessmentForm(request.POST, recommendation=recommendation)
        if form.is_valid():
            data = form.cleaned_data
            AuditorAssessment.record(
                recommendation=recommendation,
                round=data["round"],
                status=data["status"],
                comment=data["comment"],
                user=request.user,
            )
            messages.success(request, _("Revisionens bedömning är sparad."))
            # Back to the round just assessed, whose answers and next link the page shows.
            assessed = reverse("auditors:assess", args=[recommendation.pk])
            return redirect(f"{assessed}?omgang={data['round'].pk}")
        status = 400
        answers = _answers_in_round(request, recommendation, request.POST.get("round", ""))
    else:
        # A round in the address (``?omgang=``) that is none of the audit's is refused as
        # the list refuses an invalid filter: 400 with the chooser's error, and no answers
        # (not the latest round's in their place).
        asked = RoundChooser(
            request.GET if "omgang" in request.GET else None, recommendation=recommendation
        )
        status = filter_status(asked)
        if status == 200:
            chosen = asked.chosen_pk()
            answers = _answers_in_round(request, recommendation, chosen or "")
        else:
            chosen, answers = None, {"answer_round": None, "answers": []}
        # The round whose answers the page shows is the one the form assesses.
        shown = answers["answer_round"]
        form = AssessmentForm.opened_for(
            recommendation=recommendation,
            round_pk=chosen or (shown.pk if shown else None),
            assessments=assessments,
        )
    chooser = RoundChooser(
        recommendation=recommendation,
        initial={"omgang": form.chosen_round.pk if form.chosen_round else None},
    )
    if status == 400 and request.method == "GET":
        chooser = asked  # its error, beside the rounds to choose from
    context = {
        "recommendation": recommendation,
        "form": form,
        "chooser": chooser,
        "assessments": assessments,
        "next_answered": _next_answered(request.user, recommendation, answers["answer_round"]),
        **answers,
    }
    return render(request, "recommendations/auditor/assess.html", context, status=status)


def _next_answered(user, recommendation, round_) -> Recommendation | None:
    """The audit's next recommendation (by its order) that a board answered in ``round_``
    in a response the user may read: where an auditor going through a round's answers
    one by one goes next. One query; None without a round or after the last."""
    if round_ is None:
        return None
    from responses.models import Response

    return (
        Recommendation.objects.filter(
            audit_id=recommendation.audit_id,
            position__gt=recommendation.position,
            entries__response__in=Response.objects.visible_to(user).filter(round=round_),
        )
        .order_by("position", "pk")
        .first()
    )


def _answers_in_round(request, recommendation, chosen: str) -> dict:
    """What the boards answered in the round being assessed (the one chosen, else the
    latest answered), as the recommendation's timeline shows it (the same include), so
    the auditors judge with the answers in view. The timeline's queries, constant."""
    read = next(
        timeline_recommendations(Recommendation.objects.filter(pk=recommendation.pk), request.user),
        None,
    )
    if read is None:  # deleted meanwhile
        raise Http404
    timeline = build_timeline(read, timezone.localdate())
    answered = [step.response.round for step in timeline.entries]
    round_ = next((r for r in answered if str(r.pk) == str(chosen)), None)
    if round_ is None and not chosen and answered:
        round_ = max(answered, key=lambda r: r.sequence)
    steps = [step for step in timeline.entries if round_ and step.response.round_id == round_.pk]
    return {"answer_round": round_, "answers": steps}


@access(Auditor)
@require_http_methods(["GET", "POST"])
def close(request, pk: int):
    """Mark a recommendation closed, with the reason; change the day or reason of a
    closing; or reopen a recommendation closed by mistake."""
    recommendation = _recommendation(request.user, pk)
    if request.method == "POST" and "reopen" in request.POST:
        if recommendation.is_closed:
            recommendation.reopen()
            messages.success(request, _("Rekommendationen är öppen igen och följs upp."))
        return redirect("auditors:close", recommendation.pk)
    form = CloseForm(
        request.POST or None,
        initial={
            "closed_on": recommendation.closed_on or timezone.localdate(),
            "closed_reason": recommendation.closed_reason,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            recommendation.close(
                form.cleaned_data["closed_on"], form.cleaned_data["closed_reason"], request.user
            )
            messages.success(request, _("Rekommendationen är avslutad."))
            return redirect("auditors:close", recommendation.pk)
        status = 400
    context = {"recommendation": recommendation, "form": form}
    return render(request, "recommendations/auditor/close.html", context, status=status)


def _audit(user, pk: int) -> Audit:
    """The audit, if the user may ask its boards for a follow-up: the rule of assessing
    and closing its recommendations (``roles.may_assess``); 404 otherwise, as for them."""
    audit = get_object_or_404(Audit.objects.select_related("municipality", "auditor"), pk=pk)
    if not roles.may_assess(user, audit.municipality_id):
        raise Http404
    return audit


@access(Auditor)
@require_http_methods(["GET", "POST"])
def request_follow_up(request, pk: int, round_pk: int | None = None):
    """Ask the boards for a follow-up: open a new round of the audit, with its deadline
    and the boards it asks, or change one (move its deadline, close it for answers). The
    boards' staff then see it among the rounds they may answer, and the reminders chase
    it (README, "Reminders, digests and calendars")."""
    audit = _audit(request.user, pk)
    round_ = current = None
    if round_pk is not None:
        # The asks prefetched: read once for the form and its fingerprint.
        rounds = FollowUpRound.objects.prefetch_related("asks")
        round_ = get_object_or_404(rounds, pk=round_pk, audit=audit)
    form = FollowUpRequestForm(request.POST or None, instance=round_, audit=audit)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = form.save()
            except Meanwhile as meanwhile:
                # A colleague (or the same form sent twice) wrote first: the form as typed,
                # what happened at its top, and, for a round changed, the round as it is.
                status = 409
                form.add_error(None, meanwhile.message)
                current = meanwhile.current
            else:
                messages.success(request, _follow_up_message(saved, changed=round_ is not None))
                # To the top of the audit's page, where the message stands (at the round's
                # anchor it was scrolled out of sight); the message names the round.
                return redirect(audit.get_absolute_url())
    context = {"audit": audit, "form": form, "round": round_, "current": current}
    if round_ is None:
        context["next_sequence"] = FollowUpRound.objects.next_sequence(audit)
        context["reminders"] = SCHEDULE
    return render(request, "recommendations/auditor/follow_up.html", context, status=status)


def _follow_up_message(round_: FollowUpRound, *, changed: bool) -> str:
    values = {"number": round_.sequence, "deadline": round_.deadline}
    if not round_.is_open:
        return _("Omgång %(number)s är sparad. Den är stängd för yttranden.") % values
    if changed:
        return _("Omgång %(number)s är ändrad. Nämnderna ska svara senast %(deadline)s.") % values
    return (
        _(
            "Omgång %(number)s är begärd. Nämndernas handläggare kan nu lämna yttranden, "
            "senast %(deadline)s, och påminns före dagen."
        )
        % values
    )


@access(Auditor)
@require_safe
def attention(request):
    """Att granska: what has arrived, what is overdue, where auditors and boards disagree,
    and which boards have not answered by the deadline. A fixed number of queries whatever
    the size: one each for arrived, overdue and disagreements, five each for the awaited
    and the missing responses (asserted in tests/test_auditor_views.py)."""
    form = AttentionForm(request.GET or None)
    since = form.since_date()
    today = timezone.localdate()
    # A day the form refuses: 400 with its error and no arrivals (not the default
    # ninety days' under it), as the list answers an invalid filter. The other sections
    # read no day.
    arrived = attention_queries.arrived_responses(since, request.user) if since else None
    context = {
        "form": form,
        "since": since,
        "today": today,
        "arrived": arrived,
        "overdue": attention_queries.overdue_measures(today, request.user),
        "disagreements": attention_queries.disagreements(request.user),
        "awaited": attention_queries.awaited_responses(today, request.user),
        "missing": attention_queries.missing_responses(today, request.user),
    }
    return render(
        request, "recommendations/auditor/attention.html", context, status=filter_status(form)
    )


@access(Reader)
@require_safe
def recommendation_history(request, pk: int):
    # Open to every reader, as the history on the recommendation's page is
    # (``roles.may_see_history``); which versions each reader sees is the history's own
    # rule (``ReadableVersions``): outside their municipality an auditor, and outside
    # their boards board staff, see only what was published.
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("audit__municipality"), pk=pk
    )
    changes = change_history_for_recommendation(recommendation, request.user)
    context = {"recommendation": recommendation, "changes": changes}
    return render(request, "recommendations/auditor/history.html", context)
