from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from xinbao.api.router import api
from xinbao.common import views as common_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("accounts/", include("xinbao.accounts.urls")),
    path("orgs/", include("xinbao.orgs.urls")),
    path("audit/", include("xinbao.audit.urls")),
    path("imports/", include("xinbao.imports.urls")),
    path("reports/", include("xinbao.reports.urls")),
    path("notifications/", include("xinbao.notifications.urls")),
    path("bulletins/", include("xinbao.bulletins.urls")),
    path("followups/", include("xinbao.followups.urls")),
    path("emergencies/", include("xinbao.emergencies.urls")),
    path("duty/", include("xinbao.duty.urls")),
    path("quality/", include("xinbao.quality.urls")),
    path("search/", include("xinbao.search.urls")),
    path("scoring/", include("xinbao.scoring.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "xinbao.common.views.forbidden"
handler404 = "xinbao.common.views.not_found"
