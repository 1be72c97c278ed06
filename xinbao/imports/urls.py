from django.urls import path

from xinbao.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/good-rows/", views.import_good_rows, name="good_rows"),
    path("<int:pk>/errors.xlsx", views.errors_download, name="errors"),
    path("templates/<slug:kind>.<slug:fmt>", views.template_download, name="template"),
]
