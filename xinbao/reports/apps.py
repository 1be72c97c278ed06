from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xinbao.reports"
    label = "reports"
    verbose_name = _("信息报送")

    def ready(self) -> None:
        from xinbao.reports import todos  # noqa: F401  (registers the signer's and author's 待办 providers)
