"""The one owner of claims and decisions (curate.store, curate.decisions, curate.ledger),
in-process on real SQLite files: ledger identity, replay order, added claims."""
from __future__ import annotations

import json

import pytest

from curate import decisions, store
from curate.records import Claim
from curate.ledger import export_ledger, import_ledger
from db.schema import connect
from harvest.offline import import_files
from tests.conftest import DATA

PUBMED2 = DATA / "entrez" / "current" / "pubmed2.xml"


def _work(path):
    db = connect(path)
    import_files(db, [PUBMED2])
    pmid = db.execute("select pmid from articles order by pmid").fetchone()[0]
    rows = [store.claim_row(Claim.new(pmid, "gene_phenotype", "CD40LG", hpo, sentence="s"),
                            pmid=pmid, origin="extractor")
            for hpo in ("HP:0001875", "HP:0002720", "HP:0004315")]
    rows.append(store.claim_row(Claim.new(pmid, "gene_therapy", "CD40LG", "hsct", sentence="s"),
                                pmid=pmid, origin="extractor"))
    with db.atomic():
        store.upsert_extracted(db, rows)
    return db, pmid, [r["claim_key"] for r in rows]


def _statuses(db) -> dict:
    return {r["claim_key"]: (r["status"], r["hpo"], r["therapy"], r["outcome"], r["negated"])
            for r in db.query("select * from claims")}


def test_same_second_decisions_survive_a_ledger_rebuild(tmp_path):
    """H2: accept, undo, accept within one second; two curators' conflict in one second."""
    db, pmid, keys = _work(tmp_path / "a.db")
    first = decisions.decide(db, keys[0], "accept", "alice", None)
    decisions.undo(db, keys[0], "alice")
    decisions.decide(db, keys[0], "accept", "alice", first.decision_id + 1)
    base = decisions.decide(db, keys[1], "reject", "bob", None).decision_id
    decisions.decide(db, keys[1], "accept", "carol", None)  # conflict: logged, no effect
    decisions.decide(db, keys[2], "edit", "alice", None, {"hpo": "HP:0001876"})
    ledger = tmp_path / "ledger.jsonl"
    assert export_ledger(db, ledger) == 6
    rebuilt, _, _ = _work(tmp_path / "b.db")
    report = import_ledger(rebuilt, ledger)
    assert report.applied == 6 and report.already == 0
    assert _statuses(rebuilt) == _statuses(db)
    assert _statuses(db)[keys[0]][0] == "accepted" and _statuses(db)[keys[1]][0] == "rejected"
    assert import_ledger(rebuilt, ledger).already == 6  # idempotent by uid
    assert base


def test_legacy_ledgers_without_uids_keep_identical_decisions(tmp_path):
    db, pmid, keys = _work(tmp_path / "a.db")
    stamp = "2026-01-01T00:00:00+00:00"
    line = {"claim_key": keys[0], "decision": "accept", "curator": "alice", "decided_at": stamp,
            "status_after": "accepted"}
    undo = {**line, "decision": "undo", "status_after": "pending"}
    ledger = tmp_path / "old.jsonl"
    ledger.write_text("\n".join(json.dumps(x) for x in (line, undo, line)) + "\n")
    assert import_ledger(db, ledger).applied == 3
    assert db.execute("select count(*) from decisions").fetchone()[0] == 3
    assert import_ledger(db, ledger).already == 3


def test_an_older_ledger_does_not_override_newer_decisions(tmp_path):
    """M7: status follows decision time, not row id."""
    db, pmid, keys = _work(tmp_path / "a.db")
    decisions.decide(db, keys[0], "reject", "alice", None)
    ledger = tmp_path / "old.jsonl"
    ledger.write_text(json.dumps({"claim_key": keys[0], "decision": "accept", "curator": "bob",
                                  "decided_at": "2020-01-01T00:00:00+00:00",
                                  "status_after": "accepted"}) + "\n")
    import_ledger(db, ledger)
    assert db["claims"].get(keys[0])["status"] == "rejected"


def test_added_therapy_claims_round_trip_with_their_outcome(tmp_path):
    """The ledger drift: an added therapy claim's outcome 'not_stated' became NULL."""
    db, pmid, keys = _work(tmp_path / "a.db")
    text = db["articles"].get(pmid)["abstract"]
    sentence = text.split(". ")[0]
    key = decisions.add_claim(db, "alice", pmid, "gene_therapy", "CD40", "ig_replacement",
                              sentence)
    before = db["claims"].get(key)
    assert before["outcome"] == "not_stated"
    ledger = tmp_path / "ledger.jsonl"
    export_ledger(db, ledger)
    rebuilt, _, _ = _work(tmp_path / "b.db")
    import_ledger(rebuilt, ledger)
    after = rebuilt["claims"].get(key)
    fields = ("type", "subject", "object", "therapy", "outcome", "negated", "sentence",
              "status", "origin")
    assert {f: after[f] for f in fields} == {f: before[f] for f in fields}


@pytest.mark.parametrize("changes, message", [
    ({"hpo": "HP:9999999"}, "not a current HPO term"),
    ({"hpo": "HP:<script>"}, "not a current HPO term"),
    ({"subject": "NOTAGENE"}, "not a tracked gene"),
    ({"therapy": "hsct"}, "has no therapy"),
    ({"outcome": "effective"}, "only a therapy claim"),
    ("a string", "must be an object"),
])
def test_edits_are_validated_against_the_vocabularies(tmp_path, changes, message):
    db, pmid, keys = _work(tmp_path / "a.db")
    with pytest.raises(decisions.DecisionError, match=message):
        decisions.decide(db, keys[0], "edit", "alice", None, changes)
    assert db.execute("select count(*) from decisions").fetchone()[0] == 0


def test_added_claims_need_article_text_and_known_terms(tmp_path):
    db, pmid, keys = _work(tmp_path / "a.db")
    with pytest.raises(decisions.DecisionError, match="not text of this article"):
        decisions.add_claim(db, "alice", pmid, "gene_phenotype", "CD40LG", "HP:0002090",
                            "Pneumonia was very common in all of them.")
    with pytest.raises(decisions.DecisionError, match="not a current HPO"):
        decisions.add_claim(db, "alice", pmid, "gene_phenotype", "CD40LG", "HP:9999999", "x" * 20)
    with pytest.raises(decisions.DecisionError, match="unknown therapy"):
        decisions.add_claim(db, "alice", pmid, "gene_therapy", "CD40LG", "aspirin", "x" * 20)
    with pytest.raises(decisions.DecisionError, match="note too long"):
        decisions.add_claim(db, "alice", pmid, "gene_phenotype", "CD40LG", "HP:0002090",
                            "x" * 20, note="n" * 5_000_000)
    sentence = db["articles"].get(pmid)["abstract"].split(". ")[0]
    key = decisions.add_claim(db, "alice", pmid, "gene_phenotype", "CD40LG", "HP:0002090",
                              sentence, negated="false")
    assert db["claims"].get(key)["negated"] == 0


def test_undoing_an_added_claim_and_repeating_a_key(tmp_path):
    db, pmid, keys = _work(tmp_path / "a.db")
    sentence = db["articles"].get(pmid)["abstract"].split(". ")[0]
    key = decisions.add_claim(db, "alice", pmid, "gene_phenotype", "CD40LG", "HP:0002090",
                              sentence)
    assert decisions.undo(db, key, "alice").status == "pending"
    first = decisions.decide(db, keys[0], "accept", "alice", None)
    again = decisions.decide(db, keys[0], "accept", "alice", None)  # the same key, twice
    assert again.decision_id == first.decision_id and not again.conflict
    assert db.execute("select count(*) from decisions where conflict = 1").fetchone()[0] == 0


def test_reextraction_keeps_curator_edits_in_one_refresh(tmp_path):
    db, pmid, keys = _work(tmp_path / "a.db")
    decisions.decide(db, keys[0], "edit", "alice", None, {"hpo": "HP:0001876", "hedged": 1})
    rows = [store.claim_row(Claim.new(pmid, "gene_phenotype", "CD40LG", "HP:0001875",
                                      sentence="new evidence"), pmid=pmid, origin="extractor")]
    with db.atomic():
        store.upsert_extracted(db, rows)
    row = db["claims"].get(keys[0])
    assert (row["hpo"], row["object"], row["hedged"], row["status"], row["sentence"]) == \
        ("HP:0001876", "HP:0001876", 1, "accepted", "new evidence")


def test_withdrawn_articles_keep_their_claims_and_decisions(tmp_path):
    from harvest.load import delete_articles
    db, pmid, keys = _work(tmp_path / "a.db")
    decisions.decide(db, keys[0], "accept", "alice", None)
    with db.atomic():
        assert delete_articles(db, [pmid], "update file", on_removed=store.retire_articles) == 1
    assert db["claims"].get(keys[0])["active"] == 0
    assert db.execute("select count(*) from decisions").fetchone()[0] == 1
