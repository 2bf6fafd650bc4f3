"""An Administratörer member manages their own municipality only; superusers manage all.

Every admin page of the two apps lists, opens and offers (in its choice fields and
raw-id lookups) only objects of the user's municipality (``tenancy.condition``), so
nothing of another municipality can be read, chosen or changed there.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404

from . import roles, tenancy


def _limit(formfield, model, request):
    if formfield is not None and hasattr(formfield, "queryset"):
        condition = tenancy.condition(model, request.user)
        if condition is not None:
            formfield.queryset = formfield.queryset.filter(condition)
    return formfield


class ScopedFieldsMixin:
    """Choice fields offer only the user's municipality's objects."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _limit(formfield, db_field.related_model, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _limit(formfield, db_field.related_model, request)


class ScopedAdminMixin(ScopedFieldsMixin):
    """Lists and opens only the user's municipality's objects (404 for the others)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        condition = tenancy.condition(self.model, request.user)
        return queryset if condition is None else queryset.filter(condition)

    def _require_in_scope(self, request, object_id) -> None:
        # django-simple-history reads an object's past versions from its history table,
        # not through get_queryset: check the object itself first.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class MunicipalityOnlyForSuperusers:
    """Adding or deleting a municipality is for superusers."""

    def has_add_permission(self, request, *args):
        return roles.is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_superuser(request.user)


def related_only(*fields):
    """List filters over related objects that offer only those the list itself contains
    (a municipality's boards and audits, not every municipality's)."""
    return [(name, admin.RelatedOnlyFieldListFilter) for name in fields]
