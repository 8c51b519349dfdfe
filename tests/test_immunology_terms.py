"""Immunology findings composed from HPO's own names: a cell population with a direction
and a measure, written as immunologists write them (CD markers, γδ, "T lymphocytes"),
functions of cells ("impairment of T cell function"), IgG subclasses."""
from __future__ import annotations

import pytest

from curate.nlp.pipeline import load
from curate.nlp.vocab import cell_spellings


@pytest.fixture(scope="module")
def nlp():
    return load()


def ids(nlp, text) -> set[str]:
    return {e.kb_id_ for e in nlp(text).ents if e.label_ == "PHENOTYPE"}


@pytest.mark.parametrize("text, term", [
    ("Three patients had IgG2 deficiency.", "HP:0008348"),
    ("Serum IgG4 was low in five.", "HP:0032138"),
    ("CD4 T lymphocytes were reduced in 69%.", "HP:0005407"),
    ("There was an expansion of γδ T cells.", "HP:0500270"),
    ("There was an expansion of gamma delta T cells.", "HP:0500270"),
    ("Regulatory T cells were decreased.", "HP:0020113"),
    ("Naive CD4+ T cells were low.", "HP:0410378"),
    ("The patients had reduced numbers of transitional B cells.", "HP:0030380"),
    ("IgM-only memory B cells were increased.", "HP:0032125"),
    ("Memory B cell counts were low.", "HP:0030374"),
    ("B cell differentiation was defective.", "HP:0005357"),
    ("T cell proliferation was impaired.", "HP:0030253"),
    ("Two boys died of fatal infectious mononucleosis.", "HP:0031693"),
])
def test_a_composed_immunology_finding(nlp, text, term):
    assert term in ids(nlp, text)


def test_a_cue_reaches_every_function_of_a_list(nlp):
    found = ids(nlp, "The loss results in an impairment of T cell function and of B cell "
                     "differentiation.")
    assert {"HP:0005435", "HP:0005357"} <= found


@pytest.mark.parametrize("text", [
    "T cells were normal.",
    "CD4 T lymphocytes were studied by flow cytometry.",
    "We measured T cell function in vitro.",
    "B cell differentiation requires CD40 signalling.",
])
def test_a_population_without_a_direction_is_no_finding(nlp, text):
    assert not ids(nlp, text)


def test_cell_spellings_go_both_ways_and_compose():
    forms = cell_spellings("cd4-positive helper t cells")
    assert {"cd4+ t cells", "cd4 t cells", "cd4 t lymphocytes"} <= set(forms)
    assert "gamma delta t cells" in cell_spellings("gamma-delta t cells")
    assert "gamma-delta t cells" in cell_spellings("γδ t cells")
    assert cell_spellings("neutrophils") == ["neutrophils"]
