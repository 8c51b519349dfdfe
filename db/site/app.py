"""The published site as a `Datasette` object: the published file immutable, the project's
metadata, row counts as inspect data, query limits, templates and plugin."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from importlib.resources import as_file, files
from pathlib import Path

from datasette.app import Datasette

SETTINGS = {
    "sql_time_limit_ms": 2000,
    "facet_time_limit_ms": 500,
    # suggestions try a facet on every column of every page view: too slow at a million
    # claims; the metadata names the useful facets instead
    "suggest_facets": False,
    "max_returned_rows": 1000,
    "allow_download": True,
    "default_page_size": 50,
}


def site_folder() -> Path:
    with as_file(files("db") / "site") as folder:
        return Path(folder)


def default_metadata() -> dict:
    """The site's metadata: `db/site/metadata.json` (the repository's root `metadata.json`
    points to the same file)."""
    return json.loads((files("db") / "site" / "metadata.json").read_text(encoding="utf-8"))


def metadata_for(db_path: Path, metadata: dict | None = None) -> dict:
    """The metadata with its database block keyed by this file's stem."""
    meta = json.loads(json.dumps(metadata or default_metadata()))
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
    # Datasette wants a content hash; hashing a gigabyte at every start is slow, so this
    # one covers the size, the first and the last megabyte (a rebuilt file differs)
    size = db_path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with db_path.open("rb") as fh:
        digest.update(fh.read(2**20))
        fh.seek(max(0, size - 2**20))
        digest.update(fh.read())
    return {db_path.stem: {"file": str(db_path), "size": size, "hash": digest.hexdigest(),
                           "tables": counts}}


def build_site(published: str | Path, metadata: dict | None = None) -> Datasette:
    """A read-only Datasette for a published database."""
    published = Path(published)
    folder = site_folder()
    ds = Datasette(immutables=[str(published)], metadata=metadata_for(published, metadata),
                   inspect_data=inspect_data(published), settings=SETTINGS,
                   template_dir=str(folder / "templates"),
                   plugins_dir=str(folder / "plugins"))
    return ds
