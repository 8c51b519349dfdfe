"""Export claims as JSON Lines or CSV (the fields the README promises scripts)."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterator

import sqlite_utils

FIELDS = ["claim_key", "claim_id", "pmid", "type", "subject", "hpo", "therapy", "negated",
          "hedged", "outcome", "sentence", "score", "status", "origin", "extractor_version",
          "species", "study", "patients", "rule", "model_version", "proposed"]


def claim_rows(db: sqlite_utils.Database, status: str = "any",
               include_low: bool = False) -> Iterator[dict]:
    """Current claims; those under the claim model's threshold only with `include_low`
    (accepted claims are always given: a curator decided them)."""
    where = "active = 1" + (" and status = 'accepted'" if status == "accepted" else "")
    if not include_low:
        where += " and (coalesce(proposed, 1) = 1 or status = 'accepted')"
    for row in db.query(f"select * from claims where {where} order by pmid, type, subject, object"):
        yield {
            "claim_key": row["claim_key"], "claim_id": row["claim_key"], "pmid": row["pmid"],
            "type": row["type"], "subject": row["subject"], "hpo": row["hpo"],
            "therapy": row["therapy"], "negated": bool(row["negated"]),
            "hedged": bool(row["hedged"]), "outcome": row["outcome"],
            "sentence": row["sentence"], "score": row["score"], "status": row["status"],
            "origin": row["origin"], "extractor_version": row["extractor_version"],
            "species": row["species"], "study": row["study"], "patients": row["patients"],
            "rule": row["rule"], "model_version": row["model_version"],
            "proposed": bool(row["proposed"] if row["proposed"] is not None else 1),
        }


def write_claims(db: sqlite_utils.Database, out: IO[str], fmt: str = "jsonl",
                 status: str = "any", include_low: bool = False) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
    for row in claim_rows(db, status, include_low):
        if fmt == "csv":
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
