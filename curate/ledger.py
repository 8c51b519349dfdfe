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

from curate import store
from curate.decisions import recreate_added
from harvest.common import atomic_write

FIELDS = ("uid", "claim_key", "decision", "changes", "curator", "decided_at", "previous_status",
          "status_after", "note", "conflict", "reason")


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
    count = 0
    with atomic_write(path) as out:
        for row in db.query("select * from decisions order by decided_at, id"):
            record = {f: row[f] for f in FIELDS}
            record["changes"] = json.loads(row["changes"]) if row["changes"] else None
            record["conflict"] = bool(row["conflict"])
            claim = claims.get(row["claim_key"])
            if claim:
                record["claim"] = {k: claim[k] for k in ("pmid", "type", "subject", "object")}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _read(path: Path) -> list[dict]:
    if not path.is_file():
        raise LedgerError(f"ledger not found: {path}")
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise KeyError("a JSON object per line")
            missing = [f for f in ("claim_key", "decision", "curator", "decided_at") if not record.get(f)]
            if missing:
                raise KeyError(", ".join(missing))
            if record.get("changes") is not None and not isinstance(record["changes"], dict):
                raise KeyError("changes must be an object")
        except (json.JSONDecodeError, KeyError, AttributeError) as exc:
            raise LedgerError(f"{path}: line {number}: not a decision record ({exc})") from None
        records.append(record)
    return records


def _legacy_key(record: dict) -> tuple:
    return (record["claim_key"], record["curator"], record["decided_at"], record["decision"])


def import_ledger(db: sqlite_utils.Database, path: Path) -> ImportReport:
    """Append the ledger's decisions that are not here yet, in one transaction.

    A decision is the same decision when its uid is. Ledgers written before decisions had
    uids are matched by (claim, curator, time, decision) as a multiset, so two identical
    decisions in one second both survive."""
    records = _read(path)  # the whole file is checked before anything is written
    report = ImportReport()
    touched: set[str] = set()
    with db.atomic():
        known_uids = {r[0] for r in db.execute("select uid from decisions where uid is not null")}
        legacy_here: dict[tuple, int] = {}
        for row in db.query("select claim_key, curator, decided_at, decision from decisions"):
            key = _legacy_key(row)
            legacy_here[key] = legacy_here.get(key, 0) + 1
        for record in records:
            uid = record.get("uid")
            if uid:
                if uid in known_uids:
                    report.already += 1
                    continue
            else:
                key = _legacy_key(record)
                if legacy_here.get(key, 0) > 0:
                    legacy_here[key] -= 1
                    report.already += 1
                    continue
            present = db["claims"].count_where("claim_key = ?", [record["claim_key"]])
            if not present and record["decision"] == "add":
                present = recreate_added(db, record)
            store.insert_decision(
                db, uid=uid, claim_key=record["claim_key"], decision=record["decision"],
                changes=record.get("changes"), curator=record["curator"],
                decided_at=record["decided_at"], previous_status=record.get("previous_status"),
                status_after=record.get("status_after"), note=record.get("note"),
                conflict=bool(record.get("conflict")), orphaned=not present,
                reason=record.get("reason"))
            if uid:
                known_uids.add(uid)
            if present:
                report.applied += 1
                touched.add(record["claim_key"])
            else:
                report.orphaned += 1
                report.orphaned_keys.append(record["claim_key"])
        store.refresh(db, touched)
    return report
