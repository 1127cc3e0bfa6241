"""Shared pytest set-up: how many examples the property tests (hypothesis) draw, and what
happens to the grading tests where no sandbox can run.

`make test` runs every property test with its full number of examples (the "thorough" profile,
the default: 200 where a test does not set its own). `make test-fast`, the inner loop, sets
HYPOTHESIS_PROFILE=quick and draws a quarter as many, so it stays within about a minute.

Tests marked ``sandbox`` grade student code in bubblewrap. Where it cannot run (macOS, no user
namespaces) they are skipped with the reason, except under ``CI=true``: CI installs bubblewrap,
so there a missing sandbox is a failure, not a silent skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("thorough", max_examples=200, deadline=None)
settings.register_profile("quick", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "thorough"))


def pytest_collection_modifyitems(config, items):
    wanted = [item for item in items if "sandbox" in item.keywords]
    if not wanted or os.environ.get("CI", "").lower() == "true":
        return
    from course_lib.grading.sandbox import check_sandbox

    reason = check_sandbox()
    if reason:
        for item in wanted:
            item.add_marker(pytest.mark.skip(reason=f"no grading sandbox here: {reason}"))


# -- the browser tests (tests/test_browser.py, tests/test_accessibility_controls.py) ----------
# One Playwright and one Chromium for the whole session: the sync API cannot be started twice
# in one process while the first is running.

CHROMIUM = os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; skips the browser tests when it or Playwright is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        pytest.skip(f"playwright cannot be imported ({error}): pip install playwright")
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
            "to run the browser tests (or set COURSE_CHROMIUM to its path)"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    """Headless Chromium, driven by Playwright's sync API."""
    from lab_server import CHROMIUM_FLAGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()
