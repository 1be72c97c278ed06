from __future__ import annotations

import json as jsonlib

import pytest
from django.test import Client

from xinbao.accounts.models import Role
from xinbao.accounts.services import token_issue
from xinbao.accounts.tests.factories import make_user


class ApiClient:
    """Talks to /api/v1 with a bearer token, as an outside program would."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers)

    def post(self, path: str, body=None, raw: str | None = None):
        data = raw if raw is not None else jsonlib.dumps(body if body is not None else {})
        return self.client.post(
            f"/api/v1{path}", data=data, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body=None, raw: str | None = None):
        data = raw if raw is not None else jsonlib.dumps(body if body is not None else {})
        return self.client.patch(
            f"/api/v1{path}", data=data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as():
    def _as(user) -> ApiClient:
        _, plain = token_issue(user=user, name="测试")
        return ApiClient(plain)

    return _as


@pytest.fixture
def actors(world):
    """alice: 安平县 system admin (may); bob: editor in her office (reads, may not write);
    charlie: 石桥县 system admin (must not see 安平县)."""

    class Actors:
        alice = make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="alice", full_name="艾丽")
        bob = make_user(world.county_party_office, Role.EDITOR, username="bob", full_name="鲍勃")
        charlie = make_user(world.other_party_office, Role.SYSTEM_ADMIN, username="charlie", full_name="查理")

    return Actors


def assert_error(response, status: int, code: str, *fragments: str) -> dict:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert body["code"] == code, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body  # a Chinese message
    for fragment in fragments:
        assert fragment in body["message"], body
    return body
