"""The Content-Security-Policy in a real browser: key pages are served with it, enforce it (the harness does
not bypass it) and report no violation; the harness notices a violation, and axe still runs under the policy.

Every browser test fails on a violation (``csp`` in conftest.py); the tests here make sure of the policy on
the pages where a regression would hurt most, with scripts on and off.
"""

import re

import pytest
from playwright.sync_api import expect

from jangkau.core.security_headers import CONTENT_SECURITY_POLICY
from tests.builders import make_world

from .conftest import STAFF_PASSWORD, run_axe
from .staff_login import current_code, pass_second_factor, sign_in

pytestmark = pytest.mark.browser

INLINE_CODE = """<!doctype html><html lang="id"><head><title>Kode sisipan</title>
<style>p { color: red; }</style></head>
<body><main><h1>Kode sisipan</h1>
<p style="font-weight: bold">Gaya sisipan.</p>
<button type="button" onclick="document.title = 'dijalankan'">Tombol</button>
<script>document.title = "dijalankan";</script></main></body></html>"""
# Axe's finding to look for: an image without a text alternative.
NO_ALT = INLINE_CODE.replace(
    "<h1>Kode sisipan</h1>", '<h1>Kode sisipan</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
)


@pytest.fixture
def world(transactional_db):
    return make_world()


def serve_with_policy(page, body):
    page.route(
        "**/__csp__/",
        lambda route: route.fulfill(
            body=body, content_type="text/html", headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY}
        ),
    )
    return page.goto("/__csp__/")


def test_the_harness_enforces_the_policy_and_reports_each_violation(page, csp):
    """The page's inline script does not run, and each refused script, handler and style is reported."""
    serve_with_policy(page, INLINE_CODE)
    page.get_by_role("button", name="Tombol").click()

    assert page.title() == "Kode sisipan"  # neither the inline script nor the handler ran
    found = csp.pop_violations()
    assert any("inline script" in v for v in found), found
    assert any("inline event handler" in v for v in found), found
    assert any("inline style" in v for v in found), found


def test_styles_are_refused_and_reported_with_scripts_off(new_page, csp):
    page = new_page(java_script_enabled=False)
    serve_with_policy(page, INLINE_CODE)
    page.wait_for_load_state("load")

    assert any("inline style" in v for v in csp.pop_violations())


def test_axe_runs_under_the_policy(new_page, axe, csp):
    """axe-core is injected through the DevTools protocol, which the CSP does not govern: it still finds
    the image without alt text on a page served with the policy, with scripts on and off."""
    for scripts in (True, False):
        page = new_page(java_script_enabled=scripts)
        serve_with_policy(page, NO_ALT)

        assert "image-alt" in {v.rule for v in run_axe(page, scripts_enabled=scripts)}
    axe.pop_violations()
    csp.pop_violations()


def assert_policy_served(response):
    assert response is not None and response.ok, response and response.status
    assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY
    assert response.headers.get("x-frame-options") == "DENY"


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts-on", "scripts-off"])
def test_public_pages_run_under_the_policy_without_violations(new_page, world, csp, scripts):
    page = new_page(java_script_enabled=scripts)
    for path in ("/", f"/kantor/{world.office.code}/ajukan/", "/lacak/", "/privasi/", "/staf/masuk/"):
        assert_policy_served(page.goto(path))
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
    page.goto("/tidak-ada-halaman-ini/")  # our 404 page

    csp.assert_no_violations()


def test_back_office_pages_run_under_the_policy_without_violations(new_page, world, csp):
    for user in (world.ult, world.ult2):
        user.set_password(STAFF_PASSWORD)
        user.save()
    page = new_page()
    sign_in(page, world.ult)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    for path in ("/staf/", "/staf/kasus/", "/staf/keamanan/"):
        assert_policy_served(page.goto(path))

    # An officer without an authenticator yet lands on enrolment, whose QR code is a data: image (img-src).
    enrolling = new_page()
    enrolling.goto("/staf/masuk/")
    enrolling.get_by_label("Nama pengguna").fill(world.ult2.username)
    enrolling.get_by_label("Kata sandi").fill(STAFF_PASSWORD)
    enrolling.get_by_role("button", name="Masuk", exact=True).click()
    expect(enrolling.get_by_role("heading", level=1)).to_have_text("Pasang aplikasi autentikator")
    qr = enrolling.locator("main img").first
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")

    csp.assert_no_violations()


def test_admin_runs_under_the_policy_and_its_script_file_runs(page, transactional_db, csp):
    """The admin's own scripts are files, and so is jangkau/js/admin.js: it still gives the two-list
    widget's search icons role="img" with the strict policy on."""
    from django.contrib.auth.models import Group, Permission

    from jangkau.accounts.models import Role, User

    User.objects.create_superuser(
        username="superadmin", email="a@jangkau.test", password=STAFF_PASSWORD, role=Role.ADMIN
    )
    group = Group.objects.create(name="Peninjau")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:3])

    current_code("superadmin")  # enrolled, so the code page follows the password
    assert_policy_served(page.goto("/admin/login/"))
    page.get_by_label("Nama pengguna").fill("superadmin")
    page.get_by_label("Sandi").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    pass_second_factor(page, "superadmin")
    expect(page.locator("#site-name")).to_be_visible()

    assert_policy_served(page.goto(f"/admin/auth/group/{group.pk}/change/"))
    icons = page.locator(".selector .search-label-icon")
    expect(icons.first).to_have_attribute("role", "img")
    assert_policy_served(page.goto("/admin/cases/case/"))

    csp.assert_no_violations()
