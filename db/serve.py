"""Run Datasette on a published database, read-only, with the project's site."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
METADATA = ROOT.parent / "metadata.json"


def metadata_for(db_path: Path) -> dict:
    """metadata.json with its database block keyed by this file's stem."""
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    databases = meta.get("databases", {})
    if db_path.stem not in databases and databases:
        meta["databases"] = {db_path.stem: next(iter(databases.values()))}
    return meta


def datasette_args(db_path: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    meta_file = Path(tempfile.mkdtemp(prefix="higm-serve-")) / "metadata.json"
    meta_file.write_text(json.dumps(metadata_for(db_path)), encoding="utf-8")
    return ["serve", "-i", str(db_path), "--metadata", str(meta_file),
            "--template-dir", str(ROOT / "site" / "templates"),
            "--plugins-dir", str(ROOT / "site" / "plugins"),
            "--host", host, "--port", str(port),
            "--setting", "sql_time_limit_ms", "2000",
            "--setting", "facet_time_limit_ms", "500",
            # suggestions try a facet on every column of every page view: too slow at
            # a million claims; the metadata names the useful facets instead
            "--setting", "suggest_facets", "off",
            "--setting", "max_returned_rows", "1000",
            "--setting", "allow_download", "on",
            "--setting", "default_page_size", "50"]
