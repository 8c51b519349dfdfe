"""The harvest layer's tables (articles and harvest state) and their migrations.

Migrations are named and recorded by `sqlite_utils.Migrations`; `db.schema.connect` applies
this set first, then the curation layer's.
"""
from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("harvest")

ARTICLE_CHILD_TABLES = ("authors", "mesh_headings", "keywords", "publication_types", "chemicals")


@migrations(name="harvest_tables")
def harvest_tables(db: sqlite_utils.Database) -> None:
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
    for table in ARTICLE_CHILD_TABLES:
        db[table].create_index(["pmid"])
    db["mesh_headings"].create_index(["descriptor_ui"])
    db["articles"].create_index(["year"])
    db["article_sources"].create_index(["query_id"])
    db["harvest_queue"].create_index(["run_id", "done"])
    db["articles"].enable_fts(["title", "abstract"], tokenize="porter", create_triggers=True)


@migrations(name="drop_redundant_indexes")
def drop_redundant_indexes(db: sqlite_utils.Database) -> None:
    """Child tables are keyed (pmid, position), which already serves lookups by pmid; the
    extra pmid index only slowed bulk imports."""
    for table in ARTICLE_CHILD_TABLES:
        db.execute(f"drop index if exists [idx_{table}_pmid]")


@migrations(name="harvest_query_progress")
def harvest_query_progress(db: sqlite_utils.Database) -> None:
    """Which queries of a run have searched every date range (a resumed run must finish the
    others), and how often a PMID missing from efetch answers was asked for."""
    db["harvest_query_done"].create({"run_id": int, "query_id": int, "finished": str},
                                    pk=("run_id", "query_id"))
    db["harvest_queue"].add_column("attempts", int, not_null_default=0)
