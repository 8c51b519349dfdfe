"""Store parsed PubMed records in the working database.

Callers own the transaction (``db.atomic()``): a batch or a file is stored whole or not
at all. Child rows (authors, MeSH, ...) are replaced with their article, so a re-import
of a changed record leaves no stale rows and a re-import of the same record changes nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Iterable

import sqlite_utils

from harvest.common import batches, chunks, now
from harvest.records import Article, Deletion, SkippedRecord
from harvest.schema import ARTICLE_CHILD_TABLES

# one encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call,
# which cost a fifth of a bulk import
_to_json = json.JSONEncoder(ensure_ascii=False).encode

# Told which PMIDs are about to be withdrawn, inside the same transaction, so the layers
# above (curation's mentions and claims) can let go of them first.
ArticlesRemoved = Callable[[sqlite_utils.Database, list[str]], None]


@dataclass
class LoadCounts:
    found: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    pmids: list[str] = field(default_factory=list)

    def add(self, other: "LoadCounts") -> None:
        for name in ("found", "new", "updated", "unchanged", "deleted", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.pmids.extend(other.pmids)


def _existing_hashes(db: sqlite_utils.Database, pmids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in chunks(pmids):
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(
            f"select pmid, content_hash from articles where pmid in ({marks})",
            list(chunk)).fetchall())
    return found


def _delete_children(db: sqlite_utils.Database, pmids: list[str], tables: Iterable[str]) -> None:
    for table in tables:
        db.conn.executemany(f"delete from [{table}] where pmid = ?", [(p,) for p in pmids])


def _write_articles(db: sqlite_utils.Database, articles: list[Article], stamp: str) -> None:
    conn = db.conn
    conn.executemany(
        """insert into articles (pmid, version, title, abstract, abstract_sections, journal,
               iso_abbreviation, pub_date, year, language, doi, pmcid, status, content_hash,
               first_seen, updated_at)
           values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
           on conflict(pmid) do update set version=excluded.version, title=excluded.title,
               abstract=excluded.abstract, abstract_sections=excluded.abstract_sections,
               journal=excluded.journal, iso_abbreviation=excluded.iso_abbreviation,
               pub_date=excluded.pub_date, year=excluded.year, language=excluded.language,
               doi=excluded.doi, pmcid=excluded.pmcid, status=excluded.status,
               content_hash=excluded.content_hash, updated_at=excluded.updated_at""",
        [(a.pmid, a.version, a.title, a.abstract,
          _to_json(a.abstract_sections) if a.abstract_sections else None,
          a.journal, a.iso_abbreviation, a.pub_date, a.year, a.language, a.doi, a.pmcid,
          a.status, a.content_hash(), stamp, stamp) for a in articles])
    conn.executemany(
        "insert into authors values (?,?,?,?,?,?,?,?)",
        [(a.pmid, i, au.last_name, au.fore_name, au.initials, au.collective_name,
          _to_json(au.affiliations) if au.affiliations else None, au.orcid)
         for a in articles for i, au in enumerate(a.authors, 1)])
    conn.executemany(
        "insert into mesh_headings values (?,?,?,?,?,?)",
        [(a.pmid, i, m.descriptor_ui, m.descriptor_name, int(m.major_topic),
          _to_json(m.qualifiers) if m.qualifiers else None)
         for a in articles for i, m in enumerate(a.mesh, 1)])
    conn.executemany("insert into keywords values (?,?,?,?)",
                     [(a.pmid, i, k, int(major)) for a in articles
                      for i, (k, major) in enumerate(a.keywords, 1)])
    conn.executemany("insert into publication_types values (?,?,?,?)",
                     [(a.pmid, i, ui, name) for a in articles
                      for i, (ui, name) in enumerate(a.publication_types, 1)])
    conn.executemany("insert into chemicals values (?,?,?,?,?)",
                     [(a.pmid, i, ui, name, reg) for a in articles
                      for i, (ui, name, reg) in enumerate(a.chemicals, 1)])


def delete_articles(db: sqlite_utils.Database, pmids: list[str], source: str,
                    on_removed: ArticlesRemoved | None = None) -> int:
    """Remove articles withdrawn by a DeleteCitation; `on_removed` lets the curation layer
    retire what it derived from them first (it keeps curator decisions)."""
    present = list(_existing_hashes(db, pmids))
    if present:
        if on_removed is not None:
            on_removed(db, present)
        _delete_children(db, present, ARTICLE_CHILD_TABLES + ("article_sources",))
        db.conn.executemany("delete from articles where pmid = ?", [(p,) for p in present])
    stamp = now()
    db.conn.executemany(
        "insert or replace into deleted_pmids values (?,?,?)", [(p, stamp, source) for p in pmids])
    return len(present)


def store_records(db: sqlite_utils.Database, records: Iterable, source: str,
                  run_id: int | None = None, query_id: int | None = None,
                  batch_size: int = 1000,
                  on_removed: ArticlesRemoved | None = None) -> LoadCounts:
    """Store parsed records; returns what was new, updated, unchanged, deleted, skipped."""
    counts = LoadCounts()
    stamp = now()
    for batch in batches(records, batch_size):
        articles: dict[str, Article] = {}
        for record in batch:
            if isinstance(record, Article):
                counts.found += 1
                articles[record.pmid] = record  # the last version in a file wins
            elif isinstance(record, Deletion):
                for pmid in record.pmids:
                    articles.pop(pmid, None)
                counts.deleted += delete_articles(db, record.pmids, source, on_removed)
            elif isinstance(record, SkippedRecord):
                counts.skipped += 1
        if not articles:
            continue
        existing = _existing_hashes(db, list(articles))
        changed = []
        for pmid, article in articles.items():
            digest = existing.get(pmid)
            if digest is None:
                counts.new += 1
                changed.append(article)
            elif digest != article.content_hash():
                counts.updated += 1
                changed.append(article)
            else:
                counts.unchanged += 1
        if changed:
            _delete_children(db, [a.pmid for a in changed if a.pmid in existing], ARTICLE_CHILD_TABLES)
            _write_articles(db, changed, stamp)
            db.conn.executemany("delete from deleted_pmids where pmid = ?",
                                [(a.pmid,) for a in changed])
        if run_id is not None:
            db.conn.executemany(
                "insert or ignore into article_sources values (?,?,?)",
                [(pmid, run_id, query_id if query_id is not None else 0) for pmid in articles])
        counts.pmids.extend(articles)
    return counts
