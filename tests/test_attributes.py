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
])
def test_patients_are_counted_only_from_a_count_of_patients(text, count):
    assert patient_count(text) == count


def test_a_narrative_review_is_a_review():
    found = attributes_for("CD40L deficiency causes neutropenia.",
                           "CD40L deficiency\nThis narrative review summarises the disease.")
    assert found.study == "review"
