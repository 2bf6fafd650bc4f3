"""Mitt konto, unsubscribe and follow links from mails, calendars, and the password reset
that also lifts a login lock."""

from axes.utils import reset as reset_login_lock
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from auditfollowup.middleware import speak_the_mails_language
from auditfollowup.page_cache import per_visitor
from recommendations import roles
from recommendations.models import Board, Municipality
from recommendations.roles import LoggedIn, Public, access

from . import calendars, following, tokens
from .forms import AccountForm, FollowForm, LocalizedPasswordResetForm
from .mail import absolute_url
from .models import Follower, Frequency, Kind, Language, Preference, Profile


def _calendar_links(user, profile):
    """The user's private calendar addresses: their boards and their municipalities."""
    token = profile.calendar_token
    boards = list(Board.objects.filter(pk__in=roles.staff_board_ids(user)))
    if roles.is_auditor(user):
        municipalities = list(Municipality.objects.filter(roles.scope(user, "pk")))
    else:
        municipalities = list(Municipality.objects.filter(boards__in=boards).distinct())
    return [
        (
            board,
            absolute_url(reverse("notifications:private_board_calendar", args=[token, board.pk])),
        )
        for board in boards
    ] + [
        (
            municipality,
            absolute_url(
                reverse(
                    "notifications:private_municipality_calendar", args=[token, municipality.slug]
                )
            ),
        )
        for municipality in municipalities
    ]


@access(LoggedIn)
@require_http_methods(["GET", "POST"])
def account(request):
    """Mitt konto: how often each kind of mail comes, its language, private calendars."""
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dina val är sparade."))
        return redirect("notifications:account")
    profile = Profile.for_user(request.user)
    context = {
        "form": form,
        "calendars": _calendar_links(request.user, profile),
        # The mail server refused the address for good: no mail goes until it is another.
        "refused": profile if profile.refuses(request.user) else None,
    }
    # A refused post is 400, the form with its errors, as every form of the product answers.
    status = 400 if form.is_bound else 200
    return render(request, "notifications/account.html", context, status=status)


@access(LoggedIn)
@require_POST
def renew_calendar_token(request):
    Profile.for_user(request.user).renew_calendar_token()
    messages.success(
        request, _("Kalenderadresserna är nya. De gamla adresserna fungerar inte längre.")
    )
    return redirect("notifications:account")


# A mail client's one-click unsubscribe (RFC 8058) POSTs without a CSRF token; the signed
# token in the address is what authorises the change. The links from mails answer per
# token and per the holder's state: never from the page cache (``per_visitor``).
@access(Public)
@csrf_exempt
@require_http_methods(["GET", "POST"])
@per_visitor
def unsubscribe(request, token):
    """Turn one kind of mail off for the user the link was made for; no login needed.
    GET asks (link checkers must not unsubscribe anyone), POST does it."""
    try:
        user_id, kind = tokens.read_unsubscribe_token(token)
        kind = Kind(kind)
    except (signing.BadSignature, ValueError, KeyError):
        # Most often a link a mail program broke in two: say so, as the follow link does.
        return render(request, "notifications/unsubscribe_link_broken.html", status=404)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        # The account was removed since the mail: nothing more is sent to it. Said, with
        # the broken link's 404 (nothing to turn off here), not as a bare "Sidan finns inte".
        return render(request, "notifications/unsubscribe_account_removed.html", status=404)
    speak_the_mails_language(request, Profile.language_of(user))
    if request.method == "POST":
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"frequency": Frequency.OFF}
        )
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    if Preference.frequency_for(user, kind) == Frequency.OFF:
        # Already off (the link used before, or the choice made under Mitt konto).
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    return render(request, "notifications/unsubscribe.html", {"kind": kind})


@access(Public)
@require_http_methods(["GET", "POST"])
def follow(request, target, pk):
    """Ask to follow a recommendation or a board: the form (GET), then a confirmation mail
    (POST). The form lives on a page of its own so that the public pages, which link here,
    hold no CSRF token and can be served from the shared cache."""
    model = following.TARGETS.get(target)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    # A logged-in reader is offered their own address (they may still type another).
    own_address = {"email": request.user.email} if request.user.is_authenticated else None
    form = FollowForm(request.POST if request.method == "POST" else None, initial=own_address)
    status = 400 if form.is_bound else 200
    if form.is_valid() and not following.may_send_confirmation(form.cleaned_data["email"]):
        form.add_error(
            "email",
            _(
                "Vi har redan skickat flera länkar till den här adressen den senaste timmen. "
                "Använd den senaste, eller försök igen om en timme."
            ),
        )
        status = 429
    elif form.is_valid() and not following.may_ask_from(request):
        form.add_error(
            "email",
            _("Vi har skickat många länkar härifrån den senaste timmen. Försök igen om en timme."),
        )
        status = 429
    if not form.is_valid():
        return _follow_page(
            request, "follow_form_page", obj, {"form": form, "kind": target}, status=status
        )
    language = get_language() if get_language() in Language.values else Language.SWEDISH
    following.send_confirmation(email=form.cleaned_data["email"], target=obj, language=language)
    return _follow_page(request, "follow_requested", obj, {"email": form.cleaned_data["email"]})


def _follow_page(request, template, target, context=None, status=200):
    """A page about following ``target``, which names its municipality: boards and
    recommendations of every municipality may be followed, and many are named alike."""
    context = {**(context or {}), "target": target}
    if target is not None:
        context["municipality"] = following.municipality_of(target)
    return render(request, f"notifications/{template}.html", context, status=status)


@access(Public)
@require_http_methods(["GET", "POST"])
@per_visitor
def follow_confirm(request, token):
    try:
        data = tokens.read_follow_token(token)
    except signing.SignatureExpired:
        # Back to the page to ask again, which the reader may no longer remember.
        data = tokens.read_expired_follow_token(token)
        speak_the_mails_language(request, data.get("l"))
        target = following.target_of(data)
        return _follow_page(request, "follow_expired", target, {"kind": data.get("t")}, status=410)
    except signing.BadSignature:
        # Most often a link a mail program broke in two: say so, not just "not found".
        return render(request, "notifications/follow_link_broken.html", status=404)
    speak_the_mails_language(request, data.get("l"))
    target = following.target_of(data)
    if target is None:
        raise Http404
    if request.method == "POST":
        following.confirm(data)
        return _follow_page(request, "follow_confirmed", target)
    if following.is_confirmed(data):
        # The link opened again (from the mail, later): say so instead of asking again.
        return _follow_page(request, "follow_confirmed", target, {"already": True})
    return _follow_page(request, "follow_confirm", target, {"email": data["e"]})


@access(Public)
@csrf_exempt  # one-click from a mail client (RFC 8058); the signed token authorises it
@require_http_methods(["GET", "POST"])
@per_visitor
def unfollow(request, token):
    try:
        email = tokens.read_unfollow_token(token)
    except signing.BadSignature:
        # As a broken confirmation link: say what may have happened, not just "not found".
        return render(request, "notifications/unfollow_link_broken.html", status=404)
    speak_the_mails_language(request, following.language_of(email))
    if request.method == "POST":
        Follower.objects.of_address(email).delete()
        return render(request, "notifications/unfollowed.html", {"email": email})
    count = Follower.objects.of_address(email).count()
    return render(request, "notifications/unfollow.html", {"email": email, "count": count})


def _ics(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@access(Public)
@require_safe
def board_calendar(request, pk):
    board = get_object_or_404(Board, pk=pk)
    return _ics(calendars.for_board(board, AnonymousUser()), f"namnd-{board.pk}")


@access(Public)
@require_safe
def municipality_calendar(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    return _ics(calendars.for_municipality(municipality, AnonymousUser()), municipality.slug)


def _token_user(token):
    profile = Profile.objects.select_related("user").filter(calendar_token=token).first()
    if profile is None or not profile.user.is_active:
        raise Http404
    return profile.user


# A private calendar is its owner's view (drafts, submitted responses): never kept in a
# shared cache, ours included (``per_visitor``), and a renewed token's old address must
# stop at once.
@access(Public)
@require_safe
@per_visitor
def private_board_calendar(request, token, pk):
    """What the token's owner may see of a board; the token is the only credential."""
    user = _token_user(token)
    board = get_object_or_404(Board, pk=pk)
    return _ics(calendars.for_board(board, user), f"namnd-{board.pk}")


@access(Public)
@require_safe
@per_visitor
def private_municipality_calendar(request, token, slug):
    user = _token_user(token)
    municipality = get_object_or_404(Municipality, slug=slug)
    return _ics(calendars.for_municipality(municipality, user), municipality.slug)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalizedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password also lifts the user's login lock (django-axes), so a
    locked-out user gets back in without waiting or asking an admin."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_lock(username=self.user.get_username())
        return response
