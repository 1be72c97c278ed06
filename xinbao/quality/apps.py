from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "xinbao.quality"
    label = "quality"
    verbose_name = _("质量把关")

    def ready(self) -> None:
        from xinbao.quality.checks import secrecy_check
        from xinbao.reports.quality import register

        register(secrecy_check)
