"""Calls to NCBI E-utilities through Biopython's ``Bio.Entrez``, with retries.

Biopython builds the requests (tool, email and api_key added) and spaces them by NCBI's
limits (3/s, 10/s with a key). Its own retry loop sleeps a fixed 15 s and ignores
Retry-After, so it is switched off and tenacity retries instead: exponential backoff,
Retry-After honoured, and a body that is not the expected XML counted as a failure.
``Bio.Entrez`` hard-codes NCBI's host, so the URL is built here from NCBI_EUTILS_URL and
handed to Biopython's request builder (docs/decisions.md).
"""
from __future__ import annotations

import http.client
import os
import socket
import time
import urllib.error
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import tenacity
from Bio import Entrez

T = TypeVar("T")
DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"


@dataclass(frozen=True)
class EntrezSettings:
    base_url: str = DEFAULT_EUTILS_URL
    email: str | None = None
    api_key: str | None = None
    tool: str = "higm-evidence"
    timeout: float = 60.0
    attempts: int = 6
    backoff: float = 2.0
    max_wait: float = 120.0


def settings_from_env() -> EntrezSettings:
    """Read NCBI_EUTILS_URL, NCBI_EMAIL, NCBI_API_KEY (and HIGM_* tuning) from the environment."""
    env = os.environ
    return EntrezSettings(
        base_url=env.get("NCBI_EUTILS_URL", DEFAULT_EUTILS_URL).rstrip("/"),
        email=env.get("NCBI_EMAIL") or None,
        api_key=env.get("NCBI_API_KEY") or None,
        timeout=float(env.get("HIGM_HTTP_TIMEOUT", "60")),
        attempts=int(env.get("HIGM_HTTP_ATTEMPTS", "6")),
        backoff=float(env.get("HIGM_HTTP_BACKOFF", "2")),
        max_wait=float(env.get("HIGM_HTTP_MAX_WAIT", "120")),
    )


class TransientError(Exception):
    """A failure worth retrying: 429, 5xx, timeouts, resets, truncated or non-XML bodies."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class EntrezError(RuntimeError):
    """A call that failed for good (a 4xx other than 429, or retries exhausted)."""


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _wait(settings: EntrezSettings) -> Callable[[tenacity.RetryCallState], float]:
    exponential = tenacity.wait_exponential(multiplier=settings.backoff, max=settings.max_wait)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TransientError) and exc.retry_after is not None:
            return min(exc.retry_after, settings.max_wait)
        return exponential(state)
    return wait


def call(settings: EntrezSettings, utility: str, params: dict[str, Any],
         validate: Callable[[bytes], T], post: bool | None = None) -> T:
    """Call one E-utility and return ``validate(body)``; retried while failures are transient."""
    Entrez.email = settings.email
    Entrez.api_key = settings.api_key
    Entrez.tool = settings.tool
    Entrez.max_tries = 1
    url = f"{settings.base_url}/{utility}.fcgi"

    def attempt() -> T:
        request = Entrez._build_request(url, dict(params), post=post)
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(settings.timeout)  # Bio.Entrez opens without a timeout
        deadline = time.monotonic() + settings.timeout
        try:
            with Entrez._open(request) as handle:
                # a socket timeout bounds each read, not the request: a server dripping one
                # byte at a time would never time out, so the whole body has a deadline
                parts = []
                while True:
                    part = handle.read1(65536) if hasattr(handle, "read1") else handle.read()
                    if not part:
                        break
                    parts.append(part)
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"no complete answer within {settings.timeout:g} s")
                    if not hasattr(handle, "read1"):
                        break
                body = b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise TransientError(f"{utility}: HTTP {exc.code}", _retry_after(exc)) from exc
            raise EntrezError(f"{utility}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError,
                http.client.HTTPException, OSError) as exc:
            raise TransientError(f"{utility}: {type(exc).__name__}: {exc}") from exc
        finally:
            socket.setdefaulttimeout(previous)
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            return validate(body)
        except ValueError as exc:
            raise TransientError(f"{utility}: unusable response: {exc}") from exc

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(TransientError),
        stop=tenacity.stop_after_attempt(settings.attempts),
        wait=_wait(settings), reraise=True,
        before_sleep=lambda s: _log_retry(s))
    try:
        return retrying(attempt)
    except TransientError as exc:
        raise EntrezError(f"{exc} (gave up after {settings.attempts} attempts)") from exc


def _log_retry(state: tenacity.RetryCallState) -> None:
    import logging
    exc = state.outcome.exception() if state.outcome else None
    logging.getLogger("higm.harvest").warning(
        "retrying after %s (attempt %d)", exc, state.attempt_number)
