"""Never stale: after each kind of save, every file the dev server serves is a cold build's.

The real dev server (``python -m newsarchive.devserver``, what ``make serve``
runs) on a generated archive of 300 seeds in the real layout and a copy of the
theme.  A WebSocket client stands for the browser: it says which page it shows
and waits for "reload".  Right after the reload message (the rest of the site
may still be being written in the background), every file of a cold ``build``
of the same seeds and theme is fetched from the server and compared byte for
byte; a page the save removed must be gone (404).  A broken seed and a broken
template show the error page (file, line, message) until the next good save.
"""

from __future__ import annotations

import asyncio
import difflib
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from newsarchive.devserver import CLIENT_TAG
from tests.processes import interrupt
from tools.generate import generate_archive
from tools.serve_bench import DATE_LINE, paragraph_after_date

ROOT = Path(__file__).resolve().parents[2]
COUNT = 300
#: A save: it changes the seeds and theme folders it is given.
Change = Callable[[Path, Path], None]


@dataclass
class Preview:
    """A running dev server on a generated archive, and a cold build to compare it with."""

    process: subprocess.Popen
    port: int
    base: Path
    seeds: Path
    theme: Path
    settings: Path
    lines: list[str] = field(default_factory=list)
    builds: int = 0

    def url(self, file: str) -> str:
        return f"http://127.0.0.1:{self.port}/{file}"

    def fetch(self, file: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url(file), timeout=120) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def cold_build(self, change: Change | None = None) -> Path:
        """A cold build of the seeds and theme as they are now, or as ``change`` will leave them.

        Built from a copy (the mirror, changed first), so the files can be compared with
        what the server serves right after the save, while it is still writing the rest.
        """
        self.builds += 1
        mirror = self.base / "mirror"
        if not mirror.is_dir():
            shutil.copytree(self.seeds, mirror / "seeds")
            shutil.copytree(self.theme, mirror / "theme")
            settings = (
                f"from pelicanconf import *  # noqa: F403\n\nTHEME = {str(mirror / 'theme')!r}\n"
            )
            (mirror / "conf.py").write_text(settings)
        if change is not None:
            change(mirror / "seeds", mirror / "theme")
        out = self.base / f"cold-{self.builds}"
        command = [sys.executable, "-m", "newsarchive", "build", "--quiet"]
        command += ["--seeds", str(mirror / "seeds"), "--output", str(out)]
        command += ["--settings", str(mirror / "conf.py"), "--report", str(out) + ".json"]
        staging = self.base / f"staging-cold-{self.builds}"
        env = {**os.environ, "ARCHIVE_STAGING_ROOT": str(staging)}
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        return out

    def saved(self, view: str, change: Change) -> None:
        """Make ``change`` with a page on ``view`` connected; return when it is told to reload."""

        def save() -> None:
            change(self.seeds, self.theme)

        async def follow() -> None:
            socket_url = f"ws://127.0.0.1:{self.port}/__reload__/socket"
            connection = await websocket_connect(socket_url)
            assert await connection.read_message() == "hello"
            await connection.write_message("/" + view)
            await asyncio.sleep(0.1)
            save()
            message = await asyncio.wait_for(connection.read_message(), timeout=120)
            assert message == "reload", self.log()
            connection.close()

        _run_apart(follow())

    def log(self) -> str:
        return "".join(self.lines[-60:])


def _run_apart(coroutine: Coroutine[None, None, None]) -> None:
    """Run ``coroutine`` on its own loop in its own thread, raising what it raised.

    A Playwright test earlier in the session leaves an event loop running in this
    thread, and ``asyncio.run`` refuses to start a second one beside it.
    """
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            failures.append(error)

    worker = threading.Thread(target=run, name="follow-reload")
    worker.start()
    worker.join()
    if failures:
        raise failures[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    base = tmp_path_factory.mktemp("warm-preview")
    seeds, theme = base / "seeds", base / "theme"
    generate_archive(COUNT, seeds, seed=7)
    shutil.copytree(ROOT / "theme", theme)
    settings = base / "previewconf.py"
    settings.write_text(f"from pelicanconf import *  # noqa: F403\n\nTHEME = {str(theme)!r}\n")
    port = _free_port()
    command = [sys.executable, "-m", "newsarchive.devserver", "--seeds", str(seeds)]
    command += ["--output", str(base / "served-output"), "--port", str(port)]
    command += ["--settings", str(settings), "--report", str(base / "report.json")]
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "ARCHIVE_STAGING_ROOT": str(base / "staging-serve"),
    }
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    server = Preview(process, port, base, seeds, theme, settings)
    threading.Thread(target=lambda: server.lines.extend(process.stdout), daemon=True).start()
    try:
        deadline = time.monotonic() + 180
        while not any(f"127.0.0.1:{port}/" in line for line in server.lines):
            assert process.poll() is None, server.log()
            assert time.monotonic() < deadline, server.log()
            time.sleep(0.05)
        yield server
    finally:
        interrupt(process, timeout=20)


def _site_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def assert_served_as_built(preview: Preview, cold: Path, gone: tuple[str, ...] = ()) -> None:
    """Every file of the cold build is served with the same bytes; ``gone`` files are 404."""
    files = _site_files(cold)
    assert len(files) > COUNT
    different: list[str] = []
    first_difference = ""
    # Pages first, the last to be written first (listings, the newest articles); the search
    # index last (a request for it waits until the whole site is current).
    for file in sorted(files, key=lambda f: (f.startswith("search/"), [-ord(c) for c in f])):
        status, body = preview.fetch(file)
        if file.endswith(".html"):
            body = body.replace(CLIENT_TAG, b"", 1)
        if status != 200 or body != (cold / file).read_bytes():
            different.append(f"{file}: {status}")
            first_difference = first_difference or _difference(file, body, cold / file)
    assert different == [], (
        f"{len(different)} of {len(files)} differ: {different[:10]}\n{first_difference}"
    )
    for file in gone:
        assert preview.fetch(file)[0] == 404, file


def _difference(file: str, served: bytes, built: Path) -> str:
    """The first lines where a served file and the cold build's differ, for the failure message."""
    lines = difflib.unified_diff(
        built.read_text("utf-8", "replace").splitlines(),
        served.decode("utf-8", "replace").splitlines(),
        f"cold/{file}",
        f"served/{file}",
        n=1,
        lineterm="",
    )
    return "\n".join(list(lines)[:40])


def _page_of(cold: Path, title: str) -> str:
    for page in sorted(cold.glob("20*/*/*.html")):
        if f"<title>{html.escape(title, quote=False)} &middot;" in page.read_text("utf-8"):
            return page.relative_to(cold).as_posix()
    raise AssertionError(f"no page titled {title!r}")


def _title(seed: Path) -> str:
    return re.search(r"^# (.+)$", seed.read_text("utf-8"), re.M).group(1).strip()


def _valid_seeds(preview: Preview, cold: Path) -> list[Path]:
    found = []
    for seed in sorted(preview.seeds.glob("*.txt")):
        try:
            title = _title(seed)
            _page_of(cold, title)
        except (AttributeError, AssertionError, UnicodeDecodeError):
            continue
        found.append(seed)
        if len(found) == 3:
            return found
    raise AssertionError("no valid seeds")


def _edit(name: str, edit: Callable[[str], str]) -> Change:
    """A save of the seed ``name`` with its text edited."""

    def change(seeds: Path, theme: Path) -> None:
        path = seeds / name
        path.write_text(edit(path.read_text("utf-8")), "utf-8")

    return change


def _theme_edit(relative: str, edit: Callable[[str], str]) -> Change:
    def change(seeds: Path, theme: Path) -> None:
        path = theme / relative
        path.write_text(edit(path.read_text("utf-8")), "utf-8")

    return change


def _retitled(text: str, suffix: str) -> str:
    return re.sub(r"^# (.+)$", rf"# \1 {suffix}", text, count=1, flags=re.M)


def test_each_kind_of_save_is_served_as_a_cold_build_makes_it(preview):
    cold = preview.cold_build()
    assert_served_as_built(preview, cold)
    first, second, third = _valid_seeds(preview, cold)
    first_page = _page_of(cold, _title(first))

    # A body edited, with the page in view.
    sentence = "A sentence saved while the page was open."
    change = _edit(first.name, lambda text: text.replace("\n\n", f"\n\n{sentence}\n\n", 3))
    cold = preview.cold_build(change)
    preview.saved(first_page, change)
    assert sentence.encode() in preview.fetch(first_page)[1]
    assert_served_as_built(preview, cold)

    # A title edited: its listings, the pages linking to it and search follow.
    second_page = _page_of(cold, _title(second))
    change = _edit(second.name, lambda text: _retitled(text, "Revisited"))
    cold = preview.cold_build(change)
    preview.saved(second_page, change)
    assert_served_as_built(preview, cold)

    # A seed added, then a seed deleted (its page is gone).
    def add(seeds: Path, theme: Path) -> None:
        copy = _retitled((seeds / third.name).read_text("utf-8"), "Again")
        copy = re.sub(r"(https?://\S+?)(>?)\s*$", r"\1-again\2\n", copy.rstrip())
        (seeds / "zz_added_by_the_test.txt").write_text(copy, "utf-8")

    cold = preview.cold_build(add)
    preview.saved("index.html", add)
    assert_served_as_built(preview, cold)
    third_page = _page_of(cold, _title(third))
    delete: Change = lambda seeds, theme: (seeds / third.name).unlink()  # noqa: E731
    cold_after = preview.cold_build(delete)
    gone = tuple(sorted(set(_site_files(cold)) - set(_site_files(cold_after))))
    assert third_page in gone
    preview.saved(third_page, delete)
    assert_served_as_built(preview, cold_after, gone)

    # A template edited: the page in view, then every page, rendered from it.
    change = _theme_edit(
        "templates/base.html", lambda text: text.replace("</footer>", "<p>Edited.</p></footer>", 1)
    )
    cold = preview.cold_build(change)
    preview.saved(first_page, change)
    assert_served_as_built(preview, cold)

    # A stylesheet edited: copied as it is.
    change = _theme_edit("static/css/archive.css", lambda text: text + "\n.x { }\n")
    cold = preview.cold_build(change)
    preview.saved(first_page, change)
    assert_served_as_built(preview, cold)


def _cited_seed(preview: Preview) -> tuple[Path, Path]:
    """A seed another seed cites by its exact title (its link is resolved), and that seed."""
    seeds = sorted(preview.seeds.glob("*.txt"))
    by_title = {}
    for seed in seeds:
        match = re.search(r"^# (.+)$", seed.read_text("utf-8", "replace"), re.M)
        if match:
            by_title[match.group(1).strip()] = seed
    for seed in seeds:
        text = seed.read_text("utf-8", "replace")
        for title in re.findall(r"\*\*Related article:\*\* \[(.+?)\]\(#\)", text):
            if by_title.get(title) not in (None, seed):
                return by_title[title], seed
    raise AssertionError("no seed is cited by another")


def _year_earlier(text: str) -> str:
    """The date line a year earlier (the article's URL, and every link to it, change)."""

    def earlier(line: re.Match) -> str:
        day, year = line.group(0).rsplit(" ", 1)
        return f"{day} {int(year) - 1}"

    return DATE_LINE.sub(earlier, text, count=1)


def test_pages_citing_an_article_follow_each_change_of_its_address(preview):
    """Each save re-renders a citing page from its links as they are now (no text kept from before)."""
    cited, _ = _cited_seed(preview)
    change = _edit(cited.name, _year_earlier)
    for _ in range(2):
        cold = preview.cold_build(change)
        preview.saved("index.html", change)
        assert_served_as_built(preview, cold)


def test_a_body_saved_alone_is_taken_into_the_warm_archive(preview):
    """The text of the citing and of the cited article, each saved: its new text in the last model.

    The citing body's related placeholders are rendered again, the cited one's new
    lead moves "More on this"; every served file is still the cold build's.
    """
    cold = preview.cold_build()
    for seed in _cited_seed(preview):
        page = _page_of(cold, _title(seed))
        sentence = f"A sentence saved into {seed.stem} alone."
        change = _edit(seed.name, lambda text, s=sentence: paragraph_after_date(text, s))
        cold = preview.cold_build(change)
        mark = len(preview.lines)
        preview.saved(page, change)
        assert sentence.encode() in preview.fetch(page)[1]
        assert_served_as_built(preview, cold)
        rebuilt = [line for line in preview.lines[mark:] if "Rebuilt in" in line]
        assert rebuilt and "(text " in rebuilt[0], preview.log()


def test_a_broken_save_shows_an_error_page_until_the_next_good_one(preview):
    cold = preview.cold_build()
    seed = _valid_seeds(preview, cold)[0]
    page = _page_of(cold, _title(seed))
    good = seed.read_bytes()

    preview.saved(page, lambda seeds, theme: (seeds / seed.name).write_bytes(b"\x00\x01 no"))
    status, body = preview.fetch(page)
    assert status == 500
    assert seed.name.encode() in body and b"binary" in body, body[:400]
    assert b"/__reload__/client.js" in body  # it reloads by itself after the fix

    preview.saved(page, lambda seeds, theme: (seeds / seed.name).write_bytes(good))
    broken = _theme_edit(
        "templates/base.html",
        lambda text: text.replace("{% block content %}", "{% block content %"),
    )
    preview.saved(page, broken)
    status, body = preview.fetch("index.html")
    assert status == 500
    assert b"base.html" in body and b"line" in body, body[:600]

    repaired = _theme_edit(
        "templates/base.html",
        lambda text: text.replace("{% block content %", "{% block content %}"),
    )
    preview.saved(page, repaired)
    assert_served_as_built(preview, preview.cold_build())
