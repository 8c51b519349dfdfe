"""Import saved PubMed XML (efetch output, baseline and update files, .xml or .xml.gz)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import sqlite_utils

from harvest.load import LoadCounts, now, store_records
from harvest.parse import parse


def import_files(db: sqlite_utils.Database, paths: Iterable[str | Path],
                 on_record: Callable[[], None] | None = None) -> LoadCounts:
    """Import the files in one transaction: a bad file leaves the database as it was.

    Raises FileNotFoundError or harvest.parse.PubMedXMLError naming the file and line.
    """
    paths = [Path(p) for p in paths]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    total = LoadCounts()
    with db.atomic():
        run_id = db["harvest_runs"].insert({
            "started": now(), "status": "running",
            "source": "xml:" + ",".join(p.name for p in paths)[:500]}).last_pk
        for path in paths:
            def records():
                for record in parse(path):
                    if on_record:
                        on_record()
                    yield record
            total.add(store_records(db, records(), source=str(path), run_id=run_id))
        db["harvest_runs"].update(run_id, {
            "finished": now(), "status": "success", "found": total.found, "new": total.new,
            "updated": total.updated, "unchanged": total.unchanged, "deleted": total.deleted,
            "failed": 0})
    return total
