from django.urls import path

from xinbao.orgs.views import informants, units

app_name = "orgs"

urlpatterns = [
    path("", units.tree, name="tree"),
    path("search/", units.tree_search, name="tree_search"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", units.unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:pk>/new/", units.unit_new_child, name="unit_create"),
    path("units/<int:pk>/direct-targets/", units.unit_direct_targets, name="unit_direct_targets"),
    path("units/<int:pk>/informants/new/", informants.register, name="informant_register"),
    path("units/<int:pk>/informants/history/", informants.history, name="informant_history"),
    path("informants/", informants.registry, name="informants"),
    path("informants/<int:pk>/kind/", informants.change_kind, name="informant_change_kind"),
    path("informants/<int:pk>/end/", informants.end, name="informant_end"),
]
