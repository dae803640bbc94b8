"""The dev server of ``make serve``: the built site, rebuilt and reloaded in the browser on a change.

The pages allow same-origin script files only (``script-src 'self'``), so the
reload client cannot be an inline snippet (as livereload's is: Chromium refuses
it and nothing reloads).  This server adds ``<script src="/__reload__/client.js">``
to each HTML page as it sends it, never to the files on disk, so a built, zipped
or deployed site carries no trace of it and never tries to reach this server.
The client listens on a same-origin WebSocket (``connect-src 'self'``) and
reloads the page when a rebuild has finished.

Bound to 127.0.0.1 by default.  Files are served only from inside the site
folder: tornado refuses ``..``, and a path whose real location (symlinks
followed) is outside the folder is answered 404.  The socket refuses other
origins (tornado's default), so no other web page can listen in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tornado import httputil, netutil, web, websocket
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback

logger = logging.getLogger(__name__)

CLIENT_PATH = "/__reload__/client.js"
SOCKET_PATH = "/__reload__/socket"
CLIENT_TAG = f'<script src="{CLIENT_PATH}"></script>'.encode()
HEAD_END = b"</head>"
POLL_SECONDS = 0.3
#: Editor droppings and bytecode: never a reason to rebuild.
IGNORED_SUFFIXES = (".pyc", ".pyo", ".swp", ".swx", ".tmp", "~")
IGNORED_DIRS = frozenset({"__pycache__", ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache"})

#: Served at CLIENT_PATH, listens on SOCKET_PATH: reload on "reload"; and once when the server
#: comes back after a restart (it has rebuilt).
CLIENT_JS = """\
// Dev server only (make serve): reload the page when the site has been rebuilt.
// Added to pages as newsarchive/devserver.py sends them; never part of the built site.
(() => {
  "use strict";
  const url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/__reload__/socket`;
  let seen = false;
  let delay = 500;
  const connect = () => {
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      delay = 500;
      if (seen) location.reload();
      seen = true;
    });
    socket.addEventListener("message", (event) => {
      if (event.data === "reload") location.reload();
    });
    socket.addEventListener("close", () => {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 8000);
    });
  };
  connect();
})();
"""


def watched_paths(settings: dict, seeds: Path, settings_file: Path) -> list[Path]:
    """What a build reads that a person edits: seeds, pages, theme, plugins, the settings file."""
    paths = [seeds, Path(settings["PATH"]), Path(settings["THEME"])]
    paths += [Path(folder) for folder in settings.get("PLUGIN_PATHS", [])]
    return [*paths, settings_file]


def with_reload_client(html: bytes) -> bytes:
    """``html`` with the reload client's script tag before its first ``</head>`` (if any)."""
    return html.replace(HEAD_END, CLIENT_TAG + HEAD_END, 1)


# --- what changed ---------------------------------------------------------------------

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """``file -> (mtime_ns, size)`` of every watched file: a file, or all files below a folder."""
    found: Snapshot = {}
    for path in paths:
        if path.is_file():
            _record(found, str(path))
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = [name for name in dirs if name not in IGNORED_DIRS]
            for name in files:
                if not name.endswith(IGNORED_SUFFIXES):
                    _record(found, os.path.join(folder, name))
    return found


def _record(found: Snapshot, file: str) -> None:
    try:
        stat = os.stat(file)
    except OSError:  # deleted between listing and stat: it is simply gone
        return
    found[file] = (stat.st_mtime_ns, stat.st_size)


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


# --- the web application ----------------------------------------------------------------


class Browsers:
    """The pages connected to the reload socket."""

    def __init__(self) -> None:
        self.sockets: set[websocket.WebSocketHandler] = set()

    def reload(self) -> int:
        """Tell every connected page to reload; how many were told."""
        for socket in list(self.sockets):
            try:
                socket.write_message("reload")
            except websocket.WebSocketClosedError:
                self.sockets.discard(socket)
        return len(self.sockets)


class ReloadSocket(websocket.WebSocketHandler):
    """One page's reload channel; same-origin only (tornado's ``check_origin``)."""

    def initialize(self, browsers: Browsers) -> None:
        """Tornado's per-request set-up: the registry of connected pages."""
        self.browsers = browsers

    def open(self) -> None:
        """Say hello (tests wait for it), then wait for a rebuild."""
        self.browsers.sockets.add(self)
        self.write_message("hello")

    def on_message(self, message: str | bytes) -> None:
        """The client sends nothing; ignore whatever arrives."""

    def on_close(self) -> None:
        """The page went away (reloaded, navigated, closed)."""
        self.browsers.sockets.discard(self)


class ReloadClient(web.RequestHandler):
    """The reload client script."""

    def get(self) -> None:
        """The script, revalidated on every load."""
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(CLIENT_JS)


class SiteFiles(web.StaticFileHandler):
    """Files of the site folder, always revalidated, never from outside it."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """404 for a path whose real location is outside the site folder."""
        real_root = os.path.realpath(root)
        try:
            real = os.path.realpath(absolute_path)
        except (OSError, ValueError) as error:  # NUL byte, symlink loop
            raise web.HTTPError(404) from error
        if real != real_root and not real.startswith(real_root + os.sep):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def set_extra_headers(self, path: str) -> None:
        """A rebuilt page must never come from the browser's cache."""
        self.set_header("Cache-Control", "no-cache")


class ReloadClientInjector(web.OutputTransform):
    """Adds the reload client's script tag to every HTML page sent."""

    def transform_first_chunk(
        self,
        status_code: int,
        headers: httputil.HTTPHeaders,
        chunk: bytes,
        finishing: bool,
    ) -> tuple[int, httputil.HTTPHeaders, bytes]:
        """Insert the tag before ``</head>`` and correct the length."""
        if status_code == 200 and headers.get("Content-Type", "").startswith("text/html"):
            injected = with_reload_client(chunk)
            if injected != chunk and "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(CLIENT_TAG))
            chunk = injected
        return status_code, headers, chunk


def make_app(folder: Path, browsers: Browsers) -> web.Application:
    """The site folder, the reload client and its socket."""
    return web.Application(
        [
            (SOCKET_PATH, ReloadSocket, {"browsers": browsers}),
            (CLIENT_PATH, ReloadClient),
            (r"/(.*)", SiteFiles, {"path": str(folder), "default_filename": "index.html"}),
        ],
        transforms=[ReloadClientInjector],
        static_hash_cache=False,  # ETags from the file as it is now: a rebuilt page is never a 304
    )


def listen(folder: Path, browsers: Browsers, host: str, port: int) -> tuple[HTTPServer, int]:
    """Start serving on the running event loop; the server and its port (0: a free one)."""
    sockets = netutil.bind_sockets(port, address=host)
    server = HTTPServer(make_app(folder, browsers))
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


# --- watch, rebuild, reload ---------------------------------------------------------------


class Rebuilder:
    """Rebuild after a change to a watched file; reload the browsers when the build succeeded."""

    def __init__(
        self, watched: Sequence[Path], rebuild: Callable[[], int], browsers: Browsers
    ) -> None:
        self.watched = list(watched)
        self.rebuild = rebuild
        self.browsers = browsers
        self.seen = snapshot(self.watched)

    def poll(self) -> None:
        """Rebuild once for whatever changed since the last look (edits during a build: next time)."""
        now = snapshot(self.watched)
        changed = changed_files(self.seen, now)
        if not changed:
            return
        self.seen = now
        more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
        logger.info("Changed: %s%s; rebuilding", changed[0], more)
        started = time.perf_counter()
        if self.rebuild() != 0:
            return  # the build said why; the site on disk is the last good one
        told = self.browsers.reload()
        logger.info(
            "Rebuilt in %.1f s; reloading %d browser page(s)", time.perf_counter() - started, told
        )


def serve_with_reload(
    folder: Path,
    watched: Sequence[Path],
    rebuild: Callable[[], int],
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Build, serve ``folder``; on a change under ``watched``, ``rebuild()`` and reload the browsers."""
    browsers = Browsers()
    rebuilder = Rebuilder(watched, rebuild, browsers)  # a change during the first build: rebuilt
    rebuild()

    async def run() -> None:
        _, bound = listen(folder, browsers, host, port)
        logger.info(
            "Serving %s on http://%s:%s/index.html; watching %s (Ctrl-C to stop)",
            folder,
            host,
            bound,
            ", ".join(str(path) for path in watched),
        )
        PeriodicCallback(rebuilder.poll, POLL_SECONDS * 1000).start()
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the end, not an error
        asyncio.run(run())
