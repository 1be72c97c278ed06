from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "xinbao.bulletins"
    label = "bulletins"
    verbose_name = _("信息刊物")

    def ready(self) -> None:
        from xinbao.bulletins import todos  # noqa: F401  (registers the 签发/印发 待办 provider)
