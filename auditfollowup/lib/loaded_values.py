"""Remember what a model instance held when it was read, so a save can tell what moved.

A row that moves (an answer, a measure or an assessment to another recommendation, an
audit to another municipality) changes what is derived from where it was as well as from
where it goes; the post_save receivers that keep the derived rows in step need both.
Django's documented ``from_db`` hook records the values as loaded, without a query.
"""

from django.db.models.base import DEFERRED


class RemembersLoadedValues:
    """A model mixin: ``loaded_value(attname)`` is the value of one of ``remembered``
    (attribute names, such as ``recommendation_id``) as read from the database; None for
    an instance not read from it, or a field not read."""

    remembered: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Looked up by name (a C-level search of a short list), not by walking every
        # field: pages read hundreds of these rows.
        loaded = {}
        for name in cls.remembered:
            try:
                value = values[field_names.index(name)]
            except ValueError:
                continue  # not read by this query
            if value is not DEFERRED:
                loaded[name] = value
        instance._loaded_values = loaded
        return instance

    def loaded_value(self, attname: str):
        return getattr(self, "_loaded_values", {}).get(attname)

    def moved_from(self, attname: str) -> list:
        """The loaded value when the field now holds another; else nothing."""
        before = self.loaded_value(attname)
        return [before] if before is not None and before != getattr(self, attname) else []
