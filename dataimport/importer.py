"""Import fixture files (Django's JSON serialization format) the way an admin needs it.

Used by ``manage.py import_fixtures`` and by the admin's upload page, so both
validate exactly alike:

* every object is validated like ``full_clean()`` (field values, choices,
  lengths, the model's own ``clean()``), references and uniqueness are checked
  in bulk against the file and the database;
* it is all-or-nothing: one transaction, rolled back on any error;
* it is idempotent: objects are upserted by primary key, many-to-many links
  are replaced, so importing the same file twice changes nothing;
* every problem is reported in Swedish naming the file, the object and the field;
* it is fast: one query per model and step instead of one per object, which is
  what makes it several times quicker than ``loaddata`` on large files.
"""

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from auditfollowup import page_cache
from auditfollowup.lib.number_tags import grouped_number
from responses import standings

IMPORTABLE_APPS = ("recommendations", "responses")
# Who belongs to which municipality is managed in the user admin, never imported.
NOT_IMPORTABLE = {"recommendations.membership"}
MAX_REPORTED_PROBLEMS = 50
BATCH_SIZE = 500


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    source: str
    message: str
    index: int | None = None
    model: str = ""
    pk: object = None
    field: str = ""

    def __str__(self) -> str:
        where = [self.source]
        if self.index is not None:
            obj = _("objekt %(number)s") % {"number": self.index + 1}
            if self.model:
                obj += (
                    f" ({self.model} pk={self.pk})" if self.pk is not None else f" ({self.model})"
                )
            where.append(obj)
        if self.field:
            where.append(_("fält ”%(field)s”") % {"field": self.field})
        return f"{', '.join(where)}: {self.message}"


class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        # In the order of the files and of the objects in each, a file's own problems
        # first: the checks run one after another over the whole input, and reported in
        # the order found, object 3's problems came before object 2's and after it again.
        files = {}
        for problem in problems:
            files.setdefault(problem.source, len(files))
        self.problems = problems = sorted(
            problems,
            key=lambda p: (files[p.source], p.index is not None, p.index or 0),
        )
        shown = "\n".join(f"- {p}" for p in problems[:MAX_REPORTED_PROBLEMS])
        more = len(problems) - MAX_REPORTED_PROBLEMS
        if more > 0:
            shown += "\n" + _("… och %(count)s fel till.") % {"count": grouped_number(more)}
        super().__init__(shown)


@dataclass
class Change:
    """An object the import would change: which, and the names of the fields that differ."""

    label: str
    pk: object
    name: str
    fields: list[str]

    def __str__(self) -> str:
        return _("%(model)s pk=%(pk)s (%(name)s): %(fields)s") % {
            "model": self.label,
            "pk": self.pk,
            "name": self.name,
            "fields": ", ".join(self.fields),
        }


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    # What each changed object would change (the admin's dry run lists them, so that an
    # import that would overwrite an admin's corrections is seen before it is confirmed).
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return (
            sum(self.created.values()) + sum(self.updated.values()) + sum(self.unchanged.values())
        )

    @property
    def changes_anything(self) -> bool:
        """Whether importing would create or change any object."""
        return any(self.created.values()) or any(self.updated.values())

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(model verbose name, created, updated, unchanged) per model, for display."""
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            (
                str(apps.get_model(label)._meta.verbose_name_plural),
                self.created[label],
                self.updated[label],
                self.unchanged[label],
            )
            for label in labels
        ]


@dataclass
class _Record:
    """One object read from a file, before it is saved."""

    source: str
    index: int
    model: type[models.Model]
    instance: models.Model
    m2m: dict[str, list] = field(default_factory=dict)
    # The names of the fields the file gives (the others get the model's default).
    given: set[str] = field(default_factory=set)
    # Fields whose value could not be read: they hold no value to check any further.
    failed_fields: set[str] = field(default_factory=set)
    failed: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def problem(self, message: str, field_name: str = "") -> Problem:
        return Problem(self.source, message, self.index, self.label, self.instance.pk, field_name)


def fixture_files(paths: Iterable[str | Path]) -> list[Path]:
    """The JSON files named, with folders expanded (sorted, recursively)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.json") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise ImportFailed([Problem(str(path), _("filen eller mappen finns inte."))])
    if not files:
        raise ImportFailed(
            [Problem(", ".join(map(str, paths)), _("inga JSON-filer att importera."))]
        )
    return files


def import_files(
    paths: Iterable[str | Path],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    change_reason: str = "",
) -> ImportResult:
    """Import fixture files from disk. Raises ImportFailed, having written nothing."""
    sources = []
    for path in fixture_files(paths):
        try:
            sources.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as error:
            raise ImportFailed([Problem(str(path), _("kan inte läsas: %s") % error)]) from None
    return import_texts(sources, dry_run=dry_run, progress=progress, change_reason=change_reason)


def import_texts(
    sources: list[tuple[str, str]],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    change_reason: str = "",
    user=None,
) -> ImportResult:
    """Import already-read fixture texts, given as (name, text) pairs.

    With ``user`` (the admin's upload page), every object, as given and as it stands in
    the database, must belong to the user's municipality (superusers: any)."""
    problems: list[Problem] = []
    records: list[_Record] = []
    for name, text in sources:
        records.extend(_parse(name, text, problems))

    # Every check runs, whatever an earlier one found, so one report lists every problem
    # (a file is not fixed one stage at a time). Objects with a broken reference are
    # checked field by field only: their model's clean() would follow the reference.
    _check_duplicates_in_input(records, problems)
    broken = _resolve_references(records, problems, user)
    broken |= {id(r) for r in records if r.failed or r.failed_fields}
    broken = _with_dependants(records, broken)
    _keep_document_owners(records, user)
    if user is not None:
        _check_municipality([r for r in records if id(r) not in broken], user, problems)

    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _validate(records, problems, progress, broken)
            _check_links_within_one_municipality(records, problems, broken)
            _check_decision_documents(records, problems, broken)
            _check_moves_away_from_links(records, problems, broken, user)
            _check_publication(records, problems, user)
            if not problems:
                _check_uniqueness(records, problems, user)
            if problems:
                raise ImportFailed(problems)
            # Where the overwritten rows point now: a row the file moves leaves standings
            # (and a municipality's counts) behind, to be refreshed as well.
            held_before, municipalities_before = _what_overwritten_rows_hold(records)
            _save(records, result, change_reason or _("Import av fixturfil"))
            _give_documents_owners_from_links(records)
            # bulk_create sends no signals: rebuild the full-text vectors in one UPDATE,
            # and the standings of every recommendation the file touches.
            apps.get_model(
                "recommendations", "Recommendation"
            ).objects.all().refresh_search_vectors()
            standings.refresh(_touched_recommendations(records) | held_before)
            # An audit may come without recommendations (no standings to refresh), yet it
            # counts for its municipality: count the audits' municipalities again too.
            standings.refresh_municipality_counts(
                {
                    record.instance.municipality_id
                    for record in records
                    if record.model._meta.label_lower == "recommendations.audit"
                }
                | municipalities_before
            )
            # Nor does it reach the page cache's receivers: invalidate on commit here.
            page_cache.invalidate()
            if dry_run:
                transaction.set_rollback(True)
            else:
                # PostgreSQL's setval() is not transactional: were it run in a dry run,
                # a previewed pk would move the sequence for good (to its maximum, even).
                _reset_sequences(list({r.model for r in records}))
    except DatabaseError as error:
        raise ImportFailed([Problem(", ".join(n for n, _t in sources), str(error))]) from None
    return result


# Python's JSON parser says what it expected in English: the admin's report is Swedish.
JSON_ERRORS = {
    "Expecting value": gettext_lazy("ett värde saknas"),
    "Expecting property name enclosed in double quotes": gettext_lazy(
        "ett fältnamn inom dubbla citattecken saknas (ett kommatecken för mycket?)"
    ),
    "Expecting ',' delimiter": gettext_lazy("ett kommatecken saknas"),
    "Expecting ':' delimiter": gettext_lazy("ett kolon saknas"),
    "Extra data": gettext_lazy("text efter filens sista värde"),
    "Unterminated string starting at": gettext_lazy("en text saknar sitt avslutande citattecken"),
    "Invalid control character at": gettext_lazy("ett otillåtet styrtecken i en text"),
    "Invalid \\escape": gettext_lazy("en ogiltig \\-sekvens i en text"),
}


def _parse(name: str, text: str, problems: list[Problem]) -> list[_Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(
            Problem(
                name,
                _("ogiltig JSON på rad %(line)s, kolumn %(col)s: %(msg)s")
                % {
                    "line": error.lineno,
                    "col": error.colno,
                    "msg": JSON_ERRORS.get(error.msg, error.msg),
                },
            )
        )
        return []
    except RecursionError:
        problems.append(Problem(name, _("filen är för djupt nästlad för att läsas som en fixtur.")))
        return []
    if not isinstance(data, list):
        problems.append(Problem(name, _("filen ska innehålla en lista med objekt.")))
        return []
    records = []
    for index, item in enumerate(data):
        record = _parse_object(name, index, item, problems)
        if record is not None:
            records.append(record)
    return records


# A field's value is a scalar or a list of primary keys; natural keys (refused later with
# their own message) are lists in that list.
MAX_VALUE_DEPTH = 2
_TOO_DEEP = gettext_lazy("värdet är för djupt nästlat; ett fält har ett värde eller en lista.")
_SURROGATE = gettext_lazy(
    "texten innehåller ett ogiltigt tecken (ett ensamt UTF-16-surrogat som \\ud800), "
    "som inte kan sparas; rätta eller ta bort det."
)


def _unreadable(value, max_depth: int = MAX_VALUE_DEPTH) -> str | None:
    """Why a parsed value cannot be imported, or None: nested too deeply, or holding a lone
    surrogate (which no database can store and no page can show). The message never
    repeats the bad text. Walks the value without recursion, so no nesting overflows.
    """
    stack = [(value, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                return str(_SURROGATE)
        elif isinstance(value, list | dict):
            if depth >= max_depth:
                return str(_TOO_DEEP)
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, inner in items:
                if key is not None and not _encodable(str(key)):
                    return str(_SURROGATE)
                stack.append((inner, depth + 1))
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse_object(name, index, item, problems) -> _Record | None:
    if not isinstance(item, dict) or not isinstance(item.get("fields"), dict):
        problems.append(Problem(name, _("objektet ska ha ”model”, ”pk” och ”fields”."), index))
        return None
    for key in ("model", "pk"):
        reason = _unreadable(item.get(key), max_depth=0)
        if reason:
            problems.append(Problem(name, reason, index, field=key))
            return None
    label = str(item.get("model", ""))
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        problems.append(Problem(name, _("okänd modell ”%s”.") % label, index))
        return None
    if not _importable(model):
        problems.append(Problem(name, _("modellen ”%s” kan inte importeras.") % label, index))
        return None
    if item.get("pk") is None:
        problems.append(
            Problem(name, _("”pk” saknas; den behövs för att importen ska gå att upprepa."), index)
        )
        return None

    instance = model()
    record = _Record(name, index, model, instance, given=set(item["fields"]))
    try:
        instance.pk = _key(model._meta.pk, item["pk"])
    except ValidationError as error:
        problems.append(record.problem("; ".join(error.messages), "pk"))
        return None

    for field_name, value in item["fields"].items():
        if not _encodable(field_name):
            problems.append(record.problem(str(_SURROGATE)))
            record.failed = True
            continue
        try:
            model_field = model._meta.get_field(field_name)
        except FieldDoesNotExist:
            problems.append(record.problem(_("okänt fält för %s.") % label, field_name))
            continue
        if (
            model_field.auto_created
            or (not model_field.concrete and not model_field.many_to_many)
            or field_name in getattr(model, "derived_fields", ())
        ):
            problems.append(record.problem(_("fältet kan inte sättas vid import."), field_name))
            continue
        if field_name in getattr(model, "kept_from_files", ()):
            continue  # written by dumpdata, never taken from a file (the stored one is kept)
        reason = _unreadable(value)
        try:
            if reason:
                raise ValidationError(reason)
            _assign(record, model_field, value)
        except ValidationError as error:
            problems.append(record.problem("; ".join(error.messages), field_name))
            record.failed_fields.add(model_field.name)
    return record


def _importable(model) -> bool:
    """Our apps' own models only: not Django's auto-created many-to-many join tables (set
    them through their field, where the model's rules check them) and not the change
    history (django-simple-history's models, whatever case the file spells them in), and not
    what the application derives itself (the boards' standings)."""
    meta = model._meta
    return (
        meta.app_label in IMPORTABLE_APPS
        and meta.label_lower not in NOT_IMPORTABLE
        and not meta.auto_created
        and not meta.model_name.startswith("historical")
        and not hasattr(model, "instance_type")
        and not getattr(model, "is_derived", False)
    )


def _assign(record: _Record, model_field, value) -> None:
    if model_field.many_to_many:
        if not isinstance(value, list):
            raise ValidationError(_("ska vara en lista med primärnycklar."))
        target_pk = model_field.related_model._meta.pk
        record.m2m[model_field.name] = [_key(target_pk, v) for v in value]
    elif model_field.is_relation:
        if isinstance(value, list | dict):
            raise ValidationError(_("ska vara en primärnyckel (naturliga nycklar stöds inte)."))
        target = None if value is None else _key(model_field.target_field, value)
        setattr(record.instance, model_field.attname, target)
    else:
        try:
            python_value = model_field.to_python(value)
        except TypeError:
            # Django's date and time fields parse strings only and raise TypeError otherwise.
            raise ValidationError(_("ogiltigt värde: %s.") % json.dumps(value)[:80]) from None
        setattr(record.instance, model_field.attname, python_value)


def _key(key_field, value):
    """A primary key value, refused unless the database can store it (else SQLite overflows)."""
    key = key_field.to_python(value)
    key_field.run_validators(key)
    return key


def _check_duplicates_in_input(records: list[_Record], problems: list[Problem]) -> None:
    seen: dict[tuple[str, object], _Record] = {}
    for record in records:
        key = (record.label, record.instance.pk)
        if key in seen:
            first = seen[key]
            problems.append(
                record.problem(
                    _("samma objekt finns redan i %(source)s (objekt %(number)s).")
                    % {"source": first.source, "number": first.index + 1},
                    "pk",
                )
            )
        seen[key] = record


def _on_way_to_municipality(model):
    """Rows of ``model`` with the objects on their way to their municipality
    (``municipal_links.on_way_to_municipality``): the models' clean() and the rule of links within
    one municipality compare the municipalities of related objects (a response's board and
    round), which would otherwise cost a query per object read from the database."""
    from recommendations import municipal_links

    return municipal_links.on_way_to_municipality(model._base_manager.all())


def _within_reach(rows, user):
    """``rows`` (a QuerySet), limited to the user's municipality (``tenancy.condition``);
    all of them without a user (the command line) and for a superuser."""
    from recommendations import tenancy

    if user is None:
        return rows
    condition = tenancy.condition(rows.model, user)
    return rows if condition is None else rows.filter(condition)


def _resolve_references(records: list[_Record], problems: list[Problem], user=None) -> set[int]:
    """Check every foreign key and many-to-many target exists, and wire related-object caches.

    Returns the ``id()`` of each record with a reference that could not be resolved.

    Targets come from the input itself or from the database (one query per
    target model). Wiring the caches (foreign keys, and many-to-many values as a
    prefetch) lets each model's clean() follow its relations without a query per
    object, and see the many-to-many values the file gives, not the old ones.

    With ``user`` (the admin's upload page), the database's targets are those of the
    user's municipality only (``_within_reach``): a file of one's own objects may not hang
    them on another municipality's (a response of one's board in another municipality's
    audit, another municipality's handläggare on one's board's staff list, whose password
    one could then set). Another municipality's object is missing to them as an id nobody
    has is, with the same message (``_missing``), and no check follows the reference into
    it (a model's clean() comparing municipalities), so nothing tells the two apart.
    """
    in_input: dict[type, dict] = defaultdict(dict)
    for record in records:
        in_input[record.model._meta.concrete_model][record.instance.pk] = record.instance

    wanted: dict[type, set] = defaultdict(set)
    for record in records:
        for model_field in record.model._meta.concrete_fields:
            if model_field.is_relation:
                value = getattr(record.instance, model_field.attname)
                if value is not None:
                    wanted[model_field.related_model._meta.concrete_model].add(value)
        for name, pks in record.m2m.items():
            target = record.model._meta.get_field(name).related_model._meta.concrete_model
            wanted[target].update(pks)

    from_db: dict[type, dict] = {}
    for target, pks in wanted.items():
        missing = [pk for pk in pks if pk not in in_input[target]]
        found: dict = {}
        for start in range(0, len(missing), BATCH_SIZE):
            found.update(
                _within_reach(_on_way_to_municipality(target), user).in_bulk(
                    missing[start : start + BATCH_SIZE]
                )
            )
        from_db[target] = found

    def lookup(target, pk):
        return in_input[target].get(pk) or from_db.get(target, {}).get(pk)

    broken: set[int] = set()
    for record in records:
        for model_field in record.model._meta.concrete_fields:
            if not model_field.is_relation:
                continue
            value = getattr(record.instance, model_field.attname)
            if value is None:
                if not model_field.null:
                    problems.append(record.problem(_("fältet är obligatoriskt."), model_field.name))
                    broken.add(id(record))
                continue
            target = model_field.related_model._meta.concrete_model
            related = lookup(target, value)
            if related is None:
                problems.append(record.problem(_missing(target, value, user), model_field.name))
                broken.add(id(record))
            else:
                model_field.set_cached_value(record.instance, related)
        for name, pks in record.m2m.items():
            target = record.model._meta.get_field(name).related_model._meta.concrete_model
            related = [lookup(target, pk) for pk in pks]
            for pk, obj in zip(pks, related, strict=True):
                if obj is None:
                    problems.append(record.problem(_missing(target, pk, user), name))
                    broken.add(id(record))
            # As Django's own prefetch does: clean() reads the values the file gives.
            cached = target._base_manager.all()
            cached._result_cache = [obj for obj in related if obj is not None]
            cached._prefetch_done = True
            if not hasattr(record.instance, "_prefetched_objects_cache"):
                record.instance._prefetched_objects_cache = {}
            record.instance._prefetched_objects_cache[name] = cached
    return broken


def _with_dependants(records: list[_Record], broken: set[int]) -> set[int]:
    """The broken records and every record of the input that refers to one, at any remove:
    a model's clean() may follow a reference into a record that holds no sound value."""
    by_key = {(r.model._meta.concrete_model, r.instance.pk): r for r in records}
    dependants: dict[int, list[_Record]] = defaultdict(list)
    for record in records:
        for model_field in record.model._meta.concrete_fields:
            if model_field.is_relation:
                target = model_field.related_model._meta.concrete_model
                key = (target, getattr(record.instance, model_field.attname))
                if key in by_key:
                    dependants[id(by_key[key])].append(record)
        for name, pks in record.m2m.items():
            target = record.model._meta.get_field(name).related_model._meta.concrete_model
            for pk in pks:
                if (target, pk) in by_key:
                    dependants[id(by_key[(target, pk)])].append(record)
    result = set(broken)
    queue = list(broken)
    while queue:
        for dependant in dependants.get(queue.pop(), ()):
            if id(dependant) not in result:
                result.add(id(dependant))
                queue.append(id(dependant))
    return result


def _documents_without_owner_given(records: list[_Record]) -> list[_Record]:
    return [
        record
        for record in records
        if record.label == "recommendations.sourcedocument" and "municipality" not in record.given
    ]


def _keep_document_owners(records: list[_Record], user) -> None:
    """A source document the file gives without its municipality (files written before
    documents had one, the seed files) belongs to the municipality of the admin importing
    it, as one they add in the admin does (another municipality's stored document is
    then refused by its id alone, as any of its objects is: ``_check_municipality``).
    For a superuser and the command line, it keeps the municipality it has in the
    database (one query); a new one is given one after the import from what links to it
    (``_give_documents_owners_from_links``)."""
    from recommendations import roles

    unsaid = _documents_without_owner_given(records)
    if not unsaid:
        return
    own = roles.municipality_id(user) if user is not None else None
    if own is None:
        stored = dict(
            unsaid[0]
            .model._base_manager.filter(pk__in=[record.instance.pk for record in unsaid])
            .order_by()
            .values_list("pk", "municipality_id")
        )
    for record in unsaid:
        owner = own if own is not None else stored.get(record.instance.pk)
        record.instance.municipality_id = owner


def _give_documents_owners_from_links(records: list[_Record]) -> None:
    """The documents the file gives without a municipality, and those its audits and
    responses name, that still belong to none get the one municipality naming them
    (``SourceDocumentQuerySet.give_owners_from_links``): the seed files, whose documents
    come before the audits and responses naming them, import as before, each document
    its municipality's admin's. A document the file gives as of no municipality
    (``"municipality": null``) is left so."""
    named = {record.instance.pk for record in _documents_without_owner_given(records)}
    for record in records:
        if record.label == "recommendations.audit":
            named.update(record.m2m.get("source_documents", ()))
        elif record.label == "responses.response":
            named.update(record.m2m.get("referenced_in", ()))
            if record.instance.source_document_id is not None:
                named.add(record.instance.source_document_id)
    if not named:
        return
    documents = apps.get_model("recommendations", "SourceDocument").objects
    said = [
        record.instance.pk
        for record in records
        if record.label == "recommendations.sourcedocument" and "municipality" in record.given
    ]
    named.difference_update(said)
    named = list(named)
    for start in range(0, len(named), BATCH_SIZE):
        documents.filter(pk__in=named[start : start + BATCH_SIZE]).give_owners_from_links()


def _check_municipality(records: list[_Record], user, problems: list[Problem]) -> None:
    """Objects outside the user's municipality, in the file or in the database (one
    query per model), are problems: an Administratörer member imports only their own."""
    from recommendations import municipal_links, roles, tenancy

    if roles.is_superuser(user):
        return
    own = roles.municipality_id(user)
    by_model: dict[type, list[_Record]] = defaultdict(list)
    for record in records:
        condition = tenancy.condition(record.model, user)
        if condition is None:
            continue
        by_model[record.model].append(record)
        named = municipal_links.municipality_of(record.instance)
        if record.model._meta.label_lower in tenancy.MUNICIPALITY_PATHS and named != own:
            problems.append(record.problem(_("hör till en annan kommun än din.")))
    for model, group in by_model.items():
        outside = _outside(model, [record.instance.pk for record in group], user)
        for record in group:
            if record.instance.pk in outside:
                # The id is taken, which refusing it cannot hide; whose it is goes unsaid.
                problems.append(
                    record.problem(
                        _("pk=%(pk)s kan inte användas i din kommun: välj ett annat.")
                        % {"pk": record.instance.pk}
                    )
                )
    # The objects the file refers to in the database are the user's municipality's:
    # ``_resolve_references`` found no other.
    _check_superuser_only_fields(records, user, problems)


def _check_superuser_only_fields(records, user, problems) -> None:
    """A file may not change what only a superuser changes (a municipality's address:
    ``tenancy.superuser_only_fields``, as its admin page shows it read-only). One query
    per model that has such fields."""
    from recommendations import tenancy

    by_model: dict[type, list[_Record]] = defaultdict(list)
    for record in records:
        if tenancy.superuser_only_fields(record.model, user):
            by_model[record.model].append(record)
    for model, group in by_model.items():
        fixed = [model._meta.get_field(name) for name in tenancy.superuser_only_fields(model, user)]
        # Of the user's municipality only: another's is refused for being another's
        # (``_check_municipality``), not compared with what it stores.
        rows = _within_reach(
            model._base_manager.filter(pk__in=[r.instance.pk for r in group]), user
        )
        stored = {
            row[0]: row[1:]
            for row in rows.values_list(
                "pk", *(model_field.attname for model_field in fixed)
            ).iterator()
        }
        for record in group:
            if record.instance.pk not in stored:
                # A new object (only superusers add municipalities) or another's.
                continue
            for model_field, value in zip(fixed, stored[record.instance.pk], strict=True):
                if getattr(record.instance, model_field.attname) != value:
                    problems.append(
                        record.problem(_("bara en superanvändare får ändra det."), model_field.name)
                    )


def _outside(model, pks, user) -> set:
    """Those of ``pks`` that are rows of ``model`` outside the user's municipality (one
    query per batch)."""
    from recommendations import tenancy

    outside = set()
    for start in range(0, len(pks), BATCH_SIZE):
        outside.update(
            model._base_manager.filter(pk__in=pks[start : start + BATCH_SIZE])
            .exclude(tenancy.condition(model, user))
            .values_list("pk", flat=True)
        )
    return outside


def _missing(target, pk, user=None) -> str:
    """A reference to an object found neither in the files nor in the database; to a
    municipality's admin, in the database of their municipality (``_within_reach``), so
    that the message is the same whether another municipality has the id or nobody."""
    from recommendations import roles

    values = {"model": target._meta.label_lower, "pk": pk}
    if user is None or roles.is_superuser(user):
        return _("%(model)s med pk=%(pk)s finns varken i filerna eller i databasen.") % values
    return _("pekar på %(model)s med pk=%(pk)s, som varken finns i filerna eller i din kommun.") % (
        values
    )


def _validate(records, problems, progress, broken: set[int]) -> None:
    """full_clean() each object; relations and uniqueness are checked in bulk instead.

    Objects whose references are broken get their fields checked but not the model's
    clean(), which would follow the missing reference.
    """
    total = len(records)
    for done, record in enumerate(records, start=1):
        meta = record.model._meta
        relations = [f.name for f in meta.concrete_fields if f.is_relation]
        try:
            if id(record) in broken:
                record.instance.clean_fields(exclude=[*relations, *record.failed_fields])
            else:
                record.instance.full_clean(
                    exclude=relations, validate_unique=False, validate_constraints=False
                )
        except ValidationError as error:
            for field_name, errors in error.error_dict.items():
                label = "" if field_name == "__all__" else field_name
                problems.append(record.problem(_messages(meta, field_name, errors), label))
        if progress and (done % 1000 == 0 or done == total):
            progress(done, total)


def _check_links_within_one_municipality(records, problems, broken: set[int]) -> None:
    """No object links to another municipality's (``municipal_links.links_elsewhere``), whoever
    imports (a municipality's admin reaches none: ``_within_reach``; a superuser and the
    command line reach all). Reads no row: every reference was read with the objects on
    its way to its municipality (``_resolve_references``), and the many-to-many values
    are the file's. A link the model's clean() refused by the same rule (a response's
    round) is not told twice."""
    from recommendations import municipal_links

    told = {(p.source, p.index, p.field) for p in problems}
    for record in records:
        if id(record) in broken or not municipal_links.link_fields(record.model):
            continue
        values = {
            name: list(cached)
            for name, cached in getattr(record.instance, "_prefetched_objects_cache", {}).items()
            if name in record.m2m
        }
        links = municipal_links.links_elsewhere(record.instance, values)
        for name, message in municipal_links.link_messages(record.instance, links).items():
            if (record.source, record.index, name) not in told:
                problems.append(record.problem(message, name))


def _check_decision_documents(records, problems, broken: set[int]) -> None:
    """A response's signed PDF, which a file gives as a stored name only, lies in its
    municipality's folder (``Response.holds_a_document_of_its_municipality``) or is the
    one the response already holds: a name in another municipality's folder, or in the
    folder all shared before (``responses/<year>/``), would serve that file to the
    response's readers. Whoever imports. One query per batch of responses giving another
    name; a stored name counts only on a response of the same municipality, so the refusal
    is the same whatever another municipality's responses hold."""
    Response = apps.get_model("responses", "Response")
    elsewhere = [
        record
        for record in records
        if record.model is Response
        and id(record) not in broken
        and "decision_document" in record.given
        and not record.instance.holds_a_document_of_its_municipality()
    ]
    kept = set()
    for start in range(0, len(elsewhere), BATCH_SIZE):
        pks = [record.instance.pk for record in elsewhere[start : start + BATCH_SIZE]]
        kept.update(
            Response._base_manager.filter(pk__in=pks).values_list(
                "pk", "board__municipality_id", "decision_document"
            )
        )
    for record in elsewhere:
        response = record.instance
        held = (response.pk, response.board.municipality_id, response.decision_document.name)
        if held not in kept:
            message = _(
                "får bara ange ett dokument i den egna kommunens mapp (%(folder)s) eller det "
                "dokument yttrandet redan har."
            ) % {"folder": response.documents_folder()}
            problems.append(record.problem(message, "decision_document"))


def _check_moves_away_from_links(records, problems, broken: set[int], user=None) -> None:
    """No file moves a stored board, audit or source document that anything links to (its
    recommendations, responses, measures, rounds) to another municipality: they would stay
    behind, each linking across two (nor gives a document of none a municipality while
    another's objects link to it). Nor a stored object that belongs to one through
    another (a round with responses given another municipality's audit, a measure with
    reports another's board). The admin's rule, asked the same (``municipal_links.
    moving_away_from_links``): one query per such model in the file (and batch), and one
    per kind of link only when the file moves one. Before anything is written, so a refused file
    moves no sequence either.

    For superusers and the command line only: a municipality's admin moves nothing, both
    ends being theirs (``_check_municipality``), and being told what links to another
    municipality's object would tell them of it."""
    from recommendations import municipal_links, roles, tenancy

    if user is not None and not roles.is_superuser(user):
        return
    by_model: dict[type, dict] = defaultdict(dict)
    for record in records:
        if id(record) not in broken and tenancy.path_of(record.model) not in (None, "pk"):
            by_model[record.model][record.instance.pk] = record
    for model, group in by_model.items():
        # The field that says where it belongs: a board's municipality, a round's audit.
        step = tenancy.path_of(model).split("__")[0]
        pks = list(group)
        for start in range(0, len(pks), BATCH_SIZE):
            destinations = {
                pk: municipal_links.municipality_of(group[pk].instance)
                for pk in pks[start : start + BATCH_SIZE]
            }
            refused = municipal_links.moving_away_from_links(model, destinations)
            for pk, message in refused.items():
                problems.append(group[pk].problem(message, step))


def _messages(meta, field_name: str, errors: list[ValidationError]) -> str:
    """The field's messages; an invalid choice also lists the values the file may use."""
    texts = []
    for error in errors:
        text = "; ".join(error.messages)
        if error.code == "invalid_choice" and field_name != "__all__":
            choices = meta.get_field(field_name).flatchoices
            allowed = ", ".join(str(value) for value, _label in choices if value != "")
            text += " " + _("Tillåtna värden: %(values)s.") % {"values": allowed}
        texts.append(text)
    return "; ".join(texts)


def _unique_sets(model) -> tuple[list[tuple[str, ...]], list[models.UniqueConstraint]]:
    """Unconditional unique field sets (checked in bulk) and conditional constraints."""
    meta = model._meta
    sets = [(f.attname,) for f in meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(meta.get_field(n).attname for n in group) for group in meta.unique_together]
    conditional = []
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            if constraint.condition is None:
                sets.append(tuple(meta.get_field(n).attname for n in constraint.fields))
            else:
                conditional.append(constraint)
    return sets, conditional


def _check_publication(records: list[_Record], problems: list[Problem], user=None) -> None:
    """A file neither takes a published response back (``Response.leaves_published``, the
    admin's rule too) nor publishes one already stored (``Response.becomes_published``):
    publishing copies its reports onto the measures and tells its followers, which the
    publish page and the admin's form do. New responses come in the state the documents
    give them.

    With ``user``, the stored responses read are those of the user's municipality
    (``_within_reach``): another municipality's id is refused as taken
    (``_check_municipality``), and judged by its state as well it told whether that
    response is published."""
    Response = apps.get_model("responses", "Response")
    given = [r for r in records if r.model is Response and r.instance.pk is not None]
    stored = {}
    for start in range(0, len(given), BATCH_SIZE):
        pks = [r.instance.pk for r in given[start : start + BATCH_SIZE]]
        rows = _within_reach(Response._base_manager.filter(pk__in=pks), user)
        stored.update(rows.values_list("pk", "state"))
    for record in given:
        before, state = stored.get(record.instance.pk), record.instance.state
        if Response.leaves_published(before, state):
            problems.append(record.problem(str(Response.STAYS_PUBLISHED), "state"))
        elif Response.becomes_published(before, state):
            message = _(
                "Ett yttrande som redan finns publiceras i administrationen eller på "
                "publiceringssidan, inte genom en import: där förs dess lägesrapporter över "
                "till åtgärderna och de som följer nämnden får besked."
            )
            problems.append(record.problem(message, "state"))


def _check_uniqueness(records: list[_Record], problems: list[Problem], user=None) -> None:
    by_model: dict[type, list[_Record]] = defaultdict(list)
    for record in records:
        by_model[record.model].append(record)

    for model, group in by_model.items():
        unique_sets, conditional = _unique_sets(model)
        input_pks = [r.instance.pk for r in group]
        for names in unique_sets:
            seen: dict[tuple, _Record] = {}
            for record in group:
                key = tuple(getattr(record.instance, n) for n in names)
                if None in key:
                    continue
                if key in seen:
                    problems.append(
                        record.problem(
                            _duplicate(model, names, seen[key]), _in_file(model, names)[0]
                        )
                    )
                seen[key] = record
            _check_against_database(model, names, seen, input_pks, problems, user)
        for constraint in conditional:
            _check_conditional_duplicates_in_input(model, constraint, group, problems)
            for record in _conditional_clash_candidates(model, constraint, group):
                # Treat the object as saved so its own row (same pk) is not a clash on re-import.
                record.instance._state.adding = False
                try:
                    constraint.validate(model, record.instance)
                except ValidationError as error:
                    problems.append(record.problem("; ".join(error.messages), constraint.fields[0]))
                finally:
                    record.instance._state.adding = True


def _check_conditional_duplicates_in_input(model, constraint, group, problems) -> None:
    """Objects of the file holding the same values of a conditional unique constraint, each
    under its condition (two documents of no municipality with one file name): the database
    would refuse the second. The condition is evaluated as the constraint's own
    ``validate()`` does it (a query), only for objects whose values another object of the
    file shares, and once per set of the values it reads (a file's many audits with a blank
    reference ask once)."""
    names = [model._meta.get_field(name).attname for name in constraint.fields]
    read = [
        model._meta.get_field(name).attname for name in constraint.condition.referenced_base_fields
    ]
    holds: dict[tuple, bool] = {}

    def under_condition(record) -> bool:
        values = tuple(getattr(record.instance, name) for name in read)
        if values not in holds:
            holds[values] = constraint.condition.check(
                record.instance._get_field_expression_map(meta=model._meta)
            )
        return holds[values]

    sharing: dict[tuple, list[_Record]] = defaultdict(list)
    for record in group:
        key = tuple(getattr(record.instance, name) for name in names)
        if None not in key:
            sharing[key].append(record)
    for records in sharing.values():
        if len(records) < 2:
            continue
        under = [record for record in records if under_condition(record)]
        for record in under[1:]:
            problems.append(
                record.problem(_duplicate(model, names, under[0]), _in_file(model, names)[0])
            )


def _conditional_clash_candidates(model, constraint, group: list[_Record]) -> list[_Record]:
    """The objects that may break a conditional unique constraint, found with one query per batch.

    Only these are then checked one by one with the constraint's own ``validate()``, which
    also evaluates the condition for the object.
    """
    names = [model._meta.get_field(name).attname for name in constraint.fields]
    by_key = {tuple(getattr(r.instance, n) for n in names): r for r in group}
    first_values = list({key[0] for key in by_key})
    candidates: dict[int, _Record] = {}
    for start in range(0, len(first_values), BATCH_SIZE):
        rows = (
            model._base_manager.filter(constraint.condition)
            .filter(**{f"{names[0]}__in": first_values[start : start + BATCH_SIZE]})
            .values_list("pk", *names)
        )
        for pk, *values in rows.iterator():
            record = by_key.get(tuple(values))
            if record is not None and record.instance.pk != pk:
                candidates[id(record)] = record
    return list(candidates.values())


def _in_file(model, attnames) -> list[str]:
    """The fields as a fixture file names them ("audit", not the column "audit_id")."""
    return [model._meta.get_field(name).name for name in attnames]


def _duplicate(model, names, first: _Record) -> str:
    return _("värdet för %(fields)s finns redan i %(source)s (objekt %(number)s).") % {
        "fields": ", ".join(_in_file(model, names)),
        "source": first.source,
        "number": first.index + 1,
    }


def _check_against_database(model, names, seen, input_pks, problems, user=None) -> None:
    """Rows already in the database (not being overwritten) that hold the same unique values.

    The database is narrowed by the first field with one IN list per batch, and the full
    values are compared here: a long OR of one condition per object made this step the
    slowest part of importing a large file.

    With ``user`` (the admin's upload page), a row of another municipality is not named: a
    value unique across municipalities (a municipality's name) is said to be taken, which
    refusing it cannot hide, but not by which id (``_missing``'s rule of telling nothing
    about another municipality's ids). What a municipality may keep secret is unique
    within it only (a source document's file name), and never clashes here.
    """
    input_pks = set(input_pks)
    first_values = list({key[0] for key in seen})
    clashes = []  # (record, pk of the row holding its values)
    for start in range(0, len(first_values), BATCH_SIZE):
        rows = model._base_manager.filter(
            **{f"{names[0]}__in": first_values[start : start + BATCH_SIZE]}
        ).values_list("pk", *names)
        for pk, *values in rows.iterator():
            record = seen.get(tuple(values))
            if record is not None and pk not in input_pks:
                clashes.append((record, pk))
    unnamed = set()
    if user is not None and clashes:
        unnamed = _outside(model, [pk for _record, pk in clashes], user)
    fields = ", ".join(_in_file(model, names))
    for record, pk in clashes:
        if pk in unnamed:
            message = _("värdet för %(fields)s används redan i databasen.") % {"fields": fields}
        else:
            message = _(
                "värdet för %(fields)s används redan av %(model)s pk=%(pk)s i databasen."
            ) % {"fields": fields, "model": record.label, "pk": pk}
        problems.append(record.problem(message, _in_file(model, names)[0]))


def _what_overwritten_rows_hold(records: list[_Record]) -> tuple[set[int], set[int]]:
    """The recommendations (main and shared) and the audits' municipalities that the rows
    the file overwrites refer to before it is saved: as the signals refresh a row's old
    and new place on a save (``standing_signals``), the importer does on its bulk write."""
    Measure = apps.get_model("responses", "Measure")
    Audit = apps.get_model("recommendations", "Audit")
    pks_by_model = defaultdict(list)
    for record in records:
        if record.instance.pk is not None:
            pks_by_model[record.model].append(record.instance.pk)
    recommendations, municipalities = set(), set()
    for model, pks in pks_by_model.items():
        fields = {field.name for field in model._meta.concrete_fields}
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            if "recommendation" in fields:
                recommendations.update(
                    model._base_manager.filter(pk__in=batch).values_list(
                        "recommendation_id", flat=True
                    )
                )
            if model is Measure:
                recommendations.update(
                    Measure.also_serves.through.objects.filter(measure_id__in=batch).values_list(
                        "recommendation_id", flat=True
                    )
                )
            if model is Audit:
                municipalities.update(
                    Audit._base_manager.filter(pk__in=batch).values_list(
                        "municipality_id", flat=True
                    )
                )
    return recommendations, municipalities


def _touched_recommendations(records: list[_Record]) -> set[int]:
    """The recommendations whose standings the imported records may change."""
    Recommendation = apps.get_model("recommendations", "Recommendation")
    ResponseEntry = apps.get_model("responses", "ResponseEntry")
    ids, audits, responses = set(), set(), set()
    for record in records:
        instance, label = record.instance, record.model._meta.label_lower
        if label == "recommendations.recommendation":
            ids.add(instance.pk)
        elif label in {"recommendations.audit", "recommendations.followupround"}:
            audits.add(instance.pk if label == "recommendations.audit" else instance.audit_id)
        elif label == "responses.response":
            responses.add(instance.pk)
        elif hasattr(instance, "recommendation_id"):  # entries, measures, assessments
            ids.add(instance.recommendation_id)
            ids.update(record.m2m.get("also_serves", []))
    ids.update(
        Recommendation.objects.filter(audit_id__in=audits).values_list("pk", flat=True),
        ResponseEntry.objects.filter(response_id__in=responses).values_list(
            "recommendation_id", flat=True
        ),
    )
    return ids


def _save(records: list[_Record], result: ImportResult, change_reason: str) -> None:
    by_model: dict[type, list[_Record]] = defaultdict(list)
    for record in records:
        by_model[record.model].append(record)
    # A response's content the import writes, as stored before and as written: the
    # responses it was and is the content of move their versions on.
    written: list[models.Model] = []
    created_responses: set = set()  # at their first version

    for model, group in by_model.items():
        label = model._meta.label_lower
        kept = getattr(model, "kept_from_files", ())
        concrete = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and f.name not in getattr(model, "derived_fields", ())
            and f.name not in kept
        ]
        existing = {}
        pks = [r.instance.pk for r in group]
        for start in range(0, len(pks), BATCH_SIZE):
            existing.update(model._base_manager.in_bulk(pks[start : start + BATCH_SIZE]))

        current_links = _current_m2m(model, group, existing)
        changed: list[_Record] = []
        for record in group:
            before = existing.get(record.instance.pk)
            if before is None:
                result.created[label] += 1
                changed.append(record)
                written.append(record.instance)
                if label == "responses.response":
                    created_responses.add(record.instance.pk)
                continue
            for name in kept:  # as stored, also in its history
                setattr(record.instance, name, getattr(before, name))
            differing = [
                f.verbose_name
                for f in concrete
                if getattr(before, f.attname) != getattr(record.instance, f.attname)
            ] + [
                model._meta.get_field(name).verbose_name
                for name, pks in record.m2m.items()
                if set(pks) != current_links[name].get(record.instance.pk, set())
            ]
            if differing:
                result.updated[label] += 1
                result.changes.append(
                    Change(label, record.instance.pk, str(before), [str(f) for f in differing])
                )
                changed.append(record)
                written += [before, record.instance]
            else:
                result.unchanged[label] += 1

        model._base_manager.bulk_create(
            [r.instance for r in changed],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=[f.name for f in concrete],
        )
        _replace_m2m(model, changed)
        _record_history(model, changed, existing, change_reason)

    # An edit page opened before the import is refused on saving, not saved over it.
    apps.get_model("responses", "Response").objects.moved_on_by(
        written, BATCH_SIZE, besides=created_responses
    )


def _m2m_columns(m2m_field) -> tuple[str, str]:
    return m2m_field.m2m_field_name() + "_id", m2m_field.m2m_reverse_field_name() + "_id"


def _current_m2m(model, group: list[_Record], existing: dict) -> dict[str, dict]:
    """The many-to-many links the database holds now, per field: {owner pk: {target pks}}."""
    links: dict[str, dict] = {}
    names = {name for record in group for name in record.m2m}
    owners = list(existing)
    for name in names:
        m2m_field = model._meta.get_field(name)
        source_col, target_col = _m2m_columns(m2m_field)
        current: dict = defaultdict(set)
        for start in range(0, len(owners), BATCH_SIZE):
            rows = m2m_field.remote_field.through._base_manager.filter(
                **{f"{source_col}__in": owners[start : start + BATCH_SIZE]}
            ).values_list(source_col, target_col)
            for owner, target in rows:
                current[owner].add(target)
        links[name] = current
    return links


def _replace_m2m(model, changed: list[_Record]) -> None:
    fields_used = {name for record in changed for name in record.m2m}
    for name in fields_used:
        m2m_field = model._meta.get_field(name)
        through = m2m_field.remote_field.through
        source_col, target_col = _m2m_columns(m2m_field)
        owners = [r.instance.pk for r in changed if name in r.m2m]
        for start in range(0, len(owners), BATCH_SIZE):
            through._base_manager.filter(
                **{f"{source_col}__in": owners[start : start + BATCH_SIZE]}
            ).delete()
        rows = [
            through(**{source_col: r.instance.pk, target_col: pk})
            for r in changed
            if name in r.m2m
            for pk in dict.fromkeys(r.m2m[name])
        ]
        through._base_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def _record_history(model, changed: list[_Record], existing: dict, change_reason: str) -> None:
    """Write django-simple-history rows for what the import created or changed."""
    history = getattr(model, "history", None)
    if history is None or not changed:
        return
    created = [r.instance for r in changed if r.instance.pk not in existing]
    updated = [r.instance for r in changed if r.instance.pk in existing]
    if created:
        history.bulk_history_create(
            created, batch_size=BATCH_SIZE, default_change_reason=change_reason
        )
    if updated:
        history.bulk_history_create(
            updated, batch_size=BATCH_SIZE, update=True, default_change_reason=change_reason
        )


def _reset_sequences(model_list) -> None:
    """After inserting explicit primary keys, move PostgreSQL's sequences past them."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
