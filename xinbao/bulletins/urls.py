from django.urls import path

from xinbao.bulletins.views import compose, issues, readers, series

app_name = "bulletins"

urlpatterns = [
    path("", issues.index, name="index"),
    path("series/", series.series_list, name="series_list"),
    path("series/new/", series.series_edit, name="series_create"),
    path("series/<int:pk>/edit/", series.series_edit, name="series_edit"),
    path("series/<int:series_pk>/issues/new/", issues.issue_new, name="issue_new"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/print/", issues.issue_print, name="issue_print"),
    path("issues/<int:pk>/docx/", issues.issue_docx, name="issue_docx"),
    path("issues/<int:pk>/sign/", issues.issue_sign_view, name="issue_sign"),
    path("issues/<int:pk>/publish/", issues.issue_publish_view, name="issue_publish"),
    path("issues/<int:pk>/discard/", issues.issue_discard_view, name="issue_discard"),
    path("issues/<int:pk>/readers/add/", readers.reader_add, name="reader_add"),
    path("issues/<int:pk>/readers/<int:person_id>/remove/", readers.reader_remove, name="reader_remove"),
    path("issues/<int:pk>/compose/", compose.compose, name="compose"),
    path("issues/<int:pk>/distribution/", compose.distribution, name="distribution"),
    path("issues/<int:pk>/entries/add/", compose.entry_add_view, name="entry_add"),
    path("issues/<int:pk>/entries/reorder/", compose.entry_reorder_view, name="entry_reorder"),
    path("entries/<int:pk>/edit/", compose.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/move/<str:direction>/", compose.entry_move_view, name="entry_move"),
    path("entries/<int:pk>/remove/", compose.entry_remove_view, name="entry_remove"),
]
