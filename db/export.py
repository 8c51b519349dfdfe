"""Export claims as JSON Lines or CSV (the fields the README promises scripts)."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterator

import sqlite_utils

FIELDS = ["claim_key", "claim_id", "pmid", "type", "subject", "hpo", "therapy", "negated",
          "hedged", "outcome", "sentence", "score", "status", "origin", "extractor_version"]


def claim_rows(db: sqlite_utils.Database, status: str = "any") -> Iterator[dict]:
    where = "active = 1" + (" and status = 'accepted'" if status == "accepted" else "")
    for row in db.query(f"select * from claims where {where} order by pmid, type, subject, object"):
        yield {
            "claim_key": row["claim_key"], "claim_id": row["claim_key"], "pmid": row["pmid"],
            "type": row["type"], "subject": row["subject"], "hpo": row["hpo"],
            "therapy": row["therapy"], "negated": bool(row["negated"]),
            "hedged": bool(row["hedged"]), "outcome": row["outcome"],
            "sentence": row["sentence"], "score": row["score"], "status": row["status"],
            "origin": row["origin"], "extractor_version": row["extractor_version"],
        }


def write_claims(db: sqlite_utils.Database, out: IO[str], fmt: str = "jsonl",
                 status: str = "any") -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
    for row in claim_rows(db, status):
        if fmt == "csv":
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
