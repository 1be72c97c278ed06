from django.urls import path

from xinbao.followups import views

app_name = "followups"

urlpatterns = [
    path("", views.index, name="index"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction"),
    path("instructions/<int:pk>/scan/", views.instruction_scan, name="instruction_scan"),
    path("instructions/new/<int:report_pk>/", views.instruction_new, name="instruction_new"),
    path("instructions/<int:pk>/assign/", views.assign, name="assign"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/feedback/", views.feedback_new, name="feedback_new"),
    path("feedback/<int:pk>/decide/", views.feedback_decide, name="feedback_decide"),
    path("figures/", views.figures, name="figures"),
    path("commissions/", views.commission_list, name="commissions"),
    path("commissions/new/", views.commission_new, name="commission_new"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission"),
    path("commissions/<int:pk>/answer/", views.commission_answer, name="commission_answer"),
    path("commissions/<int:pk>/close/", views.commission_close_view, name="commission_close"),
]
