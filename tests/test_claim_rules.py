"""The claim builder's named rules: every claim names the rules that proposed it and the
words that triggered them, and the exclusion rules are the component's config."""
from __future__ import annotations

import pytest

from curate.nlp import claim_rules
from curate.nlp.pipeline import load

FAMILY = ("A boy with CD40L deficiency had neutropenia. "
          "CD40L-deficient patients had a family history of lymphoma.")


@pytest.fixture(scope="module")
def nlp():
    return load()


def _claims(nlp, text):
    doc = nlp.make_doc(text)
    doc.user_data["pmid"] = "1"
    return {(c["subject"], c["object"]): c for c in nlp(doc)._.claims}


def test_a_claim_names_its_rule_and_trigger_words(nlp):
    found = _claims(nlp, "Patients with CD40LG mutations had neutropenia.")
    claim = found[("CD40LG", "HP:0001875")]
    assert claim["rules"] == ["sentence_names_gene"]
    assert claim["rule"] == "'CD40LG' + 'neutropenia' in one sentence"
    found = _claims(nlp, "CD40L-deficient patients had neutropenia.")
    assert found[("CD40LG", "HP:0001875")]["rules"] == ["sentence_names_disease"]


def test_a_cohort_sentence_names_the_article_subject(nlp):
    found = _claims(nlp, "Clinical features of CD40 ligand deficiency. "
                         "Sclerosing cholangitis occurred in four of 20 patients.")
    claim = found[("CD40LG", "HP:0030991")]
    assert "article_subject" in claim["rules"]
    assert "'Sclerosing cholangitis'" in claim["rule"] and "CD40LG" in claim["rule"]


def test_the_disease_name_rule_quotes_the_name(nlp):
    found = _claims(nlp, "A boy with X-linked hyper-IgM syndrome.")
    claim = found[("CD40LG", "HP:0003496")]
    assert claim["rules"][0] == "disease_name_states"
    assert "'X-linked hyper-IgM" in claim["rule"]


def test_forms_of_the_hyper_igm_syndrome_named_before_are_caused_by_their_genes(nlp):
    found = _claims(nlp, "Hyper-IgM syndromes: an update\nMutations in CD40LG cause the X-linked "
                         "form, while mutations in CD40, AICDA and UNG cause autosomal recessive "
                         "forms.")
    for gene in ("CD40LG", "CD40", "AICDA", "UNG"):
        assert found[(gene, "HP:0003496")]["rules"] == ["gene_causes_hyper_igm"]
    # the X-linked form of another disease is no hyper-IgM
    other = _claims(nlp, "X-linked agammaglobulinemia is rare. Mutations in BTK cause the "
                         "X-linked form.")
    assert ("BTK", "HP:0003496") not in other


def test_a_second_rule_is_added_to_the_names(nlp):
    found = _claims(nlp, "A boy with X-linked hyper-IgM syndrome. "
                         "Hyper-IgM syndrome is caused by CD40LG mutations.")
    claim = found[("CD40LG", "HP:0003496")]
    assert set(claim["rules"]) == {"disease_name_states", "gene_causes_hyper_igm"}


def test_exclusion_rules_come_from_the_component_config(nlp):
    assert ("CD40LG", "HP:0002665") not in _claims(nlp, FAMILY)  # a relative's lymphoma
    without = [n for n in claim_rules.DEFAULT_EXCLUSIONS if n != "family_history"]
    component = nlp.get_pipe("higm_claims")
    saved = component.exclusions
    component.exclusions = without
    try:
        assert ("CD40LG", "HP:0002665") in _claims(nlp, FAMILY)
    finally:
        component.exclusions = saved
    assert nlp.config["components"]["higm_claims"]["exclusions"] == claim_rules.DEFAULT_EXCLUSIONS


def test_an_unknown_exclusion_rule_is_refused():
    import spacy
    import curate.nlp.claims  # noqa: F401  (registers the factory)
    blank = spacy.blank("en")
    with pytest.raises(ValueError, match="unknown exclusion rules.*no_such_rule"):
        blank.add_pipe("higm_claims", config={"exclusions": ["family_history", "no_such_rule"]})


def test_every_exclusion_rule_has_words_for_a_curator():
    for rule in claim_rules.EXCLUSIONS.values():
        assert len(rule.words) > 15 and rule.name.isidentifier()
