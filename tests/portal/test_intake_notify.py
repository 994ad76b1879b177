"""The web intake's contact page asks how the requester wants news of the request and in which language;
the check page shows both answers, the case stores them and the confirmation says where news will come."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from jangkau.cases.models import Case
from jangkau.portal.intake import draft as drafts
from tests.portal.test_intake_pages import ANSWERS, BASE, CHECK, answer, fill, page_errors, send, session_answers, start

CONTACT = BASE + "kontak/"


@pytest.fixture
def office(world):
    return world.office


def contact(**overrides) -> dict:
    return {key: value for key, value in {**ANSWERS["kontak"], **overrides}.items() if value is not None}


def answered(client) -> list[str]:
    return client.session[drafts.DRAFTS_KEY]["bpmp-dki"]["answered"]


def checked(html: str, name: str) -> list[str]:
    """Returns the values of the checked radios named ``name``."""
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in re.findall(r"<input[^>]*>", html)
        if f'name="{name}"' in tag and "checked" in tag
    ]


def test_the_contact_page_asks_both_questions_as_radio_groups(client, office):
    """Each question is a fieldset whose legend is the question; the channel's hint says what a message is."""
    start(client)

    html = client.get(CONTACT).content.decode()

    assert re.search(r"<legend[^>]*>Bagaimana kami mengabari Anda tentang permohonan ini\?</legend>", html)
    assert "Pesan kami berupa teks singkat, tidak pernah gambar." in html
    assert 'aria-describedby="id_notify_channel-hint"' in html
    for label in ("WhatsApp", "SMS", "Surel", "Tidak perlu dikabari; petugas akan menelepon"):
        assert f">{label}</label>" in html
    assert re.search(r"<legend[^>]*>Dalam bahasa apa Anda ingin menerima pesan\?</legend>", html)
    assert ">Bahasa Indonesia</label>" in html and ">English</label>" in html
    assert checked(html, "notify_channel") == []


@pytest.mark.parametrize(("cookie", "language"), [(None, "id"), ("en", "en")])
def test_the_language_starts_at_the_pages_language(client, office, cookie, language):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    start(client)

    assert checked(client.get(CONTACT).content.decode(), "language") == [language]


def test_a_missing_channel_is_asked_for_and_nothing_is_kept(client, office):
    start(client)

    html = page_errors(answer(client, "kontak", contact(notify_channel=None)))

    assert re.search(r"<title>Galat: ", html)
    assert '<li><a href="#id_notify_channel_0">Pilih cara kami mengabari Anda.</a></li>' in html
    assert 'id="id_notify_channel-error"' in html
    assert "kontak" not in answered(client)
    assert session_answers(client) == {}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"phone": "", "email": "siti@contoh.id", "notify_channel": "whatsapp"}, "lewat WhatsApp, isi nomor telepon"),
        ({"phone": "", "email": "siti@contoh.id", "notify_channel": "sms"}, "lewat SMS, isi nomor telepon"),
        ({"notify_channel": "email"}, "lewat surel, isi alamat surel"),
    ],
)
def test_a_channel_without_the_address_it_needs_is_refused(client, office, answers, message):
    start(client)

    html = page_errors(answer(client, "kontak", contact(**answers)))

    assert re.search(rf'<li><a href="#id_notify_channel_0">[^<]*{message}', html)
    assert 'id="id_notify_channel-error"' in html
    assert "kontak" not in answered(client)


def test_an_unknown_channel_or_language_is_refused(client, office):
    start(client)

    html = page_errors(answer(client, "kontak", contact(notify_channel="telegram", language="fr")))

    assert 'href="#id_notify_channel_0"' in html and 'href="#id_language_0"' in html


def test_the_check_page_shows_both_answers_with_a_change_link(client, office):
    fill(client, kontak=contact(notify_channel="sms", language="en"))

    html = client.get(CHECK).content.decode()

    change = f'href="{CONTACT}?kembali=periksa">Ubah<span class="visually-hidden"> '
    assert re.search(r"<dt>Cara kami mengabari</dt>\s*<dd>SMS</dd>", html)
    assert re.search(r"<dt>Bahasa pesan</dt>\s*<dd>English</dd>", html)
    assert change + "cara kami mengabari</span>" in html
    assert change + "bahasa pesan</span>" in html


def test_the_answers_reach_the_case_and_the_confirmation_says_where_news_comes(client, office):
    """The address is masked on the confirmation: the screen may be seen by others."""
    fill(client, kontak=contact(email="siti.aminah@contoh.id", notify_channel="email", language="en"))

    done = client.get(send(client).headers["Location"]).content.decode()

    case = Case.objects.get()
    assert (case.notify_channel, case.language, case.email) == ("email", "en", "siti.aminah@contoh.id")
    assert "lewat surel ke s**********@contoh.id." in done
    assert "siti.aminah@" not in done
    assert "Bahasa pesan: English." in done


def test_the_confirmation_masks_the_whatsapp_number(client, office):
    fill(client)

    done = client.get(send(client).headers["Location"]).content.decode()

    assert Case.objects.get().notify_channel == "whatsapp"
    assert "lewat WhatsApp ke nomor +62812****7890." in done
    assert "+6281234567890" not in done


def test_without_messages_the_confirmation_names_no_channel(client, office):
    fill(client, kontak=contact(notify_channel="none"))

    done = client.get(send(client).headers["Location"]).content.decode()

    assert Case.objects.get().notify_channel == "none"
    assert "Kami mengabari perkembangan" not in done and "Bahasa pesan" not in done
