from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_healthz_answers_ok_as_plain_text_without_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert len(queries) == 0


def test_healthz_refuses_writes(client, db):
    assert client.post(reverse("healthz")).status_code == 405
