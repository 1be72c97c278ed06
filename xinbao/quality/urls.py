from django.urls import path, re_path

from xinbao.quality import views

app_name = "quality"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("reports/<int:pk>/findings/", views.report_findings, name="report_findings"),
    path("reports/<int:pk>/secrecy/", views.secrecy_confirm, name="secrecy_confirm"),
    path("references/", views.references, name="references"),
    path("keywords/", views.keywords, name="keywords"),
    re_path(r"^keywords/export\.(?P<fmt>txt|xlsx)$", views.keywords_export, name="keywords_export"),
    path("wording/", views.wording_rules, name="wording_rules"),
    path("wording/<int:pk>/edit/", views.wording_rule_edit, name="wording_rule_edit"),
    path("wording/<int:pk>/active/", views.wording_rule_active, name="wording_rule_active"),
    path("wording/export.xlsx", views.wording_rules_export, name="wording_rules_export"),
]
