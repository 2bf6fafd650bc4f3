"""How the admin names a row of a many-to-many link, on the page before a deletion.

Deleting an audit, a recommendation or a response takes its links along (the boards a
recommendation is addressed to, the recommendations an answer refers to), and Django
listed each as a row of its auto-created join table: "Recommendation-board relation:
Recommendation_addressed_to object (37)". Such a row is named here by the field it belongs
to and the object it links to ("Riktad till: Servicenämnden"). A join table already named
elsewhere (a board's staff list, a user's groups: ``recommendations/admin_users.py``) keeps
its own names. No migration: an auto-created table's names are not in one.
"""

from django.apps import apps


def name_link_rows(app_labels) -> None:
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if not through._meta.auto_created or "__str__" in through.__dict__:
                    continue
                target = field.m2m_reverse_field_name()
                through.__str__ = lambda row, target=target: str(getattr(row, target))
                through._meta.verbose_name = field.verbose_name
                through._meta.verbose_name_plural = field.verbose_name
