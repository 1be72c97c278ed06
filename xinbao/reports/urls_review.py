"""Receiving-office pages (inbox, review actions, combine, forward, external adoption)."""

from django.urls import path

from xinbao.reports.views import exports, review, review_compose

urlpatterns = [
    path("inbox/", review.inbox, name="inbox"),
    path("inbox/export.xlsx", exports.inbox_export_view, name="inbox_export"),
    path("inbox/combine/", review_compose.combine, name="combine"),
    path("inbox/<int:pk>/", review.review, name="review"),
    path("<int:pk>/forward/", review_compose.forward, name="forward"),
    path("<int:pk>/external-adoption/", review_compose.external_adoption, name="external_adoption"),
]
