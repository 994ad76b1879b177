"""Pages speak Indonesian unless the switch chose English; the API follows Accept-Language."""

import pytest

from jangkau.core.middleware import api_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "id"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR,en;q=0.5", "en"),
        ("fr-FR", "id"),
        ("id-ID,en;q=0.8", "id"),
        ("en;q=0.2,id;q=0.9", "id"),
    ],
)
def test_the_api_takes_the_first_supported_language_of_accept_language(header, language):
    assert api_language(header) == language


@pytest.mark.django_db
def test_pages_ignore_accept_language(client):
    response = client.get("/privasi/", headers={"Accept-Language": "en"})

    assert response.headers["Content-Language"] == "id"
