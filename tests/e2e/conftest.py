"""Browser fixtures for the end-to-end tests: one Chromium per session (the machine's Debian
package, never a downloaded one), a fresh context per page, the live server with the real
track loaded, and a full-page screenshot in test-artifacts/e2e/ when a test fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in the test thread; without this Django refuses
# every ORM call the test makes. It must be set before anything touches the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
TIMEOUT_MS = 15_000


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (item.rep_setup, rep_call, rep_teardown), so
    fixture finalizers can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _launch_args() -> list[str]:
    args = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
    ]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (contexts keep the tests apart)."""
    if not os.access(CHROMIUM, os.X_OK):  # tests/conftest.py skips e2e tests first; belt and braces
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=_launch_args())
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodename).strip("_")


@pytest.fixture
def site(live_server, settings, track):
    """The live server's base URL, with the whole track loaded and outside links
    (invitations, certificate URLs) pointing at the live server."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def new_page(request, browser, site):
    """Make a page in a fresh browser context (its own cookies: one person each).
    On failure every page the test opened is saved as a full-page screenshot; a script error or
    console error in any page (a CSP violation, a failed asset) fails an otherwise passing test."""
    contexts = []
    pages = []
    browser_errors: list[str] = []

    def make(label: str = ""):
        context = browser.new_context(base_url=site, accept_downloads=True, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda exc, label=label: browser_errors.append(f"[{label}] page error: {exc}"))
        page.on(
            "console",
            lambda msg, label=label: (
                msg.type == "error"
                and browser_errors.append(f"[{label}] console error: {msg.text} ({msg.location.get('url', '')})")
            ),
        )
        contexts.append(context)
        pages.append((label, page))
        return page

    yield make

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        base = _artifact_name(request.node.name)
        for index, (label, page) in enumerate(pages):
            name = base if index == 0 else f"{base}-{_artifact_name(label) or index}"
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"could not save a screenshot of {name}: {exc}")
    for context in contexts:
        context.close()
    if browser_errors:
        message = "the browser reported errors (a script failed, or the CSP blocked something):\n" + "\n".join(
            browser_errors
        )
        if report is not None and report.passed:
            pytest.fail(message, pytrace=False)
        print(message)


@pytest.fixture
def page(new_page):
    return new_page("learner")
