"""No broken internal link or missing asset, over http and from disk (links name files)."""

from __future__ import annotations

from newsarchive.audit import crawl_http, page_path
from newsarchive.linkcheck import check_site


def test_every_link_and_asset_answers_over_http(site_http, fixture_site):
    root = fixture_site.output
    unlinked = tuple(p for p in ("404.html", page_path(root, "search")) if p)
    fetched, broken = crawl_http(site_http.base, "index.html", unlinked)
    assert broken == []
    pages = {p.relative_to(root).as_posix() for p in root.rglob("*.html")}
    assert pages - fetched == set(), "pages no link leads to"
    assert {"theme/css/archive.css", "theme/images/favicon.svg"} <= fetched


def test_every_link_names_an_existing_file_on_disk(fixture_site):
    assert check_site(fixture_site.output) == []
