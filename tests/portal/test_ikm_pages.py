"""The public IKM pages: the list of published periods and each published result, through Django's test
client. Only live publications of the office are shown, newest period first; English names the elements."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from jangkau.core import clock
from jangkau.surveys.instrument import active_instrument
from jangkau.surveys.publication import ikm_withdraw
from jangkau.surveys.services import survey_record_by_officer
from tests.surveys.test_publication import ROWS, add_responses, publish
from tests.surveys.test_reports import _answers, _delivered

pytestmark = pytest.mark.django_db


def list_url(office):
    return reverse("portal:ikm_list", kwargs={"office_code": office.code})


def detail_url(publication):
    return reverse(
        "portal:ikm_detail", kwargs={"office_code": publication.office.code, "publication_id": publication.pk}
    )


def get(client, url, language="id"):
    """Opens ``url`` in ``language`` as the page's language switch chooses it (its cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


def cells(html: str) -> list[str]:
    """Returns the text of every table cell, tags removed."""
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)]


@pytest.fixture
def december(world, frozen):
    """December 2024 published for every service: three respondents, IKM 82.41 (B)."""
    add_responses(world.office, ROWS, date(2024, 12, 10))
    return publish(world)


def test_the_list_shows_the_published_period(client, world, december):
    response = get(client, list_url(world.office))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<h1>Indeks Kepuasan Masyarakat (IKM)</h1>" in html
    row = cells(html)[5:10]
    assert row == ["1 Desember 2024 – 31 Desember 2024", "Semua layanan", "3", "82,41", "B (Baik)"]
    assert f'<a href="{detail_url(december)}">' in html
    assert 'role="region" aria-labelledby="ikm-daftar-judul" tabindex="0"' in html
    assert "<caption" in html


def test_the_list_puts_the_newest_period_first_and_names_the_service(client, world, frozen):
    add_responses(world.office, ROWS, date(2024, 10, 10))
    add_responses(world.office, [[4] * 9], date(2024, 12, 10))
    publish(world, start=date(2024, 10, 1), end=date(2024, 10, 31))
    publish(world)

    html = get(client, list_url(world.office)).content.decode()

    assert html.index("1 Desember 2024") < html.index("1 Oktober 2024")
    assert "100,00" in html and "A (Sangat Baik)" in html


def test_a_withdrawn_publication_disappears_from_the_public_pages(client, world, december):
    ikm_withdraw(publication=december, actor=world.head, reason="Salah memilih periode")

    html = get(client, list_url(world.office)).content.decode()

    assert "Kantor ini belum memublikasikan hasil IKM." in html
    assert "31 Desember 2024" not in html
    assert get(client, detail_url(december)).status_code == 404


def test_another_offices_publications_are_not_shown(client, world, other_world, frozen):
    add_responses(other_world.office, [[1] * 9], date(2024, 12, 10))
    theirs = publish(other_world)

    html = get(client, list_url(world.office)).content.decode()
    under_ours = reverse("portal:ikm_detail", kwargs={"office_code": world.office.code, "publication_id": theirs.pk})

    assert "Kantor ini belum memublikasikan hasil IKM." in html
    assert "25,00" not in html
    assert get(client, under_ours).status_code == 404
    assert get(client, detail_url(theirs)).status_code == 200


def test_the_detail_shows_the_nine_elements_both_scales_and_the_sample(client, world, december):
    response = get(client, detail_url(december))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Periode 1 Desember 2024 sampai 31 Desember 2024" in html
    rows = re.findall(r"<tr>\s*<td>(U\d)</td>\s*<th scope=\"row\">([^<]+)</th>\s*<td>([^<]+)</td>", html)
    assert [code for code, _name, _nrr in rows] == [f"U{n}" for n in range(1, 10)]
    assert rows[0] == ("U1", "Persyaratan", "3,000")
    assert rows[3] == ("U4", "Biaya/Tarif", "4,000")
    assert rows[8] == ("U9", "Sarana dan Prasarana", "2,667")
    assert "<strong>82,41</strong>" in html
    assert "3,2963" in html  # 89/27 on the 1-4 scale
    assert "B (Baik)" in html
    assert "3 orang" in html
    # Paper forms without cases: nobody served in the period, so no sample is required.
    assert "0 responden, dari 0 orang yang dilayani" in html
    assert "Jumlah responden sudah mencukupi." in html
    assert "Apa arti angka-angka ini?" in html and "Krejcie dan Morgan" in html
    assert 'aria-labelledby="ikm-unsur-judul"' in html


def test_the_detail_says_when_the_sample_was_not_reached(client, world, frozen):
    survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="paper", data=_answers(ROWS[0]))
    _delivered(world)
    clock.advance(timedelta(days=1))
    publication = publish(world, start=date(2025, 1, 6), end=date(2025, 1, 6), service_type=world.service)

    html = get(client, detail_url(publication)).content.decode()

    assert "Layanan: Data dan informasi mutu" in html
    assert "2 responden, dari 2 orang yang dilayani" in html
    assert "Jumlah responden belum mencukupi." in html
    list_html = get(client, list_url(world.office)).content.decode()
    assert cells(list_html)[5:7] == ["6 Januari 2025 – 6 Januari 2025", "Data dan informasi mutu"]


def test_english_names_the_elements_from_the_instrument(client, world, december):
    html = get(client, detail_url(december), language="en").content.decode()

    assert '<html lang="en">' in html
    assert '<th scope="row">Requirements</th>' in html
    assert '<th scope="row">Cost/tariff</th>' in html
    assert '<th scope="row">Persyaratan</th>' not in html
    assert "<strong>82.41</strong>" in html
    assert "December 1, 2024" in html or "1 December 2024" in html


def test_indonesian_keeps_the_names_published(client, world, december):
    active_instrument(world.office).elements.filter(code="U1").update(name="Persyaratan pelayanan (diubah)")

    html = get(client, detail_url(december)).content.decode()

    assert '<th scope="row">Persyaratan</th>' in html
    assert "diubah" not in html


@pytest.mark.parametrize("page", ["list", "detail"])
def test_unknown_and_inactive_offices_are_404(client, world, december, page):
    url = list_url(world.office) if page == "list" else detail_url(december)
    assert get(client, url.replace(world.office.code, "tidak-ada")).status_code == 404

    world.office.is_active = False
    world.office.save()

    assert get(client, url).status_code == 404


def test_the_home_and_standards_pages_link_to_the_ikm_list(client, world, december):
    home = get(client, reverse("portal:home")).content.decode()
    standards = get(client, reverse("portal:service_standards", kwargs={"office_code": world.office.code}))

    assert f'<a href="{list_url(world.office)}">Lihat hasil survei kepuasan masyarakat (IKM)</a>' in home
    assert f'<a href="{list_url(world.office)}">' in standards.content.decode()


def test_the_home_page_has_no_ikm_link_without_a_live_publication(client, world, december):
    ikm_withdraw(publication=december, actor=world.head, reason="Salah periode")

    home = get(client, reverse("portal:home")).content.decode()

    assert "/ikm/" not in home
