"""Evidence attributes against 30 dev claims whose species and study type were checked by
hand (tests/data/attributes_check.jsonl), and the patient-count reader."""
from __future__ import annotations

import json

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
