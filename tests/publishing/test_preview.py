"""invoke preview's server: the publish build under its SITEURL's path, 404 page at any depth."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest

from newsarchive.preview import make_prefixed_server, normalise_prefix


@pytest.fixture
def served(publish_site, public_url):
    from newsarchive.publish import url_prefix

    prefix = url_prefix(public_url)
    server = make_prefixed_server(publish_site.output, prefix, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", prefix
    server.shutdown()
    server.server_close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def test_site_is_served_under_its_path(served, publish_site):
    base, prefix = served
    status, _, body = fetch(f"{base}{prefix}index.html")
    assert status == 200 and body == publish_site.page("index.html")
    status, _, _ = fetch(f"{base}{prefix}authors/mariam-harutyunyan.html")
    assert status == 200
    if prefix != "/":
        status, headers, _ = fetch(f"{base}/")
        assert status == 302 and headers["Location"] == f"{prefix}index.html"
        status, _, _ = fetch(f"{base}/index.html")
        assert status == 404, "nothing outside the path"


def test_missing_pages_get_the_404_page_at_any_depth(served, publish_site):
    base, prefix = served
    status, _, body = fetch(f"{base}{prefix}a/b/missing.html")
    assert status == 404
    assert body == publish_site.page("404.html")
    assert "Page not found" in body


def test_normalise_prefix():
    assert normalise_prefix("archive") == normalise_prefix("/archive/") == "/archive/"
    assert normalise_prefix("") == normalise_prefix("/") == "/"
