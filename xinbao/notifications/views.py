"""The inbox (消息通知): the person's notices, newest first, unread in bold; open, mark read, mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinbao.common.errors import NotFound
from xinbao.notifications.selectors import (
    SHOW_ALL,
    SHOW_UNREAD,
    notification_list_for,
    notification_safe_url,
    notification_unread_count,
)
from xinbao.notifications.services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 20


def _show(value: str | None) -> str:
    return SHOW_UNREAD if value == SHOW_UNREAD else SHOW_ALL


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the inbox as the person was looking at it (filter and page), never anywhere else."""
    show = _show(request.POST.get("show"))
    url = reverse("notifications:inbox")
    params = []
    if show == SHOW_UNREAD:
        params.append(f"show={SHOW_UNREAD}")
    page = request.POST.get("page", "")
    if page.isdigit() and page != "1":
        params.append(f"page={page}")
    return redirect(url + ("?" + "&".join(params) if params else ""))


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    show = _show(request.GET.get("show"))
    paginator = Paginator(notification_list_for(user=request.user, show=show), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "show": show,
            "unread": notification_unread_count(user=request.user),
            "query": f"show={SHOW_UNREAD}&" if show == SHOW_UNREAD else "",
        },
    )


@login_required
@require_GET
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notice is reading it: mark it read and go where it points (only within this site)."""
    try:
        notice = notification_mark_read(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    target = notification_safe_url(notice.url)
    if target is None:
        if notice.url:
            messages.warning(request, _("该通知的链接不是本系统内的地址，已忽略。"))
        return redirect("notifications:inbox")
    return redirect(target)


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification_mark_read(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _back(request)


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    n = notification_mark_all_read(actor=request.user)
    if n:
        messages.success(request, _("已将%(n)d条通知标为已读。") % {"n": n})
    else:
        messages.info(request, _("没有未读通知。"))
    return _back(request)
