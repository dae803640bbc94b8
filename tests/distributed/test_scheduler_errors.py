"""A scheduler that cannot be used is a configuration error: said at once, named, nothing built.

No cluster is started here: every address is wrong, closed or silent, so
these tests take seconds.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsarchive import cluster
from newsarchive.build import UNFINISHED_MARK, BuildOptions, run_build, staging_folder
from newsarchive.cluster import SCHEDULER_ENV

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(seeds: Path, tmp_path: Path, scheduler: str | None) -> tuple[dict, Path]:
    output = tmp_path / "site"
    report = run_build(
        BuildOptions(
            seeds=seeds, output=output, report=tmp_path / "report.json", scheduler=scheduler
        )
    )
    assert report.exit_code == 1
    return json.loads((tmp_path / "report.json").read_text("utf-8")), output


def assert_nothing_built(data: dict, output: Path) -> None:
    assert data["bugs"] == []
    assert data["phases"] == {}, "the build must stop before reading any seed"
    assert data["sections"]["sync"]["published"] is False
    assert not output.exists()
    assert not (staging_folder(str(output)) / UNFINISHED_MARK).exists()


def test_an_unreachable_scheduler_is_one_clear_line_and_a_failed_build(generated_seeds, tmp_path):
    address = f"tcp://127.0.0.1:{closed_port()}"
    output = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k != SCHEDULER_ENV}
    started = time.monotonic()
    argv = ["--seeds", str(generated_seeds), "--output", str(output), "--scheduler", address]
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive", "build", *argv, "--report", str(tmp_path / "r.json")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.monotonic() - started
    message = f"could not reach the Dask scheduler at {address}: Connection refused"
    assert done.returncode == 1
    assert f"1 error(s):\n  - {message}\n" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert "bug" not in done.stdout
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert data["errors"] == [{"file": "", "message": message}]
    assert_nothing_built(data, output)
    # A refused connection answers at once: the build must not wait out a connect timeout.
    assert seconds < cluster.CONNECT_TIMEOUT


@pytest.mark.parametrize(
    "address", ["foo://x", "tcp://", "tcp://127.0.0.1", "tcp://127.0.0.1:port", "tcp://h:1/x"]
)
def test_a_malformed_address_is_named(generated_seeds, tmp_path, address):
    data, output = build(generated_seeds, tmp_path, address)
    assert data["errors"] == [
        {
            "file": "",
            "message": f"{address!r} is not a Dask scheduler address: "
            "expected tcp://HOST:PORT, or 'local' or 'in-process'",
        }
    ]
    assert_nothing_built(data, output)


def test_the_address_from_the_environment_says_where_it_came_from(
    generated_seeds, tmp_path, monkeypatch
):
    address = f"tcp://127.0.0.1:{closed_port()}"
    monkeypatch.setenv(SCHEDULER_ENV, address)
    data, output = build(generated_seeds, tmp_path, None)
    assert data["errors"] == [
        {
            "file": "",
            "message": f"could not reach the Dask scheduler at {address}: Connection refused"
            f" (from ${SCHEDULER_ENV})",
        }
    ]
    assert_nothing_built(data, output)


def test_a_port_that_accepts_but_never_answers_does_not_hang_the_build(
    generated_seeds, tmp_path, monkeypatch
):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    with socket.socket() as silent:  # the kernel accepts connections; nobody speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        outcome: list[tuple[dict, Path]] = []
        worker = threading.Thread(
            target=lambda: outcome.append(build(generated_seeds, tmp_path, address)), daemon=True
        )
        worker.start()
        worker.join(timeout=60)
    assert outcome, "the build hung on a port that never answers"
    data, output = outcome[0]
    assert data["errors"] == [
        {
            "file": "",
            "message": f"could not reach the Dask scheduler at {address}: something listens"
            " there, but no Dask scheduler answered within 1 s",
        }
    ]
    assert_nothing_built(data, output)


def test_a_scheduler_gone_after_the_build_started_is_an_error_not_a_bug(
    generated_seeds, tmp_path, monkeypatch
):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    monkeypatch.setattr(cluster, "check_scheduler", lambda address, timeout=None: None)
    address = f"tcp://127.0.0.1:{closed_port()}"
    data, output = build(generated_seeds, tmp_path, address)
    assert data["bugs"] == []
    [error] = data["errors"]
    assert error["message"].startswith(f"could not reach the Dask scheduler at {address}: ")
    assert "Timed out trying to connect" in error["message"]
    assert data["sections"]["sync"]["published"] is False
    assert not output.exists()


def test_a_scheduler_without_workers_is_an_error_not_a_wait_without_end(
    generated_seeds, tmp_path, monkeypatch
):
    from .test_remote_cluster import START_TIMEOUT, _spawn, _stop

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    folder = tmp_path / "scheduler"
    folder.mkdir()
    address_file = folder / "scheduler.json"
    argv = ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
    argv += ["--scheduler-file", str(address_file), "--idle-timeout", "300"]
    scheduler = _spawn(argv, folder, folder / "scheduler.log")
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not address_file.is_file() and time.monotonic() < deadline:
            assert scheduler.poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        outcome: list[tuple[dict, Path]] = []
        worker = threading.Thread(
            target=lambda: outcome.append(build(generated_seeds, tmp_path, address)), daemon=True
        )
        worker.start()
        worker.join(timeout=120)
    finally:
        _stop(scheduler)
    assert outcome, "the build waited for workers that never came"
    data, output = outcome[0]
    assert data["bugs"] == []
    assert data["errors"] == [
        {
            "file": "",
            "message": f"the Dask scheduler at {address} has no workers (none joined within 1 s)",
        }
    ]
    assert not output.exists()
