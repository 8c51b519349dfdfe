"""A working database made by the previous release (numbered schema, user_version 4)
upgrades cleanly: named migrations recorded, data and decisions intact, new columns usable."""
from __future__ import annotations

import sqlite3

import pytest

from curate import decisions
from db.schema import SchemaError, connect
from tests.conftest import DATA, _copy_db

LEGACY = DATA / "schema4_release.db"


def test_a_database_from_the_previous_release_upgrades(tmp_path):
    path = _copy_db(LEGACY, tmp_path / "old.db")
    with sqlite3.connect(path) as conn:
        before = {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                  for t in ("articles", "claims", "decisions", "curators", "mentions")}
        statuses = dict(conn.execute("select claim_key, status from claims"))
        assert conn.execute("pragma user_version").fetchone()[0] == 4
    db = connect(path)
    applied = {(r["migration_set"], r["name"]) for r in db["_sqlite_migrations"].rows}
    assert {("harvest", "harvest_tables"), ("curate", "extraction_tables"),
            ("curate", "review_tables"), ("harvest", "drop_redundant_indexes"),
            ("curate", "decision_uids"), ("curate", "claim_attributes")} <= applied
    assert {t: db[t].count for t in before} == before
    assert dict((r["claim_key"], r["status"]) for r in db["claims"].rows) == statuses
    assert all(r["uid"] for r in db["decisions"].rows)  # old decisions got identities
    key = next(k for k, s in statuses.items() if s == "pending")
    decisions.decide(db, key, "reject", "alice", None, reason="not_a_claim")
    assert db["claims"].get(key)["status"] == "rejected"
    again = connect(path)  # idempotent: nothing left to apply
    assert again.execute("pragma user_version").fetchone()[0] == 100


def test_a_database_with_unknown_migrations_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    db = connect(path)
    db["_sqlite_migrations"].insert({"migration_set": "curate", "name": "from_the_future",
                                     "applied_at": "2030"})
    db.close()
    with pytest.raises(SchemaError, match="does not know"):
        connect(path)
