"""Import saved PubMed XML (efetch output, baseline and update files, .xml or .xml.gz)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import sqlite_utils

from harvest.common import now
from harvest.load import ArticlesRemoved, LoadCounts, store_records
from harvest.parse import parse
from harvest.shards import on_topic


BULK_BYTES = 20 * 2**20


def _drop_fts_triggers(db: sqlite_utils.Database) -> None:
    for (name,) in db.execute("select name from sqlite_master where type = 'trigger' "
                              "and tbl_name = 'articles' and name like 'articles_a%'").fetchall():
        db.execute(f"drop trigger [{name}]")


def import_files(db: sqlite_utils.Database, paths: Iterable[str | Path],
                 on_record: Callable[[], None] | None = None,
                 on_removed: ArticlesRemoved | None = None, only_panel: bool = False,
                 read: Callable[[Path], Iterable] = parse) -> LoadCounts:
    """Import the files in one transaction: a bad file leaves the database as it was.
    `only_panel` keeps only the articles that mention the panel (and every deletion);
    `read` gives a file's records (PubMed XML by default; `harvest.shards.read_shard`).

    Raises FileNotFoundError or harvest.parse.PubMedXMLError naming the file and line.
    """
    paths = [Path(p) for p in paths]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    total = LoadCounts()
    # Large imports skip the per-row full-text triggers and rebuild the index once at the
    # end (about 4x cheaper); small update files keep the triggers, which cost less than
    # re-indexing a large database.
    bulk = sum(p.stat().st_size for p in paths) > BULK_BYTES
    with db.atomic():
        if bulk:
            _drop_fts_triggers(db)
        run_id = db["harvest_runs"].insert({
            "started": now(), "status": "running",
            "source": "xml:" + ",".join(p.name for p in paths)[:500]}).last_pk
        for path in paths:
            def records():
                for record in (on_topic(path) if only_panel else read(path)):
                    if on_record:
                        on_record()
                    yield record
            total.add(store_records(db, records(), source=str(path), run_id=run_id,
                                    on_removed=on_removed))
        if bulk:
            db["articles"].enable_fts(["title", "abstract"], tokenize="porter",
                                      create_triggers=True, replace=True)
        db["harvest_runs"].update(run_id, {
            "finished": now(), "status": "success", "found": total.found, "new": total.new,
            "updated": total.updated, "unchanged": total.unchanged, "deleted": total.deleted,
            "failed": 0})
    return total
