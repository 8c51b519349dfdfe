"""The published site in-process (`build_site` + `ds.client`): reviewed and machine claims
apart, evidence strength, disease pages, one search box."""
from __future__ import annotations

import pytest

from curate.ledger import import_ledger
from db.publish import evidence_level, publish
from db.schema import connect
from db.site.app import build_site
from tests.conftest import in_own_loop
from tests.test_publish import accept_ledger


@pytest.fixture
def site(extracted_db, tmp_path):
    ledger = tmp_path / "ledger.jsonl"
    accept_ledger(extracted_db, ledger, count=40)
    db = connect(extracted_db)
    import_ledger(db, ledger)
    return build_site(publish(db, tmp_path / "higm.db").path)


def test_gene_pages_show_accepted_claims_unless_asked(site):
    async def check():
        accepted = await site.client.get("/gene/CD40LG")
        everything = await site.client.get("/gene/CD40LG?unreviewed=1")
        assert accepted.status_code == everything.status_code == 200
        assert "curator-accepted claims only" in accepted.text
        assert "unreviewed machine claims" in everything.text
        assert everything.text.count("evidence-row") >= accepted.text.count("evidence-row") > 0
        assert "level-" in accepted.text and "/disease/HIGM1" in accepted.text
    in_own_loop(check)


def test_disease_pages(site):
    async def check():
        page = await site.client.get("/disease/HIGM3")
        assert page.status_code == 200 and "OMIM 606843" in page.text and "/gene/CD40" in page.text
        geneless = await site.client.get("/disease/HIGM?unreviewed=1")
        assert geneless.status_code == 200 and "no single gene" in geneless.text
        assert (await site.client.get("/disease/NOPE")).status_code == 404
    in_own_loop(check)


@pytest.mark.parametrize("query, target", [
    ("CD40 deficiency", "/gene/CD40"), ("HIGM3", "/disease/HIGM3"), ("XHIGM", "/gene/CD40LG"),
    ("x-linked hyper-IgM", "/gene/CD40LG"), ("AID", "/gene/AICDA"),
    ("hyper-IgM", "/higm/articles?_search=hyper-IgM"),
    ('"cryptosporidiosis" AND', "/higm/articles?_search=%22cryptosporidiosis%22+AND"),
])
def test_one_search_box(site, query, target):
    async def check():
        response = await site.client.get("/search", params={"q": query})
        assert response.status_code == 302 and response.headers["location"] == target
        landed = await site.client.get(target)
        assert landed.status_code == 200 and "Invalid SQL" not in landed.text
    in_own_loop(check)


def test_evidence_strength_is_stored_and_levelled(site):
    async def check():
        rows = (await site.client.get("/higm/gene_phenotype_summary.json?_shape=array&_size=max")).json()
        assert rows and all(r["evidence_level"] == evidence_level(r["evidence_score"]) for r in rows)
        assert any(r["evidence_level"] != "limited" for r in rows)
        assert all(r["human_papers"] + r["animal_papers"] + r["in_vitro_papers"] <= r["papers"]
                   or r["papers"] == 0 for r in rows)
    in_own_loop(check)
    assert evidence_level(3.0) == "strong" and evidence_level(1.5) == "moderate"
    assert evidence_level(0.4) == "limited"


def test_the_site_is_read_only_and_keeps_its_paths_to_itself(site):
    """Low: writes answer 405 (not 500), a bad _sort 400, and no page names the file's path."""
    async def check():
        for path in ("/higm/claims", "/higm/claims_since", "/-/insert"):
            assert (await site.client.post(path, data={"since": "2020"})).status_code == 405, path
        bad = await site.client.get("/higm/claims?_sort=nope")
        assert bad.status_code == 400 and "Cannot sort" in bad.text
        assert (await site.client.get("/-/databases.json")).status_code == 404
        pragma = await site.client.get("/higm.json", params={
            "sql": "select * from pragma_database_list"})
        assert pragma.status_code == 400 and "higm.db" not in pragma.text
    in_own_loop(check)


def test_hpo_hierarchy_relations_and_grouping(site):
    """'Missing from HPO' compares at every level near the term: Recurrent infections for
    CD40LG is not missing, since HPO annotates the more specific Recurrent bacterial infections."""
    async def check():
        rows = (await site.client.get("/higm/gene_phenotype_summary.json", params={
            "_shape": "array", "subject": "CD40LG", "hpo_id": "HP:0002719"})).json()
        assert rows and rows[0]["hpo_relation"] == "more_specific"
        missing = (await site.client.get("/higm/associations_missing_from_hpo.json", params={
            "_shape": "array", "include_unreviewed": "1"})).json()
        assert ("CD40LG", "HP:0002719") not in {(r["subject"], r["hpo_id"]) for r in missing}
        grouped = await site.client.get("/gene/CD40LG?group=1&unreviewed=1")
        assert grouped.status_code == 200 and "Abnormality of the immune system" in grouped.text
    in_own_loop(check)


def test_how_this_database_is_built_is_a_page_of_the_site(site):
    async def check():
        page = await site.client.get("/about")
        assert page.status_code == 200 and "Evidence strength" in page.text
        assert "case series 1.0" in page.text and "Cite as" in page.text
        home = await site.client.get("/")
        assert 'href="/about"' in home.text
    in_own_loop(check)


def test_canned_queries_are_forms_that_wait_for_their_question(site):
    async def check():
        empty = await site.client.get("/higm/phenotypes_for_gene")
        assert empty.status_code == 200 and "Fill in the form" in empty.text
        assert 'type="checkbox"' in empty.text and "Gene symbol or disease key" in empty.text
        assert '<pre id="sql-query">' not in empty.text  # the SQL is folded away until asked for
        none = (await site.client.get("/higm/phenotypes_for_gene.json?_shape=array")).json()
        asked = (await site.client.get("/higm/phenotypes_for_gene.json",
                                       params={"gene": "CD40LG", "_shape": "array"})).json()
        assert none == [] and asked
    in_own_loop(check)


def test_evidence_in_place_and_a_searchable_phenotype_table(site):
    async def check():
        page = await site.client.get("/gene/CD40LG")
        assert page.status_code == 200 and "evidence-list" in page.text and "PMID " in page.text
        found = (await site.client.get("/higm/phenotypes.json", params={
            "_search": "neutropenia", "_shape": "array"})).json()
        assert any(r["hpo_id"] == "HP:0001875" for r in found)
    in_own_loop(check)


def test_not_found_is_a_quiet_404_wherever_it_comes_from(site, capfd):
    async def check():
        for path in ("/gene/NOTAGENE", "/a/b/c/d", "/higm/claims/x/y"):
            answer = await site.client.get(path)
            assert answer.status_code == 404, path
        answer = await site.client.get("/higm/nope.json")
        assert answer.status_code == 404 and answer.json()["ok"] is False
    in_own_loop(check)
    assert "Traceback" not in capfd.readouterr().err  # was 14-22 KB of locals per 404


def test_a_double_quote_in_a_search_is_no_sql_error(site):
    async def check():
        for path in ("/higm/articles?_search=%22", "/higm/claims?_search=%22",
                     "/higm/articles.json?_search=%22hyper-IgM"):
            answer = await site.client.get(path)
            assert answer.status_code == 200 and "Invalid SQL" not in answer.text, path
        everything = await site.client.get("/higm/articles.json?_search=%22&_size=max")
        assert len(everything.json()["rows"]) > 50  # no word: the search is left out
        home = await site.client.get("/search?q=%22")
        assert home.status_code == 302 and home.headers["location"] == "/"
    in_own_loop(check)


def test_csv_links_download_with_the_page_filter(site):
    import re as _re

    async def check():
        page = (await site.client.get("/gene/CD40LG")).text
        links = _re.findall(r'<a class="csv" download="([^"]+)" href="([^"]+)"', page)
        assert links and all(name.endswith(".csv") and "CD40LG" in name for name, _ in links)
        pair = [href for _, href in links if "evidence_for_pair" in href]
        assert pair and not any("include_unreviewed" in href for href in pair)  # accepted page
        answer = await site.client.get(links[0][1].replace("&amp;", "&"))
        assert answer.status_code == 200
        assert answer.headers["content-disposition"].startswith("attachment")
        everything = (await site.client.get("/gene/CD40LG?unreviewed=1")).text
        assert "include_unreviewed=1" in everything
    in_own_loop(check)


def test_accepted_evidence_names_its_curator_and_empty_answers_say_out_of_what(site):
    async def check():
        page = (await site.client.get("/gene/CD40LG")).text
        assert " by alice on 2026-01-01" in page  # accept_ledger's curator and date
        empty = (await site.client.get("/gene/INO80")).text
        assert "claims yet" in empty and "Out of" in empty and "abstracts in this release" in empty
    in_own_loop(check)


def test_every_column_of_the_claims_and_release_tables_is_documented(site):
    from db.site.app import default_metadata
    tables = default_metadata()["databases"]["higm"]["tables"]

    async def check():
        for table in ("claims", "unreviewed_claims", "release"):
            columns = (await site.client.get(f"/higm/{table}.json?_size=1")).json()["columns"]
            described = tables[table]["columns"]
            assert set(columns) <= set(described), (table, set(columns) - set(described))
    in_own_loop(check)
