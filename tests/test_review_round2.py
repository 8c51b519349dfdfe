"""Review round 2 through the review API in-process: no decision overturned silently, every
field of a claim correctable, groups decided at once, cards in sentence order, flag cues."""
from __future__ import annotations

import pytest

from curate import decisions
from curate.review.app import build_review
from db.schema import connect
from tests.conftest import InProcessApp, add_curator


@pytest.fixture
def app(extracted_db):
    for name in ("alice", "bob"):
        add_curator(extracted_db, name)
    add_curator(extracted_db, "erin", role="editor")
    app = InProcessApp(build_review(extracted_db, secret="in-process tests"))
    yield app, extracted_db
    app.close()


def _status(db_path, key):
    return connect(db_path)["claims"].get(key)["status"]


def test_a_reversal_is_a_disagreement_and_the_first_curator_is_told(app):
    app, db = app
    alice, bob, erin = app.sign_in("alice"), app.sign_in("bob"), app.sign_in("erin")
    key = alice.get("/review/api/next").json()["claim_key"]
    assert alice.post("/review/api/decide", json={"claim_key": key, "decision": "accept"}
                      ).json()["status"] == "accepted"
    # bob opens it knowing alice's decision and rejects: a disagreement, not a reversal
    seen = bob.get(f"/review/api/claim/{key}").json()["latest_decision_id"]
    for _ in range(2):  # pressing the key again changes nothing
        answer = bob.post("/review/api/decide", json={"claim_key": key, "decision": "reject",
                                                      "base_decision_id": seen})
        assert answer.status_code == 409 and "alice" in answer.json()["error"]
    assert _status(db, key) == "accepted"
    conflicts = connect(db).execute("select count(*) from decisions where conflict = 1").fetchone()[0]
    assert conflicts == 1
    assert alice.get("/review/api/next").json()["notices"] == 1
    assert key in alice.get("/review/disagreements").text
    # bob agreeing with alice is no disagreement
    other = alice.get("/review/api/next").json()["claim_key"]
    alice.post("/review/api/decide", json={"claim_key": other, "decision": "accept"})
    agree = bob.post("/review/api/decide", json={"claim_key": other, "decision": "accept",
                                                 "base_decision_id": bob.get(
                                                     f"/review/api/claim/{other}").json()["latest_decision_id"]})
    assert agree.status_code == 200
    # an editor's decision settles directly
    settled = erin.post("/review/api/decide", json={
        "claim_key": key, "decision": "reject",
        "base_decision_id": erin.get(f"/review/api/claim/{key}").json()["latest_decision_id"]})
    assert settled.status_code == 200 and _status(db, key) == "rejected"


def test_the_first_curator_agreeing_settles_the_disagreement(extracted_db):
    db = connect(extracted_db)
    key = db.execute("select claim_key from claims where active = 1 limit 1").fetchone()[0]
    first = decisions.decide(db, key, "accept", "alice", None)
    dispute = decisions.decide(db, key, "reject", "bob", first.decision_id)
    assert dispute.conflict and db["claims"].get(key)["status"] == "accepted"
    assert key in {d["claim_key"] for d in decisions.disagreements(db)}
    agreed = decisions.decide(db, key, "reject", "alice", first.decision_id)
    assert not agreed.conflict and db["claims"].get(key)["status"] == "rejected"
    assert key not in {d["claim_key"] for d in decisions.disagreements(db)}


def test_adding_a_claim_that_exists_opens_it(app):
    app, db = app
    alice = app.sign_in("alice")
    row = connect(db).execute("select claim_key, pmid, type, subject, object, sentence from claims "
                              "where type = 'gene_phenotype' and active = 1 limit 1").fetchone()
    answer = alice.post("/review/api/add", json={
        "pmid": row[1], "type": row[2], "subject": row[3], "object": row[4], "sentence": row[5]})
    assert answer.status_code == 409 and answer.json()["claim_key"] == row[0]
    assert alice.get(f"/review/api/claim/{row[0]}").status_code == 200


@pytest.mark.parametrize("changes, field", [
    ({"patients": -1}, "patients"), ({"patients": 10**12}, "patients"), ({"patients": True}, "patients"),
    ({"species": "martian"}, "species"), ({"study": "anecdote"}, "study"),
    ({"sentence": "<script>alert(1)</script> in no article"}, "not text of this article"),
])
def test_a_bad_attribute_edit_is_a_400_naming_the_field(app, changes, field):
    app, db = app
    alice = app.sign_in("alice")
    key = alice.get("/review/api/next").json()["claim_key"]
    before = connect(db).execute("select count(*) from decisions").fetchone()[0]
    answer = alice.post("/review/api/decide", json={"claim_key": key, "decision": "edit",
                                                    "changes": changes})
    assert answer.status_code == 400 and field in answer.json()["error"]
    assert connect(db).execute("select count(*) from decisions").fetchone()[0] == before


def test_sentence_and_attribute_edits_survive_reextraction_and_a_ledger_rebuild(app, tmp_path):
    from tests.conftest import SNAPSHOT, run_higm
    app, db = app
    alice = app.sign_in("alice")
    key = alice.get("/review/api/next?type=gene_phenotype").json()["claim_key"]
    work = connect(db)
    pmid = work["claims"].get(key)["pmid"]
    abstract = work["articles"].get(pmid)["abstract"]
    sentence = abstract.split(". ")[1] if ". " in abstract else abstract[:80]
    changes = {"sentence": sentence, "patients": 12, "species": "human", "study": "case_series"}
    answer = alice.post("/review/api/decide", json={"claim_key": key, "decision": "edit",
                                                    "changes": changes})
    assert answer.status_code == 200, answer.text
    expected = (sentence.strip(), 12, "human", "case_series")
    pick = "select sentence, patients, species, study from claims where claim_key = ?"
    assert tuple(connect(db).execute(pick, [key]).fetchone()) == expected
    run_higm("extract", "--db", str(db), "--all")
    assert tuple(connect(db).execute(pick, [key]).fetchone()) == expected
    ledger = tmp_path / "ledger.jsonl"
    run_higm("decisions", "export", str(ledger), "--db", str(db))
    fresh = tmp_path / "rebuilt.db"
    run_higm("harvest", "--db", str(fresh), "--from-xml", str(SNAPSHOT))
    run_higm("extract", "--db", str(fresh))
    run_higm("decisions", "import", str(ledger), "--db", str(fresh))
    assert tuple(connect(fresh).execute(pick, [key]).fetchone()) == expected


def _group(db_path, size=3):
    """Claims of one article and subject, as the cards of one sentence are."""
    rows = connect(db_path).execute(
        "select pmid, subject, group_concat(claim_key) from claims where active = 1 "
        "group by pmid, subject having count(*) >= ? limit 1", [size]).fetchone()
    return rows[2].split(",")[:size]


def test_one_key_decides_a_group_in_one_transaction(app):
    app, db = app
    alice = app.sign_in("alice")
    keys = _group(db)
    answer = alice.post("/review/api/decide", json={"claim_keys": keys, "decision": "reject",
                                                    "reason": "not_a_claim"})
    assert answer.status_code == 200, answer.text
    assert [o["status"] for o in answer.json()["outcomes"]] == ["rejected"] * len(keys)
    assert {_status(db, k) for k in keys} == {"rejected"}


@pytest.mark.parametrize("bad, field", [
    (lambda keys: keys + ["f" * 20], "no claim"),
    (lambda keys: ["a" * 20] * 10_000, "at most"),
    (lambda keys: keys + keys[:1], "twice"),
    (lambda keys: "not a list", "claim_keys"),
])
def test_a_bad_group_stores_nothing(app, bad, field):
    app, db = app
    alice = app.sign_in("alice")
    keys = _group(db)
    before = connect(db).execute("select count(*) from decisions").fetchone()[0]
    answer = alice.post("/review/api/decide", json={"claim_keys": bad(keys), "decision": "accept"})
    assert answer.status_code == 400 and field in answer.json()["error"]
    assert connect(db).execute("select count(*) from decisions").fetchone()[0] == before


def test_a_group_with_a_claim_another_curator_decided_stores_nothing(app):
    app, db = app
    alice, bob = app.sign_in("alice"), app.sign_in("bob")
    keys = _group(db)
    bob.post("/review/api/decide", json={"claim_key": keys[1], "decision": "accept"})
    before = connect(db).execute("select count(*) from decisions").fetchone()[0]
    answer = alice.post("/review/api/decide", json={"claim_keys": keys, "decision": "reject"})
    assert answer.status_code == 400 and keys[1] in answer.json()["error"] and "bob" in answer.json()["error"]
    assert connect(db).execute("select count(*) from decisions").fetchone()[0] == before
    assert _status(db, keys[0]) == "pending"


def test_malformed_requests_are_400s_and_404s(app):
    app, db = app
    alice = app.sign_in("alice")
    key = alice.get("/review/api/next").json()["claim_key"]
    huge = alice.post("/review/api/decide", json={"claim_key": key, "decision": "accept",
                                                  "base_decision_id": 1e30})
    assert huge.status_code == 400 and "base_decision_id" in huge.json()["error"]
    deep = alice.post("/review/api/decide", content=b"[" * 100_000 + b"]" * 100_000,
                      headers={"content-type": "application/json"})
    assert deep.status_code == 400
    assert alice.get("/review/api/claim/" + "a" * 65).status_code == 404
    assert alice.get("/review/a/b/c").status_code == 404


def test_within_an_article_cards_follow_its_sentences(app):
    app, db = app
    alice = app.sign_in("alice")
    pmid = connect(db).execute("select pmid from claims where active = 1 group by pmid "
                               "having count(distinct sent_start) >= 3 limit 1").fetchone()[0]
    seen = []
    for _ in range(3):
        key = alice.get("/review/api/next", params={"after": pmid, "pmid": pmid}).json()["claim_key"]
        seen.append(connect(db)["claims"].get(key)["sent_start"])
        alice.post("/review/api/decide", json={"claim_key": key, "decision": "accept"})
    assert seen == sorted(seen)


def test_a_flagged_claim_shows_its_cue_words(app):
    app, db = app
    alice = app.sign_in("alice")
    key = alice.get("/review/api/next").json()["claim_key"]
    sentence = connect(db)["claims"].get(key)["sentence"]
    alice.post("/review/api/decide", json={"claim_key": key, "decision": "edit",
                                           "changes": {"negated": True}})
    detail = alice.get(f"/review/api/claim/{key}").json()
    assert all(cue.lower() in sentence.lower() for cue in detail["cues"])
    from curate.review.queue import flag_cues
    assert flag_cues("In the absence of ATM, no patient had PJP.", True, False) == \
        ["In the absence of", "no"]
    assert flag_cues("AID may cause lymphoma.", False, True) == ["may"]
