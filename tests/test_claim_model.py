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


def _digest(path) -> bytes:
    import hashlib
    with sqlite3.connect(path) as conn:
        return hashlib.sha256("\n".join(map(repr, conn.iterdump())).encode()).digest()


def test_a_bad_training_file_names_its_line_and_changes_nothing(extracted_db, tmp_path):
    with sqlite3.connect(extracted_db) as conn:
        pmid = conn.execute("select pmid from articles order by pmid limit 1").fetchone()[0]
        other = conn.execute("select pmid from articles order by pmid limit 1 offset 1").fetchone()[0]
    good = {"type": "gene_phenotype", "subject": "CD40LG", "hpo": "HP:0001875", "negated": False}
    cases = {
        "not in this database": [{"pmid": "99999999", "claims": [good]}],
        "not a current HPO term": [{"pmid": pmid, "claims": [dict(good, hpo="HP:9999999")]}],
        "not a tracked gene": [{"pmid": pmid, "claims": [dict(good, subject="BRCA1")]}],
        "unknown therapy": [{"pmid": pmid, "claims": [{"type": "gene_therapy", "subject": "CD40LG",
                                                       "therapy": "snake_oil"}]}],
        "twice": [{"pmid": pmid, "claims": [good, good]}],
        "again": [{"pmid": pmid, "claims": [good]}, {"pmid": other, "claims": []},
                  {"pmid": pmid, "claims": []}],
        "no gold records": [],
    }
    before = _digest(extracted_db)
    for expected, records in cases.items():
        gold = tmp_path / "gold.jsonl"
        gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        out = tmp_path / "model"
        result = run_higm("train", "--db", str(extracted_db), "--gold", str(DATA / "gold" / "dev.jsonl"),
                          "--gold", str(gold), "--out", str(out), check=False)
        assert result.returncode == 1, expected
        assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
        if records:
            line = 3 if expected == "again" else 1
            assert f"line {line}:" in result.stderr, result.stderr
        assert not out.exists()
    assert _digest(extracted_db) == before


def test_a_model_folder_that_cannot_be_used_is_one_line_and_rules_alone_only_when_asked(
        extracted_db, tmp_path):
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "meta.json").write_text("{not json", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "meta.json").write_text(json.dumps({"name": "higm_claim_model", "higm": {"format": 99}}),
                                     encoding="utf-8")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    meta = json.loads((claim_model.shipped_path() / "meta.json").read_text(encoding="utf-8"))
    (damaged / "meta.json").write_text(json.dumps(meta), encoding="utf-8")  # no config, no weights
    before = _digest(extracted_db)
    for folder, words in ((tmp_path / "missing", "no claim model"), (corrupt, "corrupt"),
                          (other, "another version"), (damaged, "corrupt")):
        result = run_higm("extract", "--db", str(extracted_db), "--all",
                          env={"HIGM_CLAIM_MODEL": str(folder)}, check=False)
        assert result.returncode == 1 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "HIGM_CLAIM_MODEL=/none" in result.stderr
    assert _digest(extracted_db) == before
    run_higm("extract", "--db", str(extracted_db), "--all", env={"HIGM_CLAIM_MODEL": "/none"})
    with sqlite3.connect(extracted_db) as conn:
        versions = {r[0] for r in conn.execute("select model_version from claims "
                                               "where active = 1 and origin = 'extractor'")}
    assert versions <= {None, ""}
