"""The citizen home page, through Django's test client."""

import pytest
from django.urls import reverse


@pytest.fixture
def home(client, db):
    return client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="id")


def test_home_page_explains_the_service_in_indonesian(home):
    """GET / answers 200 with lang="id", one h1, and what the service is, for whom and how it works."""
    html = home.content.decode()

    assert home.status_code == 200
    assert '<html lang="id">' in html
    assert html.count("<h1") == 1
    for words in ("jemput bola", "gratis", "kursi roda", "lanjut usia", "panggilan video", "Cara kerjanya"):
        assert words in html


def test_home_page_has_the_accessible_skeleton(home):
    """Viewport, skip link to <main id="konten" tabindex="-1">, landmarks and a no-JS language form."""
    html = home.content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.index('class="skip-link" href="#konten"') < html.index("<header")
    assert '<main id="konten" class="main" tabindex="-1">' in html
    assert '<nav class="site-nav" aria-label="Menu utama">' in html
    assert "<footer" in html
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="language" value="en"' in html


def test_english_is_chosen_through_the_language_form(client, db):
    """POSTing language=en to set_language makes the next page say lang="en"."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client):
    """Accept-Language is not a choice; the language switch is."""
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in first.content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    chosen = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert '<html lang="en">' in chosen.content.decode()
