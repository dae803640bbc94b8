"""A build through ``--scheduler`` on a real cluster: a scheduler and two workers, each its own process.

The workers start in an empty folder with no path to the project: they get
its code from the build (shipped with the session), and share with it only
the seed and staging folders the tasks name.  The output must be the bytes
of the in-process build, and both workers must have run tasks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.build import STAGING_ENV, BuildOptions, run_build

from .conftest import assert_same_site

ROOT = Path(__file__).resolve().parents[2]
#: Seconds for the cluster to come up, and for the build through it.
START_TIMEOUT = 90
BUILD_TIMEOUT = 300


def _spawn(argv: list[str], folder: Path, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", STAGING_ENV}}
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *argv],
        cwd=folder,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: torn down whole
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1; the scheduler's address."""
    folder = tmp_path / "cluster"
    folder.mkdir()
    address_file = folder / "scheduler.json"
    processes = [
        _spawn(
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",  # a free port, written to the scheduler file
                "--no-dashboard",
                "--scheduler-file",
                str(address_file),
                "--idle-timeout",
                "600",  # gone by itself should the test die without tearing it down
            ],
            folder,
            folder / "scheduler.log",
        )
    ]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not address_file.is_file() and time.monotonic() < deadline:
            assert processes[0].poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        for name in ("worker-a", "worker-b"):
            local = folder / name
            local.mkdir()
            processes.append(
                _spawn(
                    [
                        "worker",
                        address,
                        "--name",
                        name,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--local-directory",
                        str(local),
                        "--death-timeout",
                        "60",
                    ],
                    local,
                    folder / f"{name}.log",
                )
            )
        from distributed import Client

        with Client(address, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


def test_build_through_scheduler_equals_local_build(cluster, generated_seeds, tmp_path):
    local_report = run_build(
        BuildOptions(
            seeds=generated_seeds,
            output=tmp_path / "local",
            report=tmp_path / "local.json",
            scheduler="in-process",
        )
    )
    assert local_report.exit_code == 0

    report_path = tmp_path / "remote.json"
    command = [sys.executable, "-m", "newsarchive", "build", "--seeds", str(generated_seeds)]
    command += ["--output", str(tmp_path / "remote"), "--report", str(report_path)]
    command += ["--scheduler", cluster, "--quiet"]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr

    report = json.loads(report_path.read_text("utf-8"))
    section = report["sections"]["cluster"]
    assert section["where"] == cluster
    assert section["workers"] == 2
    tasks = section["tasks"]
    # Both workers parsed seeds or rendered pages, and both rendered pages.
    assert len({*tasks["parse"], *tasks["render"]}) == 2, tasks
    assert len(tasks["render"]) == 2, tasks
    assert all(worker.startswith("tcp://127.0.0.1:") for worker in tasks["render"])
    assert_same_site(tmp_path / "remote", tmp_path / "local")
