"""The decisions ledger: JSON Lines that carry every decision from one database to another.

Export it to keep curation under version control; import it into a database rebuilt by
harvest and extract to get every decision back on its claim. A decision whose claim is
not (or no longer) there is kept and reported as orphaned, never dropped; it takes effect
if extraction later proposes that claim again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from curate.decisions import apply_edits, status_for

FIELDS = ("claim_key", "decision", "changes", "curator", "decided_at", "previous_status",
          "status_after", "note", "conflict")


class LedgerError(ValueError):
    pass


@dataclass
class ImportReport:
    applied: int = 0
    already: int = 0
    orphaned: int = 0
    orphaned_keys: list[str] = field(default_factory=list)


def export_ledger(db: sqlite_utils.Database, path: Path) -> int:
    claims = {r["claim_key"]: r for r in db.query(
        "select claim_key, pmid, type, subject, object from claims")}
    tmp = path.with_name(path.name + ".partial")
    count = 0
    with tmp.open("w", encoding="utf-8") as out:
        for row in db.query("select * from decisions order by id"):
            record = {f: row[f] for f in FIELDS}
            record["changes"] = json.loads(row["changes"]) if row["changes"] else None
            record["conflict"] = bool(row["conflict"])
            claim = claims.get(row["claim_key"])
            if claim:
                record["claim"] = {k: claim[k] for k in ("pmid", "type", "subject", "object")}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    tmp.replace(path)
    return count


def _read(path: Path) -> list[dict]:
    if not path.is_file():
        raise LedgerError(f"ledger not found: {path}")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            missing = [f for f in ("claim_key", "decision", "curator", "decided_at") if not record.get(f)]
            if missing:
                raise KeyError(", ".join(missing))
        except (json.JSONDecodeError, KeyError, AttributeError) as exc:
            raise LedgerError(f"{path}: line {number}: not a decision record ({exc})") from None
        records.append(record)
    return records


def import_ledger(db: sqlite_utils.Database, path: Path) -> ImportReport:
    """Append the ledger's decisions that are not here yet, in one transaction."""
    records = _read(path)  # the whole file is checked before anything is written
    report = ImportReport()
    touched: set[str] = set()
    with db.atomic():
        for record in records:
            exists = db.execute(
                "select 1 from decisions where claim_key = ? and curator = ? and decided_at = ? "
                "and decision = ?", [record["claim_key"], record["curator"], record["decided_at"],
                                     record["decision"]]).fetchone()
            if exists:
                report.already += 1
                continue
            present = db["claims"].count_where("claim_key = ?", [record["claim_key"]])
            if not present and record["decision"] == "add":
                present = _recreate_added(db, record)
            db["decisions"].insert({
                "claim_key": record["claim_key"], "decision": record["decision"],
                "changes": json.dumps(record["changes"]) if record.get("changes") else None,
                "curator": record["curator"], "decided_at": record["decided_at"],
                "previous_status": record.get("previous_status"),
                "status_after": record.get("status_after"), "note": record.get("note"),
                "base_decision_id": None, "conflict": int(bool(record.get("conflict"))),
                "orphaned": int(not present)})
            if present:
                report.applied += 1
                touched.add(record["claim_key"])
            else:
                report.orphaned += 1
                report.orphaned_keys.append(record["claim_key"])
        for key in touched:
            db["claims"].update(key, {"status": status_for(db, key)})
            apply_edits(db, key)
    return report


def _recreate_added(db: sqlite_utils.Database, record: dict) -> bool:
    """A curator-added claim travels inside its 'add' decision; rebuild it if its article is here."""
    claim = (record.get("changes") or {}).get("claim", [None, None])[1]
    if not claim or not db["articles"].count_where("pmid = ?", [claim["pmid"]]):
        return False
    obj = claim["object"]
    db["claims"].insert({
        "claim_key": record["claim_key"], "pmid": claim["pmid"], "type": claim["type"],
        "subject": claim["subject"], "object": obj,
        "hpo": obj if claim["type"] == "gene_phenotype" else None,
        "therapy": obj if claim["type"] == "gene_therapy" else None,
        "negated": claim.get("negated", 0), "hedged": claim.get("hedged", 0),
        "outcome": claim.get("outcome"), "sentence": claim.get("sentence"), "score": 1.0,
        "status": "accepted", "origin": "curator", "active": 1,
        "extracted_at": record["decided_at"]})
    return True
