"""The one owner of claims and decisions rows.

Every claims row is built by `claim_row` from a `curate.records.Claim`, every decision
inserted by `insert_decision`,
"the latest decision of each claim" is one window query (`latest_for`), and `refresh` applies
status and standing curator edits to a batch of claims in a few set-based statements.
Extraction, the review API (decide, undo, add) and the ledger all go through here, so an
added claim or a decision looks the same whichever path wrote it.

Nothing here imports spaCy: the review server computes claim keys without loading it.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Iterable

import sqlite_utils

from curate.records import Claim
from harvest.common import chunks, now

EDITABLE = ("subject", "hpo", "therapy", "negated", "hedged", "outcome", "sentence", "patients",
            "species", "study")
CLAIM_TYPES = ("gene_phenotype", "gene_therapy")

# Latest non-conflicting decision per claim. Decision time first (an imported older ledger
# must not win over newer decisions here), then row id for decisions in the same instant.
# One window pass over the claims asked for: a correlated subquery per decision was
# quadratic in a claim's decisions (a year's ledger took minutes to import).
def _latest_sql(where: str = "") -> str:
    return f"""
    select * from (
        select d.*, row_number() over (
            partition by d.claim_key order by d.decided_at desc, d.id desc) as _rank
        from decisions d where d.conflict = 0{where})
    where _rank = 1"""


def _without_rank(row: dict) -> dict:
    row.pop("_rank", None)
    return row


def decision_time() -> str:
    """Decision timestamps carry microseconds, so two decisions in one second keep their order."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def claim_row(claim: Claim, *, pmid: str, origin: str, status: str = "pending",
              extractor_version: str | None = None, extracted_at: str | None = None) -> dict:
    """The claims row of a claim record. Therapy claims always carry an outcome
    (`not_stated` when none)."""
    if claim.type not in CLAIM_TYPES:
        raise ValueError(f"unknown claim type {claim.type!r}")
    is_therapy = claim.type == "gene_therapy"
    return {
        "claim_key": claim.claim_key, "pmid": pmid, "type": claim.type,
        "subject": claim.subject, "object": claim.object,
        "hpo": None if is_therapy else claim.object, "therapy": claim.object if is_therapy else None,
        "negated": int(bool(claim.negated)), "hedged": int(bool(claim.hedged)),
        "outcome": (claim.outcome or "not_stated") if is_therapy else None,
        "sentence": claim.sentence, "sent_start": claim.sent_start, "sent_end": claim.sent_end,
        "evidence": json.dumps(claim.evidence) if claim.evidence else None,
        "score": claim.score, "extractor_version": extractor_version, "status": status,
        "origin": origin, "active": 1, "extracted_at": extracted_at or now(),
        "species": claim.species, "study": claim.study, "patients": claim.patients,
        "rule": claim.rule, "rules": json.dumps(claim.rules) if claim.rules else None,
        "model_version": claim.model_version, "proposed": int(bool(claim.proposed)),
    }


def insert_claim(db: sqlite_utils.Database, claim: Claim, *, pmid: str, origin: str,
                 status: str = "pending", extracted_at: str | None = None,
                 ignore: bool = False) -> dict:
    """Insert one claim (a curator's added claim, or one rebuilt from the ledger); with
    `ignore`, a claim already stored is left as it is. Returns the row."""
    row = claim_row(claim, pmid=pmid, origin=origin, status=status, extracted_at=extracted_at)
    db["claims"].insert(row, ignore=ignore)
    return row


def take_write_lock(db: sqlite_utils.Database) -> None:
    """Inside a transaction: hold SQLite's write lock from here, so a decision reads the
    latest decision and writes its own with no other writer in between."""
    db.execute("update claims set active = active where 0")


def retire_claims(db: sqlite_utils.Database, keys: list[str]) -> None:
    """Claims the extractor no longer finds leave the queue; they and their decisions stay."""
    db.conn.executemany("update claims set active = 0 where claim_key = ?", [(k,) for k in keys])


def set_settled_status(db: sqlite_utils.Database, decision_id: int, status: str) -> None:
    """A two-person review's settlement, recorded on the decision that settled it."""
    db.execute("update decisions set status_after = ? where id = ?", [status, decision_id])


def insert_decision(db: sqlite_utils.Database, *, claim_key: str, decision: str,
                    curator: str, changes: dict | None = None,
                    previous_status: str | None = None, status_after: str | None = None,
                    note: str | None = None, base_decision_id: int | None = None,
                    conflict: bool = False, orphaned: bool = False,
                    decided_at: str | None = None, uid: str | None = None,
                    reason: str | None = None) -> int:
    """Append one decision; returns its row id. The uid travels in the ledger."""
    return db["decisions"].insert({
        "uid": uid or str(uuid.uuid4()), "claim_key": claim_key, "decision": decision,
        "changes": json.dumps(changes, ensure_ascii=False) if changes else None,
        "curator": curator, "decided_at": decided_at or decision_time(),
        "previous_status": previous_status, "status_after": status_after, "note": note,
        "base_decision_id": base_decision_id, "conflict": int(bool(conflict)),
        "orphaned": int(bool(orphaned)), "reason": reason,
    }).last_pk


def repeated_conflict(db: sqlite_utils.Database, key: str, curator: str, decision: str,
                      since: int | None) -> int | None:
    """This curator's conflicting decision of the same kind on this claim, made after the
    decision it disagrees with (the same key pressed again), if there is one."""
    row = db.execute(
        "select id from decisions where claim_key = ? and curator = ? and decision = ? "
        "and conflict = 1 and id > ? order by id desc limit 1",
        [key, curator, decision, since or 0]).fetchone()
    return row[0] if row else None


def latest(db: sqlite_utils.Database, key: str) -> dict | None:
    rows = list(db.query(_latest_sql(" and d.claim_key = ?"), [key]))
    return _without_rank(rows[0]) if rows else None


def latest_for(db: sqlite_utils.Database, keys: Iterable[str] | None = None) -> dict[str, dict]:
    """The latest decision of each claim (of `keys`, or of every claim)."""
    if keys is None:
        return {r["claim_key"]: _without_rank(r) for r in db.query(_latest_sql())}
    found: dict[str, dict] = {}
    for chunk in chunks(list(keys)):
        found.update({r["claim_key"]: _without_rank(r) for r in db.query(
            _latest_sql(f" and d.claim_key in ({','.join('?' * len(chunk))})"), chunk)})
    return found


def _standing_edits(db: sqlite_utils.Database, keys: list[str]) -> dict[str, dict]:
    """Field values the decision log sets on each claim: edits forward, undos backward."""
    values: dict[str, dict] = {}
    for chunk in chunks(keys):
        for row in db.query(
                f"""select claim_key, decision, changes from decisions
                    where conflict = 0 and changes is not null and decision != 'add'
                      and claim_key in ({','.join('?' * len(chunk))})
                    order by decided_at, id""", chunk):
            fields = values.setdefault(row["claim_key"], {})
            for field, (old, new) in json.loads(row["changes"]).items():
                if field in EDITABLE:
                    fields[field] = old if row["decision"] == "undo" else new
    return values


def refresh(db: sqlite_utils.Database, keys: Iterable[str]) -> int:
    """Set status and curator edits of these claims from the decision log. Call inside the
    caller's transaction; returns how many claims were looked at."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return 0
    statuses = {k: r["status_after"] for k, r in latest_for(db, keys).items()}
    db.conn.executemany("update claims set status = ? where claim_key = ?",
                        [(statuses.get(k) or "pending", k) for k in keys])
    for key, fields in _standing_edits(db, keys).items():
        if "hpo" in fields or "therapy" in fields:
            fields["object"] = fields.get("hpo") or fields.get("therapy")
        assignments = ", ".join(f"[{f}] = ?" for f in fields)
        db.execute(f"update claims set {assignments} where claim_key = ?",
                   list(fields.values()) + [key])
    return len(keys)


def retire_articles(db: sqlite_utils.Database, pmids: list[str]) -> None:
    """An article is withdrawn: its mentions go, its claims leave the queue but stay (with
    their decisions) for the record. Passed to the harvest layer as its `on_removed`."""
    for chunk in chunks(pmids):
        marks = ",".join("?" * len(chunk))
        db.execute(f"delete from mentions where pmid in ({marks})", list(chunk))
        db.execute(f"delete from extraction_state where pmid in ({marks})", list(chunk))
        db.execute(f"update claims set active = 0 where pmid in ({marks})", list(chunk))


def upsert_extracted(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Store extractor claims: new keys are inserted, known keys take the new evidence while
    status and curator edits are re-derived by `refresh` (called here)."""
    if not rows:
        return
    columns = list(rows[0])
    keep = {"claim_key", "pmid", "type", "subject", "object", "hpo", "therapy", "origin",
            "status"}
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in keep)
    db.conn.executemany(
        f"insert into claims ({', '.join(f'[{c}]' for c in columns)}) "
        f"values ({', '.join('?' * len(columns))}) "
        f"on conflict(claim_key) do update set {updates}",
        [tuple(r[c] for c in columns) for r in rows])
    refresh(db, [r["claim_key"] for r in rows])
