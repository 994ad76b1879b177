"""The Django admin in a real browser: every page of every registered model passes axe-core (WCAG 2.2 AA, best
practices, AAA contrast) in the light and the dark theme, and signing in works with the keyboard alone."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from .staff_login import current_code, pass_second_factor

pytestmark = pytest.mark.browser

ADMIN_USERNAME = "superadmin"
ADMIN_PASSWORD = "kata-sandi-admin-123"


@pytest.fixture
def superuser(transactional_db):
    from jangkau.accounts.models import Role, User

    return User.objects.create_superuser(
        username=ADMIN_USERNAME, email="admin@jangkau.test", password=ADMIN_PASSWORD, role=Role.ADMIN
    )


def make_admin_data(superuser):
    """Rows for every list page and its filters: an office with hours, staff and cases, a holiday, a group with
    permissions (the two-list widget) and a TOTP device (date-and-time inputs)."""
    from django.contrib.auth.models import Group, Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jangkau.cases.services import case_view_personal_data
    from jangkau.offices.models import CalendarOverride
    from tests.builders import case_in, make_world

    world = make_world()
    scheduled = case_in("scheduled", world)
    case_in("submitted", world)
    # A row for the personal-data access log.
    case_view_personal_data(case=scheduled, actor=world.ult, purpose="Menelepon untuk jadwal")
    # Rows for the survey's instrument and responses.
    from jangkau.cases.services import case_deliver
    from jangkau.surveys.services import survey_record_by_officer
    from tests.surveys.test_answering import ANSWERS

    delivered = case_deliver(case=case_in("scheduled", world), actor=world.ult, notes="Diantar")
    survey_record_by_officer(case=delivered, actor=world.ult, mode="paper", data=ANSWERS)
    kind = CalendarOverride._meta.get_field("kind").choices[0][0]
    CalendarOverride.objects.create(office=world.office, date="2030-01-02", kind=kind, reason="Cuti bersama")
    group = Group.objects.create(name="Peninjau")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:3])
    TOTPDevice.objects.create(user=superuser, name="Ponsel")


def admin_log_in(page, username=ADMIN_USERNAME, password=ADMIN_PASSWORD):
    """The admin's own login page, then (for the right password) the staff second factor."""
    page.goto("/admin/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if password == ADMIN_PASSWORD:
        pass_second_factor(page, username)


def admin_urls(user):
    """Each app's index, then each registered model's changelist, its add page when the admin allows adding,
    and the change page of its first object when there is one."""
    request = RequestFactory().get("/admin/")
    request.user = user
    apps = dict.fromkeys(model._meta.app_label for model in admin.site._registry)
    urls = [reverse("admin:app_list", args=[app_label]) for app_label in apps]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[quote(first.pk)]))
    return urls


def test_admin_login_page_has_a_level_one_heading_and_no_axe_violations(page, axe, transactional_db):
    """The sign-in page carries the site's name and a level-one heading, and passes axe-core."""
    page.goto("/admin/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke Administrasi Jangkau")
    expect(page.locator("#site-name")).to_have_text("Administrasi Jangkau")
    expect(page).to_have_title(re.compile(r"Administrasi Jangkau$"))
    axe.assert_no_violations()
    assert axe.checked


def test_admin_login_works_with_the_keyboard_alone(page, superuser, axe, live_server):
    """The username field has focus on arrival (Django's autofocus); from the skip link at the top, Enter and
    Tab reach it again; Tab moves on to the password, and Enter there signs in."""
    code = current_code(ADMIN_USERNAME)
    page.goto("/admin/login/")
    expect(page.get_by_label("Nama pengguna")).to_be_focused()

    # Back up to the top of the page: the theme toggle, the site's name, the skip link.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    expect(page.locator(".skip-to-content-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#content-start")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Nama pengguna")).to_be_focused()
    page.keyboard.type(ADMIN_USERNAME)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Sandi")).to_be_focused()
    page.keyboard.type(ADMIN_PASSWORD)
    page.keyboard.press("Enter")

    # The staff second factor follows the password (tests/browser/test_backoffice_pages.py reaches its field
    # with the keyboard from the skip link).
    expect(page.get_by_role("heading", level=1)).to_have_text("Masukkan kode masuk")
    page.get_by_label("Kode masuk").focus()
    page.keyboard.type(code)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.assert_no_violations()
    assert [url.removeprefix(live_server.url) for url in axe.checked] == [
        "/admin/login/",
        "/admin/login/#content-start",
        "/staf/masuk/kode/?next=%2Fadmin%2F",
        "/admin/",
    ]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_admin_page_has_no_axe_violations(new_page, superuser, axe, live_server, color_scheme):
    """A failed and a good sign-in, the index, each app's index and each model's changelist, add and change
    pages, a filtered and a searched changelist: zero axe-core violations, in the light and the dark theme."""
    make_admin_data(superuser)
    page = new_page(color_scheme=color_scheme)

    admin_log_in(page, password="salah-sekali-123")
    expect(page.locator(".errornote")).to_be_visible()
    admin_log_in(page)
    expect(page).to_have_url(re.compile(r"/admin/$"))

    urls = admin_urls(superuser)
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url} answered {response and response.status}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    # A changelist after following a filter link and after a search.
    page.goto(reverse("admin:cases_case_changelist"))
    page.locator("#changelist-filter details[data-filter-title] a").nth(1).click()
    expect(page).to_have_url(re.compile(r"\?"))
    search = page.get_by_role("textbox", name="Cari", exact=True)
    search.fill("JKU")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=JKU"))

    axe.assert_no_violations()
    visited = {url.removeprefix(live_server.url).split("?")[0] for url in axe.checked}
    assert {"/admin/login/", "/admin/", *urls} <= visited
    assert any("q=JKU" in url for url in axe.checked)
    assert any(url.endswith("/add/") for url in urls)
    assert any(url.endswith("/change/") for url in urls)


@pytest.mark.parametrize(("color_scheme", "theme"), [("dark", "light"), ("light", "dark")])
def test_the_theme_picked_with_the_toggle_has_no_axe_violations(new_page, superuser, axe, color_scheme, theme):
    """The theme chosen with the admin's toggle wins over the system's, and it too passes axe-core."""
    from jangkau.offices.models import Office

    make_admin_data(superuser)
    page = new_page(color_scheme=color_scheme)
    page.add_init_script(f"localStorage.setItem('theme', '{theme}')")

    admin_log_in(page)
    expect(page.locator("html")).to_have_attribute("data-theme", theme)
    page.goto(reverse("admin:cases_case_changelist"))
    page.goto(reverse("admin:offices_office_change", args=[Office.objects.get().pk]))
    page.goto(reverse("admin:accounts_user_change", args=[superuser.pk]))
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(18, 18, 18)" if theme == "dark" else "rgb(255, 255, 255)")

    axe.assert_no_violations()
    assert len(axe.checked) == 6  # sign-in, the code page, index, and the three pages above
