from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergenciesConfig(AppConfig):
    name = "xinbao.emergencies"
    label = "emergencies"
    verbose_name = _("紧急信息")

    def ready(self) -> None:
        from xinbao.emergencies import todos  # noqa: F401  (registers the duty room's and the unit's 待办)
