import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_speaks_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body and "用户名" in body and "密码" in body


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
