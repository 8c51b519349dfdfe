"""The published database and its Datasette site, started for real."""
from __future__ import annotations

import json
import sqlite3

import httpx
import pytest

from tests.conftest import Server, run_higm

TABLES = ["articles", "genes", "phenotypes", "therapies", "claims", "unreviewed_claims",
          "gene_phenotype_summary", "gene_therapy_summary", "papers_per_year", "releases",
          "article_authors", "article_mesh"]
QUERIES = {"phenotypes_for_gene": {"gene": "CD40LG"}, "therapies_for_gene": {"gene": "CD40LG"},
           "evidence_for_pair": {"gene": "CD40LG", "hpo_id": "HP:0003496"},
           "claims_since": {"since": "1990"}, "associations_missing_from_hpo": {}}


def accept_ledger(db, path, count=500) -> int:
    """A decisions ledger, as a curator's export would be, accepting the top claims."""
    with sqlite3.connect(db) as conn:
        keys = [r[0] for r in conn.execute(
            "select claim_key from claims where subject = 'CD40LG' order by "
            "hpo = 'HP:0003496' desc, type = 'gene_therapy' desc, score desc limit ?", [count])]
    path.write_text("".join(json.dumps({
        "claim_key": k, "decision": "accept", "curator": "alice",
        "decided_at": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}+00:00", "previous_status": "pending",
        "status_after": "accepted"}) + "\n" for i, k in enumerate(keys)))
    return len(keys)


@pytest.fixture
def site(extracted_db, tmp_path):
    published = tmp_path / "higm.db"
    run_higm("publish", "--db", str(extracted_db), "--out", str(published))
    server = Server("serve", str(published))
    yield server, published
    server.stop()


def test_every_table_answers_json_and_csv(site):
    server, published = site
    for table in TABLES:
        data = httpx.get(f"{server.url}/higm/{table}.json?_shape=objects").json()
        assert "rows" in data, table
        csv = httpx.get(f"{server.url}/higm/{table}.csv")
        assert csv.status_code == 200 and csv.text.splitlines()[0], table
    assert httpx.get(f"{server.url}/higm/articles.json").json()["filtered_table_rows_count"] == 63


def test_facets_search_and_canned_queries_with_unreviewed(site):
    server, _ = site
    facets = httpx.get(f"{server.url}/higm/unreviewed_claims.json?_facet=subject").json()
    values = {f["value"]: f["count"] for f in facets["facet_results"]["subject"]["results"]}
    assert values["CD40LG"] > 10
    found = httpx.get(f"{server.url}/higm/articles.json?_search=cryptosporidium&_shape=array").json()
    assert "11179337" in {r["pmid"] for r in found}
    for name, params in QUERIES.items():
        rows = httpx.get(f"{server.url}/higm/{name}.json",
                         params={**params, "include_unreviewed": "1", "_shape": "array"}).json()
        assert rows, name
        assert {r.get("review_status") for r in rows if "review_status" in r} <= {"unreviewed", "accepted", "unreviewed,accepted", "accepted,unreviewed"}
        without = httpx.get(f"{server.url}/higm/{name}.json",
                            params={**params, "_shape": "array"}).json()
        assert without == [], f"{name} shows unreviewed claims without being asked"


def test_site_is_read_only_and_private(site):
    server, published = site
    response = httpx.post(f"{server.url}/higm/-/query",
                          data={"sql": "delete from claims"})
    assert response.status_code in (400, 403, 405)
    sql = httpx.get(f"{server.url}/higm.json",
                    params={"sql": "delete from articles", "_shape": "array"})
    assert sql.status_code == 400
    with sqlite3.connect(published) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master")}
        assert conn.execute("select count(*) from articles").fetchone()[0] == 63
    assert not {"curators", "decisions"} & tables
    dump = published.read_bytes()
    assert b"argon2" not in dump and b"@example" not in dump


def test_ledger_accepted_claims_are_published(extracted_db, tmp_path):
    ledger = tmp_path / "ledger.jsonl"
    accepted = accept_ledger(extracted_db, ledger)
    demo = tmp_path / "demo"
    out = run_higm("demo", "--workdir", str(demo), "--decisions", str(ledger), "--no-serve").stdout
    assert f": {accepted} decisions" in out and f"{accepted} accepted" in out
    server = Server("serve", str(demo / "higm.db"))
    try:
        for name, params in QUERIES.items():
            rows = httpx.get(f"{server.url}/higm/{name}.json",
                             params={**params, "_shape": "array"}).json()
            assert rows, f"{name} has no accepted rows"
        # the canned queries read summaries: they must agree with the claims themselves
        for include, table in (("", "claims"), ("1", "all_claims")):
            served = httpx.get(f"{server.url}/higm/phenotypes_for_gene.json", params={
                "gene": "CD40LG", "include_unreviewed": include, "_shape": "array"}).json()
            with sqlite3.connect(demo / "higm.db") as conn:
                direct = conn.execute(
                    f"select hpo_id, count(distinct pmid), count(*), min(year), max(year) "
                    f"from {table} where subject = 'CD40LG' and type = 'gene_phenotype' "
                    f"and negated = 0 group by hpo_id").fetchall()
            assert sorted((r["hpo_id"], r["papers"], r["claims"], r["first_year"], r["last_year"])
                          for r in served) == sorted(direct)
        page = httpx.get(f"{server.url}/gene/CD40LG").text
        assert f"{accepted} accepted claims" in page
        home = httpx.get(server.url + "/").text
        assert "Gene panel" in home and "/gene/CD40LG" in home
    finally:
        server.stop()


def test_publish_replaces_the_file_whole(extracted_db, tmp_path):
    out = tmp_path / "higm.db"
    run_higm("publish", "--db", str(extracted_db), "--out", str(out))
    first = out.stat().st_ino
    run_higm("publish", "--db", str(extracted_db), "--out", str(out))
    # a new file renamed into place: a server holding the old one never reads half a file
    assert out.exists() and out.stat().st_ino != first
    assert not list(tmp_path.glob(".*building"))
    bad = run_higm("publish", "--db", str(extracted_db), "--out", str(tmp_path / "no" / "x.db"),
                   check=False)
    assert bad.returncode != 0 and "does not exist" in (bad.stderr + bad.stdout)


def test_patients_are_summed_only_from_human_papers_about_the_subject_alone(extracted_db, tmp_path):
    from db.publish import publish
    from db.schema import connect
    db = connect(extracted_db)
    # a multi-gene cohort: one article's claims for two genes, both with its patient count
    pmid = db.execute("select pmid from claims where active = 1 and type = 'gene_phenotype' "
                      "group by pmid having count(distinct subject) >= 2 limit 1").fetchone()
    if pmid is None:
        pytest.skip("the snapshot has no multi-gene article")
    db.execute("update claims set patients = 140, species = 'human' where pmid = ?", [pmid[0]])
    db.conn.commit()
    summary = publish(db, tmp_path / "higm.db")
    with sqlite3.connect(summary.path) as conn:
        rows = conn.execute(
            "select s.patients from gene_phenotype_summary s join unreviewed_claims c "
            "on c.subject = s.subject and c.hpo_id = s.hpo_id where c.pmid = ?", [pmid[0]]).fetchall()
    assert rows and all((p or 0) < 140 or p is None for (p,) in rows)  # the 140 is no gene's
