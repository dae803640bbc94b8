"""axe-core (npm, injected into Chromium) finds no violation on any page type, light or dark."""

from __future__ import annotations

import pytest

from newsarchive.audit import PAGE_TYPES, describe_violations, run_axe
from tests.site_pages import built_page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_axe_reports_no_violations(
    axe_core, shared_page, fixture_http, fixture_site, page_type, scheme
):
    relative = built_page(fixture_site, page_type)
    page, watch = shared_page(bypass_csp=True, color_scheme=scheme)
    page.goto(fixture_http.url(relative), wait_until="load")
    violations = run_axe(page)
    assert violations == [], f"{relative} ({scheme}):\n{describe_violations(violations)}"
    watch.assert_clean()


def test_axe_does_catch_violations(axe_core, shared_page, fixture_http):
    """Guard against an axe run that silently passes everything."""
    page, _ = shared_page(bypass_csp=True, color_scheme="light")
    page.goto(fixture_http.url("about.html"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    assert "image-alt" in {violation["id"] for violation in run_axe(page)}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_search_results(axe_core, shared_page, fixture_http, fixture_site, scheme):
    """The search page with a query (?q= deep link) and its results rendered."""
    relative = built_page(fixture_site, "search")
    page, watch = shared_page(bypass_csp=True, color_scheme=scheme)
    page.goto(fixture_http.url(f"{relative}?q=ferry"), wait_until="networkidle")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length === 3")
    violations = run_axe(page)
    assert violations == [], f"{relative}?q=ferry ({scheme}):\n{describe_violations(violations)}"
    watch.assert_clean()
