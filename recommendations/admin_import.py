"""The admin's "import fixture files" page: upload, see a dry run, then import all or nothing.

It runs the same ``importer.import_texts`` as ``manage.py import_fixtures``, so the
validation is exactly the same. Between the dry run and the import the uploaded text is
kept in a file under MEDIA_ROOT/imports/ named by a random token held in the session.
"""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import roles
from .importer import ImportFailed, import_texts

SESSION_KEY = "pending_fixture_import"


class FixtureUploadForm(forms.Form):
    fixture = forms.FileField(
        label=gettext_lazy("Fixturfil (JSON)"),
        help_text=gettext_lazy("Samma format som manage.py import_fixtures läser."),
    )

    def clean_fixture(self):
        upload = self.cleaned_data["fixture"]
        if Path(upload.name).suffix.lower() != ".json":
            raise forms.ValidationError(_("Filen måste vara en JSON-fil (filändelsen .json)."))
        if upload.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 5:
            raise forms.ValidationError(
                _("Filen är för stor; högst %(limit)s.")
                % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 5)}
            )
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Filen är inte text i UTF-8.")) from None


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _pending_path(token: str) -> Path:
    return _pending_dir() / f"{token}.json"


def _context(request, **extra):
    return {**admin.site.each_context(request), "title": _("Importera fixturfiler"), **extra}


@require_http_methods(["GET", "POST"])
def fixture_import(request):
    """Step 1 (POST with a file): dry run and keep the file. Step 2 (POST confirm): import."""
    if not roles.is_admin(request.user):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = FixtureUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "admin/fixture_import.html", _context(request, form=form), status=status
        )
    name, text = form.cleaned_data["fixture"]
    try:
        result = import_texts([(name, text)], dry_run=True, user=request.user)
    except ImportFailed as failure:
        context = _context(request, form=form, problems=failure.problems, name=name)
        return render(request, "admin/fixture_import.html", context, status=400)
    token = secrets.token_urlsafe(24)
    _pending_dir().mkdir(parents=True, exist_ok=True)
    _pending_path(token).write_text(text, encoding="utf-8")
    request.session[SESSION_KEY] = {"token": token, "name": name}
    context = _context(request, form=FixtureUploadForm(), result=result, name=name)
    return render(request, "admin/fixture_import.html", context)


def _confirm(request):
    pending = request.session.pop(SESSION_KEY, None)
    path = _pending_path(pending["token"]) if pending else None
    if not path or not path.is_file():
        messages.error(request, _("Ingen granskad fil väntar på import; ladda upp filen igen."))
        return redirect("fixture_import")
    text = path.read_text(encoding="utf-8")
    path.unlink()
    try:
        result = import_texts(
            [(pending["name"], text)],
            change_reason=_("Import i administrationen av %(user)s")
            % {"user": request.user.get_username()},
            user=request.user,
        )
    except ImportFailed as failure:
        # The database changed since the dry run; nothing has been written.
        context = _context(
            request, form=FixtureUploadForm(), problems=failure.problems, name=pending["name"]
        )
        return render(request, "admin/fixture_import.html", context, status=400)
    messages.success(
        request,
        _("%(name)s är importerad: %(count)s objekt.")
        % {"name": pending["name"], "count": result.total},
    )
    return redirect("admin:index")
