"""The dev server of ``make serve``: the archive kept warm, a save shown in the browser at once.

The server holds the archive in memory (``warm.py``): a save is read, the
cross-article work runs again, and the pages the browsers have in view are
written first; they are then told to reload.  Every other page is written in
the background, or as soon as a browser asks for it: a request never gets a
page older than the last save.  A stylesheet or script of the theme is copied
as it is, with no build at all.  A change to the code that builds (plugins, the
settings file) restarts the server process (``make serve`` starts it again).
A save that breaks the build (a seed that cannot be read, a template error)
shows an error page naming the file, the line and the problem, in place of
every page, until the next good save.

The pages allow same-origin script files only (``script-src 'self'``), so the
reload client cannot be an inline snippet (as livereload's is: Chromium refuses
it and nothing reloads).  This server adds ``<script src="/__reload__/client.js">``
to each HTML page as it sends it, never to the files on disk, so a built, zipped
or deployed site carries no trace of it and never tries to reach this server.
The client listens on a same-origin WebSocket (``connect-src 'self'``), says
which page it shows, and reloads the page when told to.

Bound to 127.0.0.1 by default.  Files are served only from inside the site
folder: tornado refuses ``..``, and a path whose real location (symlinks
followed) is outside the folder is answered 404.  The socket refuses other
origins (tornado's default), so no other web page can listen in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tornado import httputil, netutil, web, websocket
from tornado.httpserver import HTTPServer

logger = logging.getLogger(__name__)

CLIENT_PATH = "/__reload__/client.js"
SOCKET_PATH = "/__reload__/socket"
CLIENT_TAG = f'<script src="{CLIENT_PATH}"></script>'.encode()
HEAD_END = b"</head>"
#: The exit status that asks ``make serve`` to start the server again (the build's code changed).
RESTART = 3
#: Longest wait, in a request, for a file the background is still writing (the search index).
WAIT_SECONDS = 300.0
#: How long a save's build waits for the browsers to be told before it goes on.
TELL_SECONDS = 2.0

#: Served at CLIENT_PATH, listens on SOCKET_PATH: says which page it shows, reloads on "reload";
#: and once when the server comes back after a restart.
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
      socket.send(location.pathname);
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


def with_reload_client(page: bytes) -> bytes:
    """``page`` with the reload client's script tag before its first ``</head>`` (if any)."""
    return page.replace(HEAD_END, CLIENT_TAG + HEAD_END, 1)


def page_file(url_path: str) -> str:
    """The site file a URL path names (``""`` and folders: their ``index.html``)."""
    file = url_path.lstrip("/")
    if not file or file.endswith("/"):
        file += "index.html"
    return file


# --- the web application ----------------------------------------------------------------


class Browsers:
    """The pages connected to the reload socket, and which page each shows."""

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

    def in_view(self) -> list[str]:
        """The site files the connected pages show."""
        return sorted({page_file(s.in_view) for s in self.sockets if getattr(s, "in_view", "")})


class ReloadSocket(websocket.WebSocketHandler):
    """One page's reload channel; same-origin only (tornado's ``check_origin``)."""

    def initialize(self, browsers: Browsers) -> None:
        """Tornado's per-request set-up: the registry of connected pages."""
        self.browsers = browsers
        self.in_view = ""

    def open(self) -> None:
        """Say hello (tests wait for it), then wait for a rebuild."""
        self.browsers.sockets.add(self)
        self.write_message("hello")

    def on_message(self, message: str | bytes) -> None:
        """The client says which page it shows (its path): that page is written first."""
        if isinstance(message, str) and message.startswith("/") and len(message) < 2048:
            self.in_view = message

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
    """Files of the site folder, current with the last save, never from outside it."""

    def initialize(  # type: ignore[override]
        self, path: str, default_filename: str | None = None, site: Any = None
    ) -> None:
        """Tornado's per-request set-up; ``site`` answers whether a file is current."""
        super().initialize(path, default_filename)
        self.site = site

    async def get(self, path: str, include_body: bool = True) -> None:
        """Wait until the file is current (written now if it is a page), then send it."""
        if self.site is not None:
            loop = asyncio.get_running_loop()
            answer = await loop.run_in_executor(None, self.site.current, page_file(path))
            if answer is GONE:
                raise web.HTTPError(404)
            if isinstance(answer, str):  # the last save broke the build: say where
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-cache")
                self.finish(answer)
                return
        await super().get(path, include_body)

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


def make_app(folder: Path, browsers: Browsers, site: Any = None) -> web.Application:
    """The site folder, the reload client and its socket."""
    files = {"path": str(folder), "default_filename": "index.html", "site": site}
    return web.Application(
        [
            (SOCKET_PATH, ReloadSocket, {"browsers": browsers}),
            (CLIENT_PATH, ReloadClient),
            (r"/(.*)", SiteFiles, files),
        ],
        transforms=[ReloadClientInjector],
        static_hash_cache=False,  # ETags from the file as it is now: a rebuilt page is never a 304
    )


def listen(
    folder: Path, browsers: Browsers, host: str, port: int, site: Any = None
) -> tuple[HTTPServer, int]:
    """Start serving on the running event loop; the server and its port (0: a free one)."""
    sockets = netutil.bind_sockets(port, address=host)
    server = HTTPServer(make_app(folder, browsers, site))
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


# --- the warm site behind the server ------------------------------------------------------

#: ``LiveSite.current`` answer: the file is gone since the last save (404).
GONE = object()


def error_page(problems: Sequence[Any]) -> str:
    """The page shown in place of every page while the last save does not build."""
    items = "\n".join(
        "<li><code>{}</code>{}: {}</li>".format(
            html.escape(problem.file, quote=False),
            f", line {problem.line}" if problem.line else "",
            html.escape(problem.message, quote=False),
        )
        for problem in problems
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>The last save did not build</title>"
        f'<script src="{CLIENT_PATH}"></script></head>\n'
        '<body><main style="font: 1rem/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem">'
        "<h1>The last save did not build</h1>\n"
        f"<ul>\n{items}\n</ul>\n"
        "<p>The server is still running: save a fix and this page reloads by itself.</p>"
        "</main></body></html>\n"
    )


class LiveSite:
    """Between the web server and the warm site: what to do on a save, what a request waits for."""

    def __init__(self, site: Any, browsers: Browsers, loop: asyncio.AbstractEventLoop) -> None:
        self.site = site
        self.browsers = browsers
        self.loop = loop
        search = site.settings.get("LUNR_SEARCH") or {}
        self.search_root = str(search.get("OUTPUT_DIR") or "search").strip("/")
        self.theme_static = Path(site.settings["THEME"]) / "static"
        self.static_dir = str(site.settings.get("THEME_STATIC_DIR") or "theme")
        self.build_lock = threading.Lock()

    def current(self, file: str) -> Any:
        """``file`` made current (written now if it is a page still to write).

        None when it can be sent from disk, :data:`GONE` when the last save
        removed it, the error page when the last save broke the build.
        """
        while True:
            change = self.site.change
            if change is None:
                return None
            if change.problems and file.endswith(".html"):
                return error_page(change.problems)
            name = self.site.owner(change, file)
            if name is not None:
                if self.site.write(change, name):
                    change.asked += 1
                if change.problems:
                    return error_page(change.problems)
            elif file in change.gone:
                return GONE
            elif self.site.written_alone(change, file):
                pass  # the page in view, written ahead of its listing: no need to wait
            elif file.startswith(self.search_root + "/"):
                change.done.wait(WAIT_SECONDS)
            elif not change.done.is_set():
                self.site.settled()
            if change is self.site.change:
                return None

    def on_change(self, changed: Iterable[str]) -> None:
        """Bring the site up to a save (in a build thread): pages in view, reload, the rest."""
        changed = sorted(changed)
        with self.build_lock:
            started = time.perf_counter()
            if all(self._is_theme_static(path) for path in changed):
                self._copy_theme_static(changed)
                self._reload(started, "stylesheet or script copied")
                return
            from .warm import collector_paused

            # The collector waits until the browsers are told: a full collection over the
            # warm archive (a tenth of a second at 10,000 articles) would hold up the message.
            with collector_paused():
                change = self.site.apply(changed)
                for file in self.browsers.in_view():
                    self.site.write_in_view(change, file)
                if change.problems:
                    for problem in change.problems:
                        logger.error("Build failed: %s: %s", problem.file, problem.message)
                self._reload(started, f"{change.how} {change.model_seconds:.2f} s").wait(
                    TELL_SECONDS
                )
            threading.Thread(target=self._finish, args=(change,), daemon=True).start()

    def _finish(self, change: Any) -> None:
        started = time.perf_counter()
        self.site.finish(change)
        if not change.abandoned:
            logger.info(
                "Whole site current %.1f s after the pages in view (%d written on request first)",
                time.perf_counter() - started,
                change.asked,
            )

    def _reload(self, started: float, detail: str) -> threading.Event:
        """Tell the browsers to reload (on the server's loop); the event is set once told."""
        seconds = time.perf_counter() - started
        done = threading.Event()

        def tell() -> None:
            try:
                told = self.browsers.reload()
            finally:
                done.set()
            logger.info(
                "Rebuilt in %.2f s (%s); reloading %d browser page(s)", seconds, detail, told
            )

        self.loop.call_soon_threadsafe(tell)
        return done

    def _is_theme_static(self, path: str) -> bool:
        return Path(path).is_relative_to(self.theme_static)

    def _copy_theme_static(self, changed: Iterable[str]) -> None:
        """Copy edited theme files where the build puts them (site and output), or remove them."""
        for path in map(Path, changed):
            relative = path.relative_to(self.theme_static)
            for root in (self.site.site_dir, self.site.output):
                target = root / self.static_dir / relative
                if path.is_file():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                else:
                    target.unlink(missing_ok=True)


# --- watch, rebuild, reload ---------------------------------------------------------------

#: Files whose change needs a new process: the code that builds, and its settings.
CODE_SUFFIXES = (".py",)


def needs_restart(changed: Iterable[str], code_folders: Sequence[Path], settings: Path) -> bool:
    """Whether a change touches the build's code (a plugin, newsarchive) or its settings file."""
    for path in map(Path, changed):
        if path == settings or path.name == "pelicanconf.py":
            return True
        if path.suffix in CODE_SUFFIXES and any(path.is_relative_to(f) for f in code_folders):
            return True
    return False


async def watch(
    live: LiveSite, watched: Sequence[Path], code_folders: Sequence[Path], settings: Path
) -> int:
    """Follow saves under ``watched`` until the build's code changes (then :data:`RESTART`)."""
    import watchfiles

    loop = asyncio.get_running_loop()
    existing = [str(path) for path in watched if path.exists()]
    async for changes in watchfiles.awatch(*existing, step=30, debounce=1000):
        changed = {path for _, path in changes}
        if needs_restart(changed, code_folders, settings):
            logger.info("The build's code or settings changed: restarting the server")
            return RESTART
        await loop.run_in_executor(None, live.on_change, changed)
    return 0


def _build_summary(options: Any, apart: bool = False) -> str:
    """The first build (``apart``: in a process of its own, see :func:`build_apart`)."""
    from .__main__ import setup_logging
    from .build import run_build

    if apart:
        setup_logging()
    return run_build(options).summary()


#: From this many seed files on, the first build runs in a process of its own.
BUILD_APART_FROM = 2000


def build_apart(options: Any) -> str:
    """Run the first build (in a process of its own for a big archive); its summary.

    A cold build of 10,000 articles peaks near a gigabyte; in the server's
    process that memory would stay allocated (to Python, if not to objects) for
    as long as the server runs, beside the warm archive.  The server then reads
    the articles from the content cache the build leaves.  A small archive is
    built in the server's process: starting another costs more than it saves.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .build import build_settings, count_files

    try:
        seeds = Path(build_settings(options)["ARTICLE_PATHS"][0])
    except Exception:  # the build reports what is wrong with the settings, as ever
        return _build_summary(options)
    if count_files([seeds], BUILD_APART_FROM) < BUILD_APART_FROM:
        return _build_summary(options)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return pool.submit(_build_summary, options, True).result()
    finally:  # after Ctrl-C, not waiting for the build: the caller stops it
        pool.shutdown(wait=False, cancel_futures=True)


def serve(
    options: Any, host: str = "127.0.0.1", port: int = 8000, report: Path | None = None
) -> int:
    """Build, keep the archive warm, serve it; follow saves.  The exit status (RESTART: again)."""
    from .build import ROOT
    from .interrupt import interrupts_here_only, stop_workers
    from .warm import WarmSite

    try:
        with interrupts_here_only():  # Ctrl-C during the first build: as `invoke build`
            summary = build_apart(options)
    except KeyboardInterrupt:
        stop_workers()
        print("Interrupted.", file=sys.stderr)
        return 130
    print(summary, flush=True)
    site = WarmSite(options)
    browsers = Browsers()
    watched = watched_paths(
        site.settings, Path(site.settings["ARTICLE_PATHS"][0]), options.settings_file
    )
    code = [ROOT / "newsarchive", *map(Path, site.settings.get("PLUGIN_PATHS", []))]

    async def run() -> int:
        loop = asyncio.get_running_loop()
        live = LiveSite(site, browsers, loop)
        change = await loop.run_in_executor(None, site.apply, ())
        threading.Thread(target=live._finish, args=(change,), daemon=True).start()
        _, bound = listen(site.site_dir, browsers, host, port, live)
        logger.info(
            "Serving %s on http://%s:%s/index.html; watching %s (Ctrl-C to stop)",
            site.output,
            host,
            bound,
            ", ".join(str(path) for path in watched),
        )
        return await watch(live, watched, code, options.settings_file)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the end, not an error
        return asyncio.run(run())
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m newsarchive.devserver``: what ``make serve`` runs (see tasks.py)."""
    from .build import ROOT, BuildOptions

    parser = argparse.ArgumentParser(prog="python -m newsarchive.devserver")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    parser.add_argument("--report", type=Path, default=ROOT / "build-report.json")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    from .__main__ import setup_logging

    setup_logging()  # warnings and errors, as a build prints them
    own = logging.getLogger(__name__)  # and what the server does, a line each
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    own.addHandler(handler)
    own.setLevel(logging.INFO)
    own.propagate = False
    options = BuildOptions(
        settings_file=args.settings.resolve(),
        seeds=args.seeds,
        output=args.output,
        report=args.report,
    )
    return serve(options, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
