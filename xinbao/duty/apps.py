from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "xinbao.duty"
    label = "duty"
    verbose_name = _("值班管理")

    def ready(self) -> None:
        from xinbao.duty import todos  # noqa: F401  (registers the 待办 provider)
