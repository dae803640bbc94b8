"""A static file server for the built site, bound to 127.0.0.1 by default.

It serves only files inside the site folder: the standard library handler
drops ``..`` segments, and paths that resolve outside the folder (symlinks)
or cannot be a file name (NUL) are answered 404.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site folder; never a file outside it."""

    def translate_path(self, path: str) -> str:
        """Map a URL path to a file, refusing anything outside the site folder."""
        root = Path(self.directory).resolve()
        try:
            translated = Path(super().translate_path(path)).resolve()
        except (OSError, ValueError):  # NUL byte, name too long, symlink loop
            return str(root / "__outside__")
        if translated != root and root not in translated.parents:
            return str(root / "__outside__")
        return str(translated)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the console quiet except for errors."""
        if args and str(args[1] if len(args) > 1 else "").startswith(("4", "5")):
            super().log_message(format, *args)


def make_server(
    folder: Path, host: str = "127.0.0.1", port: int = 8000
) -> http.server.ThreadingHTTPServer:
    """A threaded server for ``folder`` (port 0 picks a free port)."""
    handler = functools.partial(SiteHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve_folder(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``folder`` until interrupted."""
    if not folder.is_dir():
        raise SystemExit(f"{folder} does not exist: run `invoke build` first")
    server = make_server(folder, host, port)
    serve_until_interrupted(
        server,
        f"Serving {folder} on http://{host}:{server.server_address[1]}/index.html (Ctrl-C to stop)",
    )


def serve_until_interrupted(server: http.server.HTTPServer, message: str) -> None:
    """Say where the site is, serve it until Ctrl-C, then close the socket."""
    print(message)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
