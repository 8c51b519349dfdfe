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
    # switched B cells are the class-switched memory cells
    ("Patients had reduced switched B cells.", "HP:0030388"),
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


# -- composed over a clause (curate/nlp/immunology.py) ------------------------------------

@pytest.mark.parametrize("text, terms", [
    # a function whose cell is named in a modifier, and a verb form
    ("T cell receptor-mediated proliferation was also impaired.", {"HP:0030253"}),
    ("B lymphocytes proliferated weakly after stimulation.", {"HP:0031380"}),
    # elided head: both cells take the function
    ("The variant causes T and B cell functional defects.", {"HP:0005435", "HP:0005372"}),
    # coordinated modifiers share the cell head
    ("In contrast, naive, switched and memory B cells were reduced.",
     {"HP:0030372", "HP:0030388", "HP:0030374"}),
    ("Analysis revealed that naive T and memory B cell counts were low.",
     {"HP:0031397", "HP:0030374"}),
    # isotypes listed after a distant immunoglobulin deficiency
    ("Immunoglobulin (Ig) deficiencies are common, affecting IgG4 in 65% of patients, IgA in "
     "63%, IgG2 in 48%, IgE in 23%, and IgG in 18%.",
     {"HP:0032138", "HP:0002720", "HP:0008348", "HP:0005479", "HP:0004315"}),
    # a list's last item after a long cue stretch
    ("Patients had low concentrations of IgG, IgA, and IgM.",
     {"HP:0004315", "HP:0002720", "HP:0002850"}),
    ("T cell blasts displayed enhanced activation-induced cell death.", {"HP:0030887"}),
    ("T-cell receptor excision circles were undetectable.", {"HP:0031545"}),
    ("All patients had very low levels of antibodies to Streptococcus pneumoniae.", {"HP:0012476"}),
    ("Both presented with chronic parvovirus infection.", {"HP:0031035"}),
    ("Infections were recorded in 12 (70.6%) patients.", {"HP:0002719"}),
    ("B cells are unable to undergo immunoglobulin class-switch recombination.", {"HP:0002959"}),
    ("These accompany sinopulmonary and/or gastrointestinal infections.", {"HP:0005425", "HP:0004798"}),
    ("Anti-nuclear IgM antibodies were detected in all patients.", {"HP:0003493"}),
])
def test_a_finding_composed_over_its_clause(nlp, text, terms):
    assert terms <= ids(nlp, text)


@pytest.mark.parametrize("text", [
    "T cell proliferation was measured after stimulation with mitogens.",
    "We studied the differentiation of B cells in vitro.",
    "Apoptosis was assayed in fibroblasts.",
    "Naive and memory B cells were sorted for sequencing.",
    "The immunoglobulin genes were sequenced, including IgG4 and IgA.",
    "Infections of the mice were induced with Histoplasma.",
])
def test_a_cell_or_function_without_a_direction_is_no_finding(nlp, text):
    assert not ids(nlp, text)


def test_a_stated_normal_function_is_a_negated_claim(nlp):
    doc = nlp("ICOS deficiency in four patients. T cells from these patients were "
              "normal with regard to subset distribution, activation, cytokine production and "
              "proliferation. Their B cells were reduced.")
    claims = {c["object"]: c["negated"] for c in doc._.claims if c["type"] == "gene_phenotype"}
    assert claims.get("HP:0030253") is True
    assert claims.get("HP:0005419") is True


def test_an_impaired_function_is_an_affirmed_claim(nlp):
    doc = nlp("NFKBIA mutation in a patient. T cell receptor-mediated proliferation of the "
              "patient's cells was impaired.")
    claims = {c["object"]: c["negated"] for c in doc._.claims if c["type"] == "gene_phenotype"}
    assert claims.get("HP:0030253") is False


def test_composition_is_bounded_on_bad_input(nlp):
    import time
    lists = "Patients had " + ", ".join(["naive"] * 300) + " and memory B cells were reduced. "
    isotypes = "Ig deficiencies affecting " + ", ".join(["IgG4 in 5%"] * 300) + ". "
    no_spaces = "impairedTcellproliferation" * 3000
    deaths = ("increased lymphocyte apoptosis and cell death " * 2000)[:100_000]
    for text in (lists, isotypes, no_spaces, deaths, "immunoglobulin deficiency " * 4000):
        started = time.perf_counter()
        doc = nlp(text)
        # generous: a quadratic scan of these texts takes minutes, a linear one well under a second
        assert time.perf_counter() - started < 30
        assert not [c for c in doc._.claims if c["type"] == "gene_phenotype"]


def test_a_function_of_another_noun_or_a_stimulus_is_no_cells_finding(nlp):
    found = ids(nlp, "The loss results in an impairment of T cell function, of B cell "
                     "differentiation and of monocyte function.")
    assert {"HP:0005435", "HP:0005357"} <= found and "HP:0005372" not in found
    found = ids(nlp, "B lymphocytes proliferated weakly in response to activation via the B cell "
                     "receptor.")
    assert "HP:0031380" in found and "HP:0005384" not in found


def test_a_list_of_sites_shares_the_matched_head(nlp):
    """'abnormalities of the skin, hair, teeth, nails and eyes': every site of the list is
    'Abnormality of the X', in HPO's word for it (teeth: dentition) and number (eye, nail)."""
    found = ids(nlp, "NEMO deficiency causes abnormalities of the skin, hair, teeth, nails and eyes.")
    assert {"HP:0000951", "HP:0001595", "HP:0000164", "HP:0001597", "HP:0000478"} <= found
    found = ids(nlp, "Tumors of the pancreas, liver and biliary tree were seen.")
    assert {"HP:0002894", "HP:0002896"} <= found
