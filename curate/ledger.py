"""The decisions ledger: JSON Lines that carry every decision from one database to another.

Export it to keep curation under version control; import it into a database rebuilt by
harvest and extract to get every decision back on its claim. A decision whose claim is
not (or no longer) there is kept and reported as orphaned, never dropped; it takes effect
if extraction later proposes that claim again.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from curate import store
from curate.accounts import AccountError, normalise_name
from curate.decisions import (DECISIONS, MAX_NOTE, REJECT_REASONS, DecisionError,
                              _validate_changes, check_added, recreate_added, sentence_of_article)
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
    # authors of decisions with no account in this database (a rebuilt database has none)
    curators_without_account: list[str] = field(default_factory=list)


STATUSES = {None, "pending", "accepted", "rejected", "disputed"}
_KEY = re.compile(r"[0-9a-f]{1,64}")
# a decision stamped later than this is from a wrong clock or a forgery: it would win over
# every real decision made before that date
CLOCK_SKEW = timedelta(minutes=10)


def _check_record(db: sqlite_utils.Database, record: dict, types: dict[str, str]) -> None:
    """Every field as the review API would accept it; raises DecisionError naming the field."""
    if record["decision"] not in DECISIONS:
        raise DecisionError(f"decision {str(record['decision'])[:20]!r}: use one of {', '.join(DECISIONS)}")
    if not isinstance(record["claim_key"], str) or not _KEY.fullmatch(record["claim_key"]):
        raise DecisionError("claim_key: 1-64 lower-case hex digits")
    curator = record["curator"]
    try:
        if not isinstance(curator, str) or normalise_name(curator) != curator:
            raise AccountError(f"curator {str(curator)[:40]!r} is not an account name as stored")
    except AccountError as exc:
        raise DecisionError(str(exc)) from None
    try:
        stamp = datetime.fromisoformat(str(record["decided_at"]))
    except ValueError:
        raise DecisionError(f"decided_at {str(record['decided_at'])[:40]!r} is not an ISO date") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    if stamp > datetime.now(timezone.utc) + CLOCK_SKEW:
        raise DecisionError(f"decided_at {record['decided_at']} is in the future")
    for name in ("previous_status", "status_after"):
        if record.get(name) not in STATUSES:
            raise DecisionError(f"{name} {str(record.get(name))[:20]!r} is not a claim status")
    note = record.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise DecisionError(f"note: text of at most {MAX_NOTE} characters")
    if record.get("reason") not in (None, *REJECT_REASONS):
        raise DecisionError(f"reason {str(record.get('reason'))[:30]!r}: use one of "
                            f"{', '.join(REJECT_REASONS)}")
    if record.get("uid") is not None and not (isinstance(record["uid"], str) and len(record["uid"]) <= 64):
        raise DecisionError("uid: text of at most 64 characters")
    changes = record.get("changes") or {}
    if record["decision"] == "add":
        _check_added(db, changes)
        return
    if record["decision"] == "resolve":
        changes = {k: v for k, v in changes.items() if k != "status"}
    claim_type = types.get(record["claim_key"]) or (record.get("claim") or {}).get("type")
    for name, pair in changes.items():
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DecisionError(f"changes.{str(name)[:20]}: [old, new]")
        if claim_type in store.CLAIM_TYPES:
            _validate_changes({name: pair[1]}, claim_type)
            pmid = (record.get("claim") or {}).get("pmid")
            if name == "sentence" and pmid and db["articles"].count_where("pmid = ?", [pmid]):
                sentence_of_article(db, pmid, pair[1])
        elif name not in store.EDITABLE:
            raise DecisionError(f"field {str(name)[:20]!r} cannot be edited")


def _check_added(db: sqlite_utils.Database, changes: dict) -> None:
    claim = (changes.get("claim") or [None, None])[1] if isinstance(changes.get("claim"), list) else None
    if not isinstance(claim, dict):
        raise DecisionError("an 'add' decision carries changes.claim: [null, {the claim}]")
    # the add form's own checks; the article may be missing here (an orphaned decision)
    check_added(db, claim.get("pmid"), claim.get("type"), claim.get("subject"),
                claim.get("object"), claim.get("sentence"), claim.get("outcome"),
                article_required=False)


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
        except RecursionError:
            raise LedgerError(f"{path}: line {number}: JSON nested too deeply") from None
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
    types = {r[0]: r[1] for r in db.execute("select claim_key, type from claims")}
    for number, record in enumerate(records, 1):
        try:
            _check_record(db, record, types)
        except DecisionError as exc:
            raise LedgerError(f"{path}: record {number} ({record['claim_key']!s:.20}): {exc}; "
                              "nothing was imported") from None
    accounts = {r[0] for r in db.execute("select name from curators")}
    report.curators_without_account = sorted({r["curator"] for r in records} - accounts)
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
