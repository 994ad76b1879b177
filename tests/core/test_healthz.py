import pytest


@pytest.mark.django_db
def test_healthz_reports_the_database_state(client):
    """GET /healthz answers 200 with the database's state when the database answers."""
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
