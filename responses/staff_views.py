"""Board staff write their boards' responses: start, edit (one page, one save), preview,
attach the signed PDF, publish. Every view checks on the server who may do what:
other boards' drafts are 404 (they are not visible), the wrong role is 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from recommendations import roles
from recommendations.history import change_history_for_response, may_see_history
from recommendations.models import Board, FollowUpRound, Recommendation
from recommendations.status import Status

from . import services
from .forms import (
    DecisionDocumentForm,
    EntryForm,
    MeasureUpdateForm,
    NewMeasureFormSet,
    PublishForm,
    ResponseHeaderForm,
    SharedMeasureUpdateForm,
    StartResponseForm,
    SubmitForm,
)
from .models import DueDateChange, Measure, MeasureUpdate, Response


def may_write_for_board(user, board: Board) -> bool:
    return roles.may_write_for_board(user, board)


def _require_writer(user) -> None:
    if not (roles.is_admin(user) or roles.is_board_staff(user)):
        raise PermissionDenied


def _visible_response(user, pk: int) -> Response:
    """The response if this user may see it at all; 404 otherwise (drafts of other boards)."""
    return get_object_or_404(
        Response.objects.visible_to(user).select_related("board", "round__audit"), pk=pk
    )


def _draft_for_writing(user, pk: int, states=(Response.State.DRAFT,)) -> Response:
    """A response this user may change, in one of ``states``: 404 if they may not see it,
    403 if it is not their board's or no longer in such a state."""
    response = _visible_response(user, pk)
    if not may_write_for_board(user, response.board):
        raise PermissionDenied
    if response.state not in states:
        # Published responses are read-only here; corrections go through the admins.
        raise PermissionDenied
    return response


def _writer_boards(user):
    return Board.objects.filter(roles.writable_boards(user))


@login_required
@require_http_methods(["GET", "POST"])
def response_start(request):
    """The staff's own responses, and a form to start one for an open round."""
    _require_writer(request.user)
    boards = _writer_boards(request.user)
    rounds = FollowUpRound.objects.filter(is_open=True).select_related("audit")
    form = StartResponseForm(request.POST or None, boards=boards, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        board, round_ = form.cleaned_data["board"], form.cleaned_data["round"]
        existing = Response.objects.filter(board=board, round=round_).first()
        if existing:
            messages.info(request, _("Nämnden har redan ett yttrande i den här omgången."))
            return redirect(_next_page_for(existing))
        response = services.start_response(board=board, round=round_, user=request.user)
        messages.success(request, _("Utkastet är skapat."))
        return redirect("responses:response_edit", response.pk)
    own = (
        Response.objects.visible_to(request.user)
        .filter(board__in=boards)
        .select_related("board", "round__audit")
        .order_by("state", "-pk")
    )
    return render(request, "responses/staff/start.html", {"form": form, "responses": own})


def _next_page_for(response: Response) -> str:
    from django.urls import reverse

    if response.state == Response.State.DRAFT:
        return reverse("responses:response_edit", args=[response.pk])
    return reverse("responses:response_preview", args=[response.pk])


class EditPage:
    """Every form of the edit page, bound to the same POST, for one draft response.

    Queries: recommendations the board answers on, the response's entries, this
    response's measure updates and due-date changes, the board's measures serving those
    recommendations (open ones, and those reported on in this response), the other
    recommendations they serve: six, whatever the size.

    A shared measure (``Measure.also_serves``) appears under every recommendation it
    serves: in full under its leading one (its main recommendation when the board
    answers it, else the first it serves), with status and note under the others, so an
    update is recorded once per entry it is reported in.
    """

    def __init__(self, response: Response, data=None):
        self.response = response
        self.header = ResponseHeaderForm(
            data, instance=response, initial={"version": response.version}
        )
        recommendations = list(
            Recommendation.objects.filter(
                audit_id=response.round.audit_id, answered_by=response.board
            ).order_by("position")
        )
        entries = {entry.recommendation_id: entry for entry in response.entries.all()}
        updates = {
            (update.measure_id, update.entry.recommendation_id): update
            for update in MeasureUpdate.objects.filter(entry__response=response).select_related(
                "entry"
            )
        }
        moved = {
            change.measure_id: change
            for change in DueDateChange.objects.filter(entry__response=response)
        }
        measures = (
            Measure.objects.serving([r.pk for r in recommendations])
            .reportable_in(response)
            .filter(~Q(status__in=Status.settled_values()) | Q(updates__entry__response=response))
            .distinct()
            .prefetch_related("also_serves")
            .order_by("recommendation_id", "due_date", "pk")
        )
        by_position = {r.pk: index for index, r in enumerate(recommendations)}
        measures_by_recommendation = {}
        for measure in measures:
            served = [measure.recommendation_id, *(r.pk for r in measure.also_serves.all())]
            answered = sorted(
                (pk for pk in dict.fromkeys(served) if pk in by_position),
                key=lambda pk: (pk != measure.recommendation_id, by_position[pk]),
            )
            leading = next((r for r in recommendations if r.pk == answered[0]), None)
            for pk in answered:
                measures_by_recommendation.setdefault(pk, []).append((measure, leading))
        self.sections = [
            self._section(recommendation, entries, updates, moved, measures_by_recommendation, data)
            for recommendation in recommendations
        ]

    @staticmethod
    def _section(recommendation, entries, updates, moved, measures_by_recommendation, data):
        entry = entries.get(recommendation.pk)
        entry_form = EntryForm(
            data,
            prefix=f"rec-{recommendation.pk}",
            initial={"status": entry.status, "narrative": entry.narrative} if entry else {},
        )
        measure_forms = []
        for measure, leading in measures_by_recommendation.get(recommendation.pk, []):
            update = updates.get((measure.pk, recommendation.pk))
            if leading.pk != recommendation.pk:
                form = SharedMeasureUpdateForm(
                    data,
                    prefix=f"measure-{measure.pk}-rec-{recommendation.pk}",
                    measure=measure,
                    leading=leading,
                    initial={
                        "status": update.status if update else measure.status,
                        "note": update.note if update else "",
                    },
                )
                measure_forms.append((measure, form))
                continue
            change = moved.get(measure.pk)
            # The draft's own report when there is one, else the measure as published;
            # the due date moves only through this draft's DueDateChange.
            initial = {
                "status": update.status if update else measure.status,
                "note": update.note if update else "",
                "due": change.new if change else measure.due,
                "due_reason": change.reason if change else "",
                "completed": update.completed if update else measure.completed,
                "effect": update.effect if update else measure.effect,
            }
            form = MeasureUpdateForm(
                data, prefix=f"measure-{measure.pk}", measure=measure, initial=initial
            )
            measure_forms.append((measure, form))
        return {
            "recommendation": recommendation,
            "entry_form": entry_form,
            "measure_forms": measure_forms,
            "new_measures": NewMeasureFormSet(data, prefix=f"new-{recommendation.pk}"),
        }

    def forms(self):
        yield self.header
        for section in self.sections:
            yield section["entry_form"]
            yield from (form for _measure, form in section["measure_forms"])
            yield section["new_measures"]

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error on the page as (id of the field, text), for the summary at the top.

        Each text names where the field is (the recommendation, the measure), since
        several parts of the page have fields with the same label.
        """
        found = []

        def collect(form, where):
            for message in form.non_field_errors():
                found.append((form[next(iter(form.fields))].auto_id, f"{where}: {message}"))
            for field in form:
                for message in field.errors:
                    found.append((field.auto_id, f"{where}, {field.label}: {message}"))

        if self.header.is_bound:
            collect(self.header, _("Yttrandet"))
            for section in self.sections:
                recommendation = section["recommendation"]
                where = recommendation.label or str(recommendation.position)
                collect(section["entry_form"], where)
                for measure, form in section["measure_forms"]:
                    collect(form, f"{where}, {measure.title}")
                for number, form in enumerate(section["new_measures"], start=1):
                    collect(form, f"{where}, " + _("ny åtgärd %(n)s") % {"n": number})
        return found

    def is_valid(self) -> bool:
        # Validate every form (no short-circuit) so each error shows next to its field.
        results = [form.is_valid() for form in self.forms()]
        return all(results)

    def save(self, user) -> Response:
        entries, measure_updates, new_measures = [], [], []
        for section in self.sections:
            recommendation = section["recommendation"]
            data = section["entry_form"].cleaned_data
            entries.append(
                services.EntryInput(
                    recommendation=recommendation,
                    status=data["status"],
                    narrative=data["narrative"],
                )
            )
            for measure, form in section["measure_forms"]:
                if isinstance(form, SharedMeasureUpdateForm):
                    measure_updates.append(
                        services.MeasureInput.shared(
                            measure=measure, recommendation=recommendation, **form.cleaned_data
                        )
                    )
                    continue
                measure_updates.append(
                    services.MeasureInput(
                        measure=measure, recommendation=recommendation, **form.cleaned_data
                    )
                )
            for form in section["new_measures"]:
                if form.has_changed() and form.cleaned_data:
                    new_measures.append(
                        services.NewMeasureInput(recommendation=recommendation, **form.cleaned_data)
                    )
        header = self.header.cleaned_data
        return services.save_response(
            response=self.response,
            expected_version=header["version"],
            user=user,
            title=header["title"],
            addressed_to=header["addressed_to"],
            summary=header["summary"],
            entries=entries,
            measure_updates=measure_updates,
            new_measures=new_measures,
        )


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request, pk: int):
    response = _draft_for_writing(request.user, pk)
    page = EditPage(response, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if page.is_valid():
            try:
                page.save(request.user)
            except services.StaleVersion:
                status = 409
                messages.error(
                    request,
                    _(
                        "Någon annan har sparat yttrandet medan du arbetade. Dina ändringar är "
                        "inte sparade; de står kvar nedan så att du kan kopiera dem. Öppna "
                        "sidan på nytt för att se den senaste versionen."
                    ),
                )
            except ValidationError as error:
                status = 400
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Utkastet är sparat."))
                return redirect("responses:response_edit", response.pk)
        else:
            status = 400
            messages.error(request, _("Yttrandet är inte sparat: rätta felen som visas nedan."))
    context = {
        "response": response,
        "page": page,
        "document_form": DecisionDocumentForm(),
    }
    return render(request, "responses/staff/edit.html", context, status=status)


def _response_body_context(response: Response, user) -> dict:
    """The entries with their measures, as the public will see them.

    Queries: entries with recommendations, their measure updates with measures, and
    the due-date changes of those measures: three, whatever the size.
    """
    changes = DueDateChange.objects.visible_to(user).order_by("changed_at", "pk")
    updates = (
        MeasureUpdate.objects.visible_to(user)
        .select_related("measure")
        .prefetch_related(Prefetch("measure__due_date_changes", queryset=changes))
    )
    entries = response.entries.select_related("recommendation").prefetch_related(
        Prefetch("measure_updates", queryset=updates)
    )
    return {"response": response, "entries": entries}


@login_required
def response_preview(request, pk: int):
    if not (roles.is_auditor(request.user) or roles.is_board_staff(request.user)):
        raise PermissionDenied
    response = _visible_response(request.user, pk)
    context = _response_body_context(response, request.user)
    may_write = may_write_for_board(request.user, response.board)
    context["may_edit"] = may_write and response.state == Response.State.DRAFT
    context["may_publish"] = may_write and response.state != Response.State.PUBLISHED
    return render(request, "responses/staff/preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def response_publish(request, pk: int):
    response = _draft_for_writing(
        request.user, pk, states=(Response.State.DRAFT, Response.State.SUBMITTED)
    )
    form = PublishForm(
        request.POST or None,
        initial={"version": response.version, "diary_number": response.diary_number},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.publish_response(
                    response=response,
                    expected_version=data["version"],
                    user=request.user,
                    decision_date=data["decision_date"],
                    diary_number=data["diary_number"],
                )
            except services.StaleVersion:
                status = 409
                messages.error(
                    request,
                    _(
                        "Någon annan har sparat yttrandet efter att du öppnade sidan. Granska "
                        "den senaste versionen innan du publicerar."
                    ),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Yttrandet är publicerat."))
                return redirect(response.get_absolute_url())
    context = _response_body_context(response, request.user)
    context["form"] = form
    return render(request, "responses/staff/publish.html", context, status=status)


@login_required
@require_POST
def response_submit(request, pk: int):
    """Hand the draft to the auditors (state submitted) without publishing it."""
    response = _draft_for_writing(request.user, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yttrandet är inte inlämnat: formuläret var ofullständigt."))
        return redirect("responses:response_edit", response.pk)
    try:
        services.submit_response(
            response=response, expected_version=form.cleaned_data["version"], user=request.user
        )
    except services.StaleVersion:
        messages.error(
            request,
            _(
                "Någon annan har sparat yttrandet efter att du öppnade sidan. Granska den "
                "senaste versionen innan du lämnar in."
            ),
        )
        return redirect("responses:response_edit", response.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("responses:response_edit", response.pk)
    messages.success(request, _("Yttrandet är inlämnat till revisionen."))
    return redirect("responses:response_preview", response.pk)


@login_required
@require_POST
def response_document_upload(request, pk: int):
    response = _draft_for_writing(request.user, pk)
    form = DecisionDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        page = EditPage(response)
        context = {"response": response, "page": page, "document_form": form}
        messages.error(request, _("Dokumentet är inte sparat: rätta felet som visas nedan."))
        return render(request, "responses/staff/edit.html", context, status=400)
    services.attach_decision_document(
        response=response, upload=form.cleaned_data["decision_document"]
    )
    messages.success(request, _("Det beslutade dokumentet är bifogat."))
    return redirect("responses:response_edit", response.pk)


def response_document(request, pk: int):
    """The signed PDF, only for those who may see the response (404 for everybody else)."""
    response = _visible_response(request.user, pk)
    if not response.decision_document:
        raise Http404
    try:
        handle = response.decision_document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    served = FileResponse(
        handle,
        as_attachment=True,
        filename=f"yttrande-{response.pk}.pdf",
        content_type="application/pdf",
    )
    served["X-Content-Type-Options"] = "nosniff"
    return served


@login_required
def response_history(request, pk: int):
    if not may_see_history(request.user):
        raise PermissionDenied
    response = _visible_response(request.user, pk)
    changes = change_history_for_response(response, request.user)
    return render(
        request, "responses/staff/history.html", {"response": response, "changes": changes}
    )
