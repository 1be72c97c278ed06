from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "xinbao.audit"
    label = "audit"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        from django.conf import settings

        from xinbao.audit import guard

        guard.ALLOW_PURGE = bool(getattr(settings, "TESTING", False))
