"""Which municipality each kind of object belongs to (declared once, in
``tenancy_paths.py``), as conditions for one user, and the rule that an object links
only to objects of its own municipality.

The admin (``admin_scope.py``) and the fixture importer use it to keep an
Administratörer member to their own municipality's objects; ``roles.scope`` turns a
path into the condition for one user. Both, and the models' ``clean()``, refuse a link
between two municipalities' objects (``links_elsewhere``), whoever makes it.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from . import roles
from .tenancy_paths import MUNICIPALITY_PATHS, path_of

__all__ = [
    "MUNICIPALITY_PATHS",
    "condition",
    "link_fields",
    "links_elsewhere",
    "municipality_of",
    "on_way_to_municipality",
    "path_of",
    "refuse_links_elsewhere",
]


def condition(model, user) -> Q | None:
    """The condition limiting ``model``'s rows to what the user's municipality owns, or
    None when the model belongs to no municipality."""
    label = model._meta.label_lower
    if label in MUNICIPALITY_PATHS:
        return roles.scope(user, path_of(model))
    if model is get_user_model():
        return _user_condition(user)
    if label == "recommendations.sourcedocument":
        return _source_document_condition(user)
    if label in NOTIFICATION_CONDITIONS:
        return NOTIFICATION_CONDITIONS[label](user)
    return None


def _user_condition(user) -> Q:
    """Users of a municipality: those with a place in it (a member, on a board's staff
    list, a board's contact person) and in no other; never superusers (only superusers
    manage them). A user with a place in two municipalities is therefore managed by a
    superuser only: otherwise either municipality's admin could set the password of
    someone who writes the other's responses or gets its escalation mails."""
    from .models import Board, Membership

    if roles.is_superuser(user):
        return roles.EVERYTHING
    own = roles.municipality_id(user)
    if own is None:
        return roles.NOTHING
    on_staff = Board.staff.through.objects.filter(user_id=OuterRef("pk"))
    contact_for = Board.objects.filter(contact_id=OuterRef("pk"))
    member = Membership.objects.filter(user_id=OuterRef("pk"))
    return (
        Q(is_superuser=False)
        & ~Exists(member.exclude(municipality=own))
        & ~Exists(on_staff.exclude(board__municipality=own))
        & ~Exists(contact_for.exclude(municipality=own))
        & (
            Exists(member.filter(municipality=own))
            | Exists(on_staff.filter(board__municipality=own))
            | Exists(contact_for.filter(municipality=own))
        )
    )


def _source_document_condition(user) -> Q:
    """Source documents of the municipality's audits and responses, and those of none yet."""
    from responses.models import Response

    from .models import Audit

    if roles.is_superuser(user):
        return roles.EVERYTHING
    own = roles.municipality_id(user)
    if own is None:
        return roles.NOTHING
    audits = Audit.source_documents.through.objects.filter(sourcedocument_id=OuterRef("pk"))
    responses = Response.objects.filter(source_document_id=OuterRef("pk"))
    references = Response.referenced_in.through.objects.filter(sourcedocument_id=OuterRef("pk"))
    return (
        Exists(audits.filter(audit__municipality=own))
        | Exists(responses.filter(board__municipality=own))
        | Exists(references.filter(response__board__municipality=own))
        | ~(Exists(audits) | Exists(responses) | Exists(references))
    )


def municipality_of(instance) -> int | None:
    """The municipality an unsaved object names through its (cached) relations, or None
    when its model belongs to no municipality."""
    path = MUNICIPALITY_PATHS.get(instance._meta.label_lower)
    if path is None:
        return None
    if path == "pk":
        return instance.pk
    *steps, last = path.split("__")
    for step in steps:
        instance = getattr(instance, step)
    return getattr(instance, f"{last}_id")


def on_way_to_municipality(rows):
    """``rows`` (a QuerySet) read with the objects on their way to their municipality and
    the municipality itself (a round's audit and its municipality), so that
    ``municipality_of`` and ``link_messages`` ask no query of each."""
    path = path_of(rows.model)
    return rows.select_related(path) if path not in (None, "pk") else rows


def _municipality(instance):
    """The Municipality ``instance`` belongs to, through its relations."""
    path = MUNICIPALITY_PATHS[instance._meta.label_lower]
    if path == "pk":
        return instance
    for step in path.split("__"):
        instance = getattr(instance, step)
    return instance


# One municipality's objects link only to its own: a recommendation addressed to another
# municipality's board would put it on that board's pages and give its staff a response
# to write; a shared measure serving another municipality's recommendation would count in
# both. Users are no municipality's objects (``MUNICIPALITY_PATHS`` has no path for them):
# a case officer may be on the staff list of boards of several municipalities, and a
# superuser who closed a recommendation names none.


def link_fields(model) -> list:
    """The foreign keys and many-to-manys by which ``model``'s objects name objects of
    another model that belongs to a municipality: those ``links_elsewhere`` checks. Not
    the first step of the model's own path (a board's municipality, a round's audit),
    which says its municipality and so cannot disagree with it."""
    if path_of(model) is None:
        return []
    first = path_of(model).split("__")[0]
    return [
        field
        for field in model._meta.get_fields()
        if (field.many_to_one or field.many_to_many)
        and not field.auto_created
        and field.name != first
        and path_of(field.related_model) is not None
    ]


def links_elsewhere(instance, values=None, fields=None) -> dict[str, list]:
    """The objects ``instance`` links to that belong to another municipality than its
    own: {field name: [objects]}; empty when it links only within its municipality (or
    belongs to none, or its own municipality is not named yet).

    Foreign keys are read from the instance; many-to-manys only from ``values`` (field
    name -> the objects, as a form's cleaned data or a fixture file gives them: Django
    has them nowhere else before they are saved). ``fields`` limits the check to those
    named. Every object's municipality is read through its relations, which the caller
    reads with them (``on_way_to_municipality``) to spare a query per object."""
    try:
        own = municipality_of(instance)
    except ObjectDoesNotExist:  # a form whose object names no board, audit … (yet)
        return {}
    if own is None:
        return {}
    found = {}
    for field in link_fields(type(instance)):
        if fields is not None and field.name not in fields:
            continue
        if field.many_to_many:
            linked = list((values or {}).get(field.name) or ())
        elif getattr(instance, field.attname) is None:
            continue
        else:
            linked = [getattr(instance, field.name)]
        elsewhere = [obj for obj in linked if municipality_of(obj) not in (own, None)]
        if elsewhere:
            found[field.name] = elsewhere
    return found


def link_messages(instance, found) -> dict[str, str]:
    """What ``links_elsewhere`` found, in words per field: the objects (by name and id: a
    raw-id input and a file give ids), the municipality they belong to and the
    instance's."""
    if not found:
        return {}
    own = _municipality(instance)
    messages = {}
    for field_name, objects in found.items():
        by_municipality = {}
        for obj in objects:
            named = _("”%(name)s” (id %(pk)s)") % {"name": obj, "pk": obj.pk}
            by_municipality.setdefault(_municipality(obj), []).append(named)
        messages[field_name] = " ".join(
            _("%(objects)s hör till en annan kommun: %(other)s, inte %(own)s.")
            % {"objects": ", ".join(named), "other": other, "own": own}
            for other, named in by_municipality.items()
        )
    return messages


def refuse_links_elsewhere(instance, values=None, fields=None) -> None:
    """Raise a ValidationError per field that links ``instance`` to another
    municipality's objects (``links_elsewhere``): a model's ``clean()`` calls it."""
    found = links_elsewhere(instance, values, fields)
    if found:
        raise ValidationError(link_messages(instance, found))


# Fields of a municipality's own objects that only a superuser changes: a municipality's
# slug is every public address of it (``/<slug>/...``), its calendars' and the links in
# mails already sent, none of which follows a change.
SUPERUSER_ONLY_FIELDS = {"recommendations.municipality": ("slug",)}


def superuser_only_fields(model, user) -> tuple[str, ...]:
    """The fields of ``model`` this user may not change: the admin shows them read-only and
    the importer refuses a file that changes them."""
    if roles.is_superuser(user):
        return ()
    return SUPERUSER_ONLY_FIELDS.get(model._meta.label_lower, ())


# The notifications app (what its admin shows an Administratörer member: notifications/admin.py).


def _follower_condition(user) -> Q:
    """Followers of the municipality's recommendations and boards (each follows one of the
    two)."""
    return roles.scope(user, "recommendation__audit__municipality") | roles.scope(
        user, "board__municipality"
    )


def _of_users_condition(user) -> Q:
    """A user's own rows (e-mail settings): those of the users the admin manages."""
    if roles.is_superuser(user):
        return roles.EVERYTHING
    users = get_user_model().objects.filter(_user_condition(user)).values("pk")
    return Q(user__in=users)


def _superusers_only(user) -> Q:
    """The outbox: its rows name their own address, and mail a board's reminders or an
    auditors' digest there, so it belongs to no municipality's admin."""
    return roles.EVERYTHING if roles.is_superuser(user) else roles.NOTHING


NOTIFICATION_CONDITIONS = {
    "notifications.follower": _follower_condition,
    "notifications.profile": _of_users_condition,
    "notifications.preference": _of_users_condition,
    "notifications.notification": _superusers_only,
}
