"""Start the real chat server (`report-assistant serve`) on a free loopback port for a test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 900  # the first start builds the index


def shared_data_dir(tmp_path_factory) -> Path:
    """Where the tests' index and feedback log live: one per test run, shared by every module.

    Set REPORT_ASSISTANT_TEST_DATA_DIR to keep the built index between runs.
    """
    kept = os.environ.get("REPORT_ASSISTANT_TEST_DATA_DIR")
    return Path(kept) if kept else tmp_path_factory.getbasetemp() / "chat-data"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_chat(data_dir: Path, **env: str) -> Iterator[str]:
    """`report-assistant serve` in a subprocess; yields its URL and stops it afterwards."""
    port = free_port()
    log_path = data_dir / f"serve-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "ui.cli",
        "--data-dir",
        str(data_dir),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    environment = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **env}
    with log_path.open("w") as log:
        server = subprocess.Popen(
            command, cwd=PROJECT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, server, log_path)
        yield url
    finally:
        stop(server, timeout=20)


def stop(server: subprocess.Popen, timeout: float) -> None:
    """Ask a server process to end; kill it if it has not within ``timeout`` seconds."""
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def wait_until_up(url: str, server: subprocess.Popen, log_path: Path) -> None:
    """Poll ``url`` until it answers; fail with the server's output if it dies or stalls."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the chat server exited:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status in (200, 401):
                    return
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the chat server did not start:\n{log_path.read_text()[-3000:]}")
