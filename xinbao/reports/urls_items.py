"""Author and signer pages (my items, draft, edit, submit, sign-off, detail, diff, lineage)."""

from django.urls import path

from xinbao.reports.views import items

urlpatterns = [
    path("<int:pk>/", items.report_detail, name="detail"),
]
