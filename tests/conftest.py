from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SNAPSHOT = ROOT / "harvest" / "snapshot" / "higm_snapshot.xml.gz"
HIGM = [str(Path(sys.executable).parent / "higm")]


def run_higm(*args: str, env: dict | None = None, input: str | None = None,
             check: bool = True) -> subprocess.CompletedProcess:
    """Run the real `higm` console command."""
    result = subprocess.run(HIGM + list(args), capture_output=True, text=True, input=input,
                            env={**os.environ, **(env or {})}, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"higm {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60) -> None:
    import urllib.request
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@pytest.fixture
def snapshot_db(tmp_path) -> Path:
    path = tmp_path / "work.db"
    run_higm("harvest", "--db", str(path), "--from-xml", str(SNAPSHOT))
    return path
