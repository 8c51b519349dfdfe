from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.serve import free_port  # noqa: F401  (the tests' and benchmarks' free port too)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # fixtures copied from ../shared, see tests/data/README.md
SNAPSHOT = ROOT / "harvest" / "snapshot" / "higm_snapshot.xml.gz"
HIGM = [str(Path(sys.executable).parent / "higm")]


def run_higm(*args: str, env: dict | None = None, input: str | None = None,
             check: bool = True) -> subprocess.CompletedProcess:
    """Run a `higm` command in this process with click's CliRunner (the spaCy pipeline is
    then built once per test session). Servers and kill tests start the real console
    command instead (`Server`, `HIGM`)."""
    from click.testing import CliRunner

    from curate.nlp import claim_model
    from db.cli import main
    claim_model._LOADED.clear()  # HIGM_CLAIM_MODEL may differ from one call to the next
    runner = CliRunner()
    outcome = runner.invoke(main, list(args), input=input, env=env, catch_exceptions=True)
    claim_model._LOADED.clear()
    stderr = outcome.stderr
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        import traceback
        stderr += "".join(traceback.format_exception(outcome.exception))
    result = subprocess.CompletedProcess(["higm", *args], outcome.exit_code, outcome.stdout, stderr)
    if check and result.returncode != 0:
        raise AssertionError(f"higm {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


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


def _copy_db(source: Path, target: Path) -> Path:
    """A private copy of a template database (SQLite's backup API: WAL content included)."""
    import sqlite3
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="session")
def _snapshot_template(tmp_path_factory) -> Path:
    """The snapshot imported once per session by the real command; tests get copies."""
    path = tmp_path_factory.mktemp("templates") / "snapshot.db"
    run_higm("harvest", "--db", str(path), "--from-xml", str(SNAPSHOT))
    return path


@pytest.fixture(scope="session")
def _extracted_template(_snapshot_template, tmp_path_factory) -> Path:
    path = _copy_db(_snapshot_template, tmp_path_factory.mktemp("templates") / "extracted.db")
    run_higm("extract", "--db", str(path))
    return path


@pytest.fixture
def snapshot_db(_snapshot_template, tmp_path) -> Path:
    return _copy_db(_snapshot_template, tmp_path / "work.db")


class Server:
    """A real `higm` server process on a free localhost port."""

    def __init__(self, *args: str, path: str = "/"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(HIGM + list(args) + ["--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_http(self.url + path)
        except TimeoutError:
            self.stop()
            raise

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def extracted_db(_extracted_template, tmp_path) -> Path:
    return _copy_db(_extracted_template, tmp_path / "work.db")


def sign_in(url: str, name: str, password: str = "correct horse"):
    """An httpx client signed in to a running `higm review`, sending the CSRF token."""
    import re

    import httpx
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    page = client.get("/review/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    response = client.post("/review/login", data={"csrftoken": token, "name": name,
                                                  "password": password})
    assert response.status_code == 302, f"sign-in of {name} failed: {response.status_code}"
    client.headers["x-csrftoken"] = client.cookies["ds_csrftoken"]
    return client


def add_curator(db: Path, name: str, role: str = "curator", password: str = "correct horse") -> None:
    run_higm("curators", "add", name, "--db", str(db), "--role", role, "--password-stdin",
             input=password + "\n")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run the tests with ./dev test, which installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync",
            "--disable-quic"])
        yield browser
        browser.close()


ARTIFACTS = ROOT / "test-artifacts"


def in_own_loop(coroutine_function):
    """Run an async check (Datasette's `ds.client`) in a thread with its own event loop: the
    session's Playwright browser keeps an event loop running in the main thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result()


class InProcessApp:
    """A Datasette app in this process: its ASGI app under httpx's ASGI transport, on an
    event loop of its own (Datasette's write thread answers to one loop), with sync
    sessions like httpx.Client. `sign_in` gives a session with a signed session cookie
    for an existing account, as the login form would set it."""

    def __init__(self, ds):
        import asyncio
        import threading
        self.ds = ds
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.run(ds.invoke_startup())
        self.app = ds.app()
        self.sessions: list = []

    def run(self, coroutine):
        import asyncio
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(120)

    def anonymous(self) -> "InProcessSession":
        session = InProcessSession(self)
        self.sessions.append(session)
        return session

    def sign_in(self, name: str) -> "InProcessSession":
        import sqlite3
        import time
        from curate.review.plugins.higm_review import SESSION_COOKIE
        path = next(d.path for d in self.ds.databases.values() if d.path)
        with sqlite3.connect(path) as conn:
            row = conn.execute("select name, role, session_generation, account_id from curators "
                               "where name = ?", [name]).fetchone()
        assert row, f"no curator {name}"
        actor = {"id": row[0], "role": row[1], "g": row[2] or 0, "acct": row[3]}
        session = self.anonymous()
        session.client.cookies.set(SESSION_COOKIE, self.ds.sign(
            {"a": actor, "e": int(time.time()) + 3600}, "higm-session"))
        session.get("/review/login")  # asgi-csrf sets its token cookie
        session.headers["x-csrftoken"] = session.client.cookies["ds_csrftoken"]
        return session

    def close(self) -> None:
        for session in self.sessions:
            self.run(session.client.aclose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


class InProcessSession:
    def __init__(self, app: InProcessApp):
        import httpx
        self.app = app
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app.app),
                                        base_url="http://review.test", follow_redirects=False)

    @property
    def headers(self):
        return self.client.headers

    @property
    def cookies(self):
        return self.client.cookies

    def get(self, url, **kwargs):
        return self.app.run(self.client.get(url, **kwargs))

    def post(self, url, **kwargs):
        return self.app.run(self.client.post(url, **kwargs))
