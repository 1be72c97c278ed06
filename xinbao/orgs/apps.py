from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "xinbao.orgs"
    label = "orgs"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from xinbao.orgs import todos  # noqa: F401  (registers the 待办 provider)
