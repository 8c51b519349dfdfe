"""The decision log: append-only. A claim's status and any curator edits are derived
from it, so re-extraction (which rewrites claim rows) never loses a decision.

A decision names the latest decision its author saw (``base_decision_id``). If someone
else decided the claim in between, the new decision is logged as a conflict, changes
nothing, and the claim appears in the disagreements list for an editor.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from harvest.load import now

DECISIONS = ("accept", "reject", "edit", "add", "undo", "resolve")
EDITABLE = ("subject", "hpo", "therapy", "negated", "hedged", "outcome")
OUTCOMES = ("effective", "ineffective", "mixed", "adverse", "not_stated")


class DecisionError(ValueError):
    pass


@dataclass
class Outcome:
    decision_id: int
    status: str
    conflict: bool
    current: dict | None = None


def latest(db: sqlite_utils.Database, claim_key: str) -> dict | None:
    rows = list(db.query("select * from decisions where claim_key = ? and conflict = 0 "
                         "order by id desc limit 1", [claim_key]))
    return rows[0] if rows else None


def status_for(db: sqlite_utils.Database, claim_key: str) -> str:
    """The status the decision log gives a claim: 'pending' when nobody has decided."""
    row = latest(db, claim_key)
    return row["status_after"] if row and row["status_after"] else "pending"


def _validate_changes(changes: dict) -> dict:
    clean = {}
    for field, value in changes.items():
        if field not in EDITABLE:
            raise DecisionError(f"field {field!r} cannot be edited")
        if field in ("negated", "hedged"):
            value = bool(value) if not isinstance(value, str) else value.lower() in ("1", "true", "yes", "on")
            value = int(value)
        elif field == "outcome" and value not in OUTCOMES + (None, ""):
            raise DecisionError(f"unknown outcome {value!r}")
        elif field == "hpo" and value and not str(value).startswith("HP:"):
            raise DecisionError(f"not an HPO ID: {value!r}")
        clean[field] = value or (0 if field in ("negated", "hedged") else None)
    return clean


def apply_edits(db: sqlite_utils.Database, claim_key: str) -> None:
    """Replay every standing edit onto the claim row (after re-extraction or an undo)."""
    values: dict = {}
    for row in db.query("select decision, changes from decisions where claim_key = ? and "
                        "conflict = 0 order by id", [claim_key]):
        if row["decision"] in ("edit", "resolve") and row["changes"]:
            for field, (_, new) in json.loads(row["changes"]).items():
                values[field] = new
        elif row["decision"] == "undo" and row["changes"]:
            for field, (_, old) in json.loads(row["changes"]).items():
                values[field] = old
    if values:
        if "hpo" in values or "therapy" in values:
            values["object"] = values.get("hpo") or values.get("therapy")
        db["claims"].update(claim_key, {k: v for k, v in values.items() if k in EDITABLE + ("object",)})


def decide(db: sqlite_utils.Database, claim_key: str, decision: str, curator: str,
           base_decision_id: int | None, changes: dict | None = None,
           note: str | None = None, role: str = "curator") -> Outcome:
    """Record one decision in its own transaction; returns the new status or a conflict."""
    if decision not in ("accept", "reject", "edit", "resolve"):
        raise DecisionError(f"unknown decision {decision!r}")
    if decision == "resolve" and role != "editor":
        raise DecisionError("only an editor resolves disagreements")
    with db.atomic():
        db.execute("update claims set active = active where 0")  # take the write lock now
        claim = list(db.query("select * from claims where claim_key = ?", [claim_key]))
        if not claim:
            raise DecisionError(f"no claim {claim_key}")
        claim = claim[0]
        current = latest(db, claim_key)
        current_id = current["id"] if current else None
        previous_status = claim["status"]
        conflict = decision != "resolve" and current_id != base_decision_id
        changes = dict(changes or {})
        if decision == "resolve":
            status_after = changes.pop("status", None) or "accepted"
            if status_after not in ("accepted", "rejected"):
                raise DecisionError("resolve needs status accepted or rejected")
        else:
            status_after = {"accept": "accepted", "reject": "rejected", "edit": "accepted"}[decision]
        diff = None
        if decision in ("edit", "resolve") and changes:
            clean = _validate_changes(changes)
            diff = {f: [claim[f], v] for f, v in clean.items() if claim[f] != v}
        new_id = db["decisions"].insert({
            "claim_key": claim_key, "decision": decision,
            "changes": json.dumps(diff) if diff else None, "curator": curator,
            "decided_at": now(), "previous_status": previous_status,
            "status_after": previous_status if conflict else status_after, "note": note,
            "base_decision_id": base_decision_id, "conflict": int(conflict), "orphaned": 0,
        }).last_pk
        if conflict:
            return Outcome(new_id, previous_status, True, current)
        db["claims"].update(claim_key, {"status": status_after})
        if diff:
            apply_edits(db, claim_key)
    return Outcome(new_id, status_after, False)


def undo(db: sqlite_utils.Database, claim_key: str, curator: str) -> Outcome:
    """Take back this curator's latest decision on the claim, if it is still the latest."""
    with db.atomic():
        current = latest(db, claim_key)
        if current is None or current["curator"] != curator or current["decision"] == "undo":
            raise DecisionError("nothing of yours to undo on this claim")
        reverse = None
        if current["changes"]:
            reverse = json.dumps({f: [new, old] for f, (old, new) in
                                  json.loads(current["changes"]).items()})
        new_id = db["decisions"].insert({
            "claim_key": claim_key, "decision": "undo", "changes": reverse, "curator": curator,
            "decided_at": now(), "previous_status": current["status_after"],
            "status_after": current["previous_status"], "note": f"undo of decision {current['id']}",
            "base_decision_id": current["id"], "conflict": 0, "orphaned": 0}).last_pk
        db["claims"].update(claim_key, {"status": current["previous_status"]})
        if reverse:
            for field, (_, old) in json.loads(reverse).items():
                update = {field: old}
                if field in ("hpo", "therapy"):
                    update["object"] = old
                db["claims"].update(claim_key, update)
    return Outcome(new_id, current["previous_status"], False)


def add_claim(db: sqlite_utils.Database, curator: str, pmid: str, type_: str, subject: str,
              obj: str, sentence: str, negated: bool = False, hedged: bool = False,
              outcome: str | None = None, note: str | None = None) -> str:
    """A claim the extractor missed, added by a curator from the abstract; accepted."""
    from curate.claims import claim_key
    if type_ not in ("gene_phenotype", "gene_therapy"):
        raise DecisionError(f"unknown claim type {type_!r}")
    if type_ == "gene_phenotype" and not obj.startswith("HP:"):
        raise DecisionError(f"not an HPO ID: {obj!r}")
    key = claim_key(pmid, type_, subject, obj)
    with db.atomic():
        if not db["articles"].count_where("pmid = ?", [pmid]):
            raise DecisionError(f"no article {pmid}")
        if db["claims"].count_where("claim_key = ?", [key]):
            raise DecisionError("that claim exists already; accept it instead")
        db["claims"].insert({
            "claim_key": key, "pmid": pmid, "type": type_, "subject": subject, "object": obj,
            "hpo": obj if type_ == "gene_phenotype" else None,
            "therapy": obj if type_ == "gene_therapy" else None, "negated": int(negated),
            "hedged": int(hedged),
            "outcome": (outcome or "not_stated") if type_ == "gene_therapy" else None,
            "sentence": sentence, "score": 1.0, "extractor_version": None,
            "status": "accepted", "origin": "curator", "active": 1, "extracted_at": now()})
        db["decisions"].insert({
            "claim_key": key, "decision": "add",
            "changes": json.dumps({"claim": [None, {"pmid": pmid, "type": type_, "subject": subject,
                                                    "object": obj, "sentence": sentence,
                                                    "negated": int(negated), "hedged": int(hedged),
                                                    "outcome": outcome}]}),
            "curator": curator, "decided_at": now(), "previous_status": None,
            "status_after": "accepted", "note": note, "base_decision_id": None,
            "conflict": 0, "orphaned": 0})
    return key


def disagreements(db: sqlite_utils.Database) -> list[dict]:
    """Claims with a conflicting decision that no editor has resolved since."""
    return list(db.query("""
        select c.claim_key, c.pmid, c.type, c.subject, c.object, c.status, c.sentence,
               group_concat(d.curator || ': ' || d.decision, '; ') as conflicting
        from decisions d join claims c on c.claim_key = d.claim_key
        where d.conflict = 1 and d.id > coalesce((select max(r.id) from decisions r
              where r.claim_key = d.claim_key and r.decision = 'resolve'), 0)
        group by c.claim_key order by max(d.id) desc"""))
