"""Read side of the review application: the queue, one claim with its context, HPO search."""
from __future__ import annotations

import sqlite3

from curate import hpo

from harvest.panel import GENELESS_KEYS as SUBJECT_KEYS  # noqa: E402  (subjects that are no gene)


def _filters(args: dict) -> tuple[str, list]:
    where = ["c.active = 1", "c.status = ?"]
    params: list = [args.get("status") or "pending"]
    if args.get("gene"):
        where.append("c.subject = ?")
        params.append(args["gene"].upper())
    if args.get("type"):
        where.append("c.type = ?")
        params.append(args["type"])
    if args.get("year"):
        year = str(args["year"])
        if not (year.isdigit() and len(year) == 4):
            raise ValueError("year must be four digits")
        where.append("a.year = ?")
        params.append(int(year))
    # claims the claim model scored under its threshold are kept but not proposed; a
    # curator reaches them with low=1
    if args.get("low") not in ("1", "true", "yes"):
        where.append("coalesce(c.proposed, 1) = 1")
    if args.get("curator"):
        where.append("exists (select 1 from decisions d where d.claim_key = c.claim_key "
                     "and d.curator = ?)")
        params.append(args["curator"])
    return " and ".join(where), params


def next_claim(conn: sqlite3.Connection, args: dict) -> dict:
    """The highest-scoring claim matching the filters, and how many remain."""
    where, params = _filters(args)
    exclude = [k for k in (args.get("exclude") or "").split(",") if k][:500]
    extra = f" and c.claim_key not in ({','.join('?' * len(exclude))})" if exclude else ""
    join = " join articles a on a.pmid = c.pmid" if args.get("year") else ""
    row = conn.execute(f"select c.claim_key from claims c{join} where {where}{extra} "
                       f"order by c.score desc, c.claim_key limit 1", params + exclude).fetchone()
    remaining = conn.execute(f"select count(*) from claims c{join} where {where}",
                             params).fetchone()[0]
    return {"claim_key": row[0] if row else None, "remaining": remaining}


def claim_detail(conn: sqlite3.Connection, key: str) -> dict | None:
    conn.row_factory = sqlite3.Row
    try:
        claim = conn.execute("select * from claims where claim_key = ?", [key]).fetchone()
        if claim is None:
            return None
        claim = dict(claim)
        article = dict(conn.execute(
            "select pmid, title, abstract, journal, year, doi from articles where pmid = ?",
            [claim["pmid"]]).fetchone() or {})
        highlights = []
        if claim["sent_start"] is not None:
            for m in conn.execute(
                    "select start, end, kind, norm_id, text from mentions where pmid = ? and "
                    "start >= ? and end <= ? order by start", [claim["pmid"], claim["sent_start"],
                                                               claim["sent_end"]]):
                highlights.append({"start": m["start"] - claim["sent_start"],
                                   "end": m["end"] - claim["sent_start"], "kind": m["kind"],
                                   "id": m["norm_id"]})
        history = [dict(r) for r in conn.execute(
            "select id, decision, curator, decided_at, previous_status, status_after, note, "
            "changes, conflict from decisions where claim_key = ? order by id", [key])]
        latest = next((h["id"] for h in reversed(history) if not h["conflict"]), None)
    finally:
        conn.row_factory = None
    terms = hpo.load().terms
    claim["object_name"] = terms[claim["hpo"]].name if claim["hpo"] in terms else claim["therapy"]
    # the sentence as stored, which is what the highlight offsets point into
    return {"claim": claim, "article": article, "highlights": highlights, "history": history,
            "latest_decision_id": latest,
            "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{claim['pmid']}/"}


def search_hpo(query: str, limit: int = 15) -> list[dict]:
    """HPO terms whose name or synonym contains every word typed, names first."""
    words = [w for w in query.lower().split() if w]
    if not words:
        return []
    if len(words) == 1 and words[0].startswith("hp:"):
        term = hpo.load().terms.get(words[0].upper())
        return [{"id": term.id, "name": term.name}] if term else []
    hits = []
    for term in hpo.load().terms.values():
        if term.obsolete:
            continue
        name = term.name.lower()
        if all(w in name for w in words):
            hits.append((0 if name.startswith(words[0]) else 1, len(name), term.id, term.name, None))
            continue
        for synonym in term.synonyms:
            if all(w in synonym.lower() for w in words):
                hits.append((2, len(synonym), term.id, term.name, synonym))
                break
    hits.sort()
    return [{"id": h[2], "name": h[3], "synonym": h[4]} for h in hits[:limit]]
