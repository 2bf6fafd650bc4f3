from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("E-post och kalendrar")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from responses.signals import response_published

        from . import mail
        from .following import on_response_published

        response_published.connect(on_response_published, dispatch_uid="notifications_new_answer")
        # Connected here, before the first request starts: a form's mail goes after its
        # answer (``mail.send_after_response``).
        request_started.connect(mail.open_request, dispatch_uid="notifications_mail_open")
        request_finished.connect(mail.send_after_request, dispatch_uid="notifications_mail_send")
