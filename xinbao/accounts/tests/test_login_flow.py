"""The login flow through the real pages (PRODUCT 4, 等保 controls): lockout, idle timeout, login audit, Chinese
pages, forced and expired passwords, and the path login → second factor / new password → home."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.conftest import T0
from xinbao.accounts.tests.factories import PASSWORD, make_user
from xinbao.accounts.views.auth import LOCKOUT_MESSAGE
from xinbao.audit.models import AuditEvent, EventType

LOGIN = "/accounts/login/"
NEW_PASSWORD = "Qiyue#2026x"


def post_login(client: Client, username: str, password: str, **extra):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def logged_in_as(client: Client) -> int | None:
    raw = client.session.get("_auth_user_id")
    return int(raw) if raw else None


@pytest.fixture
def informant(world):
    return make_user(world.township, Role.INFORMANT, username="zhangsan", full_name="张三")


# --- Lockout (django-axes): 5 failures lock the account for 30 minutes -----------------------------------------------


def test_five_failures_lock_the_account_for_thirty_minutes(client, informant):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(4):
            response = post_login(client, "zhangsan", "wrong-Password1")
            assert response.status_code == 200
            assert "用户名或密码错误" in response.content.decode()
        fifth = post_login(client, "zhangsan", "wrong-Password1")
        assert fifth.status_code == 403
        assert LOCKOUT_MESSAGE in fifth.content.decode()

        # The sixth attempt has the right password and is still refused.
        sixth = post_login(client, "zhangsan", PASSWORD)
        assert sixth.status_code == 403
        assert "账号已锁定30分钟" in sixth.content.decode()
        assert logged_in_as(client) is None

        clock.shift(timedelta(minutes=29))
        assert post_login(client, "zhangsan", PASSWORD).status_code == 403
        assert logged_in_as(client) is None

        clock.shift(timedelta(minutes=31))
        response = post_login(client, "zhangsan", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        assert logged_in_as(client) == informant.pk

    assert AuditEvent.objects.filter(event_type=EventType.LOCKOUT, actor_username="zhangsan").exists()
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN, actor=informant).count() == 1


def test_lockout_is_per_account_and_a_success_resets_the_count(client, informant, world):
    other = make_user(world.township, Role.INFORMANT, username="lisi")
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            post_login(client, "zhangsan", "wrong-Password1")
        # Someone else at the same address is not locked out by zhangsan's failures.
        assert post_login(Client(), "lisi", PASSWORD).status_code == 302
        # A success clears the count: four more failures do not lock zhangsan.
        assert post_login(Client(), "zhangsan", PASSWORD).status_code == 302
        for _ in range(4):
            assert post_login(client, "zhangsan", "wrong-Password1").status_code == 200
        assert post_login(Client(), "zhangsan", PASSWORD).status_code == 302
    assert other.pk


def test_deactivated_account_cannot_log_in(client, informant):
    User.objects.filter(pk=informant.pk).update(is_active=False)
    response = post_login(client, "zhangsan", PASSWORD)
    assert response.status_code == 200
    assert "账号已停用" in response.content.decode()
    assert logged_in_as(client) is None


# --- Login audit -------------------------------------------------------------------------------------------------------


def test_login_success_and_failure_are_audited_with_source_ip(informant):
    client = Client(REMOTE_ADDR="10.8.7.6")
    post_login(client, "zhangsan", "wrong-Password1")
    post_login(client, "nosuchuser", "wrong-Password1")
    post_login(client, "zhangsan", PASSWORD)

    failed = AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).order_by("id")
    assert [(e.actor_username, e.success, e.source_ip) for e in failed] == [
        ("zhangsan", False, "10.8.7.6"),
        ("nosuchuser", False, "10.8.7.6"),
    ]
    assert failed[0].actor_id == informant.pk
    assert failed[0].unit_name == informant.unit.name
    ok = AuditEvent.objects.get(event_type=EventType.LOGIN)
    assert (ok.actor_id, ok.success, ok.source_ip) == (informant.pk, True, "10.8.7.6")


def test_logout_is_audited_and_ends_the_session(client, informant):
    post_login(client, "zhangsan", PASSWORD)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert logged_in_as(client) is None
    assert AuditEvent.objects.filter(event_type=EventType.LOGOUT, actor=informant).exists()
    assert "您已安全退出" in client.get(response["Location"]).content.decode()


# --- Idle timeout --------------------------------------------------------------------------------------------------


def test_idle_for_31_minutes_logs_out_with_a_chinese_message(client, informant):
    with time_machine.travel(T0, tick=False) as clock:
        post_login(client, "zhangsan", PASSWORD)
        assert client.get(reverse("home")).status_code == 200

        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert logged_in_as(client) is None
        page = client.get(response["Location"]).content.decode()
        assert "您已超过30分钟未操作，系统已自动退出，请重新登录。" in page

    idle = AuditEvent.objects.get(event_type=EventType.IDLE_LOGOUT)
    assert idle.actor_id == informant.pk and idle.detail["idle_minutes"] == 31


def test_activity_within_29_minutes_keeps_the_session(client, informant):
    with time_machine.travel(T0, tick=False) as clock:
        post_login(client, "zhangsan", PASSWORD)
        for _ in range(3):
            clock.shift(timedelta(minutes=29))
            assert client.get(reverse("home")).status_code == 200
        assert logged_in_as(client) == informant.pk
    assert not AuditEvent.objects.filter(event_type=EventType.IDLE_LOGOUT).exists()


def test_last_activity_is_written_at_most_once_a_minute(client, informant):
    from xinbao.accounts.middleware import SESSION_KEY

    with time_machine.travel(T0, tick=False) as clock:
        post_login(client, "zhangsan", PASSWORD)
        first = client.session[SESSION_KEY]
        clock.shift(timedelta(seconds=30))
        client.get(reverse("home"))
        assert client.session[SESSION_KEY] == first
        clock.shift(timedelta(seconds=31))
        client.get(reverse("home"))
        assert client.session[SESSION_KEY] == first + 61


@override_settings(IDLE_TIMEOUT_MINUTES=10)
def test_idle_timeout_is_configurable(client, informant):
    with time_machine.travel(T0, tick=False) as clock:
        post_login(client, "zhangsan", PASSWORD)
        clock.shift(timedelta(minutes=9))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=11))
        response = client.get(reverse("home"), follow=True)
        assert logged_in_as(client) is None
        assert "您已超过10分钟未操作" in response.content.decode()


def test_background_polling_does_not_count_as_activity(client, informant):
    with time_machine.travel(T0, tick=False) as clock:
        post_login(client, "zhangsan", PASSWORD)
        for _ in range(2):
            clock.shift(timedelta(minutes=20))
            client.get(reverse("home"), HTTP_X_XINBAO_BACKGROUND="1")
        # 40 minutes since the person last did anything, although the page kept polling.
        assert logged_in_as(client) is None


def test_idle_logout_of_an_htmx_request_redirects_the_whole_page(client, informant):
    with time_machine.travel(T0, tick=False) as clock:
        post_login(client, "zhangsan", PASSWORD)
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
        assert response.status_code == 204
        assert response["HX-Redirect"] == reverse("accounts:login")


# --- Pages in Chinese ------------------------------------------------------------------------------------------------


def test_login_pages_are_in_chinese(client, world):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="zh-hans">' in page
    for text in ("登录", "用户名", "密码", "忘记密码请联系本单位管理员"):
        assert text in page
    assert "Username" not in page and "Password" not in page

    admin = make_user(
        world.county_party_office, Role.AUDIT_ADMIN, username="shenji", must_change_password=True
    )
    post_login(client, "shenji", PASSWORD)
    setup = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "绑定双因素认证" in setup and "动态验证码" in setup and "三员管理要求" in setup
    bad = client.post(reverse("accounts:otp_setup"), {"token": "12ab"}).content.decode()
    assert "请输入6位数字验证码" in bad
    assert admin.pk == logged_in_as(client)


def test_password_change_page_is_in_chinese(client, world):
    make_user(world.township, Role.INFORMANT, username="wangwu", must_change_password=True)
    post_login(client, "wangwu", PASSWORD)
    page = client.get(reverse("accounts:password_change")).content.decode()
    for text in ("修改密码", "原密码", "新密码", "确认新密码", "首次登录或密码被重置，请先设置新密码。"):
        assert text in page


def test_login_refuses_an_offsite_next(client, informant):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "zhangsan", "password": PASSWORD},
    )
    assert response["Location"] == reverse("home")


def test_login_follows_a_local_next(client, informant):
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/tokens/", {"username": "zhangsan", "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/tokens/"


# --- Forced change at first login and expiry after 90 days --------------------------------------------------------


def test_first_login_forces_a_password_change_until_done(client, world):
    person = make_user(world.township, Role.INFORMANT, username="xinren", must_change_password=True)
    response = post_login(client, "xinren", PASSWORD)
    assert response["Location"].startswith(reverse("accounts:password_change"))

    # Every other page sends the person back to the change page.
    for url in (reverse("home"), reverse("accounts:people"), reverse("accounts:tokens")):
        blocked = client.get(url)
        assert blocked.status_code == 302
        assert blocked["Location"].startswith(reverse("accounts:password_change"))

    done = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    person.refresh_from_db()
    assert not person.must_change_password
    assert person.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        event_type=EventType.PASSWORD_CHANGE, actor=person, success=True
    ).exists()


def test_password_older_than_90_days_must_be_changed(client, informant):
    with time_machine.travel(T0 + timedelta(days=89), tick=False):
        assert post_login(Client(), "zhangsan", PASSWORD)["Location"] == reverse("home")
    with time_machine.travel(T0 + timedelta(days=91), tick=False):
        User.objects.filter(pk=informant.pk).update(password_changed_at=T0)
        response = post_login(client, "zhangsan", PASSWORD)
        assert response["Location"].startswith(reverse("accounts:password_change"))
        page = client.get(reverse("accounts:password_change")).content.decode()
        assert "您的密码已超过90天未修改，请设置新密码。" in page
        assert client.get(reverse("home")).status_code == 302
        client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert client.get(reverse("home")).status_code == 200


def test_wrong_old_password_is_refused_and_audited(client, world):
    person = make_user(world.township, Role.INFORMANT, username="cuowu", must_change_password=True)
    post_login(client, "cuowu", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Not-the-one1", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "原密码不正确" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD) and person.must_change_password
    assert AuditEvent.objects.filter(
        event_type=EventType.PASSWORD_CHANGE, actor=person, success=False
    ).exists()


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab1#xyz", "密码太短，至少需要8个字符"),  # 7 characters
        ("abcdefgh12", "至少3类"),  # two classes: lower case and digits
        ("Password1", "这个密码太常见"),  # three classes but on the common-password list
        ("Zhangsan2026", "密码与用户名太相似"),  # too close to the user name
    ],
)
def test_password_policy_is_enforced_on_the_change_page(client, world, new_password, message):
    person = make_user(world.township, Role.INFORMANT, username="zhangsan2026", must_change_password=True)
    post_login(client, "zhangsan2026", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD) and person.must_change_password


def test_password_confirmation_must_match(client, world):
    make_user(world.township, Role.INFORMANT, username="liuliu", must_change_password=True)
    post_login(client, "liuliu", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert "两次输入的新密码不一致" in response.content.decode()
