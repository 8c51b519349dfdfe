"""Two-person review: blind decisions, settlement, disputes, leases and agreement."""
from __future__ import annotations

import pytest

from curate import agreement, decisions
from db.schema import connect
from curate.review.app import build_review
from tests.conftest import InProcessApp, add_curator


@pytest.fixture
def work(extracted_db):
    db = connect(extracted_db)
    agreement.set_reviews_per_claim(db, 2)
    keys = [r[0] for r in db.execute("select claim_key from claims where active = 1 "
                                     "order by claim_key limit 6")]
    return db, keys


def test_two_agreeing_decisions_settle_and_two_disagreeing_go_to_editors(work):
    db, keys = work
    first = decisions.decide(db, keys[0], "accept", "alice", None)
    assert first.status == "pending" and db["claims"].get(keys[0])["status"] == "pending"
    second = decisions.decide(db, keys[0], "accept", "bob", None)  # blind: no base, no conflict
    assert not second.conflict and db["claims"].get(keys[0])["status"] == "accepted"
    decisions.decide(db, keys[1], "accept", "alice", None)
    disputed = decisions.decide(db, keys[1], "reject", "bob", None)
    assert disputed.status == "disputed"
    assert keys[1] in {d["claim_key"] for d in decisions.disagreements(db)}
    resolved = decisions.decide(db, keys[1], "resolve", "erin", None, {"status": "rejected"},
                                role="editor")
    assert resolved.status == "rejected"
    assert keys[1] not in {d["claim_key"] for d in decisions.disagreements(db)}


def test_cohen_kappa_for_a_constructed_case(work):
    db, keys = work
    votes = [("accept", "accept"), ("accept", "accept"), ("reject", "reject"), ("accept", "reject")]
    for key, (a, b) in zip(keys, votes):
        decisions.decide(db, key, a, "alice", None)
        decisions.decide(db, key, b, "bob", None)
    [pair] = agreement.pairwise(db)
    assert pair == {"curators": "alice / bob", "in_common": 4, "agreement": 0.75, "kappa": 0.5}
    assert agreement.cohen_kappa([]) is None


def test_leases_and_blindness_over_http(work):
    db, keys = work
    path = db.execute("pragma database_list").fetchone()[2]
    for name in ("alice", "bob"):
        add_curator(path, name)
    add_curator(path, "erin", role="editor")
    app = InProcessApp(build_review(path, secret="in-process tests"))
    try:
        alice, bob = app.sign_in("alice"), app.sign_in("bob")
        a = alice.get("/review/api/next").json()["claim_key"]
        b = bob.get("/review/api/next").json()["claim_key"]
        assert a and b and a != b  # the lease keeps them apart
        assert alice.get("/review/api/next").json()["claim_key"] == a  # renewed, same claim
        alice.post("/review/api/decide", json={"claim_key": a, "decision": "accept"})
        seen = bob.get(f"/review/api/claim/{a}").json()
        assert seen["history"] == []  # bob does not see alice's decision before his own
        editor = app.sign_in("erin")
        page = editor.get("/review/agreement")
        assert page.status_code == 200 and "Cohen" in page.text
        assert alice.get("/review/agreement").status_code == 403
    finally:
        app.close()
