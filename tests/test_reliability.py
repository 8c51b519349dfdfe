"""Round-2 reliability: the commands refuse what would expose or mislead, with one line."""
from __future__ import annotations

import pytest

from curate import agreement, decisions
from db.schema import connect
from tests.conftest import run_higm


def test_serve_refuses_a_working_database(extracted_db):
    refused = run_higm("serve", str(extracted_db), "--port", "0", check=False)
    assert refused.returncode == 1
    assert "working database" in refused.stderr and "higm publish" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_serve_refuses_a_file_that_is_no_database(tmp_path):
    junk = tmp_path / "higm.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    refused = run_higm("serve", str(junk), "--port", "0", check=False)
    assert refused.returncode == 1 and "not a SQLite database" in refused.stderr


@pytest.mark.parametrize("version", ["x" * 41, "1.0\nINJECTED", "v1\u200b", "", "-v"])
def test_publish_takes_a_short_printable_version(extracted_db, tmp_path, version):
    out = tmp_path / "higm.db"
    result = run_higm("publish", "--db", str(extracted_db), "--out", str(out),
                      "--version", version, check=False)
    assert result.returncode == 2 and "version" in result.stderr
    assert not out.exists()


def test_resolve_needs_a_status(extracted_db):
    db = connect(extracted_db)
    agreement.set_reviews_per_claim(db, 2)
    key = db.execute("select claim_key from claims where active = 1 limit 1").fetchone()[0]
    decisions.decide(db, key, "accept", "alice", None)
    decisions.decide(db, key, "reject", "bob", None)
    before = db.execute("select count(*) from decisions").fetchone()[0]
    with pytest.raises(decisions.DecisionError, match="changes.status"):
        decisions.decide(db, key, "resolve", "erin", None, {}, role="editor")
    assert db.execute("select count(*) from decisions").fetchone()[0] == before
    assert db["claims"].get(key)["status"] == "disputed"
