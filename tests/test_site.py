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
    ("HIGM3", "/disease/HIGM3"), ("AID", "/gene/AICDA"), ("CD154", "/gene/CD40LG"),
    ("cd40lg", "/gene/CD40LG"),
])
def test_a_key_symbol_or_alias_goes_to_its_page(site, query, target):
    async def check():
        response = await site.client.get("/search", params={"q": query})
        assert response.status_code == 302 and response.headers["location"] == target
        assert (await site.client.get(target)).status_code == 200
    in_own_loop(check)


@pytest.mark.parametrize("query, diseases, genes", [
    # a disease name lists the disease before its gene ("XHIGM" is HIGM1, not only CD40LG)
    ("XHIGM", ["/disease/HIGM1"], ["/gene/CD40LG"]),
    ("CD40 deficiency", ["/disease/HIGM3"], ["/gene/CD40"]),
    ("x-linked hyper-IgM", ["/disease/HIGM1"], ["/gene/CD40LG"]),
    # another spelling of the names: every hyper-IgM entity
    ("hyper immunoglobulin M", ["/disease/HIGM", "/disease/HIGM1", "/disease/HIGM3"], ["/gene/CD40LG"]),
])
def test_a_name_lists_its_diseases_genes_and_articles(site, query, diseases, genes):
    async def check():
        page = await site.client.get("/search", params={"q": query})
        assert page.status_code == 200
        listed = page.text.split('class="search-diseases"')[1].split("</ul>")[0]
        for target in diseases:
            assert f'href="{target}"' in listed
        for target in genes:
            assert f'href="{target}"' in page.text.split('class="search-genes"')[1]
        assert 'class="search-articles"' in page.text and "pubmed.ncbi.nlm.nih.gov" in page.text
    in_own_loop(check)


def test_search_finds_articles_by_a_diseases_other_names_and_terms_by_synonym(site):
    async def check():
        page = await site.client.get("/search", params={"q": "hyper immunoglobulin M"})
        # the Blood 2005 cohort names the disease "hyper-IgM" and "hyper immunoglobulin M"
        assert "PMID 15358621" in page.text
        typed = await site.client.get("/search", params={"q": "hyper-IgM"})
        total = lambda text: int(text.split('class="search-count">')[1].split(" of ")[0])
        assert total(typed.text) >= 15
        # a synonym ("PJP") finds the HPO term and the articles that name it otherwise
        pjp = await site.client.get("/search", params={"q": "PJP"})
        assert "HP:0020102" in pjp.text.split('class="search-phenotypes"')[1].split("</ul>")[0]
        assert 'class="search-articles"' in pjp.text
        therapy = await site.client.get("/search", params={"q": "bone marrow transplant"})
        assert "Haematopoietic stem cell transplantation" in therapy.text
    in_own_loop(check)


@pytest.mark.parametrize("query", ['"cryptosporidiosis" AND', '"', "OR NOT", "zzzzqq", "a" * 300,
                                   "NEAR(", "hyper*", "'; drop table claims; --"])
def test_odd_searches_answer_and_empty_ones_say_so(site, query):
    async def check():
        page = await site.client.get("/search", params={"q": query})
        assert page.status_code in (200, 302), page.text[:300]
        if page.status_code == 200:
            assert "Invalid SQL" not in page.text and "Traceback" not in page.text
        if query == "zzzzqq":
            assert "No abstract of the" in page.text
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


def test_about_says_how_many_abstracts_name_each_gene(site):
    async def check():
        page = (await site.client.get("/about")).text
        table = page.split('class="rows-and-columns coverage"')[1].split("</table>")[0]
        rows = (await site.client.get("/higm/genes.json?_shape=array&_size=max")).json()
        cd40lg = next(r for r in rows if r["symbol"] == "CD40LG")
        # the snapshot is about the hyper-IgM genes: most abstracts name CD40LG or XHIGM
        assert cd40lg["abstracts"] >= cd40lg["papers"] > 0
        assert f'/gene/CD40LG">CD40LG</a></td><td>{cd40lg["abstracts"]}</td>' in table
        empty = (await site.client.get("/gene/INO80")).text
        ino80 = next(r for r in rows if r["symbol"] == "INO80")
        assert f"{ino80['abstracts']} name INO80" in empty
    in_own_loop(check)


def test_missing_from_hpo_for_one_gene_or_disease_links_to_hpos_annotations(site):
    async def check():
        everything = (await site.client.get(
            "/higm/associations_missing_from_hpo.json?_shape=array&gene=&include_unreviewed=1")).json()
        assert everything and {r["subject"] for r in everything} > {"CD40LG"}
        for gene in ("CD40LG", "HIGM1", "cd40lg"):
            one = (await site.client.get(
                f"/higm/associations_missing_from_hpo.json?_shape=array&gene={gene}"
                "&include_unreviewed=1")).json()
            assert one and {r["subject"] for r in one} == {"CD40LG"}
            assert all(r["hpo_annotates_here"] == "https://hpo.jax.org/browse/disease/OMIM:308230"
                       for r in one)
        diseases = (await site.client.get("/higm/diseases.json?_shape=array")).json()
        apds = next(d for d in diseases if d["key"] == "APDS")
        assert apds["orpha_id"] == "397596" and apds["hpo_annotations"].endswith("ORPHA:397596")
    in_own_loop(check)
