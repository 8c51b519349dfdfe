"""Open the working database and bring it to the current schema.

Each layer owns its tables and their named migrations (`harvest.schema`, `curate.schema`);
this module only applies them in order, harvest first. Databases made before migrations
had names (they counted with ``PRAGMA user_version`` 1-4) are adopted: the named
migrations those numbers stood for are recorded as applied, then the rest run.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from curate.schema import migrations as curate_migrations
from harvest.schema import migrations as harvest_migrations

MIGRATION_SETS = (harvest_migrations, curate_migrations)
# user_version N of the numbered schema meant these (set, name) migrations were applied
_LEGACY = [("harvest", "harvest_tables"), ("curate", "extraction_tables"),
           ("curate", "review_tables"), ("harvest", "drop_redundant_indexes")]
# user_version from now on: older programs (which knew 4) refuse the file instead of
# writing tables they do not understand
NAMED_MIGRATIONS_VERSION = 100


class SchemaError(RuntimeError):
    """The file is not a working database this program can open."""


# every working database file this process opened, so the command can checkpoint them on
# exit (paths, not objects: a command's Database may be gone, its connection not closed)
_OPENED: set[str] = set()


def close_all() -> None:
    """Fold the write-ahead log of every working database this process opened into its file
    (the `higm` command does this before it exits, whatever the outcome)."""
    for path in sorted(_OPENED):
        try:
            conn = sqlite3.connect(path, timeout=10)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # gone or locked by another process, whose own exit folds the log
    _OPENED.clear()


def connect(path: str | Path, create: bool = True) -> sqlite_utils.Database:
    """Open the working database, creating or migrating it to the current schema."""
    path = Path(path)
    if not create and not path.exists():
        raise FileNotFoundError(f"database not found: {path}")
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"directory does not exist for database: {path}")
    if path.is_dir():
        raise SchemaError(f"{path} is a directory, not a database file")
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA busy_timeout = 10000")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{path}: not a working database ({exc})") from None
    _OPENED.add(str(path.resolve()))
    return db


def backup(source: str | Path, out: str | Path) -> dict:
    """A complete, consistent copy of a working database, live or not, through SQLite's
    online backup API; written beside `out` and renamed into place, so a failed backup
    leaves no partial file. Returns the copy's row counts of articles, claims, decisions."""
    source, out = Path(source), Path(out)
    if out.exists() and out.resolve() == source.resolve():
        raise SchemaError(f"{out} is the database itself: give another file")
    if out.is_dir():
        raise SchemaError(f"{out} is a directory: give a file name")
    connect(source, create=False).close()  # a working database, migrated, or a clear error
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise SchemaError(f"the copy failed its integrity check: {check}")
        counts = {t: dst.execute(f"select count(*) from [{t}]").fetchone()[0]
                  for t in ("articles", "claims", "decisions")}
    except BaseException:
        dst.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    dst.close()
    partial.replace(out)
    return counts


def _adopt_numbered(db: sqlite_utils.Database) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > NAMED_MIGRATIONS_VERSION:
        raise SchemaError(f"database schema {version} is newer than this program: "
                          "upgrade higm-evidence")
    if not 0 < version <= len(_LEGACY):
        return
    if version > len(_LEGACY):
        raise SchemaError(f"database schema {version} is newer than this program: "
                          "upgrade higm-evidence")
    with db.atomic():
        harvest_migrations.ensure_migrations_table(db)
        for set_name, name in _LEGACY[:version]:
            db["_sqlite_migrations"].insert({"migration_set": set_name, "name": name,
                                             "applied_at": "numbered schema"})
        db.execute(f"PRAGMA user_version = {NAMED_MIGRATIONS_VERSION}")


def pending(db: sqlite_utils.Database) -> list[str]:
    return [f"{m_set.name}:{m.name}" for m_set in MIGRATION_SETS for m in m_set.pending(db)]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not had yet; return their names."""
    _adopt_numbered(db)
    known = {(s.name, m.name) for s in MIGRATION_SETS for m in s._migrations}
    if db["_sqlite_migrations"].exists():
        applied = {(r["migration_set"], r["name"]) for r in db["_sqlite_migrations"].rows}
        unknown = sorted(f"{s}:{n}" for s, n in applied - known)
        if unknown:
            raise SchemaError(f"database has migrations this program does not know "
                              f"({', '.join(unknown)}): upgrade higm-evidence")
    todo = pending(db)
    for m_set in MIGRATION_SETS:
        m_set.apply(db)
    if db.execute("PRAGMA user_version").fetchone()[0] != NAMED_MIGRATIONS_VERSION:
        db.execute(f"PRAGMA user_version = {NAMED_MIGRATIONS_VERSION}")
    return todo
