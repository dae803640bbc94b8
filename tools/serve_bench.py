"""How long ``make serve`` takes to show a save: from the file write to the browser's reload message.

``python -m tools.serve_bench --count N`` (or ``invoke bench-serve --count N``)
generates an archive of N seeds in the real layout (with a copy of the theme, so
template and stylesheet edits never touch the project's), starts the dev server
on it, opens Chromium on a page of it, as a user's, and makes each kind of save
``--repeat`` times: the time is from the write until the page's reload socket
receives "reload".  Between saves it waits until the server has made the whole
site current (a person reads the page before the next save).  Prints median and
worst per kind, the targets, and the server's memory.  Figures, not assertions.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BENCH_ROOT = ROOT / ".cache" / "bench-serve"
#: (kind, target in seconds)
TARGETS = {
    "seed body edited": 1.0,
    "seed title edited": 2.0,
    "seed added": 2.0,
    "seed deleted": 2.0,
    "template edited (page in view)": 1.0,
    "stylesheet edited": 0.3,
}
ADDED_SEED = """

# A Benchmark Article Number {n}

By [Bench Writer](#)

October {day}, 2020

A paragraph written by the serve benchmark, number {n}.

Original url:

<https://bench.example/2020/10/{day:02d}/bench-article-{n}>
"""


@dataclass
class Server:
    """The dev server process and what it printed."""

    process: subprocess.Popen
    port: int
    lines: list[str] = field(default_factory=list)

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 600) -> int:
        """Index of the first line from ``after`` on matching ``pattern``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index in range(after, len(self.lines)):
                if re.search(pattern, self.lines[index]):
                    return index
            if self.process.poll() is not None:
                raise RuntimeError("dev server exited:\n" + "".join(self.lines[-40:]))
            time.sleep(0.02)
        raise RuntimeError(f"no {pattern!r}:\n" + "".join(self.lines[-40:]))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def find_browser() -> str | None:
    """Chromium: ``ARCHIVE_TEST_BROWSER``, else on PATH."""
    for candidate in (os.environ.get("ARCHIVE_TEST_BROWSER"), "chromium", "chromium-browser"):
        if candidate and (
            found := shutil.which(candidate) or (Path(candidate).is_file() and candidate)
        ):
            return str(found)
    return None


def prepare(count: int, seed: int) -> tuple[Path, Path, Path, Path]:
    """A fresh copy of a generated archive, the theme and a settings file naming it."""
    from tools.generate import generate_archive

    cached = BENCH_ROOT / f"seeds-{count}-{seed}"
    if not cached.is_dir():
        generate_archive(count, cached, seed=seed)
    work = BENCH_ROOT / f"run-{count}-{seed}"
    shutil.rmtree(work, ignore_errors=True)
    seeds, theme, output = work / "seeds", work / "theme", work / "output"
    shutil.copytree(cached, seeds)
    shutil.copytree(ROOT / "theme", theme)
    settings = work / "benchconf.py"
    settings.write_text(f"from pelicanconf import *  # noqa: F403\n\nTHEME = {str(theme)!r}\n")
    return seeds, theme, output, settings


def start(seeds: Path, output: Path, settings: Path) -> Server:
    """Start the dev server on a free port (its output read in a thread)."""
    port = _free_port()
    command = [sys.executable, "-m", "newsarchive.devserver", "--seeds", str(seeds)]
    command += ["--output", str(output), "--port", str(port), "--settings", str(settings)]
    command += ["--report", str(output.parent / "report.json")]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    server = Server(process, port)
    threading.Thread(target=lambda: server.lines.extend(process.stdout), daemon=True).start()
    return server


def memory_mb(process: subprocess.Popen) -> float:
    """Resident memory of the server and its children, in MB."""
    root = psutil.Process(process.pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 1e6


def run(count: int, seed: int, repeat: int) -> None:
    """Start the server, make every kind of save ``repeat`` times, print the table."""
    from playwright.sync_api import sync_playwright

    browser_path = find_browser()
    if browser_path is None:
        raise SystemExit("bench-serve needs Chromium: set ARCHIVE_TEST_BROWSER or put it on PATH")
    seeds, theme, output, settings = prepare(count, seed)
    print(f"Archive: {count} generated seeds; starting the dev server (first build)...", flush=True)
    started = time.perf_counter()
    server = start(seeds, output, settings)
    idle = server.wait_for(r"Whole site current", timeout=3600)
    print(f"First build and warm-up: {time.perf_counter() - started:.1f} s", flush=True)
    files = sorted(seeds.glob("*.txt"))
    article = _article_page(output, files[len(files) // 2])
    times: dict[str, list[float]] = {kind: [] for kind in TARGETS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        frames: list[tuple[float, str]] = []
        page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda f: frames.append((time.perf_counter(), f))),
        )

        def measure(kind: str, view: str, save: Callable[[], None]) -> None:
            nonlocal idle
            page.goto(f"http://127.0.0.1:{server.port}/{view}", wait_until="load")
            deadline = time.monotonic() + 10
            while not any(f == "hello" for _, f in frames) and time.monotonic() < deadline:
                page.wait_for_timeout(10)
            page.wait_for_timeout(100)  # the client has said which page it shows
            frames.clear()
            mark = len(server.lines)
            written = time.perf_counter()
            save()
            while not any(f == "reload" for _, f in frames):
                page.wait_for_timeout(2)
                if time.perf_counter() - written > 120:
                    raise RuntimeError(f"{kind}: no reload in 120 s")
            received = next(t for t, f in frames if f == "reload")
            times[kind].append(received - written)
            if kind != "stylesheet edited":
                idle = server.wait_for(r"Whole site current", after=mark, timeout=600)

        target = files[len(files) // 2]
        for n in range(repeat):
            body = body_edited(target.read_text("utf-8"), n)
            measure("seed body edited", article, lambda b=body: target.write_text(b, "utf-8"))
        for n in range(repeat):
            text = target.read_text("utf-8")
            titled = re.sub(r"^# (.*)$", rf"# \1 (rev {n})", text, count=1, flags=re.M)
            measure("seed title edited", article, lambda t=titled: target.write_text(t, "utf-8"))
        for n in range(repeat):
            added = seeds / f"zz_bench_added_{n}.txt"
            text = ADDED_SEED.format(n=n, day=n + 1)
            measure("seed added", "index.html", lambda a=added, t=text: a.write_text(t, "utf-8"))
        for n in range(repeat):
            added = seeds / f"zz_bench_added_{n}.txt"
            measure("seed deleted", "index.html", added.unlink)
        base = theme / "templates" / "base.html"
        for n in range(repeat):
            text = base.read_text("utf-8")
            edited = text.replace("</footer>", f"<!-- bench {n} --></footer>", 1)
            measure("template edited (page in view)", article, lambda e=edited: base.write_text(e))
        css = theme / "static" / "css" / "archive.css"
        for n in range(repeat):
            rule = f"\n.bench-{n} {{ color: rgb(1, 2, {n}); }}\n"
            measure(
                "stylesheet edited", article, lambda r=rule: css.write_text(css.read_text() + r)
            )
        browser.close()
    memory = memory_mb(server.process)
    server.process.send_signal(signal.SIGINT)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
    log = output.parent / "server.log"
    log.write_text("".join(server.lines), "utf-8")
    print(format_table(count, times, memory))
    print(f"The dev server's log: {log}")


#: A seed's date line, the end of its header (the generated archives write one).
DATE_LINE = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{1,2}, \d{4}$",
    re.M,
)


def paragraph_after_date(text: str, paragraph: str) -> str:
    """``paragraph`` on its own right after the seed's date line (the end of its header)."""
    header = DATE_LINE.search(text)
    if header is None:
        raise RuntimeError("the seed has no date line to find its body by")
    return f"{text[: header.end()]}\n\n{paragraph}{text[header.end() :]}"


def body_edited(text: str, n: int) -> str:
    """The seed with save ``n``'s sentence as its body's first paragraph (its lead changes).

    The first save adds the sentence after the photo caption (or the date line);
    each later one changes its number.  Title, byline, date and the rest are left
    as they are: a body edit, as a person correcting an article makes one.
    """
    if n:
        return text.replace(f"save {n - 1}.", f"save {n}.")
    sentence = f"A sentence the benchmark added, save {n}."
    header = DATE_LINE.search(text)
    if header is None:
        raise RuntimeError("the seed has no date line to find its body by")
    caption = text.find("**\n\n", header.end())
    at = header.end() if caption < 0 else caption + 2
    return f"{text[:at]}\n\n{sentence}{text[at:]}"


def _article_page(output: Path, seed: Path) -> str:
    """The page of ``seed`` in the built site (found by its title)."""
    title = next(
        line[2:].strip() for line in seed.read_text("utf-8").splitlines() if line.startswith("# ")
    )
    for page in output.glob("20*/*/*.html"):
        if f"<title>{html.escape(title, quote=False)} &middot;" in page.read_text("utf-8"):
            return page.relative_to(output).as_posix()
    raise RuntimeError(f"no page for {seed}")


def format_table(count: int, times: dict[str, list[float]], memory: float) -> str:
    """The README's table: median and worst per kind of save, against the target."""
    rows = [
        f"Dev server, {count} articles: from the save to the browser's reload message",
        "| save | median | worst | target | met |",
        "|---|---|---|---|---|",
    ]
    for kind, values in times.items():
        if not values:
            continue
        median, worst = statistics.median(values), max(values)
        met = "yes" if worst <= TARGETS[kind] else "no"
        rows.append(f"| {kind} | {median:.2f} s | {worst:.2f} s | <= {TARGETS[kind]:g} s | {met} |")
    rows.append(f"Server memory (with its child processes) at the end: {memory:,.0f} MB")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """``python -m tools.serve_bench``."""
    parser = argparse.ArgumentParser(prog="python -m tools.serve_bench")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    run(args.count, args.seed, args.repeat)


if __name__ == "__main__":
    main()
