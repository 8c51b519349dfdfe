"""Training data for the claim model: extracted candidates labelled by gold files (a
candidate the gold lists, leniently matched, is accepted; any other is rejected) and by
curator decisions (accepted or edited: accepted; rejected: rejected)."""
from __future__ import annotations

from pathlib import Path

import sqlite_utils

from curate import hpo
from curate.nlp.claim_model import Candidate, candidate_text
from curate.evaluate import GoldFileError, _key, gold_records
from curate.vocab_keys import therapies
from harvest.common import chunks


def object_name(claim: dict) -> str | None:
    if claim.get("type") == "gene_phenotype":
        term = hpo.load().terms.get(claim.get("hpo") or claim.get("object") or "")
        return term.name if term else None
    info = therapies().get(claim.get("therapy") or claim.get("object") or "")
    return info["name"] if info else None


def text_of_claim(claim: dict) -> str:
    return candidate_text(claim, object_name(claim))


def _neighbours() -> dict[str, set[str]]:
    ontology = hpo.load()
    kids = ontology.children()
    return {t.id: set(t.parents) | kids.get(t.id, set()) for t in ontology.terms.values()}


def _extracted(db: sqlite_utils.Database, pmids: list[str] | None = None) -> list[dict]:
    sql = "select * from claims where active = 1 and origin = 'extractor'"
    if pmids is None:
        return list(db.query(sql))
    rows = []
    for chunk in chunks(pmids):
        rows += list(db.query(sql + f" and pmid in ({','.join('?' * len(chunk))})", list(chunk)))
    return rows


def gold_candidates(db: sqlite_utils.Database, gold: dict[str, list[dict]]) -> list[Candidate]:
    neighbours = _neighbours()
    found = []
    for row in _extracted(db, list(gold)):
        gold_keys = {_key(row["pmid"], c) for c in gold.get(row["pmid"], [])}
        key = _key(row["pmid"], row)
        match = key in gold_keys or (row["type"] == "gene_phenotype" and any(
            (key[0], key[1], key[2], alt) in gold_keys for alt in neighbours.get(key[3], ())))
        found.append(Candidate(text_of_claim(row), match, row["claim_key"]))
    return found


def decision_candidates(db: sqlite_utils.Database) -> list[Candidate]:
    from curate.store import latest_for
    latest = latest_for(db)
    found = []
    for row in _extracted(db):
        decision = latest.get(row["claim_key"])
        if decision and decision["status_after"] in ("accepted", "rejected"):
            found.append(Candidate(text_of_claim(row), decision["status_after"] == "accepted",
                                   row["claim_key"]))
    return found


def check_training_file(db: sqlite_utils.Database, path: str | Path) -> dict[str, list[dict]]:
    """A gold file fit to train on in this database, or GoldFileError naming the line: every
    article in the database, every subject tracked, every HPO ID a live term, every therapy
    known, no claim twice, at least one record. Checked whole before anything is trained."""
    from curate.decisions import DecisionError, check_hpo, check_subject, check_therapy
    gold: dict[str, list[dict]] = {}
    seen_pmids: dict[str, int] = {}
    for number, pmid, claims in gold_records(path):  # the file's form, line by line
        where = f"{path}: line {number}"
        if pmid in seen_pmids:
            raise GoldFileError(f"{where}: PMID {pmid} again (first on line {seen_pmids[pmid]})")
        seen_pmids[pmid] = number
        if not db["articles"].count_where("pmid = ?", [pmid]):
            raise GoldFileError(f"{where}: PMID {pmid} is not in this database "
                                "(harvest or import it first)")
        keys = set()
        for claim in claims:
            obj = claim.get("hpo") if claim["type"] == "gene_phenotype" else claim.get("therapy")
            try:
                check_subject(claim["subject"])
                (check_hpo if claim["type"] == "gene_phenotype" else check_therapy)(obj)
            except DecisionError as exc:
                raise GoldFileError(f"{where}: {exc}") from None
            key = (claim["type"], claim["subject"], obj)
            if key in keys:
                raise GoldFileError(f"{where}: the claim {claim['subject']} -> {obj} twice")
            keys.add(key)
        gold[pmid] = claims
    if not gold:
        raise GoldFileError(f"{path}: no gold records (an empty file trains nothing)")
    return gold


def training_set(db: sqlite_utils.Database, gold_files: list[str | Path]) -> list[Candidate]:
    """Decisions win over gold for the same claim (a curator looked at it). Every gold file
    is checked whole first (`check_training_file`): a bad one trains nothing."""
    by_key: dict[str, Candidate] = {}
    golds = [check_training_file(db, path) for path in gold_files]
    for gold in golds:
        for c in gold_candidates(db, gold):
            by_key[c.key] = c
    for c in decision_candidates(db):
        by_key[c.key] = c
    return list(by_key.values())
