"""The case dossier in the back office: the masked PDF for every staff role of the office (each download
audited), the unmasked one only through the question of purpose, and nothing for another office."""

import re

import pytest

from jangkau.accounts.models import Role
from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Case
from tests.builders import VALID_NIK, case_in
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

ADDRESS = "Jl. Kenanga No. 5, Cempaka Putih"


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def case(world, frozen):
    return case_in("closed", world)


def urls(case) -> tuple[str, str]:
    base = f"/staf/kasus/{case.registration_number}/"
    return base + "berkas.pdf", base + "berkas-tanpa-samaran/"


@pytest.mark.parametrize("role", [Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, Role.ADMIN])
def test_every_staff_role_of_the_office_downloads_the_masked_dossier(client, world, case, role):
    user = world.actor_for(role)
    client.force_login(user)
    pdf_url, _form_url = urls(case)

    response = client.get(pdf_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert f"berkas-kasus-{case.registration_number}.pdf" in response["Content-Disposition"]
    text = compact(pdf_text(response.content))
    assert compact("Rantai jejak audit utuh") in text
    assert VALID_NIK not in text and compact(ADDRESS) not in text
    event = AuditEvent.objects.last()
    assert (event.action, event.actor, event.case_id, event.changes["masked"]) == (
        "case.dossier_exported",
        user,
        case.pk,
        True,
    )


def test_the_case_page_links_to_both_dossiers(client, world, case):
    client.force_login(world.ult)
    pdf_url, form_url = urls(case)

    page = client.get(f"/staf/kasus/{case.registration_number}/").content.decode()

    assert f'href="{pdf_url}"' in page and "Unduh berkas kasus (PDF)" in page
    assert f'href="{form_url}"' in page


def test_the_unmasked_dossier_asks_why_and_is_logged(client, world, case):
    client.force_login(world.head)
    _pdf_url, form_url = urls(case)
    before = AuditEvent.objects.count()

    question = client.get(form_url)
    refused = client.post(form_url, {"purpose": ""})
    given = client.post(form_url, {"purpose": "Pemeriksaan Inspektorat"})

    assert question.status_code == 200 and "Untuk apa Anda memerlukan berkas kasus tanpa samaran?" in (
        question.content.decode()
    )
    page = refused.content.decode()
    assert refused.status_code == 200 and "Ada masalah" in page and "<title>Galat:" in page
    assert given.status_code == 200 and given["Content-Type"] == "application/pdf"
    text = compact(pdf_text(given.content))
    assert VALID_NIK in text and compact(ADDRESS) in text
    actions = list(AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions == ["case.personal_data_viewed", "case.dossier_exported"]


def test_an_anonymised_case_has_nothing_to_unmask(client, world, case):
    Case.objects.filter(pk=case.pk).update(anonymised_at=case.closed_at)
    client.force_login(world.head)
    before = AuditEvent.objects.count()

    for response in (
        client.get(urls(case)[1], follow=True),
        client.post(urls(case)[1], {"purpose": "Salinan"}, follow=True),
    ):
        assert response.redirect_chain[-1][0] == f"/staf/kasus/{case.registration_number}/"
        assert "tidak ada lagi yang dapat dibuka" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_another_offices_case_is_not_found(client, world, other_world, case):
    client.force_login(other_world.head)
    before = AuditEvent.objects.count()

    for url in urls(case):
        assert client.get(url).status_code == 404
    assert client.post(urls(case)[1], {"purpose": "Ingin tahu"}).status_code == 404
    assert AuditEvent.objects.count() == before


def test_signed_out_visitors_are_sent_to_sign_in(client, case):
    response = client.get(urls(case)[0])

    assert response.status_code == 302 and "/staf/masuk/" in response["Location"]
