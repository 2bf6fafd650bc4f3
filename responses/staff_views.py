"""Board staff write their boards' responses: start, edit (one page, one save), preview,
attach the signed PDF, publish. Every view declares who may open it (``@access``); views
of an action on one response then ask the response (``is_editable_by``/``is_publishable_by``,
through ``acts_on_response``): other boards' drafts are 404 (they are not visible), the
wrong role is 403, and the board's own response no longer in a state for the action is
shown with what state it is in."""

from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from auditfollowup.uploads import upload_limit
from recommendations import roles
from recommendations.attention import owed_responses
from recommendations.models import Board, FollowUpRound
from recommendations.roles import LoggedIn, Public, Reader, Writer, access

from . import services
from .document import document_context
from .edit_page import EditPage
from .forms import (
    DecisionDocumentForm,
    PublishForm,
    StartResponseForm,
    SubmitForm,
)
from .history import change_history_for_response
from .models import Measure, Response


def _visible_response(user, pk: int) -> Response:
    """The response if this user may see it at all; 404 otherwise (drafts of other boards)."""
    return get_object_or_404(
        Response.objects.visible_to(user).select_related("board", "round__audit"), pk=pk
    )


# What the board's staff are told when their response is no longer in a state for what
# they opened (an old tab, the back button, a bookmark): the state it is in.
ALREADY = {
    Response.State.SUBMITTED: gettext_lazy(
        "Yttrandet är redan inlämnat till revisionen och kan inte längre ändras eller "
        "lämnas in här."
    ),
    Response.State.PUBLISHED: gettext_lazy(
        "Yttrandet är redan publicerat och kan inte längre ändras, lämnas in eller "
        "publiceras här. Behöver något rättas, kontakta administratörerna."
    ),
}


def acts_on_response(may: Callable[[Response, object], bool]):
    """The view of an action on one response (edit, hand in, publish, attach the signed
    PDF), called with the response in place of its pk when ``may(response, user)``
    allows the action (``Response.is_editable_by``, ``Response.is_publishable_by``).

    Otherwise: 404 if the user may not see the response at all (another board's draft);
    the board's own response (``roles.may_write_for_board``) that is no longer in a state
    for the action is shown, with what state it is in, rather than a 403 that reads as if
    the account lacked a role; anyone else (another board's staff, an auditor) gets 403.
    """

    def decorator(view):
        @wraps(view)
        def checked(request, pk: int):
            response = _visible_response(request.user, pk)
            if may(response, request.user):
                return view(request, response)
            already = ALREADY.get(response.state)
            if already is None or not roles.may_write_for_board(request.user, response.board):
                raise PermissionDenied
            messages.info(request, already)
            return redirect(response.get_writer_url())

        return checked

    return decorator


class OwedAnswer(NamedTuple):
    """A response one of the staff's boards owes in an open round: the draft begun, if
    any, and whether the round's last day has passed."""

    round: FollowUpRound
    board: Board
    draft: Response | None
    late: bool


def _owed_answers(rounds, boards, own: list[Response]) -> list[OwedAnswer]:
    """What the staff's boards owe in ``rounds`` (open rounds asking them), earliest
    deadline first: every board a round asks that has not handed in a response yet
    (``attention.owed_responses``, the rule the auditors' pages and reminders read),
    with the draft it has begun there (among ``own``). Six queries."""
    board_ids = set(boards.values_list("pk", flat=True))
    drafts = {(r.round_id, r.board_id): r for r in own if r.state == Response.State.DRAFT}
    today = timezone.localdate()
    return [
        OwedAnswer(
            item.round,
            item.board,
            drafts.get((item.round.pk, item.board.pk)),
            item.round.deadline is not None and item.round.deadline.is_past(today),
        )
        for item in owed_responses(rounds)
        if item.board.pk in board_ids
    ]


@access(Writer)
@require_http_methods(["GET", "POST"])
def response_start(request):
    """What the staff's boards owe first (each open round asking them, with a button to
    start the answer or a link to the draft begun), then their responses and overdue
    measures."""
    boards = roles.writable_boards(request.user)
    rounds = FollowUpRound.objects.open_for(boards)
    form = StartResponseForm(request.POST or None, boards=boards, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        board, round_ = form.cleaned_data["board"], form.cleaned_data["round"]
        existing = Response.objects.filter(board=board, round=round_).first()
        if existing:
            messages.info(request, _("Nämnden har redan ett yttrande i den här omgången."))
            return redirect(existing.get_writer_url())
        response = services.start_response(board=board, round=round_, user=request.user)
        messages.success(request, _("Utkastet är skapat."))
        return redirect("responses:response_edit", response.pk)
    # A refused post is a 400, as every form of the product answers one, with its errors.
    status = 400 if request.method == "POST" else 200
    own = list(
        Response.objects.visible_to(request.user)
        .filter(board__in=boards)
        .select_related("board", "round__audit")
        .with_answer_progress()
        .in_hand_first()
    )
    # What the boards' next answers have to account for, on the page staff land on.
    overdue = (
        Measure.objects.visible_to(request.user)
        .overdue(timezone.localdate())
        .filter(board__in=boards)
        .select_related("board", "recommendation__audit__municipality")
        .order_by("due_date", "pk")
    )
    owed = _owed_answers(rounds, boards, own)
    return render(
        request,
        "responses/staff/start.html",
        {
            "form": form,
            "owed": owed,
            "responses": own,
            "overdue": overdue,
            "any_round_open": bool(owed) or rounds.exists(),
        },
        status=status,
    )


@access(LoggedIn)
@require_http_methods(["GET", "POST"])
@acts_on_response(Response.is_editable_by)
def response_edit(request, response: Response):
    if request.method == "GET":
        return _edit_page(request, response, EditPage(response), DecisionDocumentForm(), status=200)
    page = EditPage(response, request.POST)
    if not page.is_valid():
        messages.error(request, _("Yttrandet är inte sparat: rätta felen som visas nedan."))
        return _edit_page(request, response, page, DecisionDocumentForm(), status=400)
    if status := _save_page(request, page):
        return _edit_page(request, response, page, DecisionDocumentForm(), status=status)
    messages.success(request, _("Utkastet är sparat."))
    then = request.POST.get("then")
    if then == "submit":
        # Saved first; handing in is confirmed on its own page (it cannot be undone by
        # the board's staff).
        return redirect("responses:response_submit", response.pk)
    if then == "publish":
        return redirect("responses:response_publish", response.pk)
    if then == "preview":
        return redirect("responses:response_preview", response.pk)
    return redirect("responses:response_edit", response.pk)


def _save_page(request, page: EditPage) -> int | None:
    """Save the valid edit page; None when saved, else the status of the page that says
    why not (the typed text stays on it, bound to the POST)."""
    try:
        page.save(request.user)
    except services.StaleVersion:
        messages.error(
            request,
            _(
                "Yttrandet har sparats av någon annan, eller i en annan flik, medan du "
                "arbetade. Dina ändringar är inte sparade; de står kvar nedan så att du "
                "kan kopiera dem. Öppna sidan på nytt för att se den senaste versionen."
            ),
        )
        return 409
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return 400
    return None


@access(Reader)
@require_safe
def response_preview(request, pk: int):
    """The response exactly as the public page shows it (one template), before publishing."""
    return render(request, "responses/staff/preview.html", document_context(request.user, pk))


@access(LoggedIn)
@require_http_methods(["GET", "POST"])
@acts_on_response(Response.is_publishable_by)
def response_publish(request, response: Response):
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
                        "Yttrandet har sparats av någon annan, eller i en annan flik, efter "
                        "att du öppnade sidan. Granska den senaste versionen innan du "
                        "publicerar."
                    ),
                )
            except ValidationError as error:
                form.refuse(error)
            else:
                messages.success(request, _("Yttrandet är publicerat."))
                return redirect(response.get_absolute_url())
    context = {
        "response": response,
        "form": form,
        "unanswered": services.unanswered_recommendations(response),
        "may_edit": response.is_editable_by(request.user),
        "overdue_unreported": response.overdue_measures_left_unreported(timezone.localdate()),
    }
    return render(request, "responses/staff/publish.html", context, status=status)


@access(LoggedIn)
@require_http_methods(["GET", "POST"])
@acts_on_response(Response.is_editable_by)
def response_submit(request, response: Response):
    """Hand the draft to the auditors (state submitted) without publishing it, confirmed
    on this page: what is handed in, what is still missing (each a link to its place on
    the edit page), and that the board's staff cannot change it afterwards."""
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Yttrandet är inte inlämnat: formuläret var ofullständigt."))
            return redirect("responses:response_submit", response.pk)
        return _submit(request, response, form.cleaned_data["version"])
    context = {
        "response": response,
        "form": SubmitForm(initial={"version": response.version}),
        "entries": response.entries.select_related("recommendation").order_by(
            "recommendation__position"
        ),
        "unanswered": services.unanswered_recommendations(response),
        "overdue_unreported": response.overdue_measures_left_unreported(timezone.localdate()),
    }
    return render(request, "responses/staff/submit.html", context)


def _submit(request, response: Response, version: int):
    """Submit the draft as of ``version``; back to the edit page with the reason if not."""
    try:
        services.submit_response(response=response, expected_version=version, user=request.user)
    except services.StaleVersion:
        messages.error(
            request,
            _(
                "Yttrandet har sparats av någon annan, eller i en annan flik, efter att du "
                "öppnade sidan. Granska den senaste versionen innan du lämnar in."
            ),
        )
        return redirect("responses:response_edit", response.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("responses:response_submit", response.pk)
    messages.success(request, _("Yttrandet är inlämnat till revisionen."))
    return redirect("responses:response_preview", response.pk)


@access(LoggedIn)
@upload_limit("MAX_ATTACHMENT_BYTES")
@require_POST
@acts_on_response(Response.is_editable_by)
def response_document_upload(request, response: Response):
    """Attach the signed PDF. The edit page's "Bifoga PDF" sends the whole page with the
    file, and what was typed is saved first, as the hand-in and publish buttons do: a form
    of its own sent only the file, and the unsaved text was lost."""
    page = EditPage(response, request.POST) if EditPage.sent_in(request.POST) else None
    if page is not None:
        if not page.is_valid():
            messages.error(
                request,
                _(
                    "Yttrandet är inte sparat och dokumentet är inte bifogat: rätta felen "
                    "som visas nedan och välj filen igen."
                ),
            )
            return _edit_page(request, response, page, DecisionDocumentForm(), status=400)
        if status := _save_page(request, page):
            return _edit_page(request, response, page, DecisionDocumentForm(), status=status)
    form = DecisionDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        if page is None:
            refused = _("Dokumentet är inte sparat: rätta felet som visas nedan.")
        else:
            refused = _(
                "Utkastet är sparat, men dokumentet är inte bifogat: rätta felet som visas nedan."
            )
        messages.error(request, refused)
        return _edit_page(request, response, EditPage(response), form, status=400)
    services.attach_decision_document(
        response=response, upload=form.cleaned_data["decision_document"]
    )
    if page is None:
        messages.success(request, _("Det beslutade dokumentet är bifogat."))
    else:
        messages.success(request, _("Utkastet är sparat och det beslutade dokumentet är bifogat."))
    return redirect("responses:response_edit", response.pk)


def _edit_page(request, response: Response, page: EditPage, document_form, *, status: int):
    context = {"response": response, "page": page, "document_form": document_form}
    return render(request, "responses/staff/edit.html", context, status=status)


@access(Public)
@require_safe
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


@access(Reader)
@require_safe
def response_history(request, pk: int):
    response = _visible_response(request.user, pk)
    changes = change_history_for_response(response, request.user)
    return render(
        request, "responses/staff/history.html", {"response": response, "changes": changes}
    )
