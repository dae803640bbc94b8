"""Serve a built site under a URL path, as a host would: ``/archive/`` for ``https://h/archive``.

Paths outside the prefix are not found, ``/`` redirects to the site's
``index.html``, and every missing file gets the site's ``404.html`` (with
status 404), so the 404 page can be tried at any depth before publishing.
"""

from __future__ import annotations

import functools
import http.server
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from .server import SiteHandler, serve_until_interrupted


class PrefixHandler(SiteHandler):
    """Serve the site folder below ``prefix`` (``/`` or ``/path/``)."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        """Strip the prefix; anything outside it maps to a file that does not exist."""
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside__")
        return super().translate_path("/" + url_path[len(self.prefix) :])

    def _redirect_home(self) -> bool:
        path = urlsplit(self.path).path
        if self.prefix == "/" or path not in ("/", self.prefix.rstrip("/")):
            return False
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", f"{self.prefix}index.html")
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def do_GET(self) -> None:
        """GET, with ``/`` sent to the site's home."""
        if not self._redirect_home():
            super().do_GET()

    def do_HEAD(self) -> None:
        """HEAD, like GET."""
        if not self._redirect_home():
            super().do_HEAD()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A 404 shows the site's own 404.html, as static hosts do."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def normalise_prefix(prefix: str) -> str:
    """``archive`` / ``/archive`` / ``/archive/`` -> ``/archive/``; empty -> ``/``."""
    inner = prefix.strip("/")
    return f"/{inner}/" if inner else "/"


def make_prefixed_server(
    folder: Path, prefix: str = "/", host: str = "127.0.0.1", port: int = 8000
) -> http.server.ThreadingHTTPServer:
    """A threaded server for ``folder`` below ``prefix`` (port 0 picks a free port)."""
    handler_class = type(
        "BoundPrefixHandler", (PrefixHandler,), {"prefix": normalise_prefix(prefix)}
    )
    handler = functools.partial(handler_class, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve_prefixed(folder: Path, prefix: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``folder`` below ``prefix`` until interrupted."""
    if not folder.is_dir():
        raise SystemExit(f"{folder} does not exist: build it first")
    server = make_prefixed_server(folder, prefix, host, port)
    serve_until_interrupted(
        server,
        f"Serving {folder} on http://{host}:{server.server_address[1]}"
        f"{normalise_prefix(prefix)}index.html"
        " as it will be published (Ctrl-C to stop)",
    )
