"""The curation layer's tables (mentions, claims, extraction state, curators, decisions)
and their migrations, applied after the harvest layer's."""
from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("curate")


@migrations(name="extraction_tables")
def extraction_tables(db: sqlite_utils.Database) -> None:
    db["mentions"].create({
        "id": int, "pmid": str, "start": int, "end": int, "text": str, "kind": str,
        "norm_id": str, "sent_start": int, "sent_end": int, "negated": int,
    }, pk="id", foreign_keys=[("pmid", "articles", "pmid")])
    db["mentions"].create_index(["pmid"])
    db["claims"].create({
        "claim_key": str, "pmid": str, "type": str, "subject": str, "object": str,
        "hpo": str, "therapy": str, "negated": int, "hedged": int, "outcome": str,
        "sentence": str, "sent_start": int, "sent_end": int, "evidence": str,
        "score": float, "extractor_version": str, "status": str, "origin": str,
        "active": int, "extracted_at": str,
    }, pk="claim_key", foreign_keys=[("pmid", "articles", "pmid")])
    for cols in (["pmid"], ["status", "score"], ["subject"], ["type"], ["active", "status"]):
        db["claims"].create_index(cols)
    db["extraction_state"].create({"pmid": str, "content_hash": str,
                                   "extractor_version": str, "extracted_at": str,
                                   "claims": int, "mentions": int}, pk="pmid")


@migrations(name="review_tables")
def review_tables(db: sqlite_utils.Database) -> None:
    db["curators"].create({"name": str, "password_hash": str, "role": str,
                           "created_at": str, "active": int}, pk="name")
    db["decisions"].create({
        "id": int, "claim_key": str, "decision": str, "changes": str, "curator": str,
        "decided_at": str, "previous_status": str, "status_after": str, "note": str,
        "base_decision_id": int,
        "conflict": int, "orphaned": int,
    }, pk="id")
    db["decisions"].create_index(["claim_key", "id"])
    db["decisions"].create_index(["curator"])
    db["decisions"].create_index(["conflict"])


@migrations(name="decision_uids")
def decision_uids(db: sqlite_utils.Database) -> None:
    """Every decision gets an identity that survives the ledger (a UUID), so a rebuild
    de-duplicates by it rather than by (claim, curator, second, decision)."""
    import uuid
    db["decisions"].add_column("uid", str)
    db.conn.executemany("update decisions set uid = ? where id = ?",
                        [(str(uuid.uuid4()), row[0]) for row in
                         db.execute("select id from decisions").fetchall()])
    db["decisions"].create_index(["uid"], unique=True)


@migrations(name="claim_attributes")
def claim_attributes(db: sqlite_utils.Database) -> None:
    """Evidence attributes (species, study type, patient count), the rule that proposed a
    claim, and the model that scored it."""
    for column, kind in (("species", str), ("study", str), ("patients", int), ("rule", str),
                         ("model_version", str), ("proposed", int)):
        db["claims"].add_column(column, kind)
    db.execute("update claims set proposed = 1")
    # claims of a withdrawn article stay (with their decisions) after the article row goes
    db["claims"].transform(drop_foreign_keys=["pmid"])


@migrations(name="session_generations")
def session_generations(db: sqlite_utils.Database) -> None:
    """A per-curator session generation: logout, a password reset or deactivation bump it
    and every signed cookie carrying an older one stops working."""
    db["curators"].add_column("session_generation", int, not_null_default=0)


@migrations(name="decision_reasons")
def decision_reasons(db: sqlite_utils.Database) -> None:
    """Why a claim was rejected (one of curate.decisions.REJECT_REASONS), for curators,
    the ledger and the claim model."""
    db["decisions"].add_column("reason", str)


@migrations(name="review_settings_and_leases")
def review_settings_and_leases(db: sqlite_utils.Database) -> None:
    """How many curators review each claim (an option of the database), and short leases
    so concurrent curators are served different claims."""
    db["review_settings"].create({"name": str, "value": str}, pk="name")
    db["claim_leases"].create({"claim_key": str, "curator": str, "expires_at": str},
                              pk="claim_key")


@migrations(name="queue_indexes")
def queue_indexes(db: sqlite_utils.Database) -> None:
    """The review queue's lookups: pending proposed claims by score, counted from the index."""
    db.execute("update claims set proposed = 1 where proposed is null")
    db["claims"].create_index(["status", "active", "proposed", "score"], if_not_exists=True)


@migrations(name="claim_rule_names")
def claim_rule_names(db: sqlite_utils.Database) -> None:
    """The names of the claim rules that proposed a claim (a JSON list), beside `rule`,
    which says the same in a curator's words with the trigger words."""
    db["claims"].add_column("rules", str)


@migrations(name="curator_identity")
def curator_identity(db: sqlite_utils.Database) -> None:
    """Each account gets an identity that a name added again does not get back, so a removed
    curator's old session cookie stays dead; names are compared case-folded, so existing
    names are folded (with their decisions) where that makes no two accounts one."""
    import secrets
    import unicodedata
    db["curators"].add_column("account_id", str)
    names = [r[0] for r in db.execute("select name from curators")]
    folded = {}
    for name in names:
        folded.setdefault(unicodedata.normalize("NFKC", name).casefold(), []).append(name)
    for key, same in folded.items():
        if len(same) == 1 and same[0] != key:
            db.execute("update curators set name = ? where name = ?", [key, same[0]])
            db.execute("update decisions set curator = ? where curator = ?", [key, same[0]])
    for (name,) in db.execute("select name from curators").fetchall():
        db.execute("update curators set account_id = ? where name = ?",
                   [secrets.token_hex(12), name])
