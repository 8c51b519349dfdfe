"""Datasette arguments for the review application (mutable working database)."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def datasette_args(db_path: str, port: int, host: str = "127.0.0.1") -> list[str]:
    return ["serve", str(db_path), "--host", host, "--port", str(port),
            "--plugins-dir", str(HERE / "plugins"), "--template-dir", str(HERE / "templates"),
            "--static", f"review-static:{HERE / 'static'}",
            "--metadata", str(HERE / "metadata.json"),
            "--setting", "sql_time_limit_ms", "2000",
            "--setting", "allow_download", "off"]
