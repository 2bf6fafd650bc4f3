"""One municipality's objects link only to its own, whoever makes the link: the admin's
forms (``admin_scope.py``), the fixture importer and the models' ``clean()`` ask
``links_elsewhere``; a board, an audit or a source document that anything links to stays
in its municipality (``moving_away_from_links``, asked by the admin's forms and the
importer); a
many-to-many link added through the ORM anywhere else is checked as it is added
(``refuse_links_added``). And the municipality an object belongs to, read through its
relations (``municipality_of``).

It imports nothing of the project but ``tenancy_paths.py`` (each model's way to its
municipality), so the models can call it without an import running in a circle.
"""

from collections import defaultdict

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from .tenancy_paths import MUNICIPALITY_PATHS, path_of


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


def remember_read(instance, values) -> None:
    """Keep on ``instance`` the objects a form read for its many-to-manys ({field name:
    objects}, read with their way to their municipality, as ``links_elsewhere`` was
    asked of them), so that ``refuse_links_added`` checks the links the form then saves
    without reading those objects again."""
    instance._read_with_municipality = {
        name: {obj.pk: obj for obj in objects} for name, objects in values.items()
    }


def refuse_links_added(sender, instance, action, reverse, model, pk_set, **kwargs):
    """An ``m2m_changed`` receiver on every many-to-many ``link_fields`` names: a link
    added through the ORM (``audit.audited_boards.add(board)`` in the shell or in code,
    which no form or import checked) to another municipality's object raises the
    ValidationError of ``refuse_links_elsewhere``, before it is written. Reads the objects
    added with their way to their municipality (one query, only when something is added),
    unless a form read them already (``remember_read``): the admin's save reads nothing
    more; the importer writes its links in bulk, with no signal, having checked them."""
    if action != "pre_add" or not pk_set:
        return
    owner = model if reverse else type(instance)
    field = next(f for f in owner._meta.many_to_many if f.remote_field.through is sender)
    if reverse:  # board.asked_rounds.add(round_): each round's link to the board
        for linking in on_way_to_municipality(model._base_manager.filter(pk__in=pk_set)):
            refuse_links_elsewhere(linking, {field.name: [instance]}, [field.name])
        return
    read = getattr(instance, "_read_with_municipality", {}).get(field.name, {})
    added = [read[pk] for pk in pk_set if pk in read]
    if unread := [pk for pk in pk_set if pk not in read]:
        added += on_way_to_municipality(model._base_manager.filter(pk__in=unread))
    refuse_links_elsewhere(instance, {field.name: added}, [field.name])


def linked_from(model, pks, outside=None) -> dict[object, list[str]]:
    """What links to the stored objects ``pks`` of ``model`` from objects of a
    municipality, by the names of their kinds (plural, "rekommendationer"): {pk: kinds},
    without the objects nothing links to. A board with recommendations addressed to it,
    responses and measures; an audit with recommendations and rounds. Moving such an
    object to another municipality would leave each of those linking across two (a
    recommendation of one addressed to a board of the other), which ``links_elsewhere``,
    checking the object written and not those linking to it, cannot see. One query per
    way of linking to it (a recommendation's addressees, its answerers, …), however many
    objects. With ``outside`` (a municipality's id), only what links to them from
    objects of any other municipality."""
    pks = list(pks)
    found = {}
    for relation in model._meta.related_objects:
        if path_of(relation.related_model) is None:
            continue
        name = relation.field.name
        linking = relation.related_model._base_manager.filter(**{f"{name}__in": pks})
        if outside is not None:
            linking = linking.exclude(**{path_of(relation.related_model): outside})
        linked = set(linking.order_by().values_list(name, flat=True).distinct())
        kind = str(relation.related_model._meta.verbose_name_plural)
        for pk in linked.intersection(pks):
            kinds = found.setdefault(pk, [])
            if kind not in kinds:  # recommendations addressed to it, and answered by it
                kinds.append(kind)
    return found


def moving_away_from_links(model, destinations: dict) -> dict[object, str]:
    """Of the stored boards or audits ``destinations`` names ({pk: the municipality's id
    it is to belong to}), those that would move to another municipality while something
    links to them (``linked_from``), each with why it may not (``moving_message``):
    {pk: message}. The admin's form and the importer ask it. An object not stored yet, or
    staying where it is, is no move; one that nothing links to yet, created in the wrong
    municipality, may move. One query reads where they are, and ``linked_from``'s only
    when one of them moves (and one more to name those refused).

    A model that belongs to a municipality through another object moves by its first
    step (a round given another municipality's audit, a measure another's board):
    ``destinations`` then names the municipality it is to belong to through that step,
    and the responses on the round, the reports on the measure would link across two as
    well.

    A source document may belong to no municipality (a superuser's): given one, it may
    not be while another municipality's objects link to it (``claiming_message``); one
    that ceases to belong to any leaves nothing linking across two."""
    path = path_of(model)
    if path in (None, "pk") or not destinations:
        return {}
    rows = model._base_manager.filter(pk__in=list(destinations)).order_by()
    moving, claimed = [], defaultdict(list)
    for pk, municipality in rows.values_list("pk", path).iterator():
        destination = destinations[pk]
        if municipality is None and destination is not None:
            claimed[destination].append(pk)
        elif None not in (municipality, destination) and municipality != destination:
            moving.append(pk)
    found = linked_from(model, moving) if moving else {}
    refused = {}
    if found:
        for obj in on_way_to_municipality(rows.filter(pk__in=list(found))):
            refused[obj.pk] = moving_message(obj, found[obj.pk])
    for destination, pks in claimed.items():
        if found := linked_from(model, pks, outside=destination):
            for obj in rows.filter(pk__in=list(found)):
                refused[obj.pk] = claiming_message(obj, found[obj.pk])
    return refused


def moving_message(instance, found) -> str:
    """Why stored ``instance`` may not move to another municipality (``linked_from``)."""
    return _(
        "”%(name)s” kan inte flyttas till en annan kommun: %(kinds)s i %(own)s hänger ihop "
        "med den. Lägg upp den på nytt i den andra kommunen i stället."
    ) % {"name": instance, "kinds": ", ".join(found), "own": _municipality(instance)}


def claiming_message(instance, found) -> str:
    """Why stored ``instance``, of no municipality, may not be given the one it is to
    belong to: other municipalities' objects link to it (``linked_from``)."""
    return _(
        "”%(name)s” kan inte ges en kommun: %(kinds)s i en annan kommun hänger ihop med "
        "den. Bara en superanvändare förvaltar ett dokument som flera kommuner använder."
    ) % {"name": instance, "kinds": ", ".join(found)}
