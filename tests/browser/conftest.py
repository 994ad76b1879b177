"""Browser harness: Playwright drives Debian's chromium against pytest-django's live server, and axe-core
checks every page state a test reaches.

Fixtures
- ``page``: a Playwright page in a fresh context (base_url = the live server, Indonesian locale).
- ``new_page(**context_options)``: more pages, e.g. ``new_page(java_script_enabled=False)`` or
  ``new_page(viewport={"width": 320, "height": 640})``.
- ``axe``: the :class:`AxeAudit` of the test. Every page made by the fixtures above is audited: after each
  navigation of the main frame (goto, a click that follows a link or submits a form, a redirect, a jump to
  ``#konten``), axe-core runs on the new page state before the test's next browser call. Violations fail the
  test when its body ends; ``axe.assert_no_violations()`` checks earlier, ``axe.check(page)`` checks a state
  no navigation marks (an opened disclosure, say), ``axe.pop_violations()`` takes what was found.
- ``csp``: the :class:`CspWatch` of the test. The pages enforce the site's Content-Security-Policy as a real
  browser does (no ``bypass_csp``), and every violation the browser reports (an inline script, handler or
  style it refused) fails the test when its body ends; ``csp.pop_violations()`` takes what was found.
- ``staff_user``: an officer of "BPMP Provinsi DKI Jakarta" whose password is ``STAFF_PASSWORD``.

Every test here needs chromium and node_modules/axe-core (``make test`` installs both); without them the
tests fail and name what to install, they are never skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Playwright's sync API runs an event loop in this thread, so Django refuses ORM calls without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import greenlet  # noqa: E402 - after the environment variable above
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("JANGKAU_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STAFF_PASSWORD = "kata-sandi-uji-123"

# WCAG 2.0–2.2 A and AA, axe's best practices, and the AAA contrast rule (SPEC: "AAA colour contrast").
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "rules": {"color-contrast-enhanced": {"enabled": True}},
    "resultTypes": ["violations"],
}
# Indirect eval defines window.axe even where the page's own scripts are off (java_script_enabled=False).
# page.evaluate comes in through the DevTools protocol, which the page's Content-Security-Policy does not
# govern, eval inside it included: the contexts need no bypass_csp, so they enforce the site's CSP as
# people's browsers do (tests/browser/test_csp.py proves axe still runs under it). Where scripts are off,
# timers never fire and axe.run would wait forever: its setTimeout calls then run as microtasks.
AXE_RUN = """async ([source, options, scriptsEnabled]) => {
  const realSetTimeout = window.setTimeout;
  const realClearTimeout = window.clearTimeout;
  if (!scriptsEnabled) {
    window.setTimeout = (fn, _ms, ...args) => {
      const handle = { live: true };
      Promise.resolve().then(() => handle.live && fn(...args));
      return handle;
    };
    window.clearTimeout = (handle) => { if (handle) handle.live = false; };
  }
  try {
    if (!window.axe) { (0, eval)(source); }
    const result = await window.axe.run(document, options);
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      help_url: v.helpUrl,
      targets: v.nodes.map((n) => n.target.map(String).join(" >>> ")),
    }));
  } finally {
    window.setTimeout = realSetTimeout;
    window.clearTimeout = realClearTimeout;
  }
}"""


def missing_prerequisites(chromium: Path = CHROMIUM, axe_js: Path = AXE_JS) -> list[str]:
    """Returns one line per missing tool, naming how to install it (empty when all are there)."""
    problems = []
    if not chromium.exists():
        problems.append(
            f"chromium not found at {chromium}: run `make test` (it installs the Debian package `chromium`), "
            "or `sudo apt-get install chromium`"
        )
    if not axe_js.exists():
        problems.append(
            f"axe-core not found at {axe_js}: run `make test` (it runs `npm ci`), or `make node-deps`; "
            "npm comes from Debian's `nodejs` and `npm` packages"
        )
    return problems


@dataclass(frozen=True)
class Violation:
    url: str
    rule: str
    impact: str | None
    help: str
    help_url: str
    targets: tuple[str, ...]

    def __str__(self):
        return f"{self.rule} [{self.impact}] {self.help}\n    url: {self.url}\n    targets: {', '.join(self.targets)}"


_axe_source: str | None = None


def run_axe(page, *, scripts_enabled: bool = True) -> list[Violation]:
    """Runs axe-core on the page's current state and returns its violations (it records nothing).

    Pass scripts_enabled=False for a page whose context has java_script_enabled=False.
    """
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    found = page.evaluate(AXE_RUN, [_axe_source, AXE_OPTIONS, scripts_enabled])
    return [
        Violation(
            url=page.url,
            rule=v["rule"],
            impact=v["impact"],
            help=v["help"],
            help_url=v["help_url"],
            targets=tuple(v["targets"]),
        )
        for v in found
    ]


@dataclass
class _Watched:
    page: object
    scripts_enabled: bool = True
    dirty: bool = False


@dataclass
class AxeAudit:
    """Collects axe-core violations of every page state of one test.

    A main-frame navigation marks the page "dirty"; the next browser call the test makes first waits for
    the page's load event and runs axe on it. So each state is checked as the navigation left it, before
    the test types or clicks on, and a check never races the test.
    """

    violations: list[Violation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    _watched: list[_Watched] = field(default_factory=list)
    _busy: bool = False
    _stopped: bool = False
    _greenlet: object = field(default_factory=greenlet.getcurrent)

    def watch(self, page, *, scripts_enabled: bool = True) -> None:
        """Audits the page after each navigation of its main frame."""
        watched = _Watched(page, scripts_enabled)
        self._watched.append(watched)

        def on_navigated(frame):
            if frame.parent_frame is None and frame.url != "about:blank":
                watched.dirty = True

        page.on("framenavigated", on_navigated)

    def check(self, page) -> list[Violation]:
        """Runs axe on the page now, records and returns what it found."""
        scripts_enabled = True
        for watched in self._watched:
            if watched.page is page:
                watched.dirty = False
                scripts_enabled = watched.scripts_enabled
        return self._run(page, scripts_enabled)

    def flush(self) -> None:
        """Checks every watched page that navigated since its last check."""
        if self._busy:
            return
        for watched in self._watched:
            if watched.dirty and not watched.page.is_closed():
                watched.dirty = False
                self._run(watched.page, watched.scripts_enabled)

    def _run(self, page, scripts_enabled: bool) -> list[Violation]:
        from playwright.sync_api import Error as PlaywrightError

        self._busy = True
        try:
            for _attempt in range(3):
                try:
                    page.wait_for_load_state("load")
                    found = run_axe(page, scripts_enabled=scripts_enabled)
                except PlaywrightError as exc:
                    # The page navigated on by itself while axe ran (a redirect, a refresh): check the new one.
                    if "destroyed" in str(exc) or "navigat" in str(exc):
                        continue
                    self.problems.append(f"axe could not run on {page.url}: {exc}")
                    return []
                self.checked.append(page.url)
                self.violations.extend(found)
                return found
            self.problems.append(f"axe could not run on {page.url}: the page kept navigating")
            return []
        finally:
            self._busy = False

    def pop_violations(self) -> list[Violation]:
        """Checks pending pages, then returns the violations found so far and forgets them."""
        self.flush()
        found, self.violations = self.violations, []
        return found

    def report(self) -> str:
        lines = []
        if self.violations:
            unique = list(dict.fromkeys(self.violations))
            lines.append(f"axe-core found {len(unique)} accessibility violation(s):")
            lines.extend(f"  - {v}\n    {v.help_url}" for v in unique)
        if self.problems:
            lines.append("The accessibility audit could not check every page:")
            lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)

    def assert_no_violations(self) -> None:
        self.flush()
        if self.violations or self.problems:
            pytest.fail(self.report(), pytrace=False)

    def before_browser_call(self) -> None:
        # Only the test's own calls trigger a check, never calls made inside Playwright event handlers.
        if not self._stopped and greenlet.getcurrent() is self._greenlet:
            self.flush()

    def stop(self) -> None:
        """Stops checking (the pages are being closed)."""
        self._stopped = True


@dataclass
class CspWatch:
    """Collects the Content-Security-Policy violations the browser reports on the pages of one test.

    Chromium reports each refused inline script, event handler, ``javascript:`` URL, style or resource as a
    console error naming the "Content Security Policy", also where the page's scripts are off (styles are
    still refused there), which a ``securitypolicyviolation`` listener could not hear.

    One report is the harness's own, not the page's: to read a stylesheet's ``@import`` (the admin's
    forms.css has one), axe-core copies it into a ``<style>`` of a scratch document, which the policy
    refuses. That code comes in through ``page.evaluate``, so its reports have no source URL and arrive
    while axe runs; they are left out. (axe then skips only css-orientation-lock on such imported sheets.)
    """

    audit: AxeAudit | None = None
    violations: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        def on_console(message):
            if "Content Security Policy" not in message.text:
                return
            if self.audit is not None and self.audit._busy and not message.location.get("url"):
                return  # axe-core's own scratch stylesheet (see above)
            self.violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def pop_violations(self) -> list[str]:
        found, self.violations = self.violations, []
        return found

    def assert_no_violations(self) -> None:
        if self.violations:
            unique = list(dict.fromkeys(self.violations))
            pytest.fail(
                f"The browser reported {len(unique)} Content-Security-Policy violation(s):\n  - "
                + "\n  - ".join(unique),
                pytrace=False,
            )


_active_audit: AxeAudit | None = None


def _install_call_hook() -> None:
    """Routes every sync Playwright call through the active audit first (see AxeAudit)."""
    from playwright._impl._sync_base import SyncBase

    original = SyncBase._sync
    if getattr(original, "_jangkau_axe", False):
        return

    def _sync(self, awaitable):
        __tracebackhide__ = True
        if _active_audit is not None:
            try:
                _active_audit.before_browser_call()
            except BaseException:
                if hasattr(awaitable, "close"):
                    awaitable.close()
                raise
        return original(self, awaitable)

    _sync._jangkau_axe = True
    SyncBase._sync = _sync


@pytest.fixture(scope="session")
def browser():
    problems = missing_prerequisites()
    if problems:
        pytest.fail("Browser tests cannot run:\n  " + "\n  ".join(problems), pytrace=False)
    from playwright.sync_api import sync_playwright

    _install_call_hook()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def axe(request, browser):
    global _active_audit
    audit = AxeAudit()
    request.node._jangkau_axe = audit
    _active_audit = audit
    yield audit
    _active_audit = None


@pytest.fixture
def csp(request, axe):
    watch = CspWatch(audit=axe)
    request.node._jangkau_csp = watch
    return watch


@pytest.fixture
def new_page(browser, live_server, axe, csp):
    contexts = []

    def make(**context_options):
        options = {"base_url": live_server.url, "locale": "id-ID", **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        axe.watch(page, scripts_enabled=options.get("java_script_enabled", True))
        csp.watch(page)
        return page

    yield make
    axe.stop()
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def staff_user(transactional_db):
    from jangkau.accounts.models import Role, User
    from jangkau.offices.models import Office

    office = Office.objects.create(code="bpmp-dki", name="BPMP Provinsi DKI Jakarta")
    return User.objects.create_user(
        username="ult", password=STAFF_PASSWORD, office=office, role=Role.ULT_OFFICER, first_name="Sari"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fails a test whose body passed when axe found violations on any page it visited, or the browser
    reported a Content-Security-Policy violation there."""
    result = yield
    audit = getattr(item, "_jangkau_axe", None)
    if audit is not None:
        audit.assert_no_violations()
    watch = getattr(item, "_jangkau_csp", None)
    if watch is not None:
        watch.assert_no_violations()
    return result
