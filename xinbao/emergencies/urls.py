from django.urls import path

from xinbao.emergencies import views

app_name = "emergencies"

urlpatterns = [
    path("", views.board, name="board"),
    path("phone/", views.phone_new, name="phone_new"),
    path("incidents/", views.incident_list, name="list"),
    path("incidents/new/", views.incident_new, name="new"),
    path("incidents/<int:pk>/", views.incident_page, name="detail"),
    path("incidents/<int:pk>/write/", views.write, name="write"),
    path("incidents/<int:pk>/phone/", views.phone_add, name="phone_add"),
    path("incidents/<int:pk>/issues/", views.issue_add, name="issue_add"),
    path("incidents/<int:pk>/issues/<int:issue_pk>/answer/", views.issue_answer, name="issue_answer"),
    path("rules/", views.rules, name="rules"),
    path("circular/", views.circular_page, name="circular"),
]
