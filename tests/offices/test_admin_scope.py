"""An office administrator in the Django admin sees and edits only their own office."""

import pytest
from django.contrib.auth.models import Permission

from tests.builders import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_admin(world):
    admin = world.admin
    admin.is_staff = True
    admin.save()
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["cases", "accounts", "audit"]))
    return admin


def test_lists_show_only_the_office_rows(client, world, other_world, office_admin, frozen):
    other_world.office.registration_prefix = "JT"
    other_world.office.save()
    own, foreign = submit(world), submit(other_world)
    client.force_login(office_admin)

    cases = client.get("/admin/cases/case/").content.decode()
    users = client.get("/admin/accounts/user/").content.decode()

    assert own.registration_number in cases and foreign.registration_number not in cases
    assert world.ult.username in users and other_world.ult.username not in users
    assert client.get(f"/admin/cases/case/{foreign.pk}/change/").status_code == 302  # "does not exist" redirect


def test_an_office_admin_cannot_grant_superuser(client, world, office_admin):
    client.force_login(office_admin)

    page = client.get(f"/admin/accounts/user/{world.ult.pk}/change/").content.decode()

    assert 'name="is_superuser"' not in page
    assert 'name="role"' in page
