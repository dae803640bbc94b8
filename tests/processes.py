"""Stopping a server the tests started in a session of its own."""

from __future__ import annotations

import os
import signal
import subprocess


def interrupt(process: subprocess.Popen, timeout: float) -> None:
    """Ctrl-C as a user gives it; the whole process group killed if it is not gone in time."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
