"""Author and signer pages (my items, draft, edit, submit, sign-off, detail, diff, lineage)."""

from django.urls import path

from xinbao.reports.views import exports, item_actions, item_history, items

urlpatterns = [
    path("mine/", items.mine, name="mine"),
    path("mine/export.xlsx", exports.mine_export, name="mine_export"),
    path("new/", items.report_new, name="new"),
    path("signoff/", item_actions.signoff_queue, name="signoff_queue"),
    path("<int:pk>/", items.report_detail, name="detail"),
    path("<int:pk>/edit/", items.report_edit, name="edit"),
    path("<int:pk>/submit/", item_actions.submit, name="submit"),
    path("<int:pk>/withdraw/", item_actions.withdraw, name="withdraw"),
    path("<int:pk>/escalate/", item_actions.escalate, name="escalate"),
    path("<int:pk>/signoff/", item_actions.signoff, name="signoff"),
    path("<int:pk>/diff/", item_history.diff, name="diff"),
    path("<int:pk>/lineage/", item_history.lineage, name="lineage"),
    path("attachments/<int:pk>/", items.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", items.attachment_delete, name="attachment_remove"),
]
