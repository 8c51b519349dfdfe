"""The PubMed baseline workflow (workflow/Snakefile, run by the real Snakemake) gives the
database the one-process path gives, applies revisions and deletions, changes nothing when
run again, and keeps other files' shards when one file is bad."""
from __future__ import annotations

import gzip
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_higm
from tests.pubmed_files import write_files

SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")
SNAKEFILE = ROOT / "workflow" / "Snakefile"


def snakemake(folder: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SNAKEMAKE, "--snakefile", str(SNAKEFILE), "--cores", "2", "--directory", str(db.parent),
         "--config", f"input={folder}", f"db={db}", *extra],
        capture_output=True, text=True, timeout=600)


def _state(db: Path) -> tuple:
    with sqlite3.connect(db) as conn:
        pmids = {r[0] for r in conn.execute("select pmid from articles")}
        keys = {r[0] for r in conn.execute("select claim_key from claims where active = 1")}
        retired = {r[0] for r in conn.execute("select claim_key from claims where active = 0")}
    return pmids, keys, retired


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_files(tmp_path_factory.mktemp("pubmed") / "in")


@pytest.fixture(scope="module")
def flow_db(files, tmp_path_factory):
    """One uninterrupted workflow run, shared: the reference the killed run must reach."""
    db = tmp_path_factory.mktemp("flow") / "work.db"
    first = snakemake(files["files"][0].parent, db)
    assert first.returncode == 0, first.stderr[-2000:]
    return db


@pytest.mark.skipif(not Path(SNAKEMAKE).exists(), reason="the workflow extra is not installed")
def test_the_workflow_equals_the_one_process_path_and_a_second_run_changes_nothing(
        files, flow_db, tmp_path):
    one = tmp_path / "one" / "work.db"
    one.parent.mkdir()
    run_higm("harvest", "--db", str(one), "--from-xml", *map(str, files["files"]), "--only-panel")
    run_higm("extract", "--db", str(one))
    flow = flow_db
    pmids, keys, retired = _state(flow)
    assert (pmids, keys) == _state(one)[:2]
    assert pmids and not pmids & set(files["off_topic"])  # off-topic records not stored
    assert files["deleted"] not in pmids and files["revised"] in pmids
    with sqlite3.connect(flow) as conn:
        abstract = conn.execute("select abstract from articles where pmid = ?",
                                [files["revised"]]).fetchone()[0]
        gone = conn.execute("select count(*) from claims where pmid = ? and active = 1",
                            [files["deleted"]]).fetchone()[0]
    assert "Revised:" in abstract and gone == 0
    before = flow.read_bytes()
    again = snakemake(files["files"][0].parent, flow)
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr
    assert flow.read_bytes() == before


@pytest.mark.skipif(not Path(SNAKEMAKE).exists(), reason="the workflow extra is not installed")
def test_a_bad_file_fails_its_own_job_and_the_merge_waits(files, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in files["files"]:
        shutil.copy(path, folder / path.name)
    good = (folder / "pubmed26n0001.xml.gz").read_bytes()
    (folder / "pubmed26n0003.xml.gz").write_bytes(good[: len(good) // 2])  # truncated
    (folder / "pubmed26n0004.xml").write_text("<html><body>Service unavailable</body></html>")
    db = tmp_path / "flow" / "work.db"
    db.parent.mkdir()
    result = snakemake(folder, db, "--keep-going")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "pubmed26n0003.xml.gz" in log and "pubmed26n0004.xml" in log
    shards = db.parent / "shards"
    assert (shards / "pubmed26n0001.jsonl.gz").exists() and (shards / "pubmed26n0002.jsonl.gz").exists()
    assert not (shards / "pubmed26n0003.jsonl.gz").exists()  # never a partial shard
    assert not list(shards.glob("*.partial"))
    assert not Path(f"{db}.merged").exists() and not db.exists()  # the merge did not run
    with gzip.open(shards / "pubmed26n0001.jsonl.gz", "rt") as handle:
        assert sum(1 for _ in handle) > 10


def test_a_shard_command_names_the_file_in_one_line(tmp_path):
    bad = tmp_path / "page.xml"
    bad.write_text("<html>not PubMed</html>")
    result = run_higm("shard", str(bad), "--out", str(tmp_path / "s.jsonl.gz"), check=False)
    assert result.returncode == 1 and "page.xml" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "s.jsonl.gz").exists()
    no_pmid = tmp_path / "no_pmid.xml"
    no_pmid.write_text("<PubmedArticleSet><PubmedArticle><MedlineCitation><Article>"
                       "<ArticleTitle>CD40L deficiency</ArticleTitle></Article></MedlineCitation>"
                       "</PubmedArticle></PubmedArticleSet>")
    result = run_higm("shard", str(no_pmid), "--out", str(tmp_path / "t.jsonl.gz"), check=False)
    assert result.returncode == 1 and "no_pmid.xml" in result.stderr


@pytest.mark.skipif(not Path(SNAKEMAKE).exists(), reason="the workflow extra is not installed")
def test_a_killed_workflow_run_again_ends_with_the_same_database(files, flow_db, tmp_path):
    import os
    import signal
    import time
    reference = flow_db  # an uninterrupted run of the same files
    db = tmp_path / "flow" / "work.db"
    db.parent.mkdir()
    process = subprocess.Popen(
        [SNAKEMAKE, "--snakefile", str(SNAKEFILE), "--cores", "1", "--directory", str(db.parent),
         "--config", f"input={files['files'][0].parent}", f"db={db}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    shards = db.parent / "shards"
    deadline = time.time() + 120
    while time.time() < deadline and not list(shards.glob("*.jsonl.gz")):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # in the middle: one shard written, or fewer
    process.wait(timeout=30)
    # a SIGKILL leaves Snakemake's lock behind: --unlock, then the same call again
    assert snakemake(files["files"][0].parent, db, "--unlock").returncode == 0
    again = snakemake(files["files"][0].parent, db, "--rerun-incomplete")
    assert again.returncode == 0, again.stderr[-2000:]
    assert _state(db)[:2] == _state(reference)[:2]


@pytest.mark.skipif(not Path(SNAKEMAKE).exists(), reason="the workflow extra is not installed")
def test_an_empty_folder_is_refused_with_its_reason(tmp_path):
    empty = tmp_path / "in"
    empty.mkdir()
    result = snakemake(empty, tmp_path / "work.db")
    assert result.returncode != 0 and "no *.xml or *.xml.gz files" in result.stdout + result.stderr
