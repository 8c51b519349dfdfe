"""A harvest run: search each gene's query, queue the PMIDs, fetch and store them in batches.

The queue of PMIDs is committed before anything is fetched, and each fetched batch is
stored and ticked off in one transaction, so a run killed at any point resumes from
the queue with no duplicates and no gaps.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

import sqlite_utils
from lxml import etree

from harvest.entrez_client import EntrezSettings, call
from harvest.common import chunks, now
from harvest.load import ArticlesRemoved, LoadCounts, store_records
from harvest.parse import PubMedXMLError, parse
from harvest.queries import GeneQuery

log = logging.getLogger("higm.harvest")
ESEARCH_LIMIT = 9999  # ESearch cannot page past the first 10,000 records


@dataclass
class SearchResult:
    count: int
    ids: list[str]


@dataclass
class RunSummary:
    run_id: int
    found: int
    new: int
    updated: int
    unchanged: int
    deleted: int
    failed: int
    resumed: bool
    missing: list[str] = field(default_factory=list)


def _xml_root(body: bytes, expected: str) -> etree._Element:
    try:
        root = etree.fromstring(body, etree.XMLParser(load_dtd=False, no_network=True,
                                                      resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML ({exc.msg})") from None
    if root.tag != expected:
        raise ValueError(f"expected <{expected}>, got <{root.tag}>")
    error = root.findtext("ERROR")
    if error:
        raise ValueError(f"NCBI error: {error}")
    return root


def _parse_search(body: bytes) -> SearchResult:
    root = _xml_root(body, "eSearchResult")
    count = root.findtext("Count")
    if count is None or not count.strip().isdigit():
        raise ValueError("eSearchResult without Count")
    return SearchResult(int(count), [i.text.strip() for i in root.findall("IdList/Id") if i.text])


def _parse_post(body: bytes) -> tuple[str, str]:
    root = _xml_root(body, "ePostResult")
    webenv, key = root.findtext("WebEnv"), root.findtext("QueryKey")
    if not webenv or not key:
        raise ValueError("ePostResult without WebEnv/QueryKey")
    return webenv, key


def _parse_fetch(body: bytes) -> list:
    import io
    try:
        return list(parse(io.BytesIO(body), name="efetch response"))
    except PubMedXMLError as exc:
        raise ValueError(str(exc)) from None


def _search(settings: EntrezSettings, term: str, mindate: str, maxdate: str,
            retmax: int) -> SearchResult:
    def complete(body: bytes) -> SearchResult:
        result = _parse_search(body)
        expected = min(result.count, retmax)
        if len(result.ids) < expected:
            # NCBI answered with fewer IDs than it counted: a failed call, not a gap
            raise ValueError(f"IdList holds {len(result.ids)} of {expected} IDs")
        return result
    return call(settings, "esearch", {
        "db": "pubmed", "term": term, "usehistory": "y", "retmax": retmax,
        "datetype": "edat", "mindate": mindate, "maxdate": maxdate}, complete)


def _date_ranges(settings: EntrezSettings, term: str, start: date, end: date,
                 limit: int) -> list[tuple[date, date, int]]:
    """Split [start, end] until every range holds at most ESEARCH_LIMIT records."""
    count = _search(settings, term, _fmt(start), _fmt(end), 0).count
    if count <= ESEARCH_LIMIT or start >= end or count <= limit:
        return [(start, end, count)]
    middle = start + (end - start) / 2
    return (_date_ranges(settings, term, start, middle, limit)
            + _date_ranges(settings, term, middle + timedelta(days=1), end, limit))


def _fmt(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def _query_id(db: sqlite_utils.Database, query: GeneQuery) -> int:
    row = db.execute("select id from queries where gene = ? and term = ?",
                     [query.gene, query.term]).fetchone()
    if row:
        return row[0]
    with db.atomic():
        return db["queries"].insert({"gene": query.gene, "term": query.term}).last_pk


def default_since(db: sqlite_utils.Database) -> str | None:
    """The start date of the last successful live harvest, so a new run fetches what is new."""
    row = db.execute("select max(started) from harvest_runs where status = 'success' "
                     "and source = 'eutils'").fetchone()
    return row[0][:10] if row and row[0] else None


def _open_run(db: sqlite_utils.Database, since: str | None, until: str) -> tuple[int, bool]:
    # 'partial' runs finished with PMIDs efetch did not return: they resume like failed ones
    row = db.execute("select id from harvest_runs where source = 'eutils' and "
                     "status in ('running', 'failed', 'partial') order by id desc limit 1"
                     ).fetchone()
    if row:
        with db.atomic():
            db["harvest_runs"].update(row[0], {"status": "running", "error": None})
        return row[0], True
    with db.atomic():
        run_id = db["harvest_runs"].insert({
            "started": now(), "status": "running", "source": "eutils", "since": since,
            "until": until, "found": 0, "new": 0, "updated": 0, "unchanged": 0,
            "deleted": 0, "failed": 0}).last_pk
    return run_id, False


def harvest(db: sqlite_utils.Database, queries: list[GeneQuery], settings: EntrezSettings,
            since: str | None = None, until: str | None = None, max_records: int | None = None,
            batch_size: int = 200,
            progress: Callable[[int, int], None] | None = None,
            on_removed: ArticlesRemoved | None = None) -> RunSummary:
    """Run (or resume) a harvest; returns the run's counts. Raises EntrezError on failure.

    The run ends 'success' only when every date range of every query was searched and every
    queued PMID came back from efetch; otherwise it ends 'partial' (or 'failed') and the next
    run resumes it rather than starting after it."""
    until = until or date.today().isoformat()
    since = since or default_since(db)
    run_id, resumed = _open_run(db, since, until)
    run = db["harvest_runs"].get(run_id)
    since, until = run["since"], run["until"]  # a resumed run keeps its own window
    start = datetime.strptime(since, "%Y-%m-%d").date() if since else date(1800, 1, 1)
    end = datetime.strptime(until, "%Y-%m-%d").date()
    try:
        for query in queries:
            _queue_query(db, settings, run_id, query, start, end, max_records)
        _fetch_queue(db, settings, run_id, batch_size, progress, on_removed)
    except BaseException as exc:
        with db.atomic():
            db["harvest_runs"].update(run_id, {"status": "failed", "error": str(exc)[:2000]})
        raise
    missing = [r[0] for r in db.execute(
        "select distinct pmid from harvest_queue where run_id = ? and done != 1 order by pmid",
        [run_id])]
    with db.atomic():
        db["harvest_runs"].update(run_id, {
            "status": "partial" if missing else "success", "finished": now(),
            "failed": len(missing),
            "error": (f"efetch did not return {len(missing)} PMID(s): "
                      f"{', '.join(missing[:20])}; the next run asks again") if missing else None})
    run = db["harvest_runs"].get(run_id)
    return RunSummary(run_id, run["found"], run["new"], run["updated"], run["unchanged"],
                      run["deleted"], run["failed"], resumed, missing)


def _queue_query(db, settings, run_id, query, start, end, max_records) -> None:
    """Search every date range of the query not yet searched in this run; the query is done
    only when all of them are (a run killed between two ranges searches the rest)."""
    query_id = _query_id(db, query)
    if db.execute("select 1 from harvest_query_done where run_id = ? and query_id = ?",
                  [run_id, query_id]).fetchone():
        return
    searched = {(r[0], r[1]) for r in db.execute(
        "select mindate, maxdate from harvest_searches where run_id = ? and query_id = ?",
        [run_id, query_id])}
    queued = db.execute("select count(*) from harvest_queue where run_id = ? and query_id = ?",
                        [run_id, query_id]).fetchone()[0]
    limit = (max_records - queued) if max_records else ESEARCH_LIMIT
    for low, high, count in _date_ranges(settings, query.term, start, end,
                                         max_records or ESEARCH_LIMIT):
        if max_records and limit <= 0:
            break
        if (_fmt(low), _fmt(high)) in searched:
            continue
        result = _search(settings, query.term, _fmt(low), _fmt(high),
                         min(limit, ESEARCH_LIMIT)) if count else SearchResult(0, [])
        ids = result.ids[:limit]
        with db.atomic():
            db.conn.executemany("insert or ignore into harvest_queue (run_id, pmid, query_id, "
                                "done) values (?,?,?,0)",
                                [(run_id, pmid, query_id) for pmid in ids])
            db["harvest_searches"].insert({"run_id": run_id, "query_id": query_id,
                                           "mindate": _fmt(low), "maxdate": _fmt(high),
                                           "count": result.count}, replace=True)
        log.info("%s: %d found, %d queued (%s to %s)", query.gene, result.count, len(ids),
                 _fmt(low), _fmt(high))
        if max_records:
            limit -= len(ids)
    with db.atomic():
        db["harvest_query_done"].insert({"run_id": run_id, "query_id": query_id,
                                         "finished": now()}, replace=True)


MAX_FETCH_ATTEMPTS = 3  # per PMID and run; a PMID still missing after these is reported


def _fetch_queue(db, settings, run_id, batch_size, progress, on_removed=None) -> None:
    pending = [r[0] for r in db.execute(
        "select distinct pmid from harvest_queue where run_id = ? and done != 1 "
        "and attempts < ? order by pmid", [run_id, MAX_FETCH_ATTEMPTS])]
    total = db.execute("select count(distinct pmid) from harvest_queue where run_id = ?",
                       [run_id]).fetchone()[0]
    done = total - len(pending)
    if progress:
        progress(done, total)
    # a second pass asks again, in batches of their own, for what partial answers left out
    for attempt in range(2):
        retry: list[str] = []
        for batch in chunks(pending, batch_size):
            missing = _fetch_batch(db, settings, run_id, list(batch), on_removed)
            retry.extend(missing)
            done += len(batch) - len(missing)
            if progress:
                progress(done, total)
        pending = retry


def _fetch_batch(db, settings, run_id, batch, on_removed) -> list[str]:
    """Fetch and store one batch in one transaction; return the PMIDs efetch left out."""
    webenv, key = call(settings, "epost", {"db": "pubmed", "id": ",".join(batch)},
                       _parse_post, post=True)
    records = call(settings, "efetch", {"db": "pubmed", "WebEnv": webenv,
                                        "query_key": key, "retmode": "xml",
                                        "retmax": len(batch)}, _parse_fetch)
    with db.atomic():
        counts: LoadCounts = store_records(db, records, source=f"eutils run {run_id}",
                                           on_removed=on_removed)
        returned = set(counts.pmids)
        db.conn.executemany(
            "insert or ignore into article_sources select pmid, run_id, query_id "
            "from harvest_queue where run_id = ? and pmid = ?",
            [(run_id, p) for p in returned])
        db.conn.executemany(
            "update harvest_queue set done = ?, attempts = attempts + 1 "
            "where run_id = ? and pmid = ?",
            [(1 if p in returned else 0, run_id, p) for p in batch])
        db.execute(
            "update harvest_runs set found = found + ?, new = new + ?, updated = updated + ?,"
            " unchanged = unchanged + ?, deleted = deleted + ? "
            "where id = ?", [counts.found, counts.new, counts.updated, counts.unchanged,
                             counts.deleted, run_id])
    missing = [p for p in batch if p not in returned]
    if missing:
        log.warning("%d PMIDs of a batch were not returned by efetch: %s", len(missing),
                    ", ".join(missing[:10]))
    return missing
