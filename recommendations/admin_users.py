"""The user admin, scoped: an Administratörer member manages their own municipality's
users, and only a superuser grants superuser status or single permissions.

Non-superusers see no *superuser* or *permissions* fields, cannot open superusers or
other municipalities' users (404, so neither their details nor their password can be
changed), and every user they create or save belongs to their municipality.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.admin import RefusedAddressFilter, refused_address
from responses.admin import SINGLE_DATETIME_INPUT

from . import roles, tenancy
from .admin_scope import ScopedAdminMixin
from .models import Board, Membership, Municipality

User = get_user_model()
# Fields only a superuser sees and sets.
SUPERUSER_ONLY = {"is_superuser", "user_permissions"}


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    extra = 0
    max_num = 1
    verbose_name = _("kommun")
    verbose_name_plural = _("kommun (revisorer och administratörer)")


# A place on a board's staff list is a row of Django's auto-created join table, which it
# names "Board_staff object (3)", a "board-user relation": in each place's heading on the
# user's page and in the user's change history ("Lade till board-user relation ..."). Named
# by its board instead (no migration: an auto-created table's names are not in one).
StaffPlace = Board.staff.through
StaffPlace.__str__ = lambda place: str(place.board)
StaffPlace._meta.verbose_name = _("nämnd där användaren är handläggare")
StaffPlace._meta.verbose_name_plural = _("nämnder där användaren är handläggare")
# The same for a user's place in a group, which the page before deleting a user listed as
# "User-group relation: User_groups object (1)".
GroupPlace = User.groups.through
GroupPlace.__str__ = lambda place: str(place.group)
GroupPlace._meta.verbose_name = _("grupp som användaren är med i")
GroupPlace._meta.verbose_name_plural = _("grupper som användaren är med i")
PermissionPlace = User.user_permissions.through
PermissionPlace.__str__ = lambda place: str(place.permission)
PermissionPlace._meta.verbose_name = _("behörighet som användaren har")
PermissionPlace._meta.verbose_name_plural = _("behörigheter som användaren har")


class BoardsOfUserInline(ScopedAdminMixin, admin.StackedInline):
    """On a user's page: the boards they are staff (handläggare) of, within the admin's
    municipality: only its boards are offered, and another municipality's places on a
    staff list are neither shown nor changed (``ScopedAdminMixin``)."""

    model = StaffPlace
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("board")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "board":
            kwargs["label"] = _("Nämnd")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def warn_of_places_granting_nothing(request, places, site) -> None:
    """Say which of these places on boards' staff lists let their user write nothing
    (``roles.listed_but_not_staff``): an admin who lists a new case officer on a board and
    forgets the group otherwise learns it from the case officer. Only users the admin
    manages are named (not one also on another municipality's board), each linked to their
    page in ``site``, where the group is ticked."""
    managed = User.objects.filter(tenancy.condition(User, request.user))
    user_admin = site._registry.get(User)
    for place in roles.listed_but_not_staff(places.filter(user__in=managed)):
        name = place.user.get_username()
        if user_admin is not None and user_admin.has_change_permission(request, place.user):
            url = reverse(f"{site.name}:auth_user_change", args=[quote(place.user.pk)])
            name = format_html('<a href="{}">{}</a>', url, name)
        template = gettext(
            "Användaren %(user)s är inte med i gruppen Handläggare och kan inte "
            "skriva nämndens yttranden för %(board)s: lägg till gruppen på "
            "användarens sida."
        )
        values = {"user": conditional_escape(name), "board": conditional_escape(place.board)}
        messages.warning(request, mark_safe(conditional_escape(template) % values))  # noqa: S308 - every part escaped


# What the groups and staff status let a user do here (``roles``), where they are ticked.
USER_HELP = {
    "is_staff": _(
        "Behövs för att öppna administrationen, tillsammans med gruppen Administratörer; "
        "ensam ger den ingen åtkomst."
    ),
    "groups": _(
        "Handläggare skriver yttranden för nämnderna där de står som handläggare (nedan). "
        "Revisorer läser och bedömer kommunens svar. Administratörer sköter kommunen här "
        "(med personalstatus)."
    ),
}


def _beside_email(options: dict) -> dict:
    """A fieldset's options, with whether the mail server refused the address for good
    right after the address."""
    fields = list(options["fields"])
    if "email" in fields:
        fields.insert(fields.index("email") + 1, "address_refused")
    return {**options, "fields": fields}


def _with_municipality(fields) -> list:
    """A fieldset's fields as a non-superuser sees them: no superuser's fields, and the
    user's municipality, read only: before their groups on a user's page, after the
    username on the add page, which has no groups."""
    fields = [f for f in fields if f not in SUPERUSER_ONLY]
    if "groups" in fields:
        fields.insert(fields.index("groups"), "municipality_of_user")
    elif "password1" in fields:  # the add page's fieldset
        fields.insert(fields.index("username") + 1, "municipality_of_user")
    return fields


class ScopedUserAdmin(ScopedAdminMixin, UserAdmin):
    # Plain labelled controls instead of the two-box filter and the split date-time
    # inputs, whose unlabelled parts fail WCAG 2.1 (checked with axe in tests/browser).
    filter_horizontal = ()
    formfield_overrides = SINGLE_DATETIME_INPUT
    list_filter = (
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
        "membership__municipality",
        RefusedAddressFilter,
    )
    list_display = [*UserAdmin.list_display, "board_codes"]
    # Facts the application records (the last login, the day the account was made): shown,
    # never typed over, so a user's record says what happened.
    readonly_fields = ("last_login", "date_joined", "address_refused", "municipality_of_user")

    def get_inlines(self, request, obj):
        # A superuser places users in a municipality; everyone else's users are placed
        # in their own municipality on save. An existing user's page shows their boards.
        inlines = [MembershipInline] if roles.is_superuser(request.user) else []
        return [*inlines, BoardsOfUserInline] if obj is not None else inlines

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("boards")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in USER_HELP:
            kwargs["help_text"] = USER_HELP[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_of_places_granting_nothing(
            request, StaffPlace.objects.filter(user=form.instance), self.admin_site
        )

    # Whether the mail server refused the address for good (no mail goes to it until it
    # is changed), beside the address itself.
    @admin.display(description=_("e-postadress avvisad"))
    def address_refused(self, user):
        return refused_address(user)

    # The municipality a non-superuser's save places the user in (``save_model``), which
    # only a superuser chooses (``MembershipInline``): shown, so the admin sees it, on the
    # user's page and, before the user exists, on the add page (``render_change_form``).
    @admin.display(description=_("kommun"))
    def municipality_of_user(self, user):
        if user.pk is None:
            return getattr(user, "municipality_joined_on_save", None)
        membership = Membership.objects.filter(user=user).select_related("municipality").first()
        return membership.municipality if membership else None

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        if add and not roles.is_superuser(request.user):
            # The unsaved user the add page shows: the municipality ``save_model`` will make
            # them a member of, for ``municipality_of_user`` to read.
            context[
                "adminform"
            ].form.instance.municipality_joined_on_save = Municipality.objects.filter(
                pk=roles.municipality_id(request.user)
            ).first()
        return super().render_change_form(request, context, add=add, change=change, **kwargs)

    @admin.display(description=_("nämnder"))
    def board_codes(self, user):
        return ", ".join(board.short_code or board.name for board in user.boards.all())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [(name, _beside_email(options)) for name, options in fieldsets]
        if roles.is_superuser(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": _with_municipality(options["fields"])})
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        # Without the municipality's filter too, for anyone but a superuser (ScopedAdminMixin).
        filters = super().get_list_filter(request)
        if roles.is_superuser(request.user):
            return filters
        return tuple(name for name in filters if name not in SUPERUSER_ONLY)

    def save_model(self, request, obj, form, change):
        if not roles.is_superuser(request.user):
            # Never from a non-superuser's form, whatever was posted.
            obj.is_superuser = False
        super().save_model(request, obj, form, change)
        own = roles.municipality_id(request.user)
        if own is not None:
            Membership.objects.update_or_create(user=obj, defaults={"municipality_id": own})


admin.site.unregister(User)
admin.site.register(User, ScopedUserAdmin)
