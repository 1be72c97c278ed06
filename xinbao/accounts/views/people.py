"""People pages (人员管理): list, detail, create, edit, (de)activate, password reset, roles, second-factor reset.

Reads go through accounts.selectors (visibility: a person outside the viewer's scope is a 404), writes through
accounts.services (permission, validation and audit). A visible person the viewer may not manage is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.forms import (
    PasswordResetForm,
    PersonActiveForm,
    PersonCreateForm,
    PersonFilterForm,
    PersonForm,
    RoleChangeForm,
    posted,
)
from xinbao.accounts.models import Role, User
from xinbao.accounts.passwords import temporary_password
from xinbao.accounts.selectors import (
    can_create_person,
    can_manage_account,
    can_reset_otp,
    can_see_role_page,
    person_get_visible,
    person_informant_records,
    person_list_visible_to,
    role_options_for,
    units_for_person_management,
)
from xinbao.accounts.services import (
    otp_reset,
    password_reset_by_admin,
    role_grant,
    role_revoke,
    user_create,
    user_set_active,
    user_update,
)
from xinbao.common.errors import DomainError, NotFound
from xinbao.orgs.models import Unit
from xinbao.orgs.selectors import has_region_wide_view, unit_list_visible_to

PAGE_SIZE = 50


def _person_or_404(request: HttpRequest, pk: int) -> User:
    try:
        return person_get_visible(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _managed_person(request: HttpRequest, pk: int) -> User:
    person = _person_or_404(request, pk)
    if not can_manage_account(request.user, person):
        raise PermissionDenied(_("您无权管理该人员的账号"))
    return person


def _form_error(form, exc: DomainError) -> None:  # type: ignore[no-untyped-def]
    """A service refusal shown next to the field it names, or above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        # A malformed filter is dropped on its own; the valid ones still apply.
        form.is_valid()
        filters = form.cleaned_data
    people = person_list_visible_to(user=request.user, filters=filters)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Links from a unit's page narrow the list to that unit; show which one and how to widen it again.
    unit_filter = None
    if filters.get("unit"):
        unit_filter = unit_list_visible_to(user=request.user).filter(pk=filters["unit"]).first()
    without_unit = query.copy()
    without_unit.pop("unit", None)
    return render(
        request,
        "accounts/people_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "unit_filter": unit_filter,
            "without_unit": without_unit.urlencode(),
            "region_wide": has_region_wide_view(request.user),
            "can_create": can_create_person(request.user),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    manage = can_manage_account(request.user, person)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "records": person_informant_records(user=request.user, person=person),
            "otp_bound": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
            "is_self": person.pk == request.user.pk,
            "can_edit": manage,
            "can_set_active": manage and person.pk != request.user.pk,
            "can_reset_password": manage and person.pk != request.user.pk,
            "can_roles": can_see_role_page(actor=request.user, person=person),
            "can_reset_otp": can_reset_otp(request.user, person),
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not can_create_person(request.user):
        raise PermissionDenied(_("只有系统管理员或单位管理员可以新建人员"))
    units = units_for_person_management(user=request.user)
    initial = {}
    if unit_id := request.GET.get("unit"):
        # Arriving from a unit page: that unit must be one the actor manages, or the link is not for him.
        unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
        if unit is None:
            raise Http404(_("单位不存在或无权管理"))
        initial["unit"] = unit
    elif units.count() == 1:
        initial["unit"] = units.first()
    form = PersonCreateForm(posted(request), units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                unit=data["unit"],
                password=data["password"],
                phone=data["phone"],
                title=data["title"],
                email=data["email"],
                must_change_password=True,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("已新建人员“%(name)s”，本人首次登录时须修改初始密码。") % {"name": person.full_name},
            )
            # Most new accounts need a role next; go there when the actor may grant one.
            if can_see_role_page(actor=request.user, person=person):
                return redirect("accounts:person_roles", pk=person.pk)
            return redirect("accounts:person_detail", pk=person.pk)
    return render(request, "accounts/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    # The person's present unit stays selectable even if it has been deactivated since; moves are checked by
    # the service.
    manageable = units_for_person_management(user=request.user)
    units = Unit.objects.filter(Q(pk__in=manageable.values("pk")) | Q(pk=person.unit_id)).order_by("path")
    initial = {f: getattr(person, f) for f in ("full_name", "title", "phone", "email")}
    initial["unit"] = person.unit
    form = PersonForm(posted(request), units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("人员信息已保存。"))
            return redirect("accounts:person_detail", pk=person.pk)
    return render(request, "accounts/person_form.html", {"form": form, "person": person})


@login_required
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    if person.pk == request.user.pk:
        raise PermissionDenied(_("不能停用或启用自己的账号"))
    form = PersonActiveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user_set_active(
                actor=request.user,
                person=person,
                active=not person.is_active,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            if person.is_active:
                messages.success(request, _("已停用“%(name)s”的账号。") % {"name": person.full_name})
            else:
                messages.success(request, _("已启用“%(name)s”的账号。") % {"name": person.full_name})
            return redirect("accounts:person_detail", pk=person.pk)
    return render(request, "accounts/person_active.html", {"form": form, "person": person})


@login_required
def person_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    if person.pk == request.user.pk:
        raise PermissionDenied(_("不能重置自己的密码，请使用“修改密码”"))
    form = PasswordResetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["new_password"]
        temporary = chosen or temporary_password()
        try:
            password_reset_by_admin(actor=request.user, person=person, new_password=temporary)
        except DomainError as exc:
            if exc.field == "password":
                exc.field = "new_password"
            _form_error(form, exc)
        else:
            # Rendered once in this response, never put in a message cookie or the session.
            return render(
                request,
                "accounts/person_password_done.html",
                {"person": person, "temporary": None if chosen else temporary},
            )
    return render(request, "accounts/person_password.html", {"form": form, "person": person})


@login_required
def person_roles(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    if not can_see_role_page(actor=request.user, person=person):
        raise PermissionDenied(_("您无权为该人员授予或撤销角色"))
    if request.method == "POST":
        form = RoleChangeForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            role, action = form.cleaned_data["role"], form.cleaned_data["action"]
            label = Role(role).label
            try:
                if action == "grant":
                    role_grant(actor=request.user, target=person, role=role)
                    messages.success(request, _("已授予“%(role)s”角色。") % {"role": label})
                else:
                    role_revoke(actor=request.user, target=person, role=role)
                    messages.success(request, _("已撤销“%(role)s”角色。") % {"role": label})
            except DomainError as exc:
                messages.error(request, exc.message)
        return redirect("accounts:person_roles", pk=person.pk)
    return render(
        request,
        "accounts/person_roles.html",
        {"person": person, "options": role_options_for(actor=request.user, person=person)},
    )


@login_required
@require_POST
def person_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    if not can_reset_otp(request.user, person):
        raise PermissionDenied(_("只有本辖区的安全管理员可以重置双因素认证"))
    try:
        otp_reset(actor=request.user, person=person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已重置“%(name)s”的双因素认证，本人下次登录时重新绑定。") % {"name": person.full_name}
        )
    return redirect(reverse("accounts:person_detail", kwargs={"pk": person.pk}))
