"""The decision log: append-only. A claim's status and any curator edits are derived
from it (by `curate.store.refresh`), so re-extraction never loses a decision.

A decision names the latest decision its author saw (``base_decision_id``). If someone
else decided the claim in between, the new decision is logged as a conflict, changes
nothing, and the claim appears in the disagreements list for an editor.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from curate import store
from curate.records import MAX_PATIENTS, SPECIES, STUDIES, Claim
from harvest.panel import OUTCOMES, is_subject

DECISIONS = ("accept", "reject", "edit", "add", "undo", "resolve")
# why a claim is rejected, in the order of the review keys 1-7
REJECT_REASONS = {
    "wrong_gene": "wrong gene or disease",
    "wrong_phenotype": "wrong phenotype or therapy",
    "not_deficient": "gene not deficient in this study (context)",
    "negated": "negated or absent",
    "therapy_complication": "a complication of therapy",
    "animal_or_cell_only": "animal or cell study where human was claimed",
    "not_a_claim": "not a claim",
}
MAX_NOTE = 2000
MAX_SENTENCE = 5000


class DecisionError(ValueError):
    pass


class ClaimExists(DecisionError):
    """An added claim that is already there (maybe under the model's threshold)."""
    def __init__(self, claim_key: str):
        super().__init__("that claim exists already: it is opened for you to decide")
        self.claim_key = claim_key


@dataclass
class Outcome:
    decision_id: int
    status: str
    conflict: bool
    current: dict | None = None


def _flag(value) -> int:
    if isinstance(value, str):
        return int(value.strip().lower() in ("1", "true", "yes", "on"))
    return int(bool(value))


def _check_note(note) -> str | None:
    if note is None or note == "":
        return None
    if not isinstance(note, str):
        raise DecisionError("note must be text")
    if len(note) > MAX_NOTE:
        raise DecisionError(f"note too long ({len(note)} characters; at most {MAX_NOTE})")
    return note


def check_hpo(value) -> str:
    """A live HPO term ID, or DecisionError (the add form's and `higm train`'s check)."""
    from curate import hpo
    if not isinstance(value, str) or not hpo.is_live_term(value):
        raise DecisionError(f"not a current HPO term ID: {str(value)[:40]!r}")
    return value


def check_therapy(value) -> str:
    """A therapy key of lexicons/therapies.json, or DecisionError."""
    from curate.vocab_keys import therapy_keys
    if value not in therapy_keys():
        raise DecisionError(f"unknown therapy {str(value)[:40]!r}: use one of "
                            f"{', '.join(sorted(therapy_keys()))}")
    return value


def check_subject(value) -> str:
    """A tracked gene symbol or disease key, or DecisionError."""
    if not isinstance(value, str) or not is_subject(value):
        raise DecisionError(f"not a tracked gene or disease key: {str(value)[:40]!r}")
    return value


def _validate_changes(changes: dict, claim_type: str) -> dict:
    if not isinstance(changes, dict):
        raise DecisionError("changes must be an object of field: value")
    clean = {}
    for field, value in changes.items():
        if field not in store.EDITABLE:
            raise DecisionError(f"field {field!r} cannot be edited")
        if field in ("negated", "hedged"):
            value = _flag(value)
        elif field == "outcome":
            if value in (None, ""):
                value = None
            elif value not in OUTCOMES:
                raise DecisionError(f"unknown outcome {value!r}")
            if claim_type != "gene_therapy" and value is not None:
                raise DecisionError("only a therapy claim has an outcome")
        elif field == "hpo":
            if claim_type != "gene_phenotype":
                raise DecisionError("a therapy claim has no HPO term")
            value = check_hpo(value)
        elif field == "therapy":
            if claim_type != "gene_therapy":
                raise DecisionError("a phenotype claim has no therapy")
            value = check_therapy(value)
        elif field == "subject":
            value = check_subject(value)
        elif field == "sentence":
            # that it is text of the article is checked where the article is known (decide)
            if not isinstance(value, str) or not 10 <= len(value.strip()) <= MAX_SENTENCE:
                raise DecisionError(f"sentence: 10 to {MAX_SENTENCE} characters of the abstract")
            value = value.strip()
        elif field == "patients":
            if value in (None, ""):
                value = None
            elif isinstance(value, bool) or not isinstance(value, (int, str)) or \
                    not str(value).isdigit() or int(value) > MAX_PATIENTS:
                raise DecisionError(f"patients: a whole number from 0 to {MAX_PATIENTS:,}, or empty")
            else:
                value = int(value)
        elif field == "species":
            if value not in SPECIES:
                raise DecisionError(f"species {str(value)[:30]!r}: use one of {', '.join(SPECIES)}")
        elif field == "study":
            if value not in STUDIES:
                raise DecisionError(f"study {str(value)[:30]!r}: use one of {', '.join(STUDIES)}")
        clean[field] = value
    return clean


def _claim(db: sqlite_utils.Database, claim_key: str) -> dict:
    if not isinstance(claim_key, str) or not claim_key or len(claim_key) > 64:
        raise DecisionError("claim_key missing or malformed")
    rows = list(db.query("select * from claims where claim_key = ?", [claim_key]))
    if not rows:
        raise DecisionError(f"no claim {claim_key}")
    return rows[0]


def decide(db: sqlite_utils.Database, claim_key: str, decision: str, curator: str,
           base_decision_id: int | None, changes: dict | None = None,
           note: str | None = None, role: str = "curator",
           reason: str | None = None) -> Outcome:
    """Record one decision in its own transaction; returns the new status or a conflict."""
    if decision not in ("accept", "reject", "edit", "resolve"):
        raise DecisionError(f"unknown decision {decision!r}")
    if reason in ("", None):
        reason = None
    elif decision != "reject" or reason not in REJECT_REASONS:
        raise DecisionError(f"unknown reason {str(reason)[:40]!r}: a rejection takes one of "
                            f"{', '.join(REJECT_REASONS)}")
    if decision == "resolve" and role != "editor":
        raise DecisionError("only an editor resolves disagreements")
    if base_decision_id is not None:
        try:
            base_decision_id = int(base_decision_id)
        except (TypeError, ValueError, OverflowError):
            raise DecisionError("base_decision_id must be a decision number") from None
        if not 0 <= base_decision_id < 2**63:
            raise DecisionError("base_decision_id must be a decision number")
    note = _check_note(note)
    with db.atomic():
        store.take_write_lock(db)
        claim = _claim(db, claim_key)
        current = store.latest(db, claim_key)
        current_id = current["id"] if current else None
        previous_status = claim["status"]
        if changes is None:
            changes = {}
        if not isinstance(changes, dict):
            raise DecisionError("changes must be an object of field: value")
        changes = dict(changes)
        if decision == "resolve":
            # no default: an editor settling a dispute says which way
            status_after = changes.pop("status", None)
            if status_after not in ("accepted", "rejected"):
                raise DecisionError("resolve needs changes.status: accepted or rejected")
        else:
            status_after = {"accept": "accepted", "reject": "rejected", "edit": "accepted"}[decision]
        diff = None
        if decision in ("edit", "resolve") and changes:
            clean = _validate_changes(changes, claim["type"])
            if "sentence" in clean:
                clean["sentence"] = sentence_of_article(db, claim["pmid"], clean["sentence"])
            diff = {f: [claim[f], v] for f, v in clean.items() if claim[f] != v} or None
        # pressing the same key again on your own latest decision changes nothing
        if (current is not None and current["curator"] == curator and not diff
                and current["decision"] == decision and current["status_after"] == status_after
                and decision in ("accept", "reject") and (current.get("reason") == reason)):
            return Outcome(current["id"], status_after, False)
        from curate import agreement
        needed = agreement.reviews_per_claim(db)
        blind = needed > 1 and decision != "resolve"
        # blind review: curators do not see each other's decisions, so another curator's
        # decision is not a conflict; the settlement below decides the status. Otherwise a
        # decision made on a stale view is one, and so is a curator's reversal of another
        # curator's decision (knowing it or not): it is recorded as a disagreement, the
        # status stays until an editor resolves it or the first curator agrees. An
        # editor's decision settles directly.
        reversal = (role != "editor" and current is not None and current["curator"] != curator
                    and current["decision"] not in ("undo", "add")
                    and (current["status_after"] != status_after or bool(diff)))
        conflict = not blind and decision != "resolve" and (
            current_id != base_decision_id or reversal)
        if conflict:
            repeated = store.repeated_conflict(db, claim_key, curator, decision, current_id)
            if repeated is not None:  # pressing the key again changes nothing
                return Outcome(repeated, previous_status, True, current)
        new_id = store.insert_decision(
            db, claim_key=claim_key, decision=decision, changes=diff, curator=curator,
            previous_status=previous_status,
            status_after=previous_status if conflict else status_after, note=note,
            base_decision_id=base_decision_id, conflict=conflict, reason=reason)
        if conflict:
            return Outcome(new_id, previous_status, True, current)
        if blind:
            status_after = agreement.settlement(db, claim_key, needed)
            store.set_settled_status(db, new_id, status_after)
        store.refresh(db, [claim_key])
    return Outcome(new_id, status_after, False)


MAX_GROUP = 50


def decide_group(db: sqlite_utils.Database, claim_keys: list, decision: str, curator: str,
                 base_decision_ids: dict | None = None, changes: dict | None = None,
                 note: str | None = None, role: str = "curator",
                 reason: str | None = None) -> list[Outcome]:
    """One decision on each claim of a group (the cards one sentence gave), in one
    transaction: every claim takes it, or none does (a missing key, or a claim another
    curator decided since the group was shown, stops the group)."""
    if not isinstance(claim_keys, list) or not claim_keys or not all(
            isinstance(k, str) for k in claim_keys):
        raise DecisionError("claim_keys: a list of claim keys")
    if len(claim_keys) > MAX_GROUP:
        raise DecisionError(f"claim_keys: at most {MAX_GROUP} claims in one group")
    if len(set(claim_keys)) != len(claim_keys):
        raise DecisionError("claim_keys: a claim is named twice")
    base_decision_ids = base_decision_ids or {}
    if not isinstance(base_decision_ids, dict):
        raise DecisionError("base_decision_ids: an object of claim key: decision number")
    outcomes = []
    with db.atomic():
        for key in claim_keys:
            outcome = decide(db, key, decision, curator, base_decision_ids.get(key), changes,
                             note, role=role, reason=reason)
            if outcome.conflict:
                who = (outcome.current or {}).get("curator", "another curator")
                raise DecisionError(f"claim_keys: {key} was decided by {who}; nothing in the "
                                    f"group was stored, open it alone")
            outcomes.append(outcome)
    return outcomes


def undo(db: sqlite_utils.Database, claim_key: str, curator: str) -> Outcome:
    """Take back this curator's latest decision on the claim, if it is still the latest."""
    with db.atomic():
        _claim(db, claim_key)
        current = store.latest(db, claim_key)
        if current is None or current["curator"] != curator or current["decision"] == "undo":
            raise DecisionError("nothing of yours to undo on this claim")
        reverse = None
        if current["changes"] and current["decision"] != "add":
            import json
            reverse = {f: [new, old] for f, (old, new) in json.loads(current["changes"]).items()}
        status_after = current["previous_status"] or "pending"
        new_id = store.insert_decision(
            db, claim_key=claim_key, decision="undo", changes=reverse, curator=curator,
            previous_status=current["status_after"], status_after=status_after,
            note=f"undo of decision {current['id']}", base_decision_id=current["id"])
        store.refresh(db, [claim_key])
    return Outcome(new_id, status_after, False)


def sentence_of_article(db: sqlite_utils.Database, pmid: str, sentence) -> str:
    if not isinstance(sentence, str) or len(sentence.strip()) < 10:
        raise DecisionError("give the evidence sentence (at least 10 characters of the abstract)")
    if len(sentence) > MAX_SENTENCE:
        raise DecisionError("evidence sentence too long")
    row = db.execute("select title, abstract from articles where pmid = ?", [pmid]).fetchone()
    text = " ".join(part or "" for part in row)
    squash = lambda s: " ".join(s.split())  # noqa: E731  (line breaks differ in stored text)
    if squash(sentence) not in squash(text):
        raise DecisionError("the evidence sentence is not text of this article")
    return sentence.strip()


def check_added(db: sqlite_utils.Database, pmid, type_, subject, obj, sentence,
                outcome=None, article_required: bool = True) -> str:
    """The checks a curator-added claim passes, from the add form or from a ledger record:
    type, PMID, a tracked subject, a live HPO term or a therapy key and its outcome, and an
    evidence sentence that is text of the article. A ledger may name an article this
    database does not hold (its decision is kept as orphaned): then only the sentence's
    form is checked. Returns the sentence as stored."""
    if type_ not in store.CLAIM_TYPES:
        raise DecisionError(f"unknown claim type {str(type_)[:30]!r}")
    if not isinstance(pmid, str) or not pmid.isdigit() or len(pmid) > 12:
        raise DecisionError(f"not a PMID: {str(pmid)[:20]!r}")
    check_subject(subject)
    if type_ == "gene_phenotype":
        check_hpo(obj)
        if outcome:
            raise DecisionError("only a therapy claim has an outcome")
    else:
        check_therapy(obj)
        if outcome not in (None, "") and outcome not in OUTCOMES:
            raise DecisionError(f"unknown outcome {str(outcome)[:20]!r}")
    if db["articles"].count_where("pmid = ?", [pmid]):
        return sentence_of_article(db, pmid, sentence)
    if article_required:
        raise DecisionError(f"no article {pmid}")
    if not isinstance(sentence, str) or len(sentence) > MAX_SENTENCE:
        raise DecisionError(f"added claim sentence: text of at most {MAX_SENTENCE} characters")
    return sentence


def add_claim(db: sqlite_utils.Database, curator: str, pmid: str, type_: str, subject: str,
              obj: str, sentence: str, negated=False, hedged=False,
              outcome: str | None = None, note: str | None = None) -> str:
    """A claim the extractor missed, added by a curator from the abstract; accepted."""
    note = _check_note(note)
    negated, hedged = _flag(negated), _flag(hedged)
    with db.atomic():
        sentence = check_added(db, pmid, type_, subject, obj, sentence, outcome)
        claim = Claim.new(pmid, type_, subject, obj, negated=negated, hedged=hedged,
                          outcome=outcome or None, sentence=sentence, rule="added by a curator")
        key = claim.claim_key
        if db["claims"].count_where("claim_key = ?", [key]):
            raise ClaimExists(key)
        row = store.insert_claim(db, claim, pmid=pmid, origin="curator", status="accepted")
        store.insert_decision(
            db, claim_key=key, decision="add", curator=curator,
            changes={"claim": [None, {k: row[k] for k in ADDED_FIELDS}]},
            status_after="accepted", note=note)
    return key


# what an 'add' decision carries, so a ledger can rebuild the claim exactly
ADDED_FIELDS = ("pmid", "type", "subject", "object", "sentence", "negated", "hedged", "outcome")


def recreate_added(db: sqlite_utils.Database, record: dict) -> bool:
    """Rebuild a curator-added claim from its 'add' decision, if its article is here."""
    claim = ((record.get("changes") or {}).get("claim") or [None, None])[1]
    if not isinstance(claim, dict) or not db["articles"].count_where("pmid = ?", [claim.get("pmid")]):
        return False
    store.insert_claim(db, Claim(
        record["claim_key"], claim["type"], claim["subject"], claim["object"],
        negated=bool(claim.get("negated", 0)), hedged=bool(claim.get("hedged", 0)),
        outcome=claim.get("outcome"), sentence=claim.get("sentence"),
        rule="added by a curator"), pmid=claim["pmid"], origin="curator", status="accepted",
        extracted_at=record["decided_at"], ignore=True)
    return True


# a conflicting decision is settled once a later decision that counts gives the claim the
# status the conflicting one wanted (the first curator agreed)
AGREED = """select 1 from decisions a where a.claim_key = d.claim_key and a.id > d.id
    and a.conflict = 0 and a.decision in ('accept', 'reject', 'edit')
    and a.status_after = case d.decision when 'reject' then 'rejected' else 'accepted' end"""


def disagreements(db: sqlite_utils.Database, curator: str | None = None,
                  gene: str | None = None) -> list[dict]:
    """Claims with a conflicting decision, or disputed in two-person review, that no editor
    has resolved since; each with its decisions (notes and reasons) and the HPO name."""
    from curate import hpo
    where, params = "", []
    if gene:
        where += " and c.subject = ?"
        params.append(gene.upper())
    rows = list(db.query(f"""
        select c.claim_key, c.pmid, c.type, c.subject, c.object, c.status, c.sentence,
               a.title
        from claims c left join articles a on a.pmid = c.pmid
        where c.claim_key in (
            select d.claim_key from decisions d join claims c2 on c2.claim_key = d.claim_key
            where (d.conflict = 1 or c2.status = 'disputed') and d.id > coalesce((
                select max(r.id) from decisions r where r.claim_key = d.claim_key
                and r.decision = 'resolve'), 0)
            and not (d.conflict = 1 and exists ({AGREED}))){where}
        order by c.pmid desc""", params))
    terms = hpo.load().terms
    found = []
    for row in rows:
        row["decisions"] = list(db.query(
            "select curator, decision, reason, note, decided_at, conflict, changes from decisions "
            "where claim_key = ? and decision != 'resolve' order by decided_at, id",
            [row["claim_key"]]))
        if curator and curator not in {d["curator"] for d in row["decisions"]}:
            continue
        row["object_name"] = terms[row["object"]].name if row["object"] in terms else row["object"]
        row["conflicting"] = "; ".join(f"{d['curator']}: {d['decision']}" for d in row["decisions"])
        found.append(row)
    return found
