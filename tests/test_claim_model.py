"""The claim model: trained from gold and decisions by `higm train`, recorded on every claim
it scores, and claims under its threshold kept but not proposed."""
from __future__ import annotations

import json
import sqlite3

from curate.nlp import claim_model
from curate.nlp.claim_model import Candidate
from tests.conftest import DATA, run_higm


def test_train_with_nothing_to_learn_from_changes_nothing(extracted_db, tmp_path):
    out = tmp_path / "model"
    result = run_higm("train", "--db", str(extracted_db), "--out", str(out), check=False)
    assert result.returncode == 1 and "nothing to train on" in result.stderr
    assert not out.exists()


def test_train_extract_and_threshold(extracted_db, tmp_path):
    out = tmp_path / "model"
    trained = run_higm("train", "--db", str(extracted_db), "--gold",
                       str(DATA / "gold" / "dev.jsonl"), "--out", str(out), "--threshold", "0.99")
    version = claim_model.info(out)["version"]
    assert version in trained.stdout and claim_model.info(out)["trained_on"]["claims"] > 50
    run_higm("extract", "--db", str(extracted_db), "--all", env={"HIGM_CLAIM_MODEL": str(out)})
    with sqlite3.connect(extracted_db) as conn:
        versions = {r[0] for r in conn.execute("select model_version from claims where active = 1")}
        low = conn.execute("select count(*) from claims where active = 1 and proposed = 0").fetchone()[0]
        total = conn.execute("select count(*) from claims where active = 1").fetchone()[0]
    assert versions == {version} and 0 < low <= total
    proposed = run_higm("export", "claims", "--db", str(extracted_db)).stdout.splitlines()
    everything = run_higm("export", "claims", "--db", str(extracted_db),
                          "--include-low").stdout.splitlines()
    assert len(everything) == total and len(proposed) == total - low
    assert all(json.loads(line)["proposed"] for line in proposed)


def test_the_model_learns_a_separable_signal():
    good = [Candidate(f"rule_the_sentence_names_the_gene patients had neutropenia {i}", True)
            for i in range(30)]
    bad = [Candidate(f"rule_from_the_disease_name mice expressed lymphoma {i}", False)
           for i in range(30)]
    model = claim_model.train(good + bad)
    high, low = claim_model.score(model, ["rule_the_sentence_names_the_gene patients had neutropenia",
                                          "rule_from_the_disease_name mice expressed lymphoma"])
    assert high > 0.7 and low < 0.3 and high - low > 0.5


def test_every_extracted_claim_carries_attributes_and_the_shipped_model(extracted_db):
    with sqlite3.connect(extracted_db) as conn:
        rows = conn.execute("select species, study, rule, model_version from claims "
                            "where active = 1 and origin = 'extractor'").fetchall()
    assert rows and all(r[0] in ("human", "mouse", "other_animal", "in_vitro") for r in rows)
    assert all(r[1] in ("case_report", "case_series", "review", "animal_model", "in_vitro", "trial")
               for r in rows)
    assert all(r[2] for r in rows)
    shipped = claim_model.info(claim_model.shipped_path())["version"]
    assert {r[3] for r in rows} == {shipped}
