"""Fixtures and builders shared by the reporting API tests (test_api.py, test_api_review.py)."""

from __future__ import annotations

import pytest

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.reports.models import Report, Submission
from xinbao.reports.services import report_signoff, report_submit
from xinbao.reports.tests.factories import BODY, make_report


@pytest.fixture
def api():
    clients: dict[int, ApiClient] = {}

    def _as(user) -> ApiClient:
        if user.pk not in clients:
            clients[user.pk] = ApiClient(token_issue(user=user, name="测试")[1])
        return clients[user.pk]

    return _as


def sent(cast, **kwargs) -> Report:
    """An item of 城关镇 signed off and sent to both county offices."""
    report = make_report(cast.informant, **kwargs)
    report_submit(actor=cast.informant, report=report)
    report_signoff(actor=cast.signer, report=report, approve=True)
    report.refresh_from_db()
    return report


def pending(cast, **kwargs) -> Report:
    report = make_report(cast.informant, **kwargs)
    return report_submit(actor=cast.informant, report=report)


def refused(cast) -> Report:
    report = pending(cast)
    report_signoff(actor=cast.signer, report=report, approve=False, reason="数据需核实")
    report.refresh_from_db()
    return report


def county_sub(world, report) -> Submission:
    return report.submissions.get(office=world.county_party_office)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content.decode()
    return {row["id"] for row in response.json()["results"]}


NEW = {"title": "白沙镇推进秸秆综合利用", "body": BODY, "report_type": "dynamic"}
