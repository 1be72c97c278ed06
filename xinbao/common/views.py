from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xinbao.common.todos import todos_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "common/home.html", {"todos": todos_for(request.user)})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {}, status=404)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer or a monitor: answers without touching the database, so it also serves as
    the trivial-view baseline of the benchmarks (bench/bench_inbox.py)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
