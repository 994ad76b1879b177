import pytest
from django.test import Client, RequestFactory
from django.views.defaults import bad_request, permission_denied, server_error


@pytest.mark.django_db
def test_missing_pages_answer_404_with_an_accessible_page(client):
    response = client.get("/tidak-ada-halaman-ini/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="id">' in page and "Halaman tidak ditemukan" in page and 'id="konten"' in page


@pytest.mark.parametrize(
    ("view", "text"),
    [
        (server_error, "Maaf, ada masalah pada layanan"),
        (lambda r: permission_denied(r, exception=None), "tidak berhak"),
        (lambda r: bad_request(r, exception=None), "tidak dapat diproses"),
    ],
)
def test_error_views_use_the_site_templates(view, text):
    response = view(RequestFactory().get("/"))

    assert text in response.content.decode()
    assert 'id="konten"' in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_explains_itself():
    response = Client(enforce_csrf_checks=True).post("/staf/masuk/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in response.content.decode()
