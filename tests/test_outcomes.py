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
    ("In CD40L deficiency, HSCT was complicated by graft-versus-host disease.", "hsct", "adverse"),
    ("Two XHIGM patients died after bone marrow transplantation.", "hsct", "adverse"),
    ("Partial immune reconstitution of X-linked hyper-IgM syndrome with recombinant CD40 ligand.",
     "recombinant_cd40l", "mixed"),
    ("Of 20 CD40L-deficient patients given HSCT, 15 were cured and five died.", "hsct", "mixed"),
    ("CD40L deficiency may respond well to prophylactic antibiotic therapy or to immunoglobulin "
     "replacement therapy.", "ig_replacement", "effective"),
    ("CD40L-deficient patients received immunoglobulin replacement.", "ig_replacement", "not_stated"),
])
def test_the_outcome_of_a_therapy(nlp, text, therapy, outcome):
    assert outcomes(nlp, text)[therapy] == outcome


def test_one_therapys_cue_is_not_anothers(nlp):
    found = outcomes(nlp, "Four CD40L-deficient patients had full immune recovery after HSCT "
                          "and discontinued IVIG replacement.")
    assert found["hsct"] == "effective" and found["ig_replacement"] == "not_stated"
    # an infection's complications are no harm the therapy did
    found = outcomes(nlp, "A boy with CD40L deficiency had infectious complications and chronic "
                          "neutropenia requiring treatment with G-CSF.")
    assert found["g_csf"] == "not_stated"
