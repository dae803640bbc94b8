"""Browser fixtures: Chromium driven by Playwright, over http and file://.

The browser is found from ``ARCHIVE_TEST_BROWSER``, then ``PATH`` (Debian's
``chromium``), then Playwright's own download.  With none, browser tests are
skipped with a visible reason; CI sets ``ARCHIVE_REQUIRE_BROWSER=1`` so a
missing browser fails there instead of silently skipping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsarchive.audit import (
    AXE_SCRIPT,
    CHROMIUM_ARGS,
    StaticSite,
    find_browser_executable,
)


def _no_browser(reason: str) -> None:
    if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser required (ARCHIVE_REQUIRE_BROWSER=1) but unavailable: {reason}")
    pytest.skip(f"browser tests skipped: {reason} (install chromium or set ARCHIVE_TEST_BROWSER)")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements.lock
        _no_browser("the playwright package is not installed")
    manager = sync_playwright().start()
    executable = find_browser_executable()
    try:
        launched = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:  # any launch failure means "no browser here"
        manager.stop()
        _no_browser(
            f"could not launch Chromium ({executable or 'Playwright default'}): {exc}".splitlines()[
                0
            ]
        )
    yield launched
    launched.close()
    manager.stop()


@dataclass
class PageWatch:
    """What a page did that a test must check: console errors, off-site requests, missing files."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def clear(self) -> None:
        """Forget everything recorded so far."""
        for recorded in (
            self.console_errors,
            self.page_errors,
            self.foreign_requests,
            self.failed_requests,
        ):
            recorded.clear()

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.foreign_requests == [], self.foreign_requests
        assert self.failed_requests == [], self.failed_requests


def watch_page(page: object, allowed_hosts: set[str]) -> PageWatch:
    """Record console errors, uncaught exceptions, requests to other hosts and failed loads."""
    watch = PageWatch()
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda e: watch.page_errors.append(str(e)))

    def on_request(request: object) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"file", "data", "blob", "about"}:
            return
        if parts.hostname not in allowed_hosts:
            watch.foreign_requests.append(request.url)

    def on_failed(request: object) -> None:
        # ERR_ABORTED: cancelled by the next navigation, not a missing file
        if request.failure != "net::ERR_ABORTED":
            watch.failed_requests.append(f"{request.url}: {request.failure}")

    def on_response(response: object) -> None:
        if response.status >= 400:
            watch.failed_requests.append(f"{response.url}: HTTP {response.status}")

    page.on("request", on_request)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    return watch


@pytest.fixture(scope="session")
def axe_core() -> Path:
    """axe-core's script from node_modules (npm ci); skipped, or failed under CI, without it."""
    if not AXE_SCRIPT.is_file():
        _no_browser(f"{AXE_SCRIPT.relative_to(AXE_SCRIPT.parents[2])} is missing (run `npm ci`)")
    return AXE_SCRIPT


def file_url(folder: Path, relative: str) -> str:
    """A ``file://`` URL for a page of a built site."""
    return (folder / relative).resolve().as_uri()


@pytest.fixture(scope="session")
def fixture_http(fixture_site) -> Iterator[StaticSite]:
    """The fixture archive served over http."""
    site = StaticSite(fixture_site.output)
    yield site
    site.close()


@pytest.fixture
def new_page(browser):
    """Factory: a fresh page (own context) with a :class:`PageWatch` attached."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        return page, watch_page(page, {"127.0.0.1", "localhost"})

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=["http", "file"])
def open_site(request, fixture_site, fixture_http):
    """``relative path -> URL`` of the fixture site, once over http and once from disk."""
    if request.param == "http":
        return fixture_http.url
    return lambda relative: file_url(fixture_site.output, relative)


@pytest.fixture(scope="session")
def _shared_pages(browser):
    cache: dict[str, tuple[object, object, PageWatch]] = {}
    yield cache
    for context, _, _ in cache.values():
        context.close()


@pytest.fixture
def shared_page(browser, _shared_pages):
    """Factory like ``new_page``, but one page per set of context options for the session.

    A new browser context costs a few hundred milliseconds; tests that only load
    pages and read them share one.  The page starts blank and its watch empty;
    tests that change the page's state (media emulation, storage) use ``new_page``.
    """

    def get(**context_options):
        key = json.dumps(context_options, sort_keys=True)
        if key not in _shared_pages:
            context = browser.new_context(**context_options)
            page = context.new_page()
            _shared_pages[key] = (context, page, watch_page(page, {"127.0.0.1", "localhost"}))
        _, page, watch = _shared_pages[key]
        page.goto("about:blank")
        watch.clear()
        return page, watch

    return get
