"""An Administratörer member manages their own municipality only; superusers manage all.

Every admin page of the apps lists, opens and offers (in its choice fields and raw-id
lookups) only objects of the user's municipality (``tenancy.condition``), so nothing of
another municipality can be read, chosen or changed there. A raw-id input names the object
whose id it holds (Django looks it up unscoped) only when that object is in scope: an id
typed into the address (``?response=<id>``) or posted shows no label otherwise.
"""

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, ManyToManyRawIdWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpResponseNotAllowed
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from auditfollowup.admin_lists import ChecksDateHierarchy
from auditfollowup.lib.ids import is_id

from . import municipal_links, roles, tenancy
from .models import Municipality


def _limit(formfield, model, request):
    if formfield is not None and hasattr(formfield, "queryset"):
        condition = tenancy.condition(model, request.user)
        if condition is not None:
            formfield.queryset = formfield.queryset.filter(condition)
    return formfield


def _names_municipality(model, entry) -> bool:
    """Whether a list's column or filter (a lookup, or a filter's lookup and class) shows
    the objects' municipality: a "municipality" column, a filter by
    "membership__municipality"."""
    lookup = entry[0] if isinstance(entry, list | tuple) else entry
    if not isinstance(lookup, str):
        return False  # a column's function or a filter of its own
    try:
        fields = get_fields_from_path(model, lookup)
    except (FieldDoesNotExist, NotRelationField):
        return False  # a method's column, "__str__"
    return fields[-1].related_model is Municipality


def _without_municipality(model, entries, request):
    """A list's columns or filters, without the municipality's for anyone but a superuser:
    everything a municipality's admin lists is of their municipality, so a "Kommun"
    column repeated it on every row and its filter offered the one choice."""
    if roles.is_superuser(request.user):
        return entries
    return type(entries)(entry for entry in entries if not _names_municipality(model, entry))


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id input whose label (the object's name next to the id) is looked up in its
    form field's queryset, which ScopedFieldsMixin limits to the user's municipality: an id
    outside it shows no label. (``ModelChoiceField`` keeps ``choices`` of its widget in
    step with its queryset; Django's many-to-many raw-id input shows ids only, no labels.)
    """

    # The object the row holds, read with the row (``sharing_choices``): its own stored
    # choice, named without a query of its own.
    held = None

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        if self.held is not None and str(getattr(self.held, key)) == str(value):
            return self._label_and_url(self.held)
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if queryset is None:
            return "", ""
        try:
            in_scope = queryset.using(self.db).filter(**{key: value}).exists()
        except (ValueError, ValidationError):
            in_scope = False
        return super().label_and_url_for_value(value) if in_scope else ("", "")

    def _label_and_url(self, obj):
        # As ForeignKeyRawIdWidget names the object it looks up.
        try:
            url = reverse(
                f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change",
                args=(obj.pk,),
            )
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


def keeping_recorded_choices(form_class):
    """``form_class``, whose choice fields also accept the object each one already holds.

    A choice field offers only what the user may manage, but a stored object may hold
    another: the superuser who closed a recommendation, a board's contact person who is
    also another municipality's. Saving the object unchanged there must not fail on a
    value the user did not touch; choosing such an object anew is still refused. (The
    many-to-many fields keep theirs in ``ScopedAdminMixin.save_related``.)"""

    class KeepingRecordedChoices(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk is None:
                return
            for name, field in self.fields.items():
                if not isinstance(field, ModelChoiceField) or isinstance(
                    field, ModelMultipleChoiceField
                ):
                    continue
                recorded = getattr(self.instance, f"{name}_id", None)
                if recorded is None:
                    continue
                offered = field.queryset
                # By id, not ``offered | ...``: the two conditions' joins would repeat rows.
                field.queryset = offered.model._default_manager.filter(
                    Q(pk__in=offered.values("pk")) | Q(pk=recorded)
                ).order_by(*offered.query.order_by or offered.model._meta.ordering)

    KeepingRecordedChoices.__name__ = form_class.__name__
    return KeepingRecordedChoices


def linking_within_one_municipality(form_class):
    """``form_class``, refusing a link to another municipality's object
    (``municipal_links.links_elsewhere``) with a message on the field naming it.

    A superuser is offered every municipality's boards and recommendations: a Malmö
    recommendation addressed to an Exempelby board was saved. The foreign keys are read
    from the object the form has filled, the many-to-manys from the cleaned data (the
    model's ``clean()`` cannot see them); a field the model's ``clean()`` already refused
    by the same rule is not told twice."""

    class LinkingWithinOneMunicipality(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # The chosen objects come with their way to their municipality: the check
            # asks no query of its own, in each row of an inline as in the form.
            for field in self.fields.values():
                if isinstance(field, ModelChoiceField) and tenancy.path_of(field.queryset.model):
                    field.queryset = municipal_links.on_way_to_municipality(field.queryset)

        def _post_clean(self):
            super()._post_clean()
            links = [
                field
                for field in municipal_links.link_fields(self._meta.model)
                if field.name in self.fields and field.name not in self.errors
            ]
            values = {
                field.name: self.cleaned_data.get(field.name, ())
                for field in links
                if field.many_to_many
            }
            found = municipal_links.links_elsewhere(self.instance, values, [f.name for f in links])
            municipal_links.remember_read(self.instance, values)  # the save's check reads none
            for name, message in municipal_links.link_messages(self.instance, found).items():
                self.add_error(name, message)
            self._refuse_moving_away_from_links()

        def _refuse_moving_away_from_links(self):
            # A stored board or audit moved to another municipality would leave what links
            # to it (its recommendations, responses, measures) linking across two, as would
            # a round given another municipality's audit (its responses), by the field it
            # belongs there by: the rule the importer asks too
            # (``municipal_links.moving_away_from_links``).
            path = tenancy.path_of(self._meta.model)
            if path in (None, "pk"):
                return
            step = path.split("__")[0]
            if self.instance.pk and step in self.changed_data and step not in self.errors:
                refused = municipal_links.moving_away_from_links(
                    self._meta.model,
                    {self.instance.pk: municipal_links.municipality_of(self.instance)},
                )
                if refused:
                    self.add_error(step, refused[self.instance.pk])

    LinkingWithinOneMunicipality.__name__ = form_class.__name__
    return LinkingWithinOneMunicipality


def _raw_id(field) -> bool:
    return isinstance(field.widget, ForeignKeyRawIdWidget | ManyToManyRawIdWidget)


def sharing_choices(formset_class):
    """``formset_class``, whose rows read their choices and many-to-many values with the
    formset instead of one row at a time.

    Each row of an inline has its own copy of every select: the boards offered to each of
    an audit's recommendations, twice, were read from the database once per row (an audit
    of ten recommendations asked 27 times for the same list). The rows' selects now share
    the list of choices read once (a row holding a recorded object outside it keeps its
    own, ``keeping_recorded_choices``), the rows' many-to-many values are read with the
    rows, and each row knows its parent."""

    class SharingChoices(formset_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._shared_choices = {}
            many = [
                field.name
                for field in self.model._meta.many_to_many
                if field.name in self.form.base_fields
            ]
            if many and self.queryset is not None:
                self.queryset = self.queryset.prefetch_related(*many)
            held = [
                name
                for name, field in self.form.base_fields.items()
                if _raw_id(field) and not isinstance(field.widget, ManyToManyRawIdWidget)
            ]
            if held and self.queryset is not None:
                self.queryset = self.queryset.select_related(*held)

        def _construct_form(self, i, **kwargs):
            form = super()._construct_form(i, **kwargs)
            # Django sets the row's key to its parent, not the parent itself: a row named
            # after its parent (a round after its audit) read the parent once per row.
            fk, parent = (
                getattr(self, "fk", None),
                getattr(getattr(self, "instance", None), "pk", None),
            )
            if (
                fk is not None
                and parent is not None
                and getattr(form.instance, fk.attname) == parent
            ):
                setattr(form.instance, fk.name, self.instance)
            return self._share_choices(form)

        @property
        def empty_form(self):
            return self._share_choices(super().empty_form)

        def _share_choices(self, form):
            for name, field in form.fields.items():
                base = self.form.base_fields.get(name)  # not the formset's own id and key
                if base is None or not isinstance(field, ModelChoiceField):
                    continue
                if _raw_id(field):
                    relation = form.instance._meta.get_field(name)
                    if isinstance(field.widget, ScopedRawIdWidget) and relation.is_cached(
                        form.instance
                    ):
                        field.widget.held = relation.get_cached_value(form.instance)
                    continue
                if name not in self._shared_choices:
                    offered = list(base.choices)
                    keys = {str(value) for value, _label in offered}
                    self._shared_choices[name] = offered, keys
                offered, keys = self._shared_choices[name]
                held = getattr(form.instance, f"{name}_id", None)
                if held is None or str(held) in keys:
                    field.choices = offered
            return form

    SharingChoices.__name__ = formset_class.__name__
    return SharingChoices


class ScopedFieldsMixin:
    """Choice fields and raw-id inputs offer and name only the user's municipality's
    objects (and the one a stored object already holds: ``keeping_recorded_choices``), and
    no form links one municipality's object to another's
    (``linking_within_one_municipality``)."""

    def get_form(self, request, *args, **kwargs):
        form = keeping_recorded_choices(super().get_form(request, *args, **kwargs))
        return linking_within_one_municipality(form)

    def get_formset(self, request, *args, **kwargs):
        formset = sharing_choices(super().get_formset(request, *args, **kwargs))
        formset.form = linking_within_one_municipality(keeping_recorded_choices(formset.form))
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (
            "widget" not in kwargs
            and db_field.name in self.raw_id_fields
            and db_field.name not in self.get_autocomplete_fields(request)
        ):
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        formfield = _limit(formfield, db_field.related_model, request)
        if (
            db_field.related_model is Municipality
            and isinstance(formfield, ModelChoiceField)
            and formfield.required
            and roles.municipality_id(request.user) is not None
        ):
            # A municipality's admin has one municipality to choose: offered alone and
            # chosen (``get_changeform_initial_data``), not after an empty "---------".
            formfield.empty_label = None
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _limit(formfield, db_field.related_model, request)


class ScopedAdminMixin(ChecksDateHierarchy, ScopedFieldsMixin):
    """Lists and opens only the user's municipality's objects (404 for the others)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        condition = tenancy.condition(self.model, request.user)
        return queryset if condition is None else queryset.filter(condition)

    def get_list_display(self, request):
        return _without_municipality(self.model, super().get_list_display(request), request)

    def get_list_filter(self, request):
        return _without_municipality(self.model, super().get_list_filter(request), request)

    def get_changeform_initial_data(self, request):
        # A municipality's admin can choose only their own municipality: a new board or
        # audit starts in it, instead of a required choice of one left to be made.
        initial = super().get_changeform_initial_data(request)
        own = roles.municipality_id(request.user)
        for field in self.model._meta.fields:
            if own is not None and field.is_relation and field.related_model is Municipality:
                initial.setdefault(field.name, own)
        return initial

    def save_model(self, request, obj, form, change):
        # Spara pressed on a page nobody changed: no version in the object's history
        # (django-simple-history), which listed it as a change with nothing changed.
        if change and not form.has_changed():
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)

    def save_related(self, request, form, formsets, change):
        # A many-to-many field offers only the user's municipality's objects: those of
        # others already linked (a case officer also on another municipality's board) were
        # not shown, and saving the form must not drop them.
        if change:
            for field in self.model._meta.many_to_many:
                condition = tenancy.condition(field.related_model, request.user)
                if field.name in form.cleaned_data and condition is not None:
                    in_scope = field.related_model._default_manager.filter(condition)
                    hidden = getattr(form.instance, field.name).exclude(
                        pk__in=in_scope.values("pk")
                    )
                    # Saved with the chosen ones in one set(): never removed, not even briefly.
                    form.cleaned_data[field.name] = [*form.cleaned_data[field.name], *hidden]
        super().save_related(request, form, formsets, change)

    def _require_in_scope(self, request, object_id) -> None:
        # django-simple-history reads an object's past versions from its history table,
        # not through get_queryset: check the object itself first. ``get_object`` takes
        # an id that is no id of the model ("1x", "²") as not found, where a filter on it
        # raised (a 500).
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "openable_user_ids": self._openable_authors(request, unquote(object_id)),
        }
        return super().history_view(request, object_id, extra_context)

    def _openable_authors(self, request, object_id) -> set:
        """The authors of this object's versions whose user page the reader may open: the
        version history links those and names the others (a municipality's admin following
        the link to a superuser or another municipality's user was told it does not exist)."""
        manager = getattr(self.model._meta, "simple_history_manager_attribute", None)
        user_admin = self.admin_site._registry.get(get_user_model())
        if manager is None or user_admin is None or not user_admin.has_view_permission(request):
            return set()
        versions = getattr(self.model, manager).filter(**{self.model._meta.pk.attname: object_id})
        authors = versions.values("history_user_id")
        return set(
            user_admin.get_queryset(request).filter(pk__in=authors).values_list("pk", flat=True)
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, to be read. Never restored: django-simple-history's revert
        saved the stored row over the object, past every rule its change form asks (a
        published response went back to being a draft: the form compared the state with
        the old one) and with the values kept on write as they were then. Its view saves
        a POST even with the button hidden, so the POST is refused here."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._require_in_scope(request, object_id)
        if not is_id(str(version_id)):  # a version's id is a number
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        # The past version's page offers no button restoring it (``history_form_view``).
        return True


class OnlyForSuperusers:
    """A page for superusers only, whatever permissions a group is given."""

    def has_module_permission(self, request):
        return roles.is_superuser(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.is_superuser(request.user)

    def has_add_permission(self, request, *args):
        return roles.is_superuser(request.user)

    def has_change_permission(self, request, obj=None):
        return roles.is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_superuser(request.user)


class MunicipalityOnlyForSuperusers:
    """Adding or deleting a municipality, and changing its address, is for superusers.

    A municipality's admin renames it but keeps its address, the slug
    (``tenancy.superuser_only_fields``, which the importer asks too)."""

    def get_readonly_fields(self, request, obj=None):
        fixed = tenancy.superuser_only_fields(self.model, request.user)
        return (*super().get_readonly_fields(request, obj), *fixed)

    def get_prepopulated_fields(self, request, obj=None):
        fixed = tenancy.superuser_only_fields(self.model, request.user)
        prepopulated = super().get_prepopulated_fields(request, obj)
        return {name: sources for name, sources in prepopulated.items() if name not in fixed}

    def has_add_permission(self, request, *args):
        return roles.is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_superuser(request.user)


def related_only(*fields):
    """List filters over related objects that offer only those the list itself contains
    (a municipality's boards and audits, not every municipality's)."""
    return [(name, admin.RelatedOnlyFieldListFilter) for name in fields]
