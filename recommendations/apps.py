from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = _("Granskningar och rekommendationer")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import IntegerField

        from auditfollowup.lib.ids import IntegerFieldIn
        from auditfollowup.middleware import note_activity_at_login

        from . import signals  # noqa: F401  (connects the search-vector receivers)

        user_logged_in.connect(note_activity_at_login, dispatch_uid="session_activity_at_login")
        # An id beyond the database's integers, in a list, matches nothing (not a 500).
        IntegerField.register_lookup(IntegerFieldIn)
