"""Request bodies refused by their declared size, before anything reads them.

Django checks an uploaded file's size only once the whole body has arrived (streamed to a
temporary file), and CsrfViewMiddleware reads the body before any view runs. So the limit
is a property of the view, declared with ``@upload_limit("SETTING_NAME")``, and enforced
by ``UploadSizeLimitMiddleware`` (placed before CsrfViewMiddleware) from the request's
Content-Length. Every other view accepts at most DATA_UPLOAD_MAX_MEMORY_SIZE. The web
server in front should refuse larger bodies still earlier (README, "Production settings").
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def upload_limit(setting_name: str):
    """Declare that a view accepts a file of up to ``settings.<setting_name>`` bytes."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.upload_limit_setting = setting_name
        return wrapper

    return decorator


def body_limit(view) -> tuple[int, int]:
    """(largest body accepted, largest file announced to the user) for a view."""
    setting_name = getattr(view, "upload_limit_setting", None)
    if setting_name is None:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    limit = getattr(settings, setting_name)
    return limit + FORM_OVERHEAD_BYTES, limit


def largest_accepted_body() -> int:
    """What the web server in front should allow (nginx: client_max_body_size)."""
    limits = [settings.MAX_ATTACHMENT_BYTES, settings.MAX_FIXTURE_BYTES]
    return max(limits) + FORM_OVERHEAD_BYTES


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body without a valid length either
        accepted, announced = body_limit(view_func)
        if length <= accepted:
            return None
        return render(request, "413.html", {"limit": filesizeformat(announced)}, status=413)
