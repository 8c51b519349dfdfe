"""Create and migrate the working database.

Each migration is a function applied once, in order, inside one transaction;
``PRAGMA user_version`` records how far a database has come, so later features add
tables without touching data that is already there.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import sqlite_utils


def _harvest_tables(db: sqlite_utils.Database) -> None:
    db["articles"].create({
        "pmid": str, "version": int, "title": str, "abstract": str, "abstract_sections": str,
        "journal": str, "iso_abbreviation": str, "pub_date": str, "year": int, "language": str,
        "doi": str, "pmcid": str, "status": str, "content_hash": str,
        "first_seen": str, "updated_at": str,
    }, pk="pmid", not_null={"title"})
    db["authors"].create({
        "pmid": str, "position": int, "last_name": str, "fore_name": str, "initials": str,
        "collective_name": str, "affiliations": str, "orcid": str,
    }, pk=("pmid", "position"), foreign_keys=[("pmid", "articles", "pmid")])
    db["mesh_headings"].create({
        "pmid": str, "position": int, "descriptor_ui": str, "descriptor_name": str,
        "major_topic": int, "qualifiers": str,
    }, pk=("pmid", "position"), foreign_keys=[("pmid", "articles", "pmid")])
    db["keywords"].create({"pmid": str, "position": int, "keyword": str, "major_topic": int},
                          pk=("pmid", "position"), foreign_keys=[("pmid", "articles", "pmid")])
    db["publication_types"].create({"pmid": str, "position": int, "ui": str, "name": str},
                                   pk=("pmid", "position"),
                                   foreign_keys=[("pmid", "articles", "pmid")])
    db["chemicals"].create({"pmid": str, "position": int, "ui": str, "name": str,
                            "registry_number": str}, pk=("pmid", "position"),
                           foreign_keys=[("pmid", "articles", "pmid")])
    db["queries"].create({"id": int, "gene": str, "term": str}, pk="id")
    db["queries"].create_index(["gene", "term"], unique=True)
    db["harvest_runs"].create({
        "id": int, "started": str, "finished": str, "status": str, "source": str,
        "since": str, "until": str, "found": int, "new": int, "updated": int,
        "unchanged": int, "deleted": int, "failed": int, "error": str,
    }, pk="id")
    db["article_sources"].create({"pmid": str, "run_id": int, "query_id": int},
                                 pk=("pmid", "run_id", "query_id"),
                                 foreign_keys=[("run_id", "harvest_runs", "id")])
    # The IDs a run still has to fetch: a killed harvest resumes from exactly this list.
    db["harvest_queue"].create({"run_id": int, "pmid": str, "query_id": int, "done": int},
                               pk=("run_id", "pmid", "query_id"),
                               foreign_keys=[("run_id", "harvest_runs", "id"),
                                             ("query_id", "queries", "id")])
    # Which (run, query, date range) searches are done, so a resumed run does not search again.
    db["harvest_searches"].create({"run_id": int, "query_id": int, "mindate": str,
                                   "maxdate": str, "count": int},
                                  pk=("run_id", "query_id", "mindate", "maxdate"))
    db["deleted_pmids"].create({"pmid": str, "deleted_at": str, "source": str}, pk="pmid")
    db["vocab_releases"].create({"name": str, "release": str, "source": str,
                                 "recorded_at": str}, pk="name")
    for table in ("authors", "mesh_headings", "keywords", "publication_types", "chemicals"):
        db[table].create_index(["pmid"])
    db["mesh_headings"].create_index(["descriptor_ui"])
    db["articles"].create_index(["year"])
    db["article_sources"].create_index(["query_id"])
    db["harvest_queue"].create_index(["run_id", "done"])
    db["articles"].enable_fts(["title", "abstract"], tokenize="porter", create_triggers=True)


def _extraction_tables(db: sqlite_utils.Database) -> None:
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


def _review_tables(db: sqlite_utils.Database) -> None:
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


def _drop_redundant_indexes(db: sqlite_utils.Database) -> None:
    """Child tables are keyed (pmid, position), which already serves lookups by pmid; the
    extra pmid index only slowed bulk imports (a third more B-tree writes per row)."""
    for table in ("authors", "mesh_headings", "keywords", "publication_types", "chemicals"):
        db.execute(f"drop index if exists [idx_{table}_pmid]")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _harvest_tables,
    _extraction_tables,
    _review_tables,
    _drop_redundant_indexes,
]
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path, create: bool = True) -> sqlite_utils.Database:
    """Open the working database, creating or migrating it to the current schema."""
    path = Path(path)
    if not create and not path.exists():
        raise FileNotFoundError(f"database not found: {path}")
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"directory does not exist for database: {path}")
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA busy_timeout = 10000")
    migrate(db)
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations this database has not had yet; return the new version."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise RuntimeError(f"database schema {current} is newer than this program "
                           f"({SCHEMA_VERSION}): upgrade higm-evidence")
    for number in range(current, SCHEMA_VERSION):
        with db.atomic():
            MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")
    return SCHEMA_VERSION
