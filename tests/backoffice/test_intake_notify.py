"""The officers' intake form asks, like the web form, how the requester wants news of the request and in
which language; the case stores both answers."""

import re

import pytest

from jangkau.cases.models import Case
from tests.backoffice.test_intake_page import URL, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def ult_client(client, world):
    client.force_login(world.ult)
    return client


def test_the_form_asks_both_questions_with_indonesian_chosen_first(ult_client):
    html = ult_client.get(URL).content.decode()

    assert re.search(r"<legend[^>]*>Bagaimana pemohon ingin dikabari tentang permohonan ini\?</legend>", html)
    assert re.findall(r'name="notify_channel" value="([a-z]+)"', html) == ["whatsapp", "sms", "email", "none"]
    assert "Tidak perlu dikabari; petugas akan menelepon" in html
    assert not re.search(r'name="notify_channel"[^>]*checked', html)
    assert re.search(r"<legend[^>]*>Dalam bahasa apa pemohon ingin menerima pesan\?</legend>", html)
    assert re.search(r'name="language" value="id"[^>]*checked', html)
    # In the order of the intake's fields: after the contact details, before the address.
    assert html.index('name="email"') < html.index('name="notify_channel"') < html.index('name="address"')


@pytest.mark.parametrize(
    ("overrides", "stored"),
    [
        ({"notify_channel": "sms", "language": "en"}, ("sms", "en")),
        ({"notify_channel": "email", "email": "siti@contoh.id", "language": "id"}, ("email", "id")),
        ({"notify_channel": "none"}, ("none", "id")),
    ],
)
def test_the_answers_are_stored_on_the_case(ult_client, world, overrides, stored):
    response = ult_client.post(URL, form_data(world, **overrides))

    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.notify_channel, case.language) == stored


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"notify_channel": None}, "Pilih cara pemohon ingin dikabari."),
        ({"notify_channel": "email"}, "Untuk dikabari lewat surel, isi alamat surel"),
        ({"notify_channel": "sms", "phone": "", "email": "siti@contoh.id"}, "Untuk dikabari lewat SMS"),
        ({"notify_channel": "pager"}, "Pilihan tidak dikenal"),
    ],
)
def test_a_missing_or_unusable_channel_is_refused_beside_its_question(ult_client, world, overrides, message):
    response = ult_client.post(URL, form_data(world, **overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_notify_channel_0"' in html
    error = re.search(r'id="id_notify_channel-error">(.*?)</p>', html, re.S).group(1)
    assert message in error
    assert Case.objects.count() == 0


def test_a_missing_channel_is_listed_with_every_other_problem(ult_client, world):
    """The officer sees all problems at once, not the channel first and the rest on the next try."""
    html = ult_client.post(URL, form_data(world, notify_channel=None, need="")).content.decode()

    assert 'id="id_notify_channel-error"' in html and 'id="id_need-error"' in html


def test_an_unknown_language_is_refused(ult_client, world):
    html = ult_client.post(URL, form_data(world, language="jv")).content.decode()

    assert "Pilihan tidak dikenal. Pilihan yang ada: id, en." in html
    assert Case.objects.count() == 0
