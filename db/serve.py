"""Run Datasette on a published database, read-only, with the project's site."""
from __future__ import annotations

import hashlib
import json
import sqlite3
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


def inspect_data(db_path: Path) -> dict:
    """Row counts in `datasette inspect`'s format. The file is immutable, so counting once
    at start spares every unfiltered table page a count(*) over up to a million rows."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        counts = {t: {"count": conn.execute(f"select count(*) from [{t}]").fetchone()[0]}
                  for t in tables}
    # Datasette wants a content hash too; hashing a gigabyte at every start is slow, so
    # this one covers the size, the header and the last megabyte (a rebuilt file differs)
    size = db_path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with db_path.open("rb") as fh:
        digest.update(fh.read(2**20))
        fh.seek(max(0, size - 2**20))
        digest.update(fh.read())
    return {db_path.stem: {"file": str(db_path), "size": size, "hash": digest.hexdigest(),
                           "tables": counts}}


def datasette_args(db_path: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="higm-serve-"))
    meta_file = folder / "metadata.json"
    meta_file.write_text(json.dumps(metadata_for(db_path)), encoding="utf-8")
    inspect_file = folder / "inspect-data.json"
    inspect_file.write_text(json.dumps(inspect_data(db_path)), encoding="utf-8")
    return ["serve", "-i", str(db_path), "--metadata", str(meta_file),
            "--inspect-file", str(inspect_file),
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
