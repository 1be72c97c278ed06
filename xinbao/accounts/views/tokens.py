"""The logged-in person's own API tokens (接口令牌): issue (the plain token is shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.accounts.forms import TokenIssueForm, posted
from xinbao.accounts.selectors import token_get_own, token_list_for
from xinbao.accounts.services import token_issue, token_revoke
from xinbao.common.errors import DomainError, NotFound


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenIssueForm(posted(request))
    plain = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, plain = token_issue(user=request.user, name=form.cleaned_data["name"], actor=request.user)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            # The plain token lives only in this response (not in a message cookie or the session); a reload
            # does not show it again.
            form = TokenIssueForm()
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": token_list_for(user=request.user), "plain": plain},
    )
    if plain:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = token_get_own(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect("accounts:tokens")
