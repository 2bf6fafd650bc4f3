from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = _("Granskningar och rekommendationer")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import IntegerField
        from django.db.models.signals import m2m_changed

        from auditfollowup.lib.ids import IntegerFieldIn
        from auditfollowup.middleware import note_activity_at_login

        from . import (
            municipal_links,
            signals,  # noqa: F401  (connects the search-vector receivers)
        )

        user_logged_in.connect(note_activity_at_login, dispatch_uid="session_activity_at_login")
        # A many-to-many link added anywhere (the shell, code) stays within one municipality.
        for model in self.apps.get_models():
            for field in municipal_links.link_fields(model):
                if field.many_to_many:
                    through = field.remote_field.through
                    m2m_changed.connect(
                        municipal_links.refuse_links_added,
                        sender=through,
                        dispatch_uid=f"links_within_one_municipality_{through._meta.label_lower}",
                    )
        # An id beyond the database's integers, in a list, matches nothing (not a 500).
        IntegerField.register_lookup(IntegerFieldIn)
