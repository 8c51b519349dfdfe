"""Run a Datasette object with uvicorn, as `datasette serve` does."""
from __future__ import annotations

import asyncio
import socket

from datasette.app import Datasette


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def run(ds: Datasette, host: str, port: int) -> None:
    import uvicorn
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
