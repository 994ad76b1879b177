"""The accessibility harness itself: a harness that cannot fail would prove nothing."""

from pathlib import Path

import pytest

from .conftest import missing_prerequisites, run_axe

pytestmark = pytest.mark.browser

BROKEN_IMAGE = """<!doctype html><html lang="id"><head><title>Rusak</title></head>
<body><main><h1>Halaman rusak</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#767676">Teks abu-abu: cukup untuk AA (4,5:1), kurang untuk AAA (7:1).</p>
<a href="/__rusak__/dua">Halaman berikutnya</a></main></body></html>"""
BROKEN_BUTTON = """<!doctype html><html lang="id"><head><title>Rusak dua</title></head>
<body><main><h1>Halaman rusak dua</h1><button></button></main></body></html>"""


def test_run_axe_returns_the_violations_of_a_broken_page(page):
    """run_axe reports an image without alt text, and AAA contrast (color-contrast-enhanced) is checked."""
    # given a page with an unlabelled image and grey text of 4.5:1
    page.set_content(BROKEN_IMAGE)

    # when axe runs on it
    violations = run_axe(page)

    # then both problems are reported with rule, impact and target
    by_rule = {v.rule: v for v in violations}
    assert "image-alt" in by_rule
    assert by_rule["image-alt"].impact == "critical"
    assert by_rule["image-alt"].targets == ("img",)
    assert "color-contrast-enhanced" in by_rule


def test_the_audit_checks_every_page_a_test_navigates_to(page, live_server, axe):
    """Each navigation (goto, then a click on a link) is audited on its own, without the test asking."""
    # given two broken pages served by the browser itself
    page.route("**/__rusak__/satu", lambda route: route.fulfill(body=BROKEN_IMAGE, content_type="text/html"))
    page.route("**/__rusak__/dua", lambda route: route.fulfill(body=BROKEN_BUTTON, content_type="text/html"))

    # when the test visits one and follows its link to the other
    page.goto("/__rusak__/satu")
    page.get_by_role("link", name="Halaman berikutnya").click()
    page.wait_for_load_state()

    # then the audit has found the violations of both pages, each with its URL
    found = {(v.url.removeprefix(live_server.url), v.rule) for v in axe.pop_violations()}
    assert ("/__rusak__/satu", "image-alt") in found
    assert ("/__rusak__/dua", "button-name") in found
    assert [url.removeprefix(live_server.url) for url in axe.checked] == ["/__rusak__/satu", "/__rusak__/dua"]


def test_the_audit_report_names_rule_impact_target_and_url(page, axe):
    """A failing audit explains itself: rule id, impact, target and URL are in the report."""
    page.route("**/__rusak__/satu", lambda route: route.fulfill(body=BROKEN_IMAGE, content_type="text/html"))
    page.goto("/__rusak__/satu")

    with pytest.raises(pytest.fail.Exception) as failure:
        axe.assert_no_violations()

    report = str(failure.value)
    assert "image-alt [critical]" in report
    assert "targets: img" in report
    assert "/__rusak__/satu" in report
    axe.pop_violations()  # the violations were the point of this test


def test_missing_tools_are_named_with_how_to_install_them(tmp_path):
    """Without chromium or axe-core the harness says what to install instead of skipping."""
    problems = missing_prerequisites(chromium=tmp_path / "chromium", axe_js=Path(tmp_path / "axe.min.js"))

    assert len(problems) == 2
    assert "chromium" in problems[0] and "make test" in problems[0]
    assert "axe-core" in problems[1] and "make test" in problems[1]
