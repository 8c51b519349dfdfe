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


def test_an_export_to_a_device_or_pipe_writes_into_it_and_a_full_disk_fails(extracted_db, tmp_path):
    import os
    import stat
    import threading
    fifo = tmp_path / "claims.pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run_higm("export", "claims", "--db", str(extracted_db), "--out", str(fifo))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # written into, not renamed over
    assert received and received[0].count(b"\n") > 50
    full = "/dev/full"
    if os.path.exists(full) and stat.S_ISCHR(os.stat(full).st_mode):
        result = run_higm("export", "claims", "--db", str(extracted_db), "--out", full, check=False)
        assert result.returncode == 1 and "No space left" in result.stderr
        assert stat.S_ISCHR(os.stat(full).st_mode)  # the device is still the device


def test_a_killed_publish_leaves_nothing_the_next_one_keeps(extracted_db, tmp_path):
    out = tmp_path / "higm.db"
    leftovers = [tmp_path / ".higm.db.building", tmp_path / ".higm.db.building-journal"]
    for path in leftovers:  # as a kill -9 in the middle of a publish leaves them
        path.write_bytes(b"half a database")
    run_higm("publish", "--db", str(extracted_db), "--out", str(out))
    assert out.exists() and not any(p.exists() for p in leftovers)
