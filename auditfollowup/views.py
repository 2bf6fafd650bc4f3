"""Site-wide pages that belong to no single app."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from recommendations.roles import Public, access


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
