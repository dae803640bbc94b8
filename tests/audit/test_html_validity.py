"""The Nu HTML Checker (vnu.jar from npm, on Java) finds no error in the built site."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from newsarchive.audit import PAGE_TYPES, validate_html
from tests.site_pages import built_page


@pytest.fixture(scope="session")
def validator_errors(nu_checker, fixture_site, tmp_path_factory) -> dict[str, list[str]]:
    """Errors in every HTML page and stylesheet, by site-relative path: one JVM run.

    Two planted files with known errors go into the same run (under ``planted/``),
    so a checker that silently passes everything cannot pass the suite.
    """
    root = fixture_site.output
    planted = tmp_path_factory.mktemp("planted")
    (planted / "bad.html").write_text(
        "<!DOCTYPE html><html lang=en><title>x</title><p><div></p>", "utf-8"
    )
    (planted / "bad.css").write_text("p { colour: red; }", "utf-8")
    pages = [*sorted(root.rglob("*.html")), planted / "bad.html"]
    css = [*sorted(root.rglob("*.css")), planted / "bad.css"]
    errors: dict[str, list[str]] = defaultdict(list)
    for message in validate_html(pages, also_css=css):
        path = Path(message.file).resolve()
        if path.parent == planted.resolve():
            relative = f"planted/{path.name}"
        else:
            relative = path.relative_to(root.resolve()).as_posix()
        errors[relative].append(f"line {message.line}: {message.message} [{message.extract}]")
    return errors


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_is_valid_html(validator_errors, fixture_site, page_type):
    relative = built_page(fixture_site, page_type)
    assert validator_errors.get(relative, []) == []


def test_whole_site_is_valid_html_and_css(validator_errors):
    site_errors = {k: v for k, v in validator_errors.items() if not k.startswith("planted/")}
    assert site_errors == {}


def test_the_checker_does_catch_errors(validator_errors):
    """Guard against a checker that silently passes everything."""
    assert validator_errors["planted/bad.html"]
    assert validator_errors["planted/bad.css"]
