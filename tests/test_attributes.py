"""Evidence attributes against 30 dev claims whose species and study type were checked by
hand (tests/data/attributes_check.jsonl), and the patient-count reader."""
from __future__ import annotations

import json

import pytest

from curate.nlp.attributes import attributes_for, patient_count
from curate.nlp.pipeline import text_of
from harvest.parse import parse
from tests.conftest import DATA, SNAPSHOT


def test_species_and_study_agree_with_the_hand_check():
    texts = {a.pmid: text_of(a.title, a.abstract) for a in parse(SNAPSHOT)
             if hasattr(a, "title")}
    checked = [json.loads(line) for line in (DATA / "attributes_check.jsonl").read_text().splitlines()]
    assert len(checked) == 30
    wrong = []
    for claim in checked:
        found = attributes_for(claim["sentence"], texts[claim["pmid"]])
        if (found.species, found.study) != (claim["species"], claim["study"]):
            wrong.append((claim["pmid"], found.species, found.study, claim["species"], claim["study"]))
    assert len(wrong) <= 3, wrong


def test_patient_counts():
    assert patient_count("We studied 20 Chinese patients with XHIGM.") == 20
    assert patient_count("Six patients received HSCT; 14 patients (70%) had neutropenia.") == 14
    assert patient_count("We describe a 4-year-old boy with recurrent infections.") == 1
    assert patient_count("Neutropenia was seen in 70% of cases.") is None
    assert patient_count("AID deaminates cytosine.") is None


@pytest.mark.parametrize("text, count", [
    ("One quarter of patients had neutropenia.", None),
    ("One third of the patients had neutropenia.", None),
    ("Neutropenia occurred in 7.5% of the cohort.", None),
    ("Neutropenia occurred in 7.5% of 40 patients.", 40),
    ("Seven of 10 patients had PJP.", 10),
    ("We studied 38 transplanted patients.", 38),
    ("A 3-year-old boy had neutropenia.", 1),
    ("Two siblings with AID deficiency had lymphadenopathy.", 2),
    ("We report three brothers with X-linked hyper-IgM.", 3),
])
def test_patients_are_counted_only_from_a_count_of_patients(text, count):
    assert patient_count(text) == count


def test_a_narrative_review_is_a_review():
    found = attributes_for("CD40L deficiency causes neutropenia.",
                           "CD40L deficiency\nThis narrative review summarises the disease.")
    assert found.study == "review"


def test_attributes_agree_with_sixty_checked_train_claims():
    """60 claims of train.jsonl (tests/data/attributes_train.jsonl): 54 with the annotators'
    species, study and patients, read again, and 6 checked by hand. The issue's bar: at least
    54 of 60 each."""
    texts = {}
    for line in (DATA / "attributes_train_texts.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts[r["pmid"]] = text_of(r["title"], r["abstract"])
    checked = [json.loads(line) for line in
               (DATA / "attributes_train.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(checked) == 60
    agree = {"species": 0, "study": 0, "patients": 0}
    for claim in checked:
        found = attributes_for(claim["sentence"], texts[claim["pmid"]])
        for name in agree:
            agree[name] += getattr(found, name) == claim[name]
    assert all(n >= 54 for n in agree.values()), agree


@pytest.mark.parametrize("abstract, study", [
    ("The hyper IgM syndromes\nThe hyper IgM syndromes are a group of rare immune deficiency "
     "disorders. X-linked forms are caused by defects in CD40 ligand.", "review"),
    ("Partial reconstitution with rCD40L\nThe purpose of this study was to investigate the "
     "safety and efficacy of rCD40L. Three children were treated.", "trial"),
    ("Cryptosporidium in PIDs\nA group of 5 patients with XHIM were enrolled. Cryptosporidiosis "
     "was confirmed in 3 patients.", "case_series"),
])
def test_the_study_type_is_the_abstracts_design(abstract, study):
    sentence = abstract.splitlines()[1].split(". ")[-1]
    assert attributes_for(sentence, abstract).study == study


def test_a_background_clause_states_no_count_and_keeps_its_species():
    abstract = ("Correction of a mouse model of HIGM1\nHIGM1 is caused by mutations of CD40L. "
                "Bone marrow from mice lacking CD40L was corrected. Recipient mice recovered.")
    found = attributes_for("HIGM1 is caused by mutations of CD40L.", abstract)
    assert (found.species, found.study, found.patients) == ("human", "animal_model", None)
    assert attributes_for("Recipient mice recovered.", abstract).species == "mouse"
    cohort = "BMT in CD40L deficiency\nEight patients were transplanted. CD40L deficiency is a rare X linked immunodeficiency disorder."
    assert attributes_for("CD40L deficiency is a rare X linked immunodeficiency disorder.", cohort).patients is None
    assert attributes_for("Eight patients were transplanted.", cohort).patients == 8


@pytest.mark.parametrize("types, abstract, study", [
    (("Journal Article", "Review"), "HIGM\nWe describe 40 patients with XHIGM.", "review"),
    (("Clinical Trial, Phase II",), "rCD40L\nThree children were treated with rCD40L.", "trial"),
    (("Case Reports",), "A boy\nWe describe a boy with XHIGM.", "case_report"),
    (("Case Reports",), "Six boys\nWe describe six boys with XHIGM.", "case_series"),
    (("Journal Article",), "A series\nA cohort of 20 patients with XHIGM was studied.", "case_series"),
])
def test_pubmed_publication_types_name_the_design(types, abstract, study):
    sentence = abstract.splitlines()[1]
    assert attributes_for(sentence, abstract, types).study == study


def test_extraction_reads_the_records_publication_types(extracted_db):
    """A record typed Review in PubMed gives its claims the study type review."""
    import sqlite3
    from curate.extract import extract
    from db.schema import connect
    with sqlite3.connect(extracted_db) as conn:
        pmid = conn.execute("select pmid from claims where active = 1 and study = 'case_series' "
                            "group by pmid order by count(*) desc limit 1").fetchone()[0]
        conn.execute("delete from publication_types where pmid = ?", [pmid])
        conn.execute("insert into publication_types values (?, 1, 'D016454', 'Review')", [pmid])
    extract(connect(extracted_db), everything=True)
    with sqlite3.connect(extracted_db) as conn:
        studies = {r[0] for r in conn.execute(
            "select study from claims where active = 1 and pmid = ? and species = 'human'", [pmid])}
    assert studies == {"review"}
