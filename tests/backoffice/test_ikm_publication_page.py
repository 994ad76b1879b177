"""The back office's IKM publication page: every staff member of the office sees the publications; the head
publishes a period in two steps (preview, then publish) and withdraws one with a reason."""

from datetime import date

import pytest

from jangkau.accounts.models import Role, User
from jangkau.audit.models import AuditEvent
from jangkau.surveys.models import IkmPublication
from jangkau.surveys.publication import ikm_withdraw
from tests.surveys.test_publication import ROWS, add_responses, publish

pytestmark = pytest.mark.django_db

URL = "/staf/survei/publikasi/"
DECEMBER = {"period_start": "01/12/2024", "period_end": "31/12/2024", "service_type": ""}


def withdraw_url(publication):
    return f"{URL}{publication.pk}/tarik/"


@pytest.fixture
def answered(world, frozen):
    """December 2024 has three paper forms: IKM 82.41 (B). The clock stands on 6 January 2025."""
    add_responses(world.office, ROWS, date(2024, 12, 10))


# --- who sees what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.ADMIN])
def test_staff_see_live_and_withdrawn_publications_but_no_form(client, world, answered, role):
    live = publish(world, start=date(2024, 12, 1))
    withdrawn = publish(world, start=date(2024, 12, 2))
    ikm_withdraw(publication=withdrawn, actor=world.head, reason="Periode keliru")
    client.force_login(world.actor_for(role))

    html = client.get(URL).content.decode()

    assert "<h1>Publikasi IKM</h1>" in html
    assert "1 Desember 2024 – 31 Desember 2024" in html and "2 Desember 2024 – 31 Desember 2024" in html
    assert "Tayang di halaman publik" in html
    assert "Alasan: Periode keliru" in html
    assert f"/kantor/{world.office.code}/ikm/{live.pk}/" in html
    assert 'name="period_start"' not in html
    assert withdraw_url(live) not in html
    assert f'<a href="{URL}">Publikasi IKM</a>' in html or f'<a href="{URL}" aria-current="page">' in html


def test_the_head_sees_the_form_and_the_withdraw_links(client, world, answered):
    live = publish(world)
    client.force_login(world.head)

    html = client.get(URL).content.decode()

    assert 'name="period_start"' in html and 'name="period_end"' in html and 'name="service_type"' in html
    assert "Untuk layanan apa? (opsional)" in html
    assert f'href="{withdraw_url(live)}"' in html
    assert f'<a href="{URL}" aria-current="page">Publikasi IKM</a>' in html


def test_only_the_offices_publications_are_listed(client, world, other_world, answered):
    add_responses(other_world.office, [[1] * 9], date(2024, 12, 10))
    publish(other_world)
    client.force_login(world.head)

    html = client.get(URL).content.decode()

    assert "Belum ada IKM yang dipublikasikan." in html
    assert "25,00" not in html


def test_no_office_is_404_and_a_visitor_signs_in(client, world):
    assert client.get(URL).status_code == 302

    client.force_login(User.objects.create_user(username="root", password="x", is_superuser=True))

    assert client.get(URL).status_code == 404


# --- publishing in two steps ------------------------------------------------------------------------------


def test_the_preview_shows_the_figures_and_publishes_nothing(client, world, answered):
    client.force_login(world.head)

    response = client.post(URL, {**DECEMBER, "action": "preview"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Pratinjau publikasi IKM</h1>" in html
    assert "<strong>82,41</strong>" in html and "B (Baik)" in html and "3 orang" in html
    assert '<th scope="row">Biaya/Tarif</th>' in html
    assert '<input type="hidden" name="period_start" value="2024-12-01">' in html
    assert '<input type="hidden" name="period_end" value="2024-12-31">' in html
    assert 'name="action" value="publish"' in html
    assert not IkmPublication.objects.exists()
    assert not AuditEvent.objects.filter(action="ikm.published").exists()


def test_the_confirmation_publishes_and_comes_back_to_the_list(client, world, answered):
    client.force_login(world.head)

    response = client.post(
        URL, {"period_start": "2024-12-01", "period_end": "2024-12-31", "service_type": "", "action": "publish"}
    )

    assert response.status_code == 302 and response.url == URL
    publication = IkmPublication.objects.get()
    assert (publication.period_start, publication.period_end, publication.service_type) == (
        date(2024, 12, 1),
        date(2024, 12, 31),
        None,
    )
    assert publication.report["ikm_converted"] == 82.41 and publication.published_by == world.head
    html = client.get(URL).content.decode()
    assert "IKM periode 1 Desember 2024 sampai 31 Desember 2024 dipublikasikan." in html
    assert "Tayang di halaman publik" in html


def test_a_service_is_chosen_from_the_offices_services(client, world, other_world, answered):
    client.force_login(world.head)

    foreign = client.post(URL, {**DECEMBER, "service_type": other_world.service.pk, "action": "preview"})
    preview = client.post(URL, {**DECEMBER, "service_type": world.service.pk, "action": "preview"})

    assert foreign.status_code == 400
    assert "Pilih jenis layanan dari daftar" in foreign.content.decode()
    # The service has no case in December, so it has no IKM to publish.
    assert preview.status_code == 400
    assert "belum dapat dipublikasikan" in preview.content.decode()


def test_change_period_brings_the_filled_form_back(client, world, answered):
    client.force_login(world.head)

    response = client.post(URL, {"period_start": "2024-12-01", "period_end": "2024-12-31", "action": "edit"})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'value="2024-12-01"' in html and 'name="period_start"' in html
    assert "Ada masalah" not in html
    assert not IkmPublication.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_start": "", "period_end": ""}, "Tuliskan tanggal awal periode"),
        ({"period_start": "31/13/2024", "period_end": "31/12/2024"}, "Tuliskan tanggal seperti 31/03/2025"),
        ({"period_start": "31/12/2024", "period_end": "01/12/2024"}, "sesudah tanggal awal"),
        ({"period_start": "01/01/2025", "period_end": "06/01/2025"}, "Periode harus sudah berakhir"),
        ({"period_start": "01/11/2024", "period_end": "30/11/2024"}, "unsur U1, U2"),
    ],
)
@pytest.mark.parametrize("action", ["preview", "publish"])
def test_a_wrong_period_comes_back_with_the_error_summary(client, world, answered, data, message, action):
    client.force_login(world.head)

    response = client.post(URL, {"service_type": "", **data, "action": action})
    html = response.content.decode()

    assert response.status_code == 400
    assert '<div class="error-summary"' in html
    assert message in html
    assert html.index('class="error-summary"') < html.index("<h1>")
    assert "<title>Galat: Publikasi IKM" in html
    assert not IkmPublication.objects.exists()


def test_a_period_already_published_is_refused_with_a_message(client, world, answered):
    publish(world)
    client.force_login(world.head)

    response = client.post(URL, {**DECEMBER, "action": "publish"})

    assert response.status_code == 400
    assert "IKM periode ini sudah dipublikasikan." in response.content.decode()
    assert IkmPublication.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.ADMIN])
def test_only_the_head_may_post(client, world, answered, role):
    client.force_login(world.actor_for(role))

    response = client.post(URL, {**DECEMBER, "action": "publish"})

    assert response.status_code == 403
    assert not IkmPublication.objects.exists()


# --- withdrawing ------------------------------------------------------------------------------------------


def test_the_head_withdraws_with_a_reason(client, world, answered):
    publication = publish(world)
    client.force_login(world.head)

    page = client.get(withdraw_url(publication)).content.decode()
    response = client.post(withdraw_url(publication), {"reason": "Salah memilih periode"})

    assert "<h1>Tarik publikasi IKM</h1>" in page and "82,41" in page
    assert response.status_code == 302 and response.url == URL
    publication.refresh_from_db()
    assert publication.withdraw_reason == "Salah memilih periode" and publication.withdrawn_by == world.head
    html = client.get(URL).content.decode()
    assert "Publikasi IKM ditarik dari halaman publik." in html
    assert "Alasan: Salah memilih periode" in html
    assert AuditEvent.objects.filter(action="ikm.withdrawn").count() == 1


def test_a_withdrawal_without_a_reason_comes_back_with_the_error(client, world, answered):
    publication = publish(world)
    client.force_login(world.head)

    response = client.post(withdraw_url(publication), {"reason": "  "})
    html = response.content.decode()

    assert response.status_code == 400
    assert '<div class="error-summary"' in html and "Tuliskan alasan penarikan" in html
    publication.refresh_from_db()
    assert publication.is_live


def test_a_withdrawn_publication_goes_back_to_the_list(client, world, answered):
    publication = publish(world)
    ikm_withdraw(publication=publication, actor=world.head, reason="Salah periode")
    client.force_login(world.head)

    response = client.post(withdraw_url(publication), {"reason": "Lagi"}, follow=True)

    assert "Publikasi ini sudah ditarik." in response.content.decode()
    publication.refresh_from_db()
    assert publication.withdraw_reason == "Salah periode"


def test_others_cannot_withdraw(client, world, other_world, answered):
    publication = publish(world)

    client.force_login(world.ult)
    assert client.post(withdraw_url(publication), {"reason": "Tidak boleh"}).status_code == 403
    client.force_login(other_world.head)
    assert client.post(withdraw_url(publication), {"reason": "Tidak boleh"}).status_code == 404

    publication.refresh_from_db()
    assert publication.is_live
