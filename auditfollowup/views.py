"""Site-wide pages that belong to no single app."""

from django.conf import settings
from django.shortcuts import render
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
