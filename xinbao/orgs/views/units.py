"""The unit tree (lazy, so a 5,000-unit province stays fast), unit detail, edit, new child and 直报 targets."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinbao.accounts.selectors import person_list_visible_to
from xinbao.common.errors import DomainError
from xinbao.orgs.forms import DirectTargetsForm, UnitForm
from xinbao.orgs.models import Unit, UnitKind
from xinbao.orgs.selectors import (
    can_manage_informants,
    can_manage_unit,
    can_view_registry,
    direct_target_candidates,
    has_region_wide_view,
    in_scope,
    informant_list_visible_to,
    scope_root,
    unit_breadcrumb,
    unit_breadcrumbs,
    unit_children_visible,
    unit_list_visible_to,
    unit_report_targets,
    unit_tree_annotate,
)
from xinbao.orgs.services import UNIT_FIELDS, direct_targets_set, unit_create, unit_update
from xinbao.orgs.views.common import current_user, form_error, visible_unit_or_404

SEARCH_LIMIT = 50


@dataclass
class TreeNode:
    unit: Unit
    expanded: bool = False
    children: list[TreeNode] = field(default_factory=list)


def _chain_nodes(request: HttpRequest, root: Unit) -> list[TreeNode]:
    """The scope root under its ancestors. Each ancestor is open and lists only what the user may see of it (its
    receiving offices and the next region of the chain); the scope root itself opens on demand."""
    chain_ids = [*root.ancestor_ids, root.pk]
    chain = {u.pk: u for u in unit_tree_annotate(Unit.objects.filter(pk__in=chain_ids))}
    node = TreeNode(chain[root.pk])
    for pk in reversed(root.ancestor_ids):
        children = [
            node if child.pk == node.unit.pk else TreeNode(child)
            for child in unit_children_visible(user=current_user(request), unit=chain[pk])
        ]
        node = TreeNode(chain[pk], expanded=True, children=children)
    return [node]


def _search(request: HttpRequest, q: str) -> tuple[list[tuple[Unit, list[Unit]]], bool]:
    matches = unit_tree_annotate(unit_list_visible_to(user=current_user(request), filters={"q": q}))
    units = list(matches[: SEARCH_LIMIT + 1])
    more = len(units) > SEARCH_LIMIT
    units = units[:SEARCH_LIMIT]
    crumbs = unit_breadcrumbs(units)
    return [(u, crumbs[u.pk]) for u in units], more


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    root = scope_root(current_user(request))
    q = (request.GET.get("q") or "").strip()[:50]
    results, more = _search(request, q) if q and root else ([], False)
    return render(
        request,
        "orgs/tree.html",
        {
            "nodes": _chain_nodes(request, root) if root else [],
            "q": q,
            "results": results,
            "more": more,
            "own_unit": current_user(request).unit,
        },
    )


@login_required
@require_GET
def tree_search(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]
    results, more = _search(request, q) if q else ([], False)
    return render(request, "orgs/_search_results.html", {"q": q, "results": results, "more": more})


@login_required
@require_GET
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    unit = visible_unit_or_404(request, pk)
    nodes = [TreeNode(u) for u in unit_children_visible(user=current_user(request), unit=unit)]
    return render(
        request,
        "orgs/_tree_children.html",
        {"nodes": nodes, "parent": unit, "own_unit": current_user(request).unit},
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    unit = visible_unit_or_404(request, pk)
    is_region = unit.kind == UnitKind.REGION
    direct_points: QuerySet[Unit] | list[Unit] = []
    if unit.is_receiving_office:
        direct_points = unit_list_visible_to(user=user).filter(direct_target_links__office=unit)
    sees_members = (
        not is_region and in_scope(user, unit) and (has_region_wide_view(user) or user.unit_id == unit.pk)
    )
    targets = unit_report_targets(unit)
    unit.is_direct_point = bool(targets["direct"])  # type: ignore[attr-defined]  # what the tree annotates
    context = {
        "unit": unit,
        "breadcrumb": unit_breadcrumb(unit)[:-1],
        "targets": targets,
        "direct_points": direct_points,
        "children": unit_children_visible(user=user, unit=unit) if is_region else [],
        # People and registrations of a unit are shown only to those who may see them all; an empty list would
        # otherwise read as "this unit has nobody" to a township clerk looking at the county office.
        "sees_members": sees_members,
        "people": person_list_visible_to(user=user, filters={"unit": unit.pk}) if sees_members else [],
        "informants": (
            informant_list_visible_to(user=user, filters={"unit": unit.pk, "current": True})
            if sees_members
            else []
        ),
        "can_edit": can_manage_unit(user, unit),
        "can_manage_informants": not is_region and can_manage_informants(user, unit),
        "can_view_registry": not is_region and can_view_registry(user, unit),
    }
    return render(request, "orgs/unit_detail.html", context)


def _parent_choices(request: HttpRequest, unit: Unit) -> QuerySet[Unit] | None:
    """Regions of the editor's scope the unit may move under; None for the scope root, which stays put."""
    root = scope_root(current_user(request))
    if root is None or unit.pk == root.pk:
        return None
    return (
        Unit.objects.filter(path__startswith=root.path, kind=UnitKind.REGION)
        .exclude(path__startswith=unit.path)
        .order_by("path")
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = visible_unit_or_404(request, pk)
    if not can_manage_unit(current_user(request), unit):
        raise PermissionDenied(_("只有本辖区的系统管理员可以修改单位"))
    parents = _parent_choices(request, unit)
    initial = {f: getattr(unit, f) for f in UNIT_FIELDS} | {"parent": unit.parent_id}
    form = UnitForm(request.POST or None, initial=initial, parents=parents)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in UNIT_FIELDS}
        try:
            unit = unit_update(
                actor=current_user(request), unit=unit, parent=form.cleaned_data.get("parent"), **data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存单位信息。"))
            return redirect("orgs:unit_detail", pk=unit.pk)
    return render(
        request,
        "orgs/unit_form.html",
        {"form": form, "unit": unit, "breadcrumb": unit_breadcrumb(unit)[:-1], "creating": False},
    )


@login_required
def unit_new_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = visible_unit_or_404(request, pk)
    if not can_manage_unit(current_user(request), parent):
        raise PermissionDenied(_("只有本辖区的系统管理员可以新建单位"))
    if parent.kind != UnitKind.REGION:
        messages.error(request, _("只能在行政区（省、市、县、乡镇地区节点）下新建单位。"))
        return redirect("orgs:unit_detail", pk=parent.pk)
    initial = {"level": parent.level, "kind": UnitKind.DEPARTMENT, "is_active": True, "sort_order": 0}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in UNIT_FIELDS}
        try:
            unit = unit_create(actor=current_user(request), parent=parent, **data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已新建单位“%(name)s”。") % {"name": unit.name})
            return redirect("orgs:unit_detail", pk=unit.pk)
    return render(
        request,
        "orgs/unit_form.html",
        {"form": form, "unit": parent, "breadcrumb": unit_breadcrumb(parent), "creating": True},
    )


@login_required
def unit_direct_targets(request: HttpRequest, pk: int) -> HttpResponse:
    unit = visible_unit_or_404(request, pk)
    if not can_manage_unit(current_user(request), unit):
        raise PermissionDenied(_("只有本辖区的系统管理员可以设置信息直报点"))
    if unit.kind == UnitKind.REGION:
        messages.error(request, _("行政区节点不报送信息，不能设为信息直报点。"))
        return redirect("orgs:unit_detail", pk=unit.pk)
    current = list(unit.direct_target_links.select_related("office"))
    initial = {"offices": [link.office_id for link in current], "note": current[0].note if current else ""}
    form = DirectTargetsForm(request.POST or None, initial=initial, candidates=direct_target_candidates(unit))
    if request.method == "POST" and form.is_valid():
        try:
            direct_targets_set(
                actor=current_user(request),
                unit=unit,
                offices=list(form.cleaned_data["offices"]),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存信息直报点设置。"))
            return redirect("orgs:unit_detail", pk=unit.pk)
    return render(
        request,
        "orgs/direct_targets_form.html",
        {
            "form": form,
            "unit": unit,
            "breadcrumb": unit_breadcrumb(unit)[:-1],
            "main": unit_report_targets(unit)["main"],
        },
    )
