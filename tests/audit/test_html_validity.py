"""The Nu HTML Checker (vnu.jar from npm, on Java) finds no error in the built site."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from newsarchive.audit import PAGE_TYPES, validate_html

from .conftest import built_page


@pytest.fixture(scope="session")
def validator_errors(nu_checker, fixture_site) -> dict[str, list[str]]:
    """Every error in every HTML page (and the stylesheet), by site-relative path: one JVM run."""
    root = fixture_site.output
    pages = sorted(root.rglob("*.html"))
    css = sorted(root.rglob("*.css"))
    errors: dict[str, list[str]] = defaultdict(list)
    for message in validate_html(pages, also_css=css):
        relative = Path(message.file).resolve().relative_to(root.resolve()).as_posix()
        errors[relative].append(f"line {message.line}: {message.message} [{message.extract}]")
    return errors


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_is_valid_html(validator_errors, fixture_site, page_type):
    relative = built_page(fixture_site, page_type)
    assert validator_errors.get(relative, []) == []


def test_whole_site_is_valid_html_and_css(validator_errors):
    assert dict(validator_errors) == {}


def test_the_checker_does_catch_errors(nu_checker, tmp_path):
    """Guard against a checker that silently passes everything."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>", "utf-8")
    style = tmp_path / "bad.css"
    style.write_text("p { colour: red; }", "utf-8")
    messages = validate_html([bad], also_css=[style])
    assert {Path(m.file).name for m in messages} == {"bad.html", "bad.css"}
