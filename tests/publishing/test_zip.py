"""invoke zip: an offline bundle that works after unzipping anywhere."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from bs4 import BeautifulSoup

from newsarchive import publish as pub
from newsarchive.linkcheck import check_site
from sitewide.settings import search_page as sitewide_search_page
from tests.conftest import FIXTURE_ARCHIVE

from .conftest import PELICANCONF, article_pages, settings_of
from .test_publish import invoke


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    base = tmp_path_factory.mktemp("bundle")
    path = pub.offline_bundle(
        PELICANCONF,
        base / "site",
        base / "dist",
        day=date(2024, 3, 9),
        seeds=FIXTURE_ARCHIVE,
        report=base / "r.json",
    )
    return base, path


def test_bundle_name_and_layout(bundle):
    base, path = bundle
    assert path == base / "dist" / "archive-2024-03-09.zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert names == sorted(names)
    assert all(name.startswith("archive-2024-03-09/") for name in names)
    assert "archive-2024-03-09/index.html" in names
    assert not [n for n in names if n.endswith((".gz", ".br", ".zst"))]


def test_unzipped_bundle_links_only_inside_itself(bundle, tmp_path):
    _, path = bundle
    elsewhere = tmp_path / "some" / "where"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(elsewhere)
    root = elsewhere / "archive-2024-03-09"
    assert (root / "index.html").is_file()
    assert len(article_pages(root)) == 9
    assert check_site(root) == []
    for page in root.rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(["link", "script", "img", "form"]):
            url = tag.get("href") or tag.get("src") or tag.get("action") or ""
            assert not url.startswith(("http:", "https:", "//", "/")), (page, url)
        assert soup.find("link", rel="canonical") is None


def test_bundle_includes_search_when_the_archive_has_it(bundle):
    base, _ = bundle
    settings = settings_of(PELICANCONF)
    if "lunr_search" not in (settings.get("PLUGINS") or []):
        pytest.skip("the search plugin is not enabled in pelicanconf.py yet")
    search_page = sitewide_search_page(settings)
    site = base / "site"
    assert (site / search_page).is_file()
    assert (site / "search").is_dir() and any((site / "search").iterdir())
    assert check_site(site) == []


def test_broken_links_refuse_a_bundle(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="missing.html">x</a>', "utf-8")
    with pytest.raises(pub.PublishRefused, match=r"missing\.html"):
        pub.check_offline(site)


def test_invoke_zip_end_to_end(tmp_path):
    result = invoke(
        "zip",
        "--dest",
        str(tmp_path),
        "--seeds",
        str(FIXTURE_ARCHIVE),
        "--output",
        str(tmp_path / "site"),
        "--report",
        str(tmp_path / "r.json"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    bundles = list(tmp_path.glob("archive-*.zip"))
    assert [b.name for b in bundles] == [f"{pub.bundle_name(date.today())}.zip"]
    assert "Offline bundle:" in result.stdout
