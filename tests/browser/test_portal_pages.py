"""Citizen pages in a real browser: axe-clean, keyboard-first, small screens, no JavaScript, two languages."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def active_element(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName.toLowerCase(), id: document.activeElement.id,"
        " cls: document.activeElement.className, text: document.activeElement.textContent.trim()})"
    )


def test_home_page_explains_the_service_and_has_no_axe_violations(page, axe):
    """The home page says what the service is, for whom and how, in Indonesian, with zero violations."""
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    main = page.get_by_role("main")
    expect(main).to_contain_text("jemput bola")
    expect(main).to_contain_text("gratis")
    expect(main).to_contain_text("kursi roda")
    expect(main).to_contain_text("panggilan video")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu utama")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    axe.assert_no_violations()
    assert axe.checked, "axe did not run on the home page"


def test_every_link_on_the_home_page_leads_to_a_page(page, live_server):
    """No link of the home page ends in a 404 (pages that do not exist yet are not linked)."""
    page.goto("/")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")

    for href in hrefs:
        if href.startswith(live_server.url):
            response = page.request.get(href)
            assert response.status == 200, href


def test_tab_first_reaches_the_skip_link_and_enter_moves_focus_to_main(page):
    """Keyboard: the first Tab focuses "Langsung ke konten utama"; Enter puts focus on <main>."""
    page.goto("/")

    page.keyboard.press("Tab")
    focused = active_element(page)
    assert focused["tag"] == "a" and focused["text"] == "Langsung ke konten utama"
    expect(page.locator(".skip-link")).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.locator("main#konten")).to_be_focused()


def test_home_page_fits_a_320_pixel_screen(new_page):
    """At 320 CSS pixels (a small phone, or 400 % zoom) nothing scrolls sideways."""
    page = new_page(viewport=NARROW)
    page.goto("/")

    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_switching_to_english_sets_the_page_language(page):
    """The language form sends the choice to set_language and the page comes back with lang="en"."""
    page.goto("/")

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Bahasa Indonesia")).to_be_visible()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_switching_language_works_without_javascript(new_page):
    """The language switch is a plain form: it works with JavaScript off."""
    page = new_page(java_script_enabled=False)
    page.goto("/")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
