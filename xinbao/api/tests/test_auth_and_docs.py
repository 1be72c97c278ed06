"""Token authentication, rate limits, the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

from xinbao.accounts.models import ApiToken
from xinbao.accounts.services import token_issue, token_revoke
from xinbao.api.tests.conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def test_no_token_is_401(actors):
    assert_error(ApiClient(None).get("/units"), 401, "unauthorized", "接口令牌")


def test_wrong_token_is_401(actors):
    assert_error(ApiClient("xb_not-a-real-token").get("/units"), 401, "unauthorized")


def test_other_scheme_is_401(actors):
    response = Client().get("/api/v1/units", headers={"Authorization": "Basic YWxpY2U6eA=="})
    assert_error(response, 401, "unauthorized")


def test_revoked_token_is_401(actors):
    token, plain = token_issue(user=actors.alice)
    client = ApiClient(plain)
    assert client.get("/units").status_code == 200
    token_revoke(actor=actors.alice, token=token)
    assert_error(client.get("/units"), 401, "unauthorized")


def test_token_of_deactivated_account_is_401(actors):
    _, plain = token_issue(user=actors.bob)
    actors.bob.is_active = False
    actors.bob.save(update_fields=["is_active"])
    assert_error(ApiClient(plain).get("/units"), 401, "unauthorized")


def test_token_use_is_recorded(actors):
    token, plain = token_issue(user=actors.alice)
    assert token.last_used_at is None
    ApiClient(plain).get("/units")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_rate_limit_per_token_holder(actors, settings):
    settings.API_RATE_LIMIT = "3/m"
    _, alice_token = token_issue(user=actors.alice)
    alice = ApiClient(alice_token)
    for _ in range(3):
        assert alice.get("/units").status_code == 200
    response = alice.get("/units")
    assert_error(response, 429, "rate_limited", "请求过于频繁")
    assert int(response["Retry-After"]) > 0
    # Another person is not slowed down by alice's traffic.
    _, bob_token = token_issue(user=actors.bob)
    assert ApiClient(bob_token).get("/units").status_code == 200


def test_failed_authentications_are_throttled(actors, settings):
    settings.API_RATE_LIMIT = "3/m"
    guesser = ApiClient("xb_guess")
    for _ in range(3):
        assert guesser.get("/units").status_code == 401
    assert_error(guesser.get("/units"), 429, "rate_limited")


def test_openapi_document_loads_and_lists_the_endpoints():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    paths = spec["paths"]
    expected = {
        "/api/v1/units": {"get", "post"},
        "/api/v1/units/{unit_id}": {"get", "patch"},
        "/api/v1/units/{unit_id}/report-targets": {"get"},
        "/api/v1/people": {"get", "post"},
        "/api/v1/people/{person_id}": {"get", "patch"},
        "/api/v1/informants": {"get", "post"},
        "/api/v1/informants/{record_id}": {"get"},
        "/api/v1/informants/{record_id}/end": {"post"},
        "/api/v1/informants/{record_id}/change-kind": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert "ErrorOut" in spec["components"]["schemas"]


def test_token_digest_only_is_stored(actors):
    token, plain = token_issue(user=actors.alice)
    row = ApiToken.objects.get(pk=token.pk)
    assert plain not in (row.digest, row.prefix)
    assert row.digest == ApiToken.digest_of(plain)


def test_swagger_docs_page_uses_local_assets():
    """Under the strict CSP a CDN copy of Swagger UI would be blocked; the page must load from our own origin."""
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()


def test_unknown_endpoint_answers_in_json():
    response = Client().get("/api/v1/no-such-thing/1")
    assert_error(response, 404, "not_found", "接口不存在")
    assert response["Content-Type"].startswith("application/json")


def test_wrong_method_on_a_known_path(actors):
    from xinbao.accounts.services import token_issue as issue

    _, plain = issue(user=actors.alice)
    response = Client().delete("/api/v1/units", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 405
