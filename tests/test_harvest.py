"""Harvest end to end against a local E-utilities stand-in that injects faults."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from db.schema import connect
from harvest.entrez_client import EntrezError, EntrezSettings
from harvest.queries import build_queries
from harvest.run import harvest
from tests.conftest import HIGM, DATA, SNAPSHOT, run_higm
from tests.ncbi_server import FakeNCBI, Fault, Server, real_records

RECORDS = real_records()


def settings(server: Server, **kw) -> EntrezSettings:
    return EntrezSettings(base_url=server.url, email="curator@example.org", timeout=1.0,
                          attempts=4, backoff=0.01, max_wait=0.5, api_key="test-key", **kw)


def article_rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("select pmid, version, title, abstract, journal, year, doi, pmcid,"
                            " content_hash from articles order by pmid").fetchall()


def child_counts(path) -> dict:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("authors", "mesh_headings", "publication_types", "chemicals",
                          "keywords")}


@pytest.fixture
def fake():
    state = FakeNCBI(records=RECORDS)
    with Server(state) as server:
        yield state, server


def test_harvest_stores_every_record_and_sends_tool_and_email(fake, tmp_path):
    state, server = fake
    db = connect(tmp_path / "h.db")
    summary = harvest(db, build_queries(["CD40LG"]), settings(server), batch_size=25)
    assert summary.found == len(RECORDS) and summary.new == len(RECORDS) and summary.failed == 0
    assert db["articles"].count == len(RECORDS)
    search = next(p for u, p in state.requests if u == "esearch" and p.get("retmax") != "0")
    assert search["usehistory"] == "y" and search["tool"] == "higm-evidence"
    assert search["email"] == "curator@example.org"
    fetches = [p for u, p in state.requests if u == "efetch"]
    assert fetches and all("WebEnv" in p and "query_key" in p for p in fetches)
    row = db["articles"].get("14514918")
    assert row["title"].startswith("Immunological and genetic analysis of 65 patients")
    # both queries (CD40LG and the HIGM MeSH query) are recorded as sources
    assert db.execute("select count(distinct query_id) from article_sources "
                      "where pmid = '14514918'").fetchone()[0] == 2
    run = db["harvest_runs"].get(summary.run_id)
    assert run["status"] == "success" and run["finished"]


@pytest.mark.parametrize("fault", [
    Fault("efetch", "429", retry_after=0.2), Fault("efetch", "500"),
    Fault("efetch", "truncate"), Fault("efetch", "drop"), Fault("esearch", "slow"),
    Fault("efetch", "html"), Fault("epost", "500")])
def test_transient_faults_are_retried_to_the_same_result(fake, tmp_path, fault):
    state, server = fake
    state.faults = [fault]
    db = connect(tmp_path / "f.db")
    start = time.monotonic()
    summary = harvest(db, build_queries(["AICDA"]), settings(server), batch_size=40)
    assert state.faults == []  # the fault was served
    assert summary.new == len(RECORDS) and summary.failed == 0
    if fault.retry_after:
        assert time.monotonic() - start >= fault.retry_after  # Retry-After was honoured


def test_persistent_failure_fails_the_run_and_keeps_what_was_stored(fake, tmp_path):
    state, server = fake
    state.faults = [Fault("efetch", "500")] * 10
    db = connect(tmp_path / "p.db")
    with pytest.raises(EntrezError, match="HTTP 500"):
        harvest(db, build_queries(["CD40"]), settings(server), batch_size=40)
    run = db.execute("select status, error from harvest_runs").fetchone()
    assert run[0] == "failed" and "500" in run[1]
    state.faults = []
    summary = harvest(db, build_queries(["CD40"]), settings(server), batch_size=40)
    assert summary.resumed and db["articles"].count == len(RECORDS)


def test_large_result_sets_are_split_by_date(fake, tmp_path):
    state, server = fake
    state.huge_before = "2000/01/01"
    db = connect(tmp_path / "s.db")
    harvest(db, build_queries(["UNG"])[:1], settings(server), since="1990-01-01",
            until="2020-12-31")
    ranges = db.execute("select mindate, maxdate from harvest_searches order by mindate").fetchall()
    assert len(ranges) > 1
    assert ranges[0][0] == "1990/01/01" and ranges[-1][1] == "2020/12/31"


def test_since_defaults_to_the_last_successful_run(fake, tmp_path):
    state, server = fake
    db = connect(tmp_path / "d.db")
    harvest(db, build_queries(["CD40LG"]), settings(server), since="2020-01-01")
    state.requests.clear()
    harvest(db, build_queries(["CD40LG"]), settings(server))
    search = next(p for u, p in state.requests if u == "esearch")
    first_start = db["harvest_runs"].get(1)["started"][:10].replace("-", "/")
    assert search["mindate"] == first_start


def test_kill_and_resume_matches_an_uninterrupted_run(fake, tmp_path):
    state, server = fake
    env = {**os.environ, "NCBI_EUTILS_URL": server.url, "NCBI_EMAIL": "t@example.org",
           "HIGM_HTTP_BACKOFF": "0.01"}
    clean = tmp_path / "clean.db"
    run_higm("harvest", "--db", str(clean), "--genes", "CD40LG", "--batch-size", "10", env=env)

    state.delay = 0.4
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(HIGM + ["harvest", "--db", str(killed), "--genes", "CD40LG",
                                    "--batch-size", "10"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    done = 0
    while time.time() < deadline and done < 20:
        time.sleep(0.1)
        try:
            with sqlite3.connect(killed) as conn:
                done = conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.OperationalError:
            pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < done < len(RECORDS), "the kill should land mid-run"
    state.delay = 0
    result = run_higm("harvest", "--db", str(killed), "--genes", "CD40LG",
                      "--batch-size", "10", env=env)
    assert "(resumed)" in result.stdout
    assert article_rows(killed) == article_rows(clean)
    assert child_counts(killed) == child_counts(clean)


def test_offline_import_is_idempotent_and_counts(tmp_path):
    path = tmp_path / "o.db"
    files = [str(SNAPSHOT)] + [str(p) for p in sorted((DATA / "entrez" / "current").glob("pubmed*.xml"))]
    first = run_higm("harvest", "--db", str(path), "--from-xml", *files)
    assert "found 71, new 71" in first.stdout
    before = (article_rows(path), child_counts(path))
    again = run_higm("harvest", "--db", str(path), "--from-xml", *files)
    assert "new 0, updated 0, unchanged 71" in again.stdout
    assert (article_rows(path), child_counts(path)) == before


def test_bad_file_leaves_database_unchanged(tmp_path, snapshot_db):
    before = article_rows(snapshot_db)
    data = (DATA / "entrez" / "current" / "pubmed2.xml").read_bytes()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(data[: len(data) // 2])
    good = DATA / "entrez" / "current" / "pubmed1.xml"
    result = run_higm("harvest", "--db", str(snapshot_db), "--from-xml", str(good), str(bad),
                      check=False)
    assert result.returncode == 1
    assert "bad.xml: line" in result.stderr and "unchanged" in result.stderr
    assert article_rows(snapshot_db) == before
    missing = run_higm("harvest", "--db", str(snapshot_db), "--from-xml", "nope.xml", check=False)
    assert missing.returncode != 0 and "nope.xml" in missing.stderr


def test_update_file_deletions_remove_articles(tmp_path, snapshot_db):
    update = tmp_path / "update.xml.gz"
    import gzip
    update.write_bytes(gzip.compress(
        b"<PubmedArticleSet><DeleteCitation><PMID Version='1'>14514918</PMID>"
        b"</DeleteCitation></PubmedArticleSet>"))
    result = run_higm("harvest", "--db", str(snapshot_db), "--from-xml", str(update))
    assert "deleted 1" in result.stdout
    with sqlite3.connect(snapshot_db) as conn:
        assert conn.execute("select count(*) from articles where pmid='14514918'").fetchone()[0] == 0
        assert conn.execute("select count(*) from authors where pmid='14514918'").fetchone()[0] == 0
        assert conn.execute("select count(*) from articles").fetchone()[0] == 62


@pytest.mark.parametrize("args,message", [
    (["--genes", "CD40LG,NOTAGENE"], "NOTAGENE"),
    (["--since", "2024-02-30"], "2024-02-30"),
    (["--since", "2024-05-01", "--until", "2024-01-01"], "after"),
])
def test_bad_parameters_are_named(tmp_path, args, message):
    result = run_higm("harvest", "--db", str(tmp_path / "x.db"), *args, check=False)
    assert result.returncode == 2 and message in result.stderr


def test_a_run_failing_between_date_ranges_resumes_every_range(fake, tmp_path):
    """H1: the search phase of a date-split query fails after its first range; the resumed
    run must search the remaining ranges, not call the query done."""
    state, server = fake
    state.huge_before = "2010/01/01"  # ranges reaching back past 2010 count 20,000 hits
    state.entry_dates = {pmid: f"{1991 + i % 35}/06/15" for i, pmid in enumerate(sorted(RECORDS))}
    db = connect(tmp_path / "split.db")
    queries = build_queries(["CD40LG"])[:1]  # one query: no second query to cover a gap
    state.esearch_fail_after = 1  # the first date range is searched, then NCBI fails
    with pytest.raises(EntrezError):
        harvest(db, queries, settings(server), since="1990-01-01", until="2026-01-01")
    assert db["harvest_runs"].get(1)["status"] == "failed"
    assert db["harvest_searches"].count >= 1  # killed between two ranges of one query
    state.esearch_fail_after = None
    summary = harvest(db, queries, settings(server), since="1990-01-01", until="2026-01-01")
    assert summary.resumed and db["harvest_runs"].get(1)["status"] == "success"
    assert db["articles"].count == len(RECORDS)


def test_pmids_missing_from_efetch_stay_queued_and_are_retried(fake, tmp_path):
    """M3: a 200 answer with part of a batch does not mark the rest done."""
    state, server = fake
    missing = sorted(RECORDS)[:3]
    state.omit_once = set(missing)
    db = connect(tmp_path / "partial.db")
    summary = harvest(db, build_queries(["AICDA"]), settings(server), batch_size=500)
    assert summary.missing == [] and db["articles"].count == len(RECORDS)
    assert db.execute("select count(*) from harvest_queue where done != 1").fetchone()[0] == 0


def test_pmids_never_returned_leave_the_run_partial_and_the_next_run_asks_again(fake, tmp_path):
    state, server = fake
    gone = sorted(RECORDS)[0]
    records = dict(RECORDS)
    state.records = {k: v for k, v in records.items() if k != gone}
    state.search_ids = sorted(records)
    db = connect(tmp_path / "gone.db")
    summary = harvest(db, build_queries(["AICDA"]), settings(server))
    assert summary.missing == [gone] and db["harvest_runs"].get(summary.run_id)["status"] == "partial"
    state.records = records  # NCBI answers again
    again = harvest(db, build_queries(["AICDA"]), settings(server))
    assert again.resumed and again.run_id == summary.run_id and again.missing == []
    assert db["articles"].get(gone)["pmid"] == gone


def test_a_dripping_server_hits_the_request_deadline(fake, tmp_path):
    """M4: one byte every 0.2 s never trips a socket timeout; the request deadline does."""
    state, server = fake
    state.faults = [Fault("efetch", "drip")]
    db = connect(tmp_path / "drip.db")
    start = time.monotonic()
    summary = harvest(db, build_queries(["AICDA"]), settings(server), batch_size=500)
    assert summary.new == len(RECORDS)
    assert time.monotonic() - start < 30


def test_from_xml_refuses_live_harvest_options(tmp_path):
    result = run_higm("harvest", "--db", str(tmp_path / "x.db"), "--from-xml", str(SNAPSHOT),
                      "--genes", "CD40LG", check=False)
    assert result.returncode == 2 and "do not apply to --from-xml" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_an_idlist_shorter_than_its_count_is_a_failed_call(fake, tmp_path):
    """Low: NCBI answering Count N with fewer IDs is retried, not taken as the whole list."""
    state, server = fake
    db = connect(tmp_path / "short.db")
    state.faults = [Fault("esearch", "short")] * 1
    summary = harvest(db, build_queries(["AICDA"])[:1], settings(server), batch_size=500)
    assert state.faults == [] and summary.new == len(RECORDS)
    listing = [p for u, p in state.requests if u == "esearch" and p.get("retmax") != "0"]
    assert len(listing) == 2  # the short answer, then the full one
