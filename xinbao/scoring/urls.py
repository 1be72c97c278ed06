from django.urls import path

from xinbao.scoring.views import circulars, dashboard, rankings, rules, units

app_name = "scoring"

urlpatterns = [
    path("", rankings.rankings, name="rankings"),
    path("export/", rankings.rankings_export, name="rankings_export"),
    path("rebuild/", rankings.rebuild, name="rebuild"),
    path("quotas/", rankings.quotas, name="quotas"),
    path("quotas/export/", rankings.quotas_export, name="quotas_export"),
    path("offices/<int:office_pk>/units/<int:unit_pk>/", units.unit_score, name="unit"),
    path("offices/<int:office_pk>/units/<int:unit_pk>/export/", units.unit_score_export, name="unit_export"),
    path("offices/<int:office_pk>/rules/", rules.rules, name="rules"),
    path("circular/", circulars.circular, name="circular"),
    path("commendations/", circulars.commendations, name="commendations"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.dashboard_export, name="dashboard_export"),
    path("dashboard/data/", dashboard.dashboard_json, name="dashboard_data"),
]
