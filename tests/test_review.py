"""The review application in-process (Datasette's ASGI app, httpx's ASGI transport, signed
session cookies), one smoke test against a real server and its login form, and the ledger."""
from __future__ import annotations

import json
import re
import sqlite3

import httpx
import pytest

from curate.review.app import build_review
from tests.conftest import SNAPSHOT, InProcessApp, Server, add_curator, run_higm, sign_in


def _curators(db) -> None:
    add_curator(db, "alice")
    add_curator(db, "bob")
    add_curator(db, "erin", role="editor")


@pytest.fixture
def real_review(extracted_db):
    _curators(extracted_db)
    server = Server("review", "--db", str(extracted_db), path="/review/login")
    yield server, extracted_db
    server.stop()


@pytest.fixture
def review(extracted_db):
    _curators(extracted_db)
    app = InProcessApp(build_review(extracted_db, secret="in-process tests"))
    yield app, extracted_db
    app.close()


def decision_count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from decisions").fetchone()[0]


def test_writes_need_a_session_and_a_csrf_token(real_review):
    """The one test against a real `higm review` process and its login form."""
    server, db = real_review
    anonymous = httpx.post(server.url + "/review/api/decide",
                           json={"claim_key": "abc", "decision": "accept"})
    assert anonymous.status_code == 403
    assert httpx.get(server.url + "/review/api/next").status_code == 403
    client = sign_in(server.url, "alice")
    key = client.get("/review/api/next").json()["claim_key"]
    del client.headers["x-csrftoken"]
    no_token = client.post("/review/api/decide", json={"claim_key": key, "decision": "accept"})
    assert no_token.status_code == 403
    assert decision_count(db) == 0
    wrong = httpx.Client(base_url=server.url)
    page = wrong.get("/review/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    bad = wrong.post("/review/login", data={"csrftoken": token, "name": "alice", "password": "nope"})
    assert bad.status_code == 403


def test_decide_undo_and_status_follow_the_log(review):
    app, db = review
    client = app.sign_in("alice")
    nxt = client.get("/review/api/next").json()
    key, remaining = nxt["claim_key"], nxt["remaining"]
    detail = client.get(f"/review/api/claim/{key}").json()
    assert detail["article"]["title"] and detail["claim"]["sentence"]
    result = client.post("/review/api/decide", json={"claim_key": key, "decision": "reject",
                                                     "base_decision_id": None}).json()
    assert result["status"] == "rejected"
    assert client.get("/review/api/next").json()["remaining"] == remaining - 1
    undone = client.post("/review/api/undo", json={"claim_key": key}).json()
    assert undone["status"] == "pending"
    with sqlite3.connect(db) as conn:
        assert conn.execute("select status from claims where claim_key=?", [key]).fetchone()[0] == "pending"
        assert [r[0] for r in conn.execute("select decision from decisions order by id")] == ["reject", "undo"]


def test_two_sessions_one_decision_one_conflict(review):
    app, db = review
    alice, bob = app.sign_in("alice"), app.sign_in("bob")
    key = alice.get("/review/api/next").json()["claim_key"]
    seen_by_bob = bob.get(f"/review/api/claim/{key}").json()["latest_decision_id"]
    first = alice.post("/review/api/decide", json={"claim_key": key, "decision": "accept",
                                                   "base_decision_id": None})
    second = bob.post("/review/api/decide", json={"claim_key": key, "decision": "reject",
                                                  "base_decision_id": seen_by_bob})
    assert first.status_code == 200 and second.status_code == 409
    assert "alice" in second.json()["error"]
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select curator, conflict from decisions").fetchall()
        status = conn.execute("select status from claims where claim_key=?", [key]).fetchone()[0]
    assert sorted(rows) == [("alice", 0), ("bob", 1)] and status == "accepted"
    page = alice.get("/review/disagreements").text
    assert key in page and "open in the queue" in page and "bob</strong>: reject" in page
    assert key not in alice.get("/review/disagreements", params={"curator": "nobody"}).text
    assert alice.post("/review/api/decide", json={"claim_key": key, "decision": "resolve",
                                                  "changes": {"status": "rejected"}}).status_code == 400
    editor = app.sign_in("erin")
    settled = editor.post("/review/api/decide", json={"claim_key": key, "decision": "resolve",
                                                      "changes": {"status": "rejected"}})
    assert settled.json()["status"] == "rejected"
    assert key not in editor.get("/review/disagreements").text


def test_script_in_an_abstract_is_served_as_data(review):
    app, db = review
    with sqlite3.connect(db) as conn:
        key = conn.execute("select claim_key, pmid from claims limit 1").fetchone()
        conn.execute("update articles set abstract = '<script>alert(1)</script> IgM' where pmid = ?",
                     [key[1]])
    client = app.sign_in("alice")
    response = client.get(f"/review/api/claim/{key[0]}")
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["article"]["abstract"].startswith("<script>")
    assert "<script>alert" not in client.get("/review").text


def test_curators_table_is_never_browsable(review):
    app, db = review
    client = app.sign_in("alice")
    assert client.get("/" + db.stem + "/curators.json").status_code == 403
    # no review page needs Datasette's own table pages: closed to everyone
    assert client.get("/" + db.stem + "/claims.json").status_code == 403
    assert client.get("/").headers["location"].endswith("/review")
    assert app.anonymous().get("/" + db.stem + "/claims.json").status_code == 403


def test_edit_and_add_survive_reextraction_and_ledger_replay(review, tmp_path):
    app, db = review
    client = app.sign_in("alice")
    keys = []
    for decision in ("accept", "reject"):
        key = client.get("/review/api/next").json()["claim_key"]
        client.post("/review/api/decide", json={"claim_key": key, "decision": decision})
        keys.append(key)
    phenotype = client.get("/review/api/next?type=gene_phenotype").json()["claim_key"]
    edit = client.post("/review/api/decide", json={"claim_key": phenotype, "decision": "edit",
                                                   "changes": {"hpo": "HP:0001875", "hedged": True}})
    assert edit.json()["status"] == "accepted"
    added = client.post("/review/api/add", json={
        "pmid": "14514918", "type": "gene_phenotype", "subject": "CD40LG", "object": "HP:0002090",
        "sentence": "Patients often present with recurrent infections"}).json()["claim_key"]
    with sqlite3.connect(db) as conn:
        before = conn.execute("select claim_key, status, hpo, hedged from claims "
                              "where claim_key in (?,?,?,?) order by 1", keys + [phenotype, added]).fetchall()
    run_higm("extract", "--db", str(db), "--all")
    with sqlite3.connect(db) as conn:
        again = conn.execute("select claim_key, status, hpo, hedged from claims "
                             "where claim_key in (?,?,?,?) order by 1", keys + [phenotype, added]).fetchall()
    assert again == before
    ledger = tmp_path / "ledger.jsonl"
    run_higm("decisions", "export", str(ledger), "--db", str(db))
    assert len(ledger.read_text().splitlines()) == 4

    fresh = tmp_path / "rebuilt.db"
    run_higm("harvest", "--db", str(fresh), "--from-xml", str(SNAPSHOT))
    run_higm("extract", "--db", str(fresh))
    report = run_higm("decisions", "import", str(ledger), "--db", str(fresh)).stdout
    assert "applied 4" in report
    with sqlite3.connect(fresh) as conn:
        rebuilt = conn.execute("select claim_key, status, hpo, hedged from claims "
                               "where claim_key in (?,?,?,?) order by 1", keys + [phenotype, added]).fetchall()
    assert rebuilt == before
    again = run_higm("decisions", "import", str(ledger), "--db", str(fresh)).stdout
    assert "applied 0, already present 4" in again


def test_orphaned_decisions_are_kept_and_reported(tmp_path, extracted_db):
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text(json.dumps({"claim_key": "ffffffffffffffffffff", "decision": "accept",
                                  "curator": "alice", "decided_at": "2026-01-01T00:00:00+00:00",
                                  "status_after": "accepted"}) + "\n")
    result = run_higm("decisions", "import", str(ledger), "--db", str(extracted_db))
    assert "orphaned (claim not in this database, kept) 1" in result.stdout
    with sqlite3.connect(extracted_db) as conn:
        assert conn.execute("select orphaned from decisions").fetchone()[0] == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim_key": "x"}\n')
    failed = run_higm("decisions", "import", str(bad), "--db", str(extracted_db), check=False)
    assert failed.returncode == 1 and "bad.jsonl: line 1" in failed.stderr


def test_curator_names_and_passwords_are_checked(extracted_db):
    short = run_higm("curators", "add", "carol", "--db", str(extracted_db), "--password-stdin",
                     input="short\n", check=False)
    assert short.returncode == 1 and "8 characters" in short.stderr
    add_curator(extracted_db, "carol")
    with sqlite3.connect(extracted_db) as conn:
        stored = conn.execute("select password_hash from curators").fetchone()[0]
    assert stored.startswith("$argon2") and "correct horse" not in stored
    again = run_higm("curators", "add", "carol", "--db", str(extracted_db), "--password-stdin",
                     input="another password\n", check=False)
    assert again.returncode == 1 and "exists" in again.stderr
