"""Read side of the review application: the queue, one claim with its context, HPO search."""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

from curate import hpo
from curate.cue_words import HEDGE



# queue orders a curator can choose; article order keeps one article's claims together
ORDERS = {
    "article": ("a whole article at a time (most likely article first)",
                "c.score desc, c.claim_key"),
    "likely": ("most likely first", "c.score desc, c.claim_key"),
    "uncertain": ("least certain first (teaches the model most)",
                  "abs(c.score - 0.5), c.claim_key"),
    "gene": ("by gene", "c.subject, c.pmid, c.score desc, c.claim_key"),
}


def _filters(args: dict) -> tuple[str, list]:
    where = ["c.active = 1", "c.status = ?"]
    params: list = [args.get("status") or "pending"]
    if args.get("gene"):
        where.append("c.subject = ?")
        params.append(args["gene"].upper())
    if args.get("type"):
        where.append("c.type = ?")
        params.append(args["type"])
    if args.get("me"):
        # never another curator's leased claim; in two-person review, never one you decided
        where.append("not exists (select 1 from claim_leases l where l.claim_key = c.claim_key "
                     "and l.curator != ? and l.expires_at > ?)")
        params += [args["me"], args["now"]]
        if args.get("blind"):
            where.append("not exists (select 1 from decisions d where d.claim_key = c.claim_key "
                         "and d.curator = ? and d.decision != 'undo')")
            params.append(args["me"])
    if args.get("pmid"):
        where.append("c.pmid = ?")
        params.append(str(args["pmid"]))
    if args.get("year"):
        year = str(args["year"])
        if not (year.isdigit() and len(year) == 4):
            raise ValueError("year must be four digits")
        where.append("a.year = ?")
        params.append(int(year))
    # claims the claim model scored under its threshold are kept but not proposed; a
    # curator reaches them with low=1
    if args.get("low") not in ("1", "true", "yes"):
        where.append("c.proposed = 1")
    if args.get("curator"):
        where.append("exists (select 1 from decisions d where d.claim_key = c.claim_key "
                     "and d.curator = ?)")
        params.append(args["curator"])
    return " and ".join(where), params


# the words that make a claim negated, shown highlighted on the card with the hedging cues
# (curate.cue_words) so a curator sees why a flag is set ("In the absence of ATM", "may")
NEGATION_CUES = re.compile(r"\b(in the absence of|absence of|lack of|without|no|not|none|neither|"
                           r"nor|never|free of|negative for|did not|does not|do not|failed to)\b",
                           re.I)


def flag_cues(sentence: str, negated, hedged) -> list[str]:
    found = []
    if negated:
        found += [m.group(0) for m in NEGATION_CUES.finditer(sentence)]
    if hedged:
        found += [m.group(0) for m in HEDGE.finditer(sentence)]
    return list(dict.fromkeys(found))[:6]


def next_claim(conn: sqlite3.Connection, args: dict) -> dict:
    """The highest-scoring claim matching the filters, and how many remain."""
    where, params = _filters(args)
    exclude = [k for k in (args.get("exclude") or "").split(",") if k][:500]
    extra = f" and c.claim_key not in ({','.join('?' * len(exclude))})" if exclude else ""
    order = args.get("order") or "article"
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}")
    join = " join articles a on a.pmid = c.pmid" if args.get("year") else ""
    row = None
    if order == "article" and args.get("after"):
        # stay in the article the curator is reading while it has claims left
        # within the article, cards follow its sentences, not the scores
        row = conn.execute(f"select c.claim_key, c.pmid from claims c{join} where {where}{extra} "
                           f"and c.pmid = ? order by coalesce(c.sent_start, 0), c.claim_key limit 1",
                           params + exclude + [str(args["after"])]).fetchone()
    if row is None:
        row = conn.execute(f"select c.claim_key, c.pmid from claims c{join} where {where}{extra} "
                           f"order by {ORDERS[order][1]} limit 1", params + exclude).fetchone()
    # the count leaves leases out: a correlated check per row cost 100 ms at 100,000 claims
    count_where, count_params = _filters({**args, "me": None})
    remaining = conn.execute(f"select count(*) from claims c{join} where {count_where}",
                             count_params).fetchone()[0]
    in_article = conn.execute(
        f"select count(*) from claims c{join} where {count_where} and c.pmid = ?",
        count_params + [row[1]]).fetchone()[0] if row else 0
    notices = 0
    if args.get("me"):  # disagreements on claims this curator decided, still unresolved
        notices = conn.execute(
            """select count(distinct x.claim_key) from decisions x
               where x.conflict = 1 and x.curator != ? and exists (
                   select 1 from decisions mine where mine.claim_key = x.claim_key
                   and mine.curator = ? and mine.conflict = 0)
               and not exists (select 1 from decisions r where r.claim_key = x.claim_key
                   and r.decision = 'resolve' and r.id > x.id)
               and not exists (select 1 from decisions a where a.claim_key = x.claim_key
                   and a.id > x.id and a.conflict = 0 and a.decision in ('accept', 'reject', 'edit')
                   and a.status_after = case x.decision when 'reject' then 'rejected'
                                        else 'accepted' end)""",
            [args["me"], args["me"]]).fetchone()[0]
    return {"claim_key": row[0] if row else None, "remaining": remaining,
            "left_in_article": in_article, "notices": notices}


def claim_detail(conn: sqlite3.Connection, key: str, viewer: str | None = None,
                 blind: bool = False) -> dict | None:
    """A claim with its sentence, article and history. In two-person review (`blind`) the
    history shows only the viewer's own decisions until the claim is settled."""
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
            "changes, conflict, reason from decisions where claim_key = ? order by id", [key])]
        others = [dict(r) for r in conn.execute(
            "select claim_key, subject, object, status, sent_start, sent_end from claims "
            "where pmid = ? and active = 1 and claim_key != ?", [claim["pmid"], key])]
        latest = next((h["id"] for h in reversed(history) if not h["conflict"]), None)
        if blind and claim["status"] == "pending":
            history = [h for h in history if h["curator"] == viewer]
    finally:
        conn.row_factory = None
    terms = hpo.load().terms
    claim["object_name"] = terms[claim["hpo"]].name if claim["hpo"] in terms else claim["therapy"]
    term = terms.get(claim["hpo"] or "")
    claim["hpo_term"] = None if term is None else {
        "definition": term.definition, "url": f"https://hpo.jax.org/browse/term/{term.id}",
        "parents": [{"id": p, "name": terms[p].name} for p in term.parents if p in terms]}
    # the sentence as stored, which is what the highlight offsets point into
    return {"claim": claim, "article": article, "highlights": highlights, "history": history,
            "latest_decision_id": latest, "other_claims": others,
            "cues": flag_cues(claim.get("sentence") or "", claim.get("negated"), claim.get("hedged")),
            "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{claim['pmid']}/"}


@lru_cache(maxsize=1)
def _picker_index() -> list[tuple[str, str, int, str | None]]:
    """(phrase, HPO ID, rank, synonym shown) for every live term: its name (rank 0), its
    exact synonyms and the project's domain synonyms (rank 1), and quantity phrases made
    from the extractor's own cue words ('elevated IgM', 'hyper IgM', rank 1)."""
    import json
    from curate.vocab_keys import read_lexicon, read_synonyms
    ontology = hpo.load()
    entries: list[tuple[str, str, int, str | None]] = []
    for term in ontology.terms.values():
        if term.obsolete:
            continue
        entries.append((term.name.lower(), term.id, 0, None))
        entries += [(syn.lower(), term.id, 1, syn) for syn in term.synonyms]
    entries += [(phrase.lower(), hpo_id, 1, phrase) for phrase, hpo_id in read_synonyms()]
    rules = json.loads(read_lexicon("quantity_rules.json"))
    for info in rules["analytes"].values():
        for direction, cues in (("increase", rules["increase_cues"] + ["hyper"]),
                                ("decrease", rules["decrease_cues"] + ["hypo"])):
            hpo_id = info.get(direction)
            if not hpo_id:
                continue
            for name in info["names"]:
                for cue in cues:
                    phrase = f"{cue} {name}"
                    entries.append((phrase.lower(), hpo_id, 1, phrase))
    for abbreviation, hpo_id in (("pcp", "HP:0020102"), ("pjp", "HP:0020102")):
        entries.append((abbreviation, hpo_id, 1, abbreviation.upper()))
    return entries


def search_hpo(query: str, limit: int = 15) -> list[dict]:
    """Terms for the picker, best first: the typed text as a whole name, then as a whole
    synonym, then names and synonyms starting with it, then containing every word."""
    text = " ".join(query.lower().replace("-", " ").split())
    if not text or len(text) > 200:
        return []
    terms = hpo.load().terms
    if text.startswith("hp:"):
        term = terms.get(text.upper())
        return [_suggestion(term, None)] if term else []
    words = text.split()
    best: dict[str, tuple] = {}
    for phrase, hpo_id, rank, shown in _picker_index():
        flat = phrase.replace("-", " ")
        if flat == text:
            score = (rank, 0)
        elif flat.startswith(text):
            score = (2 + rank, len(flat))
        elif all(w in flat for w in words):
            score = (4 + rank, len(flat))
        else:
            continue
        if hpo_id not in best or score < best[hpo_id][0]:
            best[hpo_id] = (score, shown)
    ordered = sorted(best.items(), key=lambda item: (item[1][0], terms[item[0]].name)
                     if item[0] in terms else (item[1][0], item[0]))
    return [_suggestion(terms[h], shown) for h, (_, shown) in ordered[:limit] if h in terms]


def _suggestion(term, synonym: str | None) -> dict:
    definition = (term.definition or "").split(". ")[0]
    return {"id": term.id, "name": term.name, "synonym": synonym,
            "definition": definition[:160] or None, "parents": term.parents[:3]}
