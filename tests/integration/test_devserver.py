"""The dev server of ``make serve``, in process: what it serves, to whom, what restarts it.

The browser side (Chromium reloading under the pages' CSP) is in
tests/browser/test_live_reload.py; the warm site behind it, compared with cold
builds after each kind of save, in tests/integration/test_warm_preview.py.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.devserver import (
    CLIENT_JS,
    CLIENT_PATH,
    CLIENT_TAG,
    SOCKET_PATH,
    Browsers,
    error_page,
    listen,
    needs_restart,
    page_file,
    with_reload_client,
)
from newsarchive.warm import Problem

PAGE = b"<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>x</p></body></html>\n"


def test_the_client_tag_goes_before_the_first_head_end_only():
    html = b"<head><meta></head><body><pre>&lt;/head&gt; </head></pre></body>"
    assert with_reload_client(html) == (
        b"<head><meta>" + CLIENT_TAG + b"</head><body><pre>&lt;/head&gt; </head></pre></body>"
    )
    assert with_reload_client(b"no head at all") == b"no head at all"
    assert CLIENT_TAG == b'<script src="/__reload__/client.js"></script>'
    assert SOCKET_PATH in CLIENT_JS


def test_a_url_path_names_its_site_file():
    assert page_file("/") == "index.html"
    assert page_file("") == "index.html"
    assert page_file("/author/") == "author/index.html"
    assert page_file("/2020/10/a.html") == "2020/10/a.html"


def test_only_the_builds_code_and_settings_restart_the_server(tmp_path):
    plugins, settings = tmp_path / "plugins", tmp_path / "conf.py"
    code = [plugins, tmp_path / "newsarchive"]
    assert needs_restart([str(plugins / "related" / "matching.py")], code, settings)
    assert needs_restart([str(settings)], code, settings)
    assert not needs_restart([str(plugins / "related" / "README.md")], code, settings)
    assert not needs_restart([str(tmp_path / "seeds" / "a.txt")], code, settings)
    assert not needs_restart([str(tmp_path / "theme" / "templates" / "base.html")], code, settings)


def test_the_error_page_names_file_line_and_message_escaped():
    page = error_page(
        [
            Problem("theme/templates/base.html", "unexpected '}' <b>", 12),
            Problem("seeds/a<x>.txt", "binary file", None, "skipped"),
        ]
    )
    assert "<code>theme/templates/base.html</code>, line 12: unexpected '}' &lt;b&gt;" in page
    assert "<code>seeds/a&lt;x&gt;.txt</code>: binary file" in page
    assert f'<script src="{CLIENT_PATH}"></script></head>' in page


# --- over HTTP ---------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path) -> Path:
    folder = tmp_path / "site"
    (folder / "2020").mkdir(parents=True)
    (folder / "index.html").write_bytes(PAGE)
    (folder / "2020" / "a.html").write_bytes(PAGE)
    (folder / "style.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("outside the site")
    os.symlink(tmp_path / "secret.txt", folder / "leak.txt")
    return folder


@pytest.fixture
def served(site) -> Iterator[str]:
    """The dev server's app on a free port, in a thread of its own; its base URL."""
    ready = threading.Event()
    state: dict = {}

    async def main() -> None:
        server, port = listen(site, Browsers(), "127.0.0.1", 0)
        state.update(port=port, loop=asyncio.get_running_loop(), stop=asyncio.Event())
        ready.set()
        await state["stop"].wait()
        server.stop()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10)
    yield f"http://127.0.0.1:{state['port']}"
    state["loop"].call_soon_threadsafe(state["stop"].set)
    thread.join(10)


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_pages_are_served_with_the_client_files_on_disk_are_not_touched(served, site):
    for path, relative in (("/", "index.html"), ("/2020/a.html", "2020/a.html")):
        status, headers, body = _get(served + path)
        assert status == 200
        assert body == with_reload_client(PAGE)
        assert int(headers["Content-Length"]) == len(body)
        assert headers["Cache-Control"] == "no-cache"
        assert (site / relative).read_bytes() == PAGE

    status, headers, body = _get(served + "/style.css")
    assert (status, body) == (200, b"p { color: red }")
    status, headers, body = _get(served + CLIENT_PATH)
    assert (status, body.decode()) == (200, CLIENT_JS)
    assert headers["Content-Type"].startswith("text/javascript")


def test_a_rebuilt_page_is_never_answered_not_modified(served, site):
    status, headers, _ = _get(served + "/2020/a.html")
    assert status == 200
    (site / "2020" / "a.html").write_bytes(PAGE.replace(b"<p>x</p>", b"<p>rebuilt</p>"))
    request = urllib.request.Request(
        served + "/2020/a.html", headers={"If-None-Match": headers["Etag"]}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert b"<p>rebuilt</p>" in response.read()


def test_nothing_outside_the_site_folder_is_served(served):
    assert _get(served + "/leak.txt")[0] == 404
    connection = http.client.HTTPConnection(served.removeprefix("http://"), timeout=10)
    connection.request("GET", "/../secret.txt")
    assert connection.getresponse().status in {403, 404}
    connection.close()


def _upgrade(base: str, origin: str) -> int:
    """Status of a WebSocket handshake on the reload socket from ``origin``."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
    connection.request(
        "GET",
        SOCKET_PATH,
        headers={
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            "Sec-WebSocket-Version": "13",
            "Origin": origin,
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_reload_socket_answers_its_own_pages_only(served):
    assert _upgrade(served, served) == 101
    assert _upgrade(served, "https://elsewhere.example") == 403


def test_a_big_archives_first_build_runs_apart_and_leaves_the_site(tmp_path, monkeypatch):
    """From BUILD_APART_FROM seeds on, the first build runs in a process of its own (its
    memory is not the server's); it leaves the site and the content cache the server reads."""
    from newsarchive import devserver
    from newsarchive.build import ROOT, BuildOptions
    from tools.generate import generate_archive

    generate_archive(12, tmp_path / "seeds", seed=3)
    options = BuildOptions(
        settings_file=ROOT / "pelicanconf.py",
        seeds=tmp_path / "seeds",
        output=tmp_path / "out",
        report=tmp_path / "report.json",
    )
    monkeypatch.setattr(devserver, "BUILD_APART_FROM", 5)
    monkeypatch.setenv("ARCHIVE_STAGING_ROOT", str(tmp_path / "staging"))
    from pelican import signals

    built_here: list[object] = []

    def note(pelican_object: object) -> None:
        built_here.append(pelican_object)

    signals.finalized.connect(note)
    try:
        summary = devserver.build_apart(options)
        assert "Built 12 articles" in summary, summary
        assert built_here == [], "the build ran in the server's process"
        monkeypatch.setattr(devserver, "BUILD_APART_FROM", 50)  # a small archive: here
        devserver.build_apart(options)
        assert len(built_here) == 1
    finally:
        signals.finalized.disconnect(note)
    assert (tmp_path / "out" / "index.html").is_file()
    assert (tmp_path / "report.json").is_file()
