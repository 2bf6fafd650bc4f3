"""Site-wide pages that belong to no single app."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from recommendations import roles
from recommendations.roles import Public, access

from .login_forms import LoginForm


@access(Public)
@require_safe
def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse), after DIGG's model."""
    return render(
        request,
        "accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
        },
    )


@access(Public)
@require_safe
def favicon(request):
    """Some browsers ask for /favicon.ico whatever the page links to: send them the icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


@access(Public)
@require_safe
def choose_language(request):
    """The language switch, a plain link-like GET: it only sets the language cookie and
    returns to the page. Because it needs no CSRF token, the pages that carry it hold
    nothing personal and anonymous visitors' pages can be cached (``page_cache``).
    Django's own POST view (``set_language``) stays available."""
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class LoginView(auth_views.LoginView):
    """Django's login, which then opens each role's own work when no page was asked for
    (``next``): board staff their boards' responses, auditors *Att granska*; everyone
    else the start page."""

    http_method_names = ["get", "post", "head"]
    authentication_form = LoginForm

    def get_default_redirect_url(self):
        user = self.request.user
        if roles.is_board_staff(user):
            return reverse("responses:response_start")
        if roles.is_auditor(user) and not roles.is_admin(user):
            return reverse("auditors:attention")
        return super().get_default_redirect_url()


login = access(Public)(LoginView.as_view())
