"""A therapy claim's outcome, read around the therapy's own mention (CLAIMS.md conventions)."""
from __future__ import annotations

import pytest

from curate.nlp.pipeline import load


@pytest.fixture(scope="module")
def nlp():
    return load()


def outcomes(nlp, text) -> dict:
    doc = nlp.make_doc(text)
    doc.user_data["pmid"] = "1"
    return {c["object"]: c["outcome"] for c in nlp(doc)._.claims if c["type"] == "gene_therapy"}


@pytest.mark.parametrize("text, therapy, outcome", [
    ("Twelve APDS1 patients underwent HSCT and had a satisfying prognosis.", "hsct", "effective"),
    ("Two CD40L-deficient boys died despite antiviral treatment.", "antivirals", "ineffective"),
    # the cause of death named before "despite" is no harm of the therapy
    ("Two XHIGM patients died of sepsis despite immunoglobulin replacement.", "ig_replacement",
     "ineffective"),
    ("In CD40L deficiency, HSCT was complicated by graft-versus-host disease.", "hsct", "adverse"),
    ("Two XHIGM patients died after bone marrow transplantation.", "hsct", "adverse"),
    ("Partial immune reconstitution of X-linked hyper-IgM syndrome with recombinant CD40 ligand.",
     "recombinant_cd40l", "mixed"),
    ("Of 20 CD40L-deficient patients given HSCT, 15 were cured and five died.", "hsct", "mixed"),
    ("CD40L deficiency may respond well to prophylactic antibiotic therapy or to immunoglobulin "
     "replacement therapy.", "ig_replacement", "effective"),
    ("CD40L-deficient patients received immunoglobulin replacement.", "ig_replacement", "not_stated"),
    # a lessened finding is a benefit; a reduced-intensity conditioning is no outcome
    ("In APDS, rapamycin reduced lymphoproliferation.", "immunosuppression", "effective"),
    ("CD40L-deficient boys received HSCT after reduced-intensity conditioning.", "hsct",
     "not_stated"),
])
def test_the_outcome_of_a_therapy(nlp, text, therapy, outcome):
    assert outcomes(nlp, text)[therapy] == outcome


def test_leniolisib_is_its_own_therapy_and_tolerated_is_no_benefit(nlp):
    # CLAIMS.md's pi3kd_inhibitor key; the first clause's benefit is rapamycin's
    found = outcomes(nlp, "In APDS, rapamycin reduced lymphoproliferation in 8 of 11 treated "
                          "patients, and leniolisib was well tolerated.")
    assert found == {"immunosuppression": "effective", "pi3kd_inhibitor": "not_stated"}


def test_one_therapys_cue_is_not_anothers(nlp):
    found = outcomes(nlp, "Four CD40L-deficient patients had full immune recovery after HSCT "
                          "and discontinued IVIG replacement.")
    assert found["hsct"] == "effective" and found["ig_replacement"] == "not_stated"
    # an infection's complications are no harm the therapy did
    found = outcomes(nlp, "A boy with CD40L deficiency had infectious complications and chronic "
                          "neutropenia requiring treatment with G-CSF.")
    assert found["g_csf"] == "not_stated"


def test_who_is_given_a_therapy_is_not_what_it_did(nlp):
    found = outcomes(nlp, "In APDS, HSCT is an option for those who have severe complications and "
                          "poor response to other treatments.")
    assert found["hsct"] == "not_stated"
    # "persistent infections" are a finding, not a failure of the therapy
    found = outcomes(nlp, "We concluded that HSCT improved the outcomes of patients with CD40L "
                          "deficiency because persistent infections were frequent in older patients.")
    assert found["hsct"] == "effective"
    found = outcomes(nlp, "In a CD40L-deficient boy neutropenia persisted despite G-CSF.")
    assert found["g_csf"] == "ineffective"


def claims_of(nlp, text) -> set:
    doc = nlp.make_doc(text)
    doc.user_data["pmid"] = "1"
    return {(c["subject"], c["object"]) for c in nlp(doc)._.claims if c["type"] == "gene_therapy"}


@pytest.mark.parametrize("text, therapy", [
    # an effect, not a treatment
    ("PIK3CD mutations in APDS lead to immunosuppression by different mechanisms.", "immunosuppression"),
    # a tool that made a model
    ("To prove causation in IKBKB deficiency, we generated a mouse model using CRISPR/Cas9.",
     "gene_therapy"),
    ("Mouse models of IKBKB deficiency engineered by CRISPR/Cas9 help characterize syndromes.",
     "gene_therapy"),
    # cells given a drug
    ("In PIK3R1 deficiency, cell death was corrected by addition of the PI3Kδ inhibitor "
     "rapamycin.", "immunosuppression"),
])
def test_a_therapy_word_that_names_no_treatment_makes_no_claim(nlp, text, therapy):
    assert therapy not in {obj for _, obj in claims_of(nlp, text)}


def test_a_treatment_of_patients_is_still_a_claim(nlp):
    assert ("PIK3CD", "immunosuppression") in claims_of(
        nlp, "Ten patients with PIK3CD mutations were treated with rapamycin, which led to "
             "improvement of lymphoproliferation.")
    assert "gene_therapy" in {obj for _, obj in claims_of(
        nlp, "HIGM1 can be corrected by CD40L trans-splicing in CD40L-deficient mice.")}
