from django.urls import path

from xinbao.duty.views import log, roster, transfer

app_name = "duty"

urlpatterns = [
    path("", roster.roster, name="roster"),
    path("cell/", roster.cell, name="cell"),
    path("entries/<int:pk>/edit/", roster.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", roster.entry_delete, name="entry_delete"),
    path("copy-week/", roster.copy_week, name="copy_week"),
    path("import/", transfer.import_roster, name="import"),
    path("import/template/", transfer.template, name="template"),
    path("export/", transfer.export, name="export"),
    path("settings/", transfer.settings_page, name="settings"),
    path("log/", log.duty_log, name="log"),
    path("handovers/", log.handovers, name="handovers"),
    path("handovers/<int:pk>/acknowledge/", log.handover_ack, name="handover_ack"),
]
