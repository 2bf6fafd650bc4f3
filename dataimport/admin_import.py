"""The admin's "import fixture files" page: upload, see a dry run, then import all or nothing.

It runs the same ``importer.import_texts`` as ``manage.py import_fixtures``, so the
validation is exactly the same. Between the dry run and the import the uploaded text is
kept in a file under MEDIA_ROOT/imports/ with a random name. The dry-run page's
*Importera* form carries a signed confirmation naming that file, its SHA-256 and the
admin, so the import is always of the file reviewed on that page (two tabs, two files),
never of a file changed since. Files not confirmed within PENDING_MAX_AGE are deleted
by the next visit of the page.
"""

import hashlib
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from auditfollowup.lib.number_tags import grouped_number
from auditfollowup.uploads import upload_limit
from recommendations.roles import Admin, access

from .importer import ImportFailed, import_texts

# How long a dry run may wait for its confirmation; older files are deleted.
PENDING_MAX_AGE = 60 * 60


class FixtureUploadForm(forms.Form):
    fixture = forms.FileField(
        label=gettext_lazy("Fixturfil (JSON)"),
        help_text=gettext_lazy(
            "Fixturformatet som fixtures/README.md beskriver, samma som manage.py "
            "import_fixtures läser."
        ),
    )

    def clean_fixture(self):
        upload = self.cleaned_data["fixture"]
        if Path(upload.name).suffix.lower() != ".json":
            raise forms.ValidationError(_("Filen måste vara en JSON-fil (filändelsen .json)."))
        if upload.size > settings.MAX_FIXTURE_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor; högst %(limit)s.")
                % {"limit": filesizeformat(settings.MAX_FIXTURE_BYTES)}
            )
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Filen är inte text i UTF-8.")) from None


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _pending_path(token: str) -> Path:
    return _pending_dir() / f"{token}.json"


def _delete_stale_files() -> None:
    """Delete dry-run files nobody confirmed in time (their confirmations have expired)."""
    folder = _pending_dir()
    if not folder.is_dir():
        return
    cutoff = time.time() - PENDING_MAX_AGE
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            continue  # deleted by a parallel request


def _salt(request) -> str:
    return f"fixture-import:{request.user.pk}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _context(request, **extra):
    return {**admin.site.each_context(request), "title": _("Importera fixturfiler"), **extra}


@access(Admin)
@upload_limit("MAX_FIXTURE_BYTES")
@require_http_methods(["GET", "POST"])
def fixture_import(request):
    """Step 1 (POST with a file): dry run and keep the file. Step 2 (POST confirm): import."""
    _delete_stale_files()
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = FixtureUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "dataimport/fixture_import.html", _context(request, form=form), status=status
        )
    name, text = form.cleaned_data["fixture"]
    try:
        result = import_texts([(name, text)], dry_run=True, user=request.user)
    except ImportFailed as failure:
        context = _context(request, form=form, problems=failure.problems, name=name)
        return render(request, "dataimport/fixture_import.html", context, status=400)
    if not result.changes_anything:
        # Nothing to confirm: the page says so, and no file is kept for a confirmation.
        context = _context(request, form=FixtureUploadForm(), result=result, name=name)
        return render(request, "dataimport/fixture_import.html", context)
    token = secrets.token_urlsafe(24)
    _pending_dir().mkdir(parents=True, exist_ok=True)
    _pending_path(token).write_text(text, encoding="utf-8")
    confirmation = signing.dumps(
        {"file": token, "sha256": _sha256(text), "name": name}, salt=_salt(request)
    )
    context = _context(
        request, form=FixtureUploadForm(), result=result, name=name, confirmation=confirmation
    )
    return render(request, "dataimport/fixture_import.html", context)


def _reviewed_file(request) -> tuple[str, str] | None:
    """(name, text) of the file reviewed on the page that posted, or None. The file is
    deleted: a confirmation imports once."""
    try:
        pending = signing.loads(
            request.POST.get("confirmation", ""), salt=_salt(request), max_age=PENDING_MAX_AGE
        )
    except signing.BadSignature:  # forged, another admin's, or expired
        return None
    path = _pending_path(pending["file"])
    try:
        text = path.read_text(encoding="utf-8")
        path.unlink()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    if not secrets.compare_digest(_sha256(text), pending["sha256"]):
        return None
    return pending["name"], text


def _confirm(request):
    reviewed = _reviewed_file(request)
    if reviewed is None:
        messages.error(request, _("Ingen granskad fil väntar på import; ladda upp filen igen."))
        return redirect("fixture_import")
    name, text = reviewed
    try:
        result = import_texts(
            [(name, text)],
            change_reason=_("Import i administrationen av %(user)s")
            % {"user": request.user.get_username()},
            user=request.user,
        )
    except ImportFailed as failure:
        # The database changed since the dry run; nothing has been written.
        context = _context(request, form=FixtureUploadForm(), problems=failure.problems, name=name)
        return render(request, "dataimport/fixture_import.html", context, status=400)
    messages.success(
        request,
        _("Filen %(name)s är importerad: %(count)s objekt.")
        % {"name": name, "count": grouped_number(result.total)},
    )
    return redirect("admin:index")
