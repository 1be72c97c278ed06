from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "xinbao.followups"
    label = "followups"
    verbose_name = _("跟踪反馈")

    def ready(self) -> None:
        from xinbao.followups import todos  # noqa: F401  (registers the units' and offices' 待办 providers)
