"""A ledger import checks every record as the review API does, all or nothing, in linear
time: whoever can edit the version-controlled ledger cannot poison a release through it."""
from __future__ import annotations

import json
import sqlite3

import pytest

from curate.ledger import LedgerError, import_ledger
from db.schema import connect
from tests.conftest import run_higm


def _claim(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select claim_key, pmid from claims where type = 'gene_phenotype' "
                            "order by claim_key limit 1").fetchone()


def _good(key):
    return {"uid": "u-1", "claim_key": key, "decision": "accept", "curator": "alice",
            "decided_at": "2026-01-01T00:00:00+00:00", "status_after": "accepted"}


def _added(pmid, **claim):
    base = {"pmid": pmid, "type": "gene_phenotype", "subject": "CD40LG", "object": "HP:0001875",
            "sentence": "x" * 20, "negated": 0, "hedged": 0, "outcome": None}
    base.update(claim)
    return {"claim_key": "ab" * 10, "decision": "add", "curator": "alice",
            "decided_at": "2026-01-01T00:00:00+00:00", "changes": {"claim": [None, base]}}


@pytest.mark.parametrize("poison, field", [
    ({"decision": "delete"}, "decision"),
    ({"curator": "<script>"}, "curator"),
    ({"curator": "ALICE"}, "curator"),
    ({"decided_at": "9999-12-31T00:00:00+00:00"}, "future"),
    ({"decided_at": "yesterday"}, "decided_at"),
    ({"note": "x" * 5_000_000}, "note"),
    ({"status_after": "deleted"}, "status_after"),
    ({"reason": "because"}, "reason"),
    ({"claim_key": "<img src=x>"}, "claim_key"),
    ({"decision": "edit", "changes": {"subject": ["CD40LG", "NOTAGENE"]}}, "tracked gene"),
    ({"decision": "edit", "changes": {"hpo": ["HP:0001875", "HP:9999999"]}}, "HPO"),
])
def test_a_poisoned_record_stops_the_whole_import(extracted_db, tmp_path, poison, field):
    key, _ = _claim(extracted_db)
    ledger = tmp_path / "ledger.jsonl"
    good = _good(key)
    ledger.write_text(json.dumps(good) + "\n" + json.dumps({**good, "uid": "u-2", **poison}) + "\n")
    db = connect(extracted_db)
    before = db.execute("select count(*) from decisions").fetchone()[0]
    with pytest.raises(LedgerError, match=field):
        import_ledger(db, ledger)
    assert db.execute("select count(*) from decisions").fetchone()[0] == before  # not even line 1


@pytest.mark.parametrize("claim, field", [
    ({"subject": "<img src=x>"}, "tracked gene"),
    ({"object": "HP:9999999"}, "HPO"),
    ({"sentence": "a sentence that is nowhere in this article at all"}, "not text of this article"),
    ({"type": "gene_therapy", "object": "hsct", "outcome": "miraculous"}, "outcome"),
])
def test_an_added_claim_is_checked_like_the_add_form(extracted_db, tmp_path, claim, field):
    _, pmid = _claim(extracted_db)
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text(json.dumps(_added(pmid, **claim)) + "\n")
    db = connect(extracted_db)
    with pytest.raises(LedgerError, match=field):
        import_ledger(db, ledger)
    assert not db["claims"].count_where("origin = 'curator'")


def test_the_cli_names_the_record_and_keeps_nothing(extracted_db, tmp_path):
    key, _ = _claim(extracted_db)
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text(json.dumps({**_good(key), "curator": "<script>"}) + "\n")
    result = run_higm("decisions", "import", str(ledger), "--db", str(extracted_db), check=False)
    assert result.returncode == 1 and "record 1" in result.stderr
    assert "nothing was imported" in result.stderr.lower() and "Traceback" not in result.stderr
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    result = run_higm("decisions", "import", str(deep), "--db", str(extracted_db), check=False)
    assert result.returncode == 1 and "nested too deeply" in result.stderr


def test_an_import_is_linear_in_its_decisions(extracted_db, tmp_path):
    key, _ = _claim(extracted_db)
    steps = {}
    for n in (2000, 8000):
        ledger = tmp_path / f"ledger{n}.jsonl"
        ledger.write_text("".join(json.dumps({
            **_good(key), "uid": f"{n}-{i}", "curator": f"c{i % 5}",
            "decided_at": f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}.{i:06d}+00:00"}) + "\n"
            for i in range(n)))
        db = connect(tmp_path / f"copy{n}.db")
        src = sqlite3.connect(extracted_db)
        src.backup(db.conn)
        src.close()
        # SQLite's own count of the work it did (virtual-machine steps), not a clock: the same
        # on a loaded CI machine as here, where a wall-clock ratio once failed
        counter = {"calls": 0}

        def step(counter=counter):
            counter["calls"] += 1
            return 0

        db.conn.set_progress_handler(step, 1000)
        assert import_ledger(db, ledger).applied == n
        db.conn.set_progress_handler(None, 0)
        steps[n] = counter["calls"]
    # four times the decisions on one claim: linear work is about four times the steps;
    # the quadratic latest-decision query this guards against made it sixteen
    assert steps[8000] / steps[2000] < 8, steps
