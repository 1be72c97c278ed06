"""The rule-set editor: the office's current rules as JSON with its version history; saving adds a version."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.common.errors import DomainError, NotFound
from xinbao.scoring.forms import RuleSetForm
from xinbao.scoring.rules import default_rules
from xinbao.scoring.selectors import can_edit_rules, ruleset_current, ruleset_versions
from xinbao.scoring.services import ruleset_save
from xinbao.scoring.views.common import current_user, office_or_404


@login_required
def rules(request: HttpRequest, office_pk: int) -> HttpResponse:
    user = current_user(request)
    office = office_or_404(request, office_pk)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
        versions = ruleset_versions(user=user, office=office, year=year)
    except ValueError as exc:
        raise Http404 from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    current = ruleset_current(office=office, year=year)
    editable = can_edit_rules(user, office)
    if request.method == "POST":
        if not editable:
            raise Http404
        form = RuleSetForm(request.POST)
        if form.is_valid():
            try:
                saved = ruleset_save(
                    actor=user,
                    office=office,
                    year=year,
                    rules=form.cleaned_data["rules"],
                    name=form.cleaned_data["name"],
                    note=form.cleaned_data["note"],
                    base_version=form.cleaned_data["base_version"],
                )
            except DomainError as exc:
                form.add_error("rules" if exc.field != "base_version" else None, exc.message)
            else:
                messages.success(request, _("已保存为第%(v)d版，重新计算账本后生效。") % {"v": saved.version})
                return redirect(f"{reverse('scoring:rules', args=[office.pk])}?year={year}")
    else:
        document = current.rules if current else default_rules()
        form = RuleSetForm(
            initial={
                "name": current.name if current else "",
                "rules": json.dumps(document, ensure_ascii=False, indent=2),
                "base_version": current.version if current else 0,
            }
        )
    return render(
        request,
        "scoring/rules.html",
        {
            "office": office,
            "year": year,
            "current": current,
            "versions": versions,
            "form": form,
            "editable": editable,
        },
    )
