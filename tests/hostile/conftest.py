"""The hostile corpus, built once per session, and a Chromium to open it in.

The browser comes from the same place and with the same arguments and
skip-or-fail rules as ``tests/browser/conftest.py``, but runs in a thread of
its own: one thread holds at most one sync Playwright, and ``tests/browser``
keeps its session browser open in the main thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsarchive.build import staging_folder
from tests.browser.conftest import (
    CHROMIUM_ARGS,
    PageWatch,
    StaticSite,
    _no_browser,
    find_browser_executable,
    watch_page,
)

from ..conftest import BuiltSite, build_site

CORPUS = Path(__file__).resolve().parent / "corpus"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below ``folder``: relative path -> (size, mtime_ns)."""
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            stat = path.lstat()
            files[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


@dataclass
class HostileBuild:
    """The built hostile corpus, with what the build wrote around it."""

    site: BuiltSite
    base: Path
    before: dict[str, tuple[int, int]]
    after: dict[str, tuple[int, int]]

    @property
    def output(self) -> Path:
        return self.site.output

    @property
    def staging(self) -> Path:
        return staging_folder(str(self.site.output)) / "site"


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The corpus copied to a scratch folder and built into a folder beside it."""
    base = tmp_path_factory.mktemp("hostile")
    seeds = base / "seeds"
    seeds.mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        (seeds / path.name).write_bytes(path.read_bytes())
    before = snapshot(base)
    site = build_site(seeds, base / "deep" / "output", base / "build-report.json")
    return HostileBuild(site, base, before, snapshot(base))


NewPage = Callable[..., tuple[Any, PageWatch]]


class _NoBrowser(Exception):
    """Chromium could not be started (the reason is the message)."""


def run_in_chromium(work: Callable[[NewPage], Any]) -> Any:
    """Run ``work(new_page)`` in a thread with its own Playwright and Chromium.

    ``new_page(**context_options)`` returns ``(page, watch)`` like the
    ``new_page`` fixture of ``tests/browser``.  Exceptions (failed asserts)
    are re-raised here; a browser that cannot start skips, or fails in CI.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as manager:
                executable = find_browser_executable()
                try:
                    chromium = manager.chromium.launch(
                        executable_path=executable, args=CHROMIUM_ARGS
                    )
                except Exception as exc:  # any launch failure means "no browser here"
                    message = f"could not launch Chromium ({executable or 'default'}): {exc}"
                    raise _NoBrowser(message.splitlines()[0]) from None
                try:

                    def new_page(**context_options: Any) -> tuple[Any, PageWatch]:
                        page = chromium.new_context(**context_options).new_page()
                        return page, watch_page(page, {"127.0.0.1", "localhost"})

                    outcome["value"] = work(new_page)
                finally:
                    chromium.close()
        except ImportError:  # pragma: no cover - playwright is in requirements.lock
            outcome["no_browser"] = "the playwright package is not installed"
        except _NoBrowser as exc:
            outcome["no_browser"] = str(exc)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="hostile-chromium")
    thread.start()
    thread.join()
    if "no_browser" in outcome:
        _no_browser(outcome["no_browser"])
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture(scope="session")
def hostile_http(hostile_build: HostileBuild) -> Iterator[StaticSite]:
    """The built hostile corpus served over http on 127.0.0.1."""
    site = StaticSite(hostile_build.output)
    yield site
    site.close()
