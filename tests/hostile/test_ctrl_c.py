"""Ctrl-C during ``python -m newsarchive build``: one line, exit 130, no traceback, no worker left.

A terminal sends Ctrl-C to the whole foreground process group, the build's
worker processes included (the search index worker from 500 articles on, a
local cluster's workers): the test does the same, once pages are being
written, so every worker is alive when it comes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from newsarchive.build import ROOT, UNFINISHED_MARK, staging_folder
from tools.generate import generate_archive

#: Enough articles for the search index worker (500), few enough to reach pages in seconds.
COUNT = 600


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ctrl-c") / "seeds"
    generate_archive(COUNT, folder, seed=11, broken=False)
    return folder


@pytest.mark.parametrize("scheduler", ["default", "local"])
def test_ctrl_c_says_one_line_and_exits_130(seeds, tmp_path, scheduler):
    output = tmp_path / "site"
    staged = staging_folder(str(output)) / "site"
    command = [sys.executable, "-m", "newsarchive", "build", "--seeds", str(seeds)]
    command += ["--output", str(output), "--report", str(tmp_path / "report.json")]
    command += ["--scheduler", scheduler] if scheduler != "default" else []
    build = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 120
        while not any(staged.glob("20*/*/*.html")):
            assert build.poll() is None, "the build ended before it wrote a page"
            assert time.monotonic() < deadline, "no page written in 120 s"
            time.sleep(0.02)
        workers = psutil.Process(build.pid).children(recursive=True)
        os.killpg(build.pid, signal.SIGINT)
        stdout, stderr = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert workers, "the build had started its workers"
    assert build.returncode == 130, (stdout[-2000:], stderr[-2000:])
    assert stderr == "Interrupted.\n"
    assert "Traceback" not in stdout
    assert not output.exists(), "an interrupted build publishes nothing"
    assert (staging_folder(str(output)) / UNFINISHED_MARK).exists(), "the next build starts afresh"
    time.sleep(0.5)  # the forkserver leaves once its parent has gone
    left = [worker for worker in workers if worker.is_running() and worker.status() != "zombie"]
    assert not left, f"workers left running: {left}"


WAITS_FOREVER = """
from concurrent.futures import Future
from newsarchive.interrupt import interrupts_here_only
try:
    with interrupts_here_only():
        print("waiting", flush=True)
        Future().result()  # a lock wait that only a signal ends
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_ctrl_c_ends_a_wait_on_a_lock():
    waiting = subprocess.Popen(
        [sys.executable, "-c", WAITS_FOREVER], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert waiting.stdout.readline() == "waiting\n"
        waiting.send_signal(signal.SIGINT)
        stdout, _ = waiting.communicate(timeout=10)
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.wait()
    assert stdout == "interrupted\n"
    assert waiting.returncode == 0
