"""The context test and subject attribution (docs/claims.md), on short texts through the
real pipeline, and the plain functions behind them."""
from __future__ import annotations

import pytest

from curate.nlp import context
from curate.records import Claim
from curate.nlp.pipeline import load


@pytest.fixture(scope="module")
def nlp():
    return load()


def claims_of(nlp, text):
    doc = nlp.make_doc(text)
    doc.user_data["pmid"] = "1"
    return {(c["type"], c["subject"], c["object"]): Claim(**c) for c in nlp(doc)._.claims}


def test_expression_in_a_tumour_makes_no_claim(nlp):
    found = claims_of(nlp, "AID is expressed in follicular lymphoma and diffuse large B-cell "
                           "lymphoma. AID expression correlated with leukemia progression.")
    assert not [k for k in found if k[1] == "AICDA"]


def test_agonists_and_engineered_cells_make_no_claim(nlp):
    found = claims_of(nlp, "CD40 agonist antibodies were given to patients with melanoma; "
                           "grade 3 hepatitis and cytokine release syndrome occurred. CAR T cells "
                           "armed with CD40L eradicated lymphoma in mice.")
    assert not [k for k in found if k[1] in ("CD40", "CD40LG")]


def test_a_deficient_gene_still_makes_its_claims(nlp):
    found = claims_of(nlp, "CD40L-deficient patients had neutropenia and Pneumocystis "
                           "jirovecii pneumonia.")
    assert ("gene_phenotype", "CD40LG", "HP:0001875") in found


def test_a_pathway_sentence_goes_to_the_deficient_partner(nlp):
    found = claims_of(nlp, "CD40L-deficient mice were studied. The CD40-CD40L interaction is "
                           "required for resolution of Pneumocystis pneumonia.")
    assert ("gene_phenotype", "CD40", "HP:0020102") not in found


def test_therapy_complications_and_subgroups_are_not_claims(nlp):
    found = claims_of(nlp, "Ten patients with X-linked hyper-IgM received HSCT. Graft-versus-host "
                           "disease developed after HSCT in three. Survival was 72% in those "
                           "without liver disease.")
    objects = {k[2] for k in found if k[0] == "gene_phenotype"}
    assert "HP:0001415" not in objects  # no liver disease claim, negated or not
    assert not any(c.negated for k, c in found.items() if k[0] == "gene_phenotype"
                   and k[2] not in ("HP:0003496",))
    assert ("gene_therapy", "CD40LG", "hsct") in found


def test_a_phenotype_the_therapy_caused_is_not_the_genes(nlp):
    found = claims_of(nlp, "Gene therapy for X-linked hyper-IgM syndrome\nCD40L gene transfer "
                           "into Cd40lg-/- mice corrected the antibody deficiency but caused "
                           "lymphoproliferative disease in the thymus.")
    assert ("gene_therapy", "CD40LG", "gene_therapy") in found
    assert ("gene_phenotype", "CD40LG", "HP:0005523") not in found  # lymphoproliferation
    # the defect the therapy corrected is the gene's
    assert ("gene_phenotype", "CD40LG", "HP:0004313") in found


def test_a_subgroup_does_not_negate_what_follows_it(nlp):
    found = claims_of(nlp, "Liver disease in CD40L deficiency\nSurvival was 72% in those "
                           "without hepatic disease, and sclerosing cholangitis occurred in 20%.")
    cholangitis = found[("gene_phenotype", "CD40LG", "HP:0030991")]
    assert not cholangitis.negated


def test_a_multi_gene_disease_review_gives_features_to_the_disease_key(nlp):
    found = claims_of(nlp, "Activated PI3K-delta syndrome: a review\nAPDS is caused by mutations "
                           "in PIK3CD or PIK3R1. Patients present with lymphadenopathy and "
                           "recurrent respiratory infections.")
    subjects = {k[1] for k in found if k[2] == "HP:0002716"}
    assert subjects == {"APDS"}


def test_the_plain_functions():
    sentence = "AID is expressed in lymphoma cells."
    assert context.gene_is_deficient(sentence, 0, 3) is False
    assert context.gene_is_deficient("AID-deficient patients had infections.", 0, 3) is True
    assert context.in_pathway_phrase("the CD40-CD40L interaction", 4, 8)
    assert not context.in_pathway_phrase("CD40 deficiency was found", 0, 4)
    assert context.subgroup_without("72% of those without liver disease", 27)
    assert context.caused_by_therapy("GvHD developed after HSCT", [21])
    assert not context.caused_by_therapy("Six patients received HSCT", [22])
    assert context.therapy_causes("HSCT was complicated by GvHD", [4], 24)
    assert not context.therapy_causes("HSCT caused remission and corrected the GvHD", [4], 40)


def test_a_general_hyper_igm_article_gives_its_features_to_higm(nlp):
    found = claims_of(nlp, "An update for clinicians\nHyper-IgM syndrome is most often caused by "
                           "CD40L mutations; CD40L deficiency accounts for most cases of hyper-IgM "
                           "syndrome, AID deficiency for others. In hyper-IgM syndrome, recurrent "
                           "infections are common. Most patients present with neutropenia.")
    subjects = {k[1] for k in found if k[2] == "HP:0001875"}
    assert subjects == {"HIGM"}


def test_a_review_of_several_genes_names_none_as_its_topic(nlp):
    # five genes stated as causes, two of them named again: the review's findings are no
    # claim of those two (its definition sentence still names each gene)
    review = ("Class-switch defects: an update\nDepending on the molecular defect, the disease "
              "can be caused by mutations in CD40L, CD40, AID, UNG or PMS2. Patients present "
              "with recurrent bacterial infections and autoimmunity. Opportunistic infections "
              "occur in CD40L and CD40 deficiencies.")
    found = claims_of(nlp, review)
    assert not [k for k in found if k[2] == "HP:0002960"]  # autoimmunity: nobody's
    # one gene named more than the others is still the topic
    cohort = review.replace("Patients present", "CD40L-deficient patients were studied. Patients present")
    assert ("gene_phenotype", "CD40LG", "HP:0002960") in claims_of(nlp, cohort)


def test_a_gene_the_patient_was_found_not_to_carry_is_not_the_topic(nlp):
    text = ("Hyper-IgM syndrome with normal CD40L expression\nMost cases of hyper-IgM syndrome "
            "are caused by CD40L mutations. We describe a boy with hyper-IgM syndrome, normal "
            "CD40L expression and no mutation in CD40LG, CD40, AICDA or UNG. He had recurrent "
            "pneumonia and neutropenia.")
    found = claims_of(nlp, text)
    assert {k[1] for k in found if k[2] == "HP:0001875"} == {"HIGM"}
    # the background statement still names CD40L as a cause of hyper-IgM
    assert ("gene_phenotype", "CD40LG", "HP:0003496") in found


def test_the_hyper_igm_of_a_one_gene_abstract_is_that_genes(nlp):
    text = ("Hyper-IgM syndrome in a 5-year-old girl\nA girl with hyper-IgM syndrome presented "
            "with recurrent otitis media. Sequencing revealed a homozygous mutation in the gene "
            "encoding activation-induced cytidine deaminase.")
    found = claims_of(nlp, text)
    assert found[("gene_phenotype", "AICDA", "HP:0003496")].rules == ["patients_hyper_igm"]
    # a second hyper-IgM gene named: whose syndrome it is, the abstract does not say
    two = text.replace("Sequencing", "CD40L deficiency causes most cases of hyper-IgM. Sequencing")
    assert ("gene_phenotype", "AICDA", "HP:0003496") not in claims_of(nlp, two)
    # nor when the patient is said not to have it
    denied = text.replace("A girl with hyper-IgM syndrome presented", "A girl without hyper-IgM "
                          "syndrome presented").replace("Hyper-IgM syndrome in a", "Otitis in a")
    assert ("gene_phenotype", "AICDA", "HP:0003496") not in claims_of(nlp, denied)


def test_a_gene_named_in_passing_is_not_the_articles_subject(nlp):
    # cohort sentences go to what the abstract is about; ATM here is one candidate gene
    passing = claims_of(nlp, "Genomic profiling in mantle cell lymphoma\nCandidate genes included "
                             "ATM and CCND1. Most patients had splenomegaly and lymphoma.")
    assert not [k for k in passing if k[1] == "ATM"]
    # the same gene stated as mutated makes it the subject of the cohort sentence
    stated = claims_of(nlp, "A cohort study\nMutations in ATM were found in 12 children. Most "
                            "patients had splenomegaly and lymphoma.")
    assert ("gene_phenotype", "ATM", "HP:0001744") in stated


def test_a_sentence_about_another_genes_deficiency_is_not_the_subjects(nlp):
    found = claims_of(nlp, "AID initiates class switch recombination\nAID deaminates cytosines "
                           "in switch regions. DNA-PKcs-deficient mice are impaired for class "
                           "switch recombination and develop lymphoma.")
    assert not [k for k in found if k[0] == "gene_phenotype"]


def test_family_history_differential_diagnosis_and_open_questions_make_no_claim(nlp):
    found = claims_of(nlp, "X-linked hyper-IgM syndrome in 20 boys\nClues to the diagnosis of "
                           "X-linked hyper-IgM were a family history of immunodeficiency. "
                           "Larger studies are needed to determine whether CD40L mutations are "
                           "associated with lymphoma. CD40L-deficient boys had neutropenia.")
    objects = {k[2] for k in found if k[0] == "gene_phenotype"}
    assert "HP:0002721" not in objects and "HP:0002665" not in objects
    assert "HP:0001875" in objects  # the stated finding stays


def test_diseases_listed_beside_the_subject_are_not_its_features(nlp):
    found = claims_of(nlp, "A review of class switching\nWe discuss several diseases, including "
                           "hyper-IgM syndrome, multiple myeloma, and Burkitt lymphoma. Hyper-IgM "
                           "syndrome is characterized by recurrent infections.")
    objects = {k[2] for k in found if k[1] == "HIGM"}
    assert "HP:0006775" not in objects and "HP:0030080" not in objects  # myeloma, Burkitt
    assert "HP:0002719" in objects  # a feature the disease is characterized by


def test_the_premise_of_the_database_is_a_claim_only_when_listed(nlp):
    # every subject here has an immune abnormality: said alone it is no finding of the gene
    alone = claims_of(nlp, "CD40L deficiency\nThe patients were clinically heterogeneous, "
                           "with variable immune defects, ranging from negligible to severe.")
    assert ("gene_phenotype", "CD40LG", "HP:0002715") not in alone
    # listed with other findings it is one of them (CLAIMS.md: broad ones included)
    listed = claims_of(nlp, "NEMO deficiency\nPatients had skin abnormalities, immune defects, "
                            "and dental anomalies.")
    assert {("gene_phenotype", "IKBKG", h) for h in ("HP:0000951", "HP:0002715", "HP:0000164")} \
        <= set(listed)


def test_a_disease_listed_by_the_end_of_its_name_is_a_peer_not_a_feature(nlp):
    # "selective IgA deficiency" and "hyper-IgE syndrome" are found as "IgA deficiency" and
    # "IgE": the words before them are still part of their list item
    found = claims_of(nlp, "Class switching\nWe choose several diseases, including hyper-IgM "
                           "syndrome, Waldenstrom macroglobulinemia, selective IgA deficiency, "
                           "hyper-IgE syndrome, and Burkitt lymphoma.")
    objects = {k[2] for k in found if k[1] == "HIGM"}
    assert not objects & {"HP:0002720", "HP:0003212", "HP:0030080"}


def test_genes_named_as_causes_by_their_full_names(nlp):
    found = claims_of(nlp, "Hyper-IgM syndromes\nAutosomal recessive forms of hyper IgM are "
                           "caused by defects in CD40 or downstream signaling molecules "
                           "including activation-induced cytidine deaminase, uracil N "
                           "glycosylase or postmeiotic segregation 2.")
    assert {("gene_phenotype", g, "HP:0003496") for g in ("CD40", "AICDA", "UNG", "PMS2")} \
        <= set(found)


def test_genes_named_as_examples_of_their_function_are_not_subjects(nlp):
    # CLAIMS.md, background genes: nothing is stated deficient
    found = claims_of(nlp, "PMS2 deficiency\nAnalysis of CSR deficiencies has revealed the "
                           "functions of CSR-triggering molecules, i.e., CD40L, CD40, and "
                           "effector molecules such as activation-induced cytidine deaminase "
                           "and uracil N-glycosylase.")
    assert not {k[1] for k in found} & {"CD40LG", "CD40", "AICDA", "UNG"}


def test_a_genes_own_name_is_no_cue_about_it():
    # "activation-induced" in AID's name is not "CD40L-induced" (the protein at work)
    text = "Patients carried variants of activation-induced cytidine deaminase and had HIGM."
    start = text.index("activation")
    assert context.gene_is_deficient(text, start, start + 37) is True
    text = "B cells stimulated with CD40L-induced AID expression."
    assert context.gene_is_deficient(text, text.index("CD40L"), text.index("CD40L") + 5) is False


def test_what_clinicians_are_told_to_look_for_is_no_finding(nlp):
    found = claims_of(nlp, "Ataxia-telangiectasia cohort\nIf infections recur later in life, "
                           "other factors (e.g. cough, underlying lung disease) should be "
                           "investigated aggressively in A-T patients.")
    assert not {k[2] for k in found} & {"HP:0012735", "HP:0002088"}
    # "should be considered in <disease>" ties the finding to the disease: it stays
    kept = claims_of(nlp, "NEMO deficiency\nGlomerulonephritis should be considered in NEMO "
                          "deficiency.")
    assert ("gene_phenotype", "IKBKG", "HP:0000099") in kept


def test_a_class_definition_passes_only_to_a_member(nlp):
    definition = ("Ig class-switch recombination (Ig-CSR) deficiencies are rare primary "
                  "immunodeficiencies characterized by defective switched isotype (IgG/IgA/IgE) "
                  "production. ")
    found = claims_of(nlp, "MSH6 variants in a cohort\n" + definition +
                      "We sequenced MSH6 in 40 patients and found variants in three.")
    assert not {k for k in found if k[1] == "MSH6" and k[0] == "gene_phenotype"}
    # the abstract calls its patients members of the class: its definition is theirs
    member = claims_of(nlp, "PMS2 deficiency\n" + definition + "We report a new form of CSR "
                            "deficiency in three patients with homozygous PMS2 mutations.")
    assert ("gene_phenotype", "PMS2", "HP:0002721") in member
    # a finding of the class's patients is no definition
    assert context.defined_class("Immunoglobulin (Ig) deficiencies are common, "
                                 "affecting IgG4 in 65% of patients.") is None
    assert context.defined_class("Primary immunodeficiencies (PIDs) are inherited disorders "
                                 "characterized by recurrent infections.") == "immunodeficiencies"


def test_a_finding_said_to_be_uncommon_without_a_count_is_no_claim(nlp):
    found = claims_of(nlp, "Ataxia-telangiectasia\nIn 100 patients with A-T, opportunistic "
                           "infections are uncommon.")
    assert ("gene_phenotype", "ATM", "HP:0031690") not in found
    counted = claims_of(nlp, "Ataxia-telangiectasia\nIn 100 patients with A-T, opportunistic "
                             "infections were uncommon (3 patients).")
    assert ("gene_phenotype", "ATM", "HP:0031690") in counted


def test_findings_before_a_therapy_and_not_cured_by_it_are_the_patients(nlp):
    found = claims_of(nlp, "HSCT in NEMO deficiency\nWe report 29 patients with IKBKG mutations "
                           "who received HSCT. Preexisting mycobacterial infection and colitis "
                           "were associated with poor HSCT outcome. Transplantation did not "
                           "appear to cure colitis.")
    assert ("gene_phenotype", "IKBKG", "HP:0011274") in found
    assert not found[("gene_phenotype", "IKBKG", "HP:0002583")].negated
    # a finding the therapy is said to have caused still is not the gene's
    caused = claims_of(nlp, "HSCT in NEMO deficiency\nWe report 29 patients with IKBKG "
                            "mutations. Autoimmune hemolytic anemia developed after HSCT in 3.")
    assert ("gene_phenotype", "IKBKG", "HP:0001890") not in caused


def test_a_denied_cause_does_not_negate_the_finding(nlp):
    found = claims_of(nlp, "ICOS deficiency\nNo genetic defect is known to cause common variable "
                           "immunodeficiency, a disorder leading to panhypogammaglobulinemia. "
                           "Four patients lacked ICOS.")
    assert not found[("gene_phenotype", "ICOS", "HP:0003139")].negated
    text = "No mutations were found, and no infections occurred."
    # the nearest negation is the finding's own
    assert context.negation_of_a_cause(text, text.index("infections")) is False
    assert context.negation_of_a_cause(text, text.index("found")) is True


def test_patients_grouped_among_a_class_of_diseases_state_nothing(nlp):
    # CLAIMS.md: grouping patients among "patients with PIDs" is no immunodeficiency by name
    found = claims_of(nlp, "Cryptosporidium infection in patients with primary "
                           "immunodeficiencies\nCryptosporidiosis was found in three patients "
                           "with CD40L deficiency and in patients with primary "
                           "immunodeficiencies (PIDs).")
    assert ("gene_phenotype", "CD40LG", "HP:0002721") not in found
    # one disease named is still a statement of the patients' disease
    named = claims_of(nlp, "TACI in CVID\nWe found TNFRSF13B mutations in patients with common "
                           "variable immunodeficiency.")
    assert ("gene_phenotype", "TNFRSF13B", "HP:0002721") in named


def test_a_denial_with_an_exception_is_no_negated_claim(nlp):
    found = claims_of(nlp, "IkBalpha deficiency\nThe boy with an NFKBIA mutation did not suffer "
                           "from serious infections with the exception of a relapsing Salmonella "
                           "infection.")
    assert ("gene_phenotype", "NFKBIA", "HP:0032169") not in found
    plain = claims_of(nlp, "IkBalpha deficiency\nThe boy with an NFKBIA mutation did not suffer "
                           "from serious infections.")
    assert plain[("gene_phenotype", "NFKBIA", "HP:0032169")].negated


def test_the_list_and_deficiency_helpers():
    assert context.another_gene_deficient("Artemis-deficient B cells undergo CSR normally.")
    assert context.another_gene_deficient("Patients with mutations in CARD11 had eczema.")
    assert not context.another_gene_deficient("IgA-deficient relatives had infections.")
    assert not context.another_gene_deficient("It shows as defects in T cell proliferation.")
    text = "hyper-IgM syndrome is characterized by recurrent infections, neutropenia"
    assert not context.listed_beside(text, 18, text.index("neutropenia"), len(text), [])
    two = "In CD40 deficiency, neutropenia was absent."
    assert not context.listed_beside(two, 18, 20, 31, [])
    three = "including HIGM, HIES, and Burkitt lymphoma"
    assert context.listed_beside(three, 14, three.index("Burkitt"), len(three), [])
    partial = "including HIGM, HIES, and selective IgA deficiency"
    assert context.listed_beside(partial, 14, partial.index("IgA"), len(partial), [])
    # more than one word of an item before the finding is a clause, not a list item
    clause = "including HIGM, HIES, and patients with IgA deficiency"
    assert not context.listed_beside(clause, 14, clause.index("IgA"), len(clause), [])


def test_what_the_narrow_rules_leave_alone(nlp):
    # a cause left open still states the finding
    open_cause = claims_of(nlp, "The cause of neutropenia in X-linked hyper-IgM remains unclear.")
    assert ("gene_phenotype", "CD40LG", "HP:0001875") in open_cause
    # a therapy that reduced a finding did not cause it
    reduced = claims_of(nlp, "In CD40L deficiency, IVIG resulted in fewer respiratory infections.")
    assert ("gene_phenotype", "CD40LG", "HP:0002205") in reduced or \
        ("gene_phenotype", "CD40LG", "HP:0011947") in reduced
    # the disease named after "misdiagnosed as" is not the patients'
    wrong = claims_of(nlp, "Ataxia telangiectasia with class switching defects\nThese patients had "
                           "recurrent infections and were misdiagnosed as hyper-IgM syndrome.")
    assert not [k for k in wrong if k[1] == "HIGM"]
    assert not context.another_gene_deficient("Deficiency of CD4+ T cells was common.")
    assert not context.another_gene_deficient("They had defects in CSR and in DNA repair.")


def test_a_gene_altered_in_tumour_tissue_is_not_deficient_in_the_patient(nlp):
    found = claims_of(nlp, "Tumour genomics\nEight genes, including ATM, contained mutations in "
                           ">20% of the carcinomas. Isolated PMS2 loss was present in the colon "
                           "cancer.")
    assert not [k for k in found if k[1] in ("ATM", "PMS2")]
    # somatic hypermutation is not a tumour context
    assert context.gene_is_deficient(
        "AID deficiencies are associated with hyper-IgM in humans, with no somatic "
        "hypermutation.", 0, 3) is True


def test_gene_names_that_contain_a_disease_name(nlp):
    found = claims_of(nlp, "Western blot analysed ataxia telangiectasia mutated (ATM) kinase and "
                           "ataxia telangiectasia and Rad3-related protein (ATR).")
    assert not [k for k in found if k[2] in ("HP:0001251", "HP:0001009")]  # ataxia, telangiectasia


def test_where_a_protein_is_expressed_is_not_a_finding(nlp):
    # AID is the subject (deficient in the mice), but the lymphomas are where it is expressed
    found = claims_of(nlp, "AID in B-cell malignancies\nAID-deficient mice lack class switching. "
                           "AID is expressed in 70% of diffuse large B-cell lymphomas and in "
                           "chronic lymphocytic leukemia.")
    assert ("gene_phenotype", "AICDA", "HP:0002959") in found
    assert not {k[2] for k in found} & {"HP:0012191", "HP:0005550"}  # B-cell lymphoma, CLL
    # found in patients with a finding still states it
    assert not context.expressed_in("CD40L was found in patients with neutropenia", 35)


def test_contrasted_clauses_keep_their_own_subjects(nlp):
    found = claims_of(nlp, "CD40L and CD40 deficiencies cause opportunistic infections, whereas "
                           "AID and UNG deficiencies cause lymphoid hyperplasia.")
    pairs = {(k[1], k[2]) for k in found}
    assert pairs == {("CD40LG", "HP:0031690"), ("CD40", "HP:0031690"),
                     ("AICDA", "HP:0034839"), ("UNG", "HP:0034839")}
    found = claims_of(nlp, "Unlike CD40L deficiency, AID deficiency is not associated with "
                           "opportunistic infections.")
    assert ("gene_phenotype", "AICDA", "HP:0031690") in found
    assert found[("gene_phenotype", "AICDA", "HP:0031690")].negated
    assert ("gene_phenotype", "CD40LG", "HP:0031690") not in found


def test_a_comparison_with_a_count_on_both_sides_gives_the_finding_to_both(nlp):
    found = claims_of(nlp, "Bronchiectasis was observed in 24/40 APDS1 patients who received a "
                           "CT-scan compared with 4/15 APDS2 patients.")
    assert {k[1] for k in found if k[2] == "HP:0002110"} == {"PIK3CD", "PIK3R1"}
    # none on the other side, or no count, is still a contrast
    for other in ("compared with 0/15 APDS2 patients.", "but not in APDS2 patients."):
        found = claims_of(nlp, f"Bronchiectasis was observed in 24/40 APDS1 patients {other}")
        assert {k[1] for k in found if k[2] == "HP:0002110"} == {"PIK3CD"}


def test_contrast_clauses_split_at_contrast_markers():
    text = "Unlike X, Y had A; Z had B, whereas W had C."
    assert [text[a:b] for a, b in context.contrast_clauses(text)] == [
        "Unlike X", "Y had A", "Z had B", "W had C."]
    assert context.contrast_clauses("One clause only.") == [(0, 16)]


def test_a_title_with_a_general_disease_and_one_of_its_genes_is_about_the_gene(nlp):
    found = claims_of(nlp, "Activated PI3K-delta syndrome caused by PIK3CD gain-of-function "
                           "mutations.\nRecurrent respiratory infections and bronchiectasis were "
                           "universal.")
    subjects = {k[1] for k in found}
    assert subjects == {"PIK3CD"}


def test_the_condition_a_model_stands_for_and_what_an_experimental_treatment_lessened(nlp):
    found = claims_of(nlp, "CD40 ligand blockade in a mouse model of lupus nephritis.\nMice were "
                           "treated with anti-CD40L antibody. Treated mice showed reduced "
                           "proteinuria and prolonged survival.")
    assert not found
    # a named therapy treated the patients' own finding: the finding stays
    found = claims_of(nlp, "Patients with APDS1 carry PIK3CD mutations. Treatment with rapamycin "
                           "reduced lymphoproliferation.")
    assert ("gene_phenotype", "PIK3CD", "HP:0005523") in found


def test_findings_named_normal_and_listed_with_counts(nlp):
    found = claims_of(nlp, "NFKBIA gain-of-function mutations cause autosomal dominant "
                           "ectodermal dysplasia with immunodeficiency. She had sparse hair but "
                           "normal sweating.")
    assert {k[1] for k in found} == {"NFKBIA"}
    assert ("gene_phenotype", "NFKBIA", "HP:0000975") not in found
    # "we found X in 13, Y in 6": Y is no place where something was found
    found = claims_of(nlp, "ICOS deficiency.\nWe found recurrent respiratory infections in 13, "
                           "chronic diarrhoea in 6, and autoimmunity in 7.")
    assert {("gene_phenotype", "ICOS", "HP:0002028"), ("gene_phenotype", "ICOS", "HP:0002960")} <= set(found)


def test_a_catalogue_of_subtypes_and_a_name_that_states_no_igm(nlp):
    found = claims_of(nlp, "Molecular defects have been identified in CD40 ligand in HIGM1, AID "
                           "in HIGM2, CD40 in HIGM3 and UNG in HIGM5. CD40L deficiency is the "
                           "most common form.")
    assert not [k for k in found if k[2] == "HP:0003496"]
    # a name that says hyper-IgM still states it
    found = claims_of(nlp, "Two boys had X-linked hyper-IgM syndrome.")
    assert ("gene_phenotype", "CD40LG", "HP:0003496") in found


def test_a_drug_target_in_the_title_is_no_subject(nlp):
    found = claims_of(nlp, "Bruton tyrosine kinase inhibition with ibrutinib in chronic "
                           "lymphocytic leukemia.\nIbrutinib, an irreversible inhibitor of BTK, was "
                           "given to 85 patients. Adverse events included diarrhea and fatigue.")
    assert not found


def test_cues_joined_to_other_names(nlp):
    # "double-deficient" names no other gene; "Ung-deficient" is no quantity cue for GC
    found = claims_of(nlp, "Germinal centre formation in Ung-deficient and Msh2-deficient mice.\n"
                           "Class switch recombination was almost abolished in double-deficient "
                           "B cells.")
    assert {("gene_phenotype", "UNG", "HP:0002959"), ("gene_phenotype", "MSH2", "HP:0002959")} <= set(found)
    assert not [k for k in found if k[2] == "HP:0002849"]
    # the protein stimulated is at work, and "AID-deficient" is AID's cue, not CD40's
    found = claims_of(nlp, "CD40 signaling in B cells from AID-deficient patients.\nCD40 "
                           "stimulation induced normal proliferation, but class switch "
                           "recombination to IgG and IgE did not occur.")
    assert set(found) == {("gene_phenotype", "AICDA", "HP:0002959")}


def test_a_gene_named_as_required_for_a_finding(nlp):
    found = claims_of(nlp, "AID is required for class switch recombination. Germinal centers "
                           "depend on CD40 but not on CD154.")
    assert set(found) == {("gene_phenotype", "AICDA", "HP:0002959"),
                          ("gene_phenotype", "CD40", "HP:0002849")}
    # a requirement of something else, or a gene further off, makes no claim
    assert not claims_of(nlp, "Class switching requires T cell help, which operates through CD40.")


@pytest.mark.parametrize("text, claim", [
    ("AID is essential for class switch recombination.", ("AICDA", "HP:0002959")),
    ("AID is critically required for class switch recombination.", ("AICDA", "HP:0002959")),
    ("CD40L is essential for germinal center formation.", ("CD40LG", "HP:0002849")),
])
def test_a_requirement_after_a_copula(nlp, text, claim):
    assert set(claims_of(nlp, text)) == {("gene_phenotype", *claim)}


def test_a_requirement_denied_is_no_claim(nlp):
    assert not claims_of(nlp, "AID is not required for class switch recombination.")


def test_what_treated_animals_developed_is_the_treatments(nlp):
    found = claims_of(nlp, "CD40L-deficient mice received CD40L gene transfer. Sixty percent of "
                           "treated mice developed a lymphoproliferative disorder.")
    assert not [k for k in found if k[2] == "HP:0005523"]


def test_a_common_polymorphism_is_no_deficiency(nlp):
    found = claims_of(nlp, "PIK3R1 gene Met326Ile polymorphism in women with polycystic ovary "
                           "syndrome.\nThe polymorphism was genotyped in 200 women.")
    assert not found


def test_a_gene_deficiency_name_states_no_phenotype_and_subpopulations_are_not_counts(nlp):
    found = claims_of(nlp, "Impaired dendritic cell function in NEMO-deficient patients.\n"
                           "Patients had mycobacterial infections.")
    assert set(found) == {("gene_phenotype", "IKBKG", "HP:0011274")}
    found = claims_of(nlp, "In CD40L-deficient patients regulatory T cells were decreased.")
    assert ("gene_phenotype", "CD40LG", "HP:0005403") not in found


def test_a_gene_beside_hyper_igm_is_no_cause_of_it(nlp):
    assert not claims_of(nlp, "The crystal structure of CD40L and its relevance to the hyper-IgM "
                              "syndrome.")
    found = claims_of(nlp, "Mutations in CD40L cause the hyper-IgM syndrome.")
    assert ("gene_phenotype", "CD40LG", "HP:0003496") in found


def test_the_articles_gene_as_a_drug_target_makes_no_cohort_claim(nlp):
    found = claims_of(nlp, "Ataxia-telangiectasia is caused by biallelic mutations in ATM. "
                           "ATM kinase inhibitors are being tested in solid tumors.")
    assert ("gene_phenotype", "ATM", "HP:0002664") not in found
    # the same sentence about the patients still is a cohort sentence
    found = claims_of(nlp, "Ataxia-telangiectasia is caused by biallelic mutations in ATM. "
                           "Four patients developed solid tumors.")
    assert ("gene_phenotype", "ATM", "HP:0002664") in found


def test_transcripts_measured_in_a_leukaemia_are_expression(nlp):
    found = claims_of(nlp, "We measured AICDA transcripts in 150 patients with chronic "
                           "lymphocytic leukemia.")
    assert not [k for k in found if k[1] == "AICDA"]


def test_a_gene_named_deficient_once_but_mostly_as_a_drug_target_is_no_topic(nlp):
    text = ("Myc confers resistance to Btk inhibition. MYC drives B-cell non-Hodgkin lymphoma. "
            "Myc-overexpressing B cells kept signaling despite a Bruton's tyrosine kinase "
            "inhibitor. Experiments with Btk-null B cells revealed off-target effects.")
    assert not [k for k in claims_of(nlp, text) if k[1] == "BTK"]
    # named deficient more often than not, it stays the abstract's topic
    text = ("Btk-deficient mice. Btk-null mice lacked B1 cells. Btk inhibitors were not used. "
            "Serum IgM was low.")
    assert ("gene_phenotype", "BTK", "HP:0002850") in claims_of(nlp, text)


def test_tumour_words_after_a_list_of_genes(nlp):
    found = claims_of(nlp, "Eight of the genes, APC, TP53, ATM, CSMD3, LRP1B, RYR2, BIRC6, and "
                           "MUC17, contained mutations in >20% of the carcinomas.")
    assert not [k for k in found if k[1] == "ATM"]


def test_a_finding_before_another_predicate_is_not_the_therapys(nlp):
    found = claims_of(nlp, "NEMO deficiency. The proband had severe colitis and failure to "
                           "thrive and died after HSCT.")
    assert {("gene_phenotype", "IKBKG", "HP:0002583"), ("gene_phenotype", "IKBKG", "HP:0001508")} <= set(found)
    found = claims_of(nlp, "NEMO deficiency. Lymphoproliferation and autoimmunity developed "
                           "after HSCT.")
    assert not [k for k in found if k[2] in ("HP:0005523", "HP:0002960")]


def test_a_sentence_about_wild_type_animals_is_no_cohort_sentence(nlp):
    text = ("CD40L-/- mice developed chronic diarrhea. Interferon-gamma neutralization in "
            "wild-type mice also produced chronic infection.")
    found = claims_of(nlp, text)
    assert ("gene_phenotype", "CD40LG", "HP:0031035") not in found
    text = ("Ung-/- mice were followed. They developed lymphoid hyperplasia at a rate fivefold "
            "higher than wild-type littermates.")
    assert ("gene_phenotype", "UNG", "HP:0034839") in claims_of(nlp, text)


def test_an_agonistic_antibody_is_no_blockade_and_no_antibody_level(nlp):
    found = claims_of(nlp, "CD40L-/- mice. Treatment with an agonistic anti-CD40 antibody "
                           "reduced parasite burden.")
    assert not [k for k in found if k[1] == "CD40" or k[2] == "HP:0004313"]


def test_found_in_a_share_of_patients_is_no_place_of_expression(nlp):
    found = claims_of(nlp, "Ataxia-telangiectasia. IgA deficiency was found in 52%, IgG2 "
                           "deficiency in 48% and IgE deficiency in 70%. A hyper-IgM phenotype "
                           "was found in 13% and was associated with more frequent pneumonia.")
    assert {("gene_phenotype", "ATM", "HP:0005479"), ("gene_phenotype", "ATM", "HP:0002090")} <= set(found)


def test_a_general_disease_title_over_an_abstract_about_one_of_its_genes(nlp):
    found = claims_of(nlp, "Rituximab for autoimmune cytopenias in APDS.\nTwo brothers with "
                           "activated PI3K-delta syndrome 1 due to a PIK3CD variant developed "
                           "autoimmune hemolytic anemia. Both had massive splenomegaly.")
    assert ("gene_phenotype", "PIK3CD", "HP:0001744") in found
    assert ("gene_phenotype", "PIK3CD", "HP:0001890") in found
    assert not [k for k in found if k[1] == "APDS"]


def test_two_genes_named_once_each_make_no_topic(nlp):
    found = claims_of(nlp, "Outcome of BCG vaccination in infants with primary immunodeficiency.\n"
                           "BCGosis occurred in 28 infants. Among 9 infants with CD40L deficiency, "
                           "2 had BCGitis. No complications were seen in infants with NEMO deficiency.")
    assert ("gene_phenotype", "CD40LG", "HP:0020086") in found
    assert not [k for k in found if k[2] == "HP:0020087"]


def test_a_transplants_own_drugs_and_what_expression_causes(nlp):
    found = claims_of(nlp, "CD40L deficiency. For GVHD prophylaxis, cyclosporine was used in two "
                           "patients. Tacrolimus improved the granulomas of a third patient.")
    assert set(k for k in found if k[0] == "gene_therapy") == {("gene_therapy", "CD40LG", "immunosuppression")}
    assert found[("gene_therapy", "CD40LG", "immunosuppression")].sentence.startswith("Tacrolimus")
    found = claims_of(nlp, "X-linked hyper-IgM syndrome. Regulated expression of CD40L is "
                           "essential, as constitutive expression caused lymphoproliferative disease.")
    assert ("gene_phenotype", "CD40LG", "HP:0005523") not in found


def test_each_named_disease_of_a_comparison_gets_the_finding(nlp):
    found = claims_of(nlp, "Neutropenia was present in 42% of XHIGM and 11% of XLA patients.")
    assert {("gene_phenotype", "CD40LG", "HP:0001875"), ("gene_phenotype", "BTK", "HP:0001875")} <= set(found)


def test_genes_excluded_by_testing_cause_nothing(nlp):
    found = claims_of(nlp, "A boy had recurrent otitis media and high IgM; genetic testing "
                           "excluded CD40LG, CD40, AICDA and UNG mutations.")
    assert not [k for k in found if k[1] in ("CD40LG", "CD40", "AICDA", "UNG")]


def test_a_disease_a_treatment_is_for_states_no_phenotype(nlp):
    found = claims_of(nlp, "Regulated expression may be needed for safe gene therapy of "
                           "X-linked hyper-IgM syndrome.")
    assert ("gene_phenotype", "CD40LG", "HP:0003496") not in found
    found = claims_of(nlp, "We treated 11 neutropenic patients with XHIGM with G-CSF.")
    assert ("gene_phenotype", "CD40LG", "HP:0003496") in found


def test_misdiagnosis_of_a_disease_as_another(nlp):
    found = claims_of(nlp, "Misdiagnosis of X-linked lymphoproliferative disease as common "
                           "variable immunodeficiency.")
    assert ("gene_phenotype", "SH2D1A", "HP:0002721") not in found


def test_genes_tested_normal_and_the_patients_hyper_igm_in_a_title(nlp):
    found = claims_of(nlp, "A patient with hyper-IgM syndrome and Hodgkin lymphoma: PMS2 "
                           "deficiency?\nSequencing showed compound heterozygous PMS2 variants, "
                           "while CD40LG, AICDA and UNG were normal.")
    assert ("gene_phenotype", "PMS2", "HP:0012189") in found
    assert not [k for k in found if k[1] in ("HIGM", "CD40LG", "AICDA", "UNG")]


def test_a_therapy_added_in_vitro_is_no_treatment(nlp):
    found = claims_of(nlp, "X-linked hyper-IgM syndrome. Addition of recombinant CD40L in vitro "
                           "restored IL-12 production.")
    assert ("gene_therapy", "CD40LG", "recombinant_cd40l") not in found


def test_a_comparator_is_no_subject_and_a_geneless_disease_keeps_its_name(nlp):
    found = claims_of(nlp, "Hyper-IgM syndrome type 4 (HIGM4) was described in patients with a "
                           "CSR defect. These patients present with milder infections than those "
                           "with AID deficiency and without lymphoid hyperplasia.")
    assert ("gene_phenotype", "HIGM4", "HP:0003496") in found
    assert not [k for k in found if k[1] == "AICDA"]


def test_what_patients_are_watched_for_is_no_finding(nlp):
    found = claims_of(nlp, "CD40 deficiency. Cancer surveillance is essential in CD40 pathway "
                           "deficiencies, with screening for lymphoma.")
    assert not [k for k in found if k[2] in ("HP:0002664", "HP:0002665")]
    found = claims_of(nlp, "PMS2 deficiency. Colorectal cancer surveillance is advised.")
    assert not [k for k in found if k[2] == "HP:0100834"]


@pytest.mark.parametrize("sentence, negated_claim", [
    ("Two of them did not have any signs of immunodeficiency before lymphoma development.", False),
    ("Three of the 12 patients did not develop neutropenia.", False),
    ("None of the 20 patients had neutropenia.", True),        # all of them: a negated claim
    ("The patients did not have neutropenia.", True),
])
def test_a_finding_denied_for_some_patients_only_makes_no_negated_claim(nlp, sentence, negated_claim):
    title = "SH2D1A mutations in 20 patients with X-linked lymphoproliferative disease.\n"
    found = claims_of(nlp, title + sentence)
    negated = {key for key, claim in found.items() if claim.negated}
    assert bool(negated) is negated_claim
    assert context.subset_negated("No patient had neutropenia, but two of them", 14) is False


@pytest.mark.parametrize("sentence, gene, deficient", [
    # the variant kinds and notation a sequencing result names
    ("A novel frameshift in CD40LG was found.", "CD40LG", True),
    ("Sequencing of CD40LG revealed c.464T>C (p.Leu155Pro).", "CD40LG", True),
    ("Sequencing revealed a premature stop codon in CD40LG.", "CD40LG", True),
    ("A de novo IKBKB missense substitution was identified.", "IKBKB", True),
    ("Whole-exome sequencing identified biallelic UNG alterations.", "UNG", True),
    # the protein missing from the cells that should carry it: the diagnostic test
    ("CD40L expression was absent on activated T cells.", "CD40L", True),
    ("Activated T cells showed absent CD40L expression.", "CD40L", True),
    ("Activated T cells failed to express CD40L.", "CD40L", True),
    ("B cells did not express CD40.", "CD40", True),
    ("CD40L was undetectable on activated T cells.", "CD40L", True),
    # present, or lost in a tumour's staining or the blood: no deficiency of the patient
    ("CD40L is expressed on activated T cells.", "CD40L", False),
    ("AID expression was normal in these patients.", "AID", False),
    ("Loss of PMS2 expression was seen in 5 carcinomas.", "PMS2", False),
    ("Low levels of soluble CD40L predicted events.", "CD40L", False),
])
def test_ways_a_gene_is_stated_deficient_or_not(sentence, gene, deficient):
    at = sentence.index(gene)
    assert context.gene_is_deficient(sentence, at, at + len(gene)) is deficient


def test_a_case_with_absent_cd40l_is_about_cd40lg(nlp):
    found = claims_of(nlp, "Hyper-IgM syndrome in a 3-year-old boy\nA 3-year-old boy with "
                           "hyper-IgM syndrome presented with Pneumocystis jirovecii pneumonia. "
                           "Activated T cells failed to express CD40L. Serum IgM was elevated "
                           "and IgG was low. He also had neutropenia.")
    subjects = {k[1] for k in found}
    assert subjects == {"CD40LG"}
    assert {"HP:0020102", "HP:0003496", "HP:0001875"} <= {k[2] for k in found}


@pytest.mark.parametrize("sentence", [
    "X-linked agammaglobulinemia syndrome was excluded genetically.",
    "The differential diagnosis includes X-linked agammaglobulinemia and ataxia-telangiectasia.",
    "Unlike X-linked agammaglobulinemia, B cells were present.",
    "Similar to patients with XLA, she had recurrent otitis.",
    "Patients with XLA were used as controls.",
    "Ataxia-telangiectasia was suspected but not confirmed.",
])
def test_a_disease_named_in_passing_is_no_subject(nlp, sentence):
    found = claims_of(nlp, "CD40 deficiency in a girl\nA girl with CD40 deficiency had PJP. "
                           + sentence)
    assert {k[1] for k in found} == {"CD40"}


def test_a_contrast_inside_the_sentence_keeps_each_clause_its_subject(nlp):
    found = claims_of(nlp, "Germinal centres in UNG deficiency\nLymph node biopsies from two "
                           "UNG-deficient patients showed large germinal centres, in contrast "
                           "to the absent germinal centres of CD40L deficiency.")
    assert ("gene_phenotype", "CD40LG", "HP:0002849") in found
    assert ("gene_phenotype", "UNG", "HP:0002849") not in found


def test_a_disease_name_two_genes_share_goes_to_the_gene_the_abstract_is_about(nlp):
    background = ("Anhidrotic ectodermal dysplasia with immunodeficiency (EDA-ID) is caused by "
                  "hypomorphic mutations in IKBKG or by gain-of-function mutations in NFKBIA. ")
    found = claims_of(nlp, "A novel heterozygous NFKBIA mutation in a child with anhidrotic "
                           "ectodermal dysplasia with immunodeficiency\n" + background
                           + "We report a boy who carried a de novo heterozygous NFKBIA "
                           "mutation. He had hypogammaglobulinemia.")
    assert {k[1] for k in found} == {"NFKBIA"}
    assert ("gene_phenotype", "NFKBIA", "HP:0000968") in found   # what the name states
    # the same name in an abstract about NEMO stays IKBKG's, as CLAIMS.md's table says
    found = claims_of(nlp, "EDA-ID in a boy with a NEMO mutation\n" + background
                           + "The boy carried a hemizygous IKBKG mutation. He had "
                           "hypogammaglobulinemia.")
    assert {k[1] for k in found} == {"IKBKG"}


def test_what_an_overexpression_model_develops_is_not_the_deficiencys(nlp):
    text = ("AID in mouse models\nTransgenic mice overexpressing AID developed T cell lymphomas. "
            "Aicda-/- mice had elevated IgM.")
    found = claims_of(nlp, text)
    assert not [k for k in found if k[2] in ("HP:0012190", "HP:0002665")]
    assert ("gene_phenotype", "AICDA", "HP:0003496") in found
    # plain expression is the diagnostic test of the deficiency, not a model
    boy = claims_of(nlp, "CD40L deficiency in a boy\nCD40L expression was absent and the boy "
                         "developed Pneumocystis pneumonia.")
    assert ("gene_phenotype", "CD40LG", "HP:0020102") in boy
