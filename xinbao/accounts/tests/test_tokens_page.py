"""The own API tokens page: issue (shown once), list, revoke; nobody touches another person's tokens."""

from __future__ import annotations

from django.urls import reverse

from xinbao.accounts.models import ApiToken
from xinbao.accounts.services import token_issue
from xinbao.audit.models import AuditEvent, EventType


def test_issue_shows_the_token_once_and_lists_it(signed_in, cast):
    client = signed_in(cast.person)
    response = client.post(reverse("accounts:tokens"), {"name": "办公系统对接"})
    assert response.status_code == 200
    plain = response.context["plain"]
    assert plain.startswith("xb_") and plain in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=cast.person)
    assert token.digest == ApiToken.digest_of(plain) and token.name == "办公系统对接"
    assert plain not in "".join(ApiToken.objects.values_list("digest", "prefix", "name").first())

    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert plain not in listing
    for text in (token.prefix, "办公系统对接", "从未使用", "有效"):
        assert text in listing
    assert AuditEvent.objects.filter(event_type=EventType.TOKEN_ISSUE, actor=cast.person).exists()


def test_issue_without_a_name_and_refuses_a_long_one(signed_in, cast):
    client = signed_in(cast.person)
    assert client.post(reverse("accounts:tokens"), {}).context["plain"]
    long = client.post(reverse("accounts:tokens"), {"name": "长" * 61})
    assert not long.context["plain"]
    assert "60" in long.context["form"].errors["name"][0]
    assert ApiToken.objects.filter(user=cast.person).count() == 1


def test_revoke_own_token(signed_in, cast):
    token, plain = token_issue(user=cast.person, name="旧接口")
    client = signed_in(cast.person)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert f"令牌 {token.prefix}… 已吊销。" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已于" in response.content.decode()
    # A revoked token no longer opens the API.
    api = client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert api.status_code == 401
    assert AuditEvent.objects.filter(event_type=EventType.TOKEN_REVOKE, actor=cast.person).exists()


def test_tokens_of_others_are_neither_listed_nor_revocable(signed_in, cast):
    alices, _plain = token_issue(user=cast.alice, name="alice 的令牌")
    url = reverse("accounts:token_revoke", args=[alices.pk])
    for other in (cast.bob, cast.charlie, cast.person):
        client = signed_in(other)
        assert "alice 的令牌" not in client.get(reverse("accounts:tokens")).content.decode()
        assert client.post(url).status_code == 404
    # Revoking is a POST only.
    assert signed_in(cast.alice).get(url).status_code == 405
    alices.refresh_from_db()
    assert alices.revoked_at is None


def test_tokens_page_needs_login(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
