"""The extraction pipeline: each component, the claim rules, storage and scoring."""
from __future__ import annotations

import json
import sqlite3

import pytest

from curate.records import Claim
from curate.evaluate import evaluate, predictions_from_db, read_gold
from curate.nlp.pipeline import load
from db.schema import connect
from tests.conftest import DATA, run_higm


@pytest.fixture(scope="module")
def nlp():
    return load()


def claims_of(nlp, text, pmid="1"):
    doc = nlp.make_doc(text)
    doc.user_data["pmid"] = pmid
    doc = nlp(doc)
    claims = [Claim(**c) for c in doc._.claims]
    return {(c.type, c.subject, c.object): c for c in claims}


def test_tokenizer_keeps_variants_and_splits_isotypes(nlp):
    words = [t.text for t in nlp.make_doc("CD40L-deficient boys had low IgM/IgG and c.123A>G, HIGM1.")]
    assert words[:3] == ["CD40L", "-", "deficient"]
    assert "IgM" in words and "/" in words and "IgG" in words
    assert "c.123A>G" in words and "HIGM1" in words


def test_tokenizer_splits_words_pubmed_glued_and_keeps_mixed_case_names(nlp):
    words = [t.text for t in nlp.make_doc("a severeAspergillus infection in a btk orCD40-L gene")]
    assert words[1:3] == ["severe", "Aspergillus"] and words[7:9] == ["or", "CD40"]
    kept = "IgM mRNA IkBalpha p110delta iNKT McDonald deltaF508 JavaScript inDel"
    assert [t.text for t in nlp.make_doc(kept)] == kept.split()


def test_tokenizer_has_no_english_special_cases_but_cannot(nlp):
    # spaCy stops caching a text's chunks after one special case (explosion/spaCy#13950);
    # without them "and/or" splits like IgM/IgG and "e.g." loses its last period
    words = [t.text for t in nlp.make_doc("IgG and/or IgA cannot rise, e.g. after HSCT.")]
    assert words[1:4] == ["and", "/", "or"]
    assert words[5:7] == ["can", "not"]
    assert "e.g" in words


def test_sentences_survive_abbreviations(nlp):
    doc = nlp("As Smith et al. reported, e.g. in XHIGM, levels were 3.5 vs. 2.1 g/L. A new one.\n"
              "Results: IgA was low.")
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents == ["As Smith et al. reported, e.g. in XHIGM, levels were 3.5 vs. 2.1 g/L.",
                     "A new one.", "Results: IgA was low."]


def test_abbreviation_defines_an_ambiguous_gene_name(nlp):
    doc = nlp("Activation-induced cytidine deaminase (AID) is needed. We studied AID in mice.")
    genes = [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "GENE"]
    assert ("AID", "AICDA") in genes and genes.count(("AID", "AICDA")) == 2
    other = nlp("Autoimmune disease (AID) is common. AID was treated with steroids.")
    assert not [e for e in other.ents if e.label_ == "GENE"]


@pytest.mark.parametrize("text, gene", [
    ("Mutations in NEMO cause incontinentia pigmenti.", "IKBKG"),
    ("Mutations in the AID gene were found.", "AICDA"),
    ("SAP mutations cause XLP.", "SH2D1A"),
])
def test_an_ambiguous_symbol_named_as_a_gene_is_the_gene(nlp, text, gene):
    assert gene in {e.kb_id_ for e in nlp(text).ents if e.label_ == "GENE"}
    # the same symbol with no gene words and no immunology stays out
    assert not [e for e in nlp("AID workers met in Geneva.").ents if e.label_ == "GENE"]


def test_entities_are_normalised(nlp):
    doc = nlp("Patients with XHIGM had P. carinii pneumonia, cryptosporidiosis and received IVIG "
              "and bone marrow transplantation.")
    found = {(e.label_, e.kb_id_) for e in doc.ents}
    assert {("DISEASE", "HIGM1"), ("PHENOTYPE", "HP:0020102"), ("PHENOTYPE", "HP:0020104"),
            ("THERAPY", "ig_replacement"), ("THERAPY", "hsct")} <= found


def test_written_variants_of_hpo_names(nlp):
    from curate.nlp.variants import plural, singular, variants
    assert plural("hamartoma") == "hamartomas" and plural("nevus") == "nevi"
    assert plural("exostosis") == "exostoses" and singular("tags") == "tag"
    assert "ear anomalies" in variants("Abnormality of the ear")
    assert "cutaneous abnormalities" in variants("Abnormality of the skin")
    doc = nlp("She had retinal hamartomas, gingival haemorrhage, hearing loss and cutaneous abnormalities.")
    found = {e.text: e.kb_id_ for e in doc.ents if e.label_ == "PHENOTYPE"}
    assert found["retinal hamartomas"] == "HP:0009594"
    assert found["gingival haemorrhage"] == "HP:0000225"
    assert found["hearing loss"] == "HP:0000365"          # a RELATED synonym in HPO
    assert found["cutaneous abnormalities"] == "HP:0000951"
    # a variant never takes a phrase that is another term's own name or a stop-listed one
    assert not [e for e in nlp("All were male.").ents if e.label_ == "PHENOTYPE"]


def test_coordinated_modifiers_share_the_head(nlp):
    doc = nlp("They had branchial, otic and renal anomalies, and calcification of the falx cerebri.")
    found = {e.text: e.kb_id_ for e in doc.ents if e.label_ == "PHENOTYPE"}
    assert found["otic"] == "HP:0000598"            # Abnormality of the ear
    assert found["renal anomalies"] == "HP:0000077"
    assert found["calcification of the falx cerebri"] == "HP:0005462"
    # a modifier that makes no known phrase with the head is left alone
    assert "severe" not in found and "mild" not in found
    assert not [e for e in nlp("Mild and severe anomalies.").ents if e.text in ("mild", "Mild")]


def test_sentence_helpers_agree_with_spacy(nlp):
    from curate.nlp.sentences import doc_text, sentence_of, sentence_spans, sentence_starts
    doc = nlp("CD40L deficiency causes neutropenia. AID was low.\nResults: IgA was absent.")
    assert [s.text for s in sentence_spans(doc)] == [s.text for s in doc.sents]
    starts = sentence_starts(doc)
    assert all(sentence_of(doc, starts, t.i).start == t.sent.start for t in doc)
    assert doc_text(doc) == doc.text


def test_quantity_phrases_and_coordination(nlp):
    claims = claims_of(nlp, "Patients with CD40L deficiency had normal or raised IgM with low "
                            "concentrations of IgA and IgG.")
    assert {("gene_phenotype", "CD40LG", h) for h in ("HP:0003496", "HP:0002720", "HP:0004315")} \
        <= set(claims)
    mice = claims_of(nlp, "CD40-deficient mice mounted no IgG, IgA, and IgE responses.")
    assert ("gene_phenotype", "CD40", "HP:0012475") in mice
    assert ("gene_phenotype", "CD40", "HP:0004315") not in mice


def test_negation_leading_and_trailing(nlp):
    lead = claims_of(nlp, "None of the AID-deficient patients had neutropenia.")
    assert lead[("gene_phenotype", "AICDA", "HP:0001875")].negated
    trail = claims_of(nlp, "In CD40 deficiency, neutropenia was absent.")
    assert trail[("gene_phenotype", "CD40", "HP:0001875")].negated
    plain = claims_of(nlp, "In CD40 deficiency, neutropenia was frequent.")
    assert not plain[("gene_phenotype", "CD40", "HP:0001875")].negated


def test_hedging(nlp):
    hedged = claims_of(nlp, "UNG deficiency may be associated with lymphoid hyperplasia.")
    assert hedged[("gene_phenotype", "UNG", "HP:0034839")].hedged
    firm = claims_of(nlp, "UNG deficiency causes lymphoid hyperplasia.")
    assert not firm[("gene_phenotype", "UNG", "HP:0034839")].hedged


def test_cohort_sentence_attaches_to_title_gene(nlp):
    text = ("Clinical features of 20 patients with X-linked hyper-IgM syndrome\n"
            "We reviewed the records. The most common symptoms were recurrent infections (90%), "
            "neutropenia (70%) and oral ulcers (40%).")
    claims = claims_of(nlp, text)
    for hpo_id in ("HP:0002719", "HP:0001875", "HP:0000155"):
        assert ("gene_phenotype", "CD40LG", hpo_id) in claims
    assert claims[("gene_phenotype", "CD40LG", "HP:0001875")].score < 0.85  # attached, not stated


def test_hyper_igm_rule_and_bare_higm(nlp):
    gene = claims_of(nlp, "CD40 mutations cause an autosomal recessive form of hyper IgM.")
    assert ("gene_phenotype", "CD40", "HP:0003496") in gene
    bare = claims_of(nlp, "Hyper-IgM syndrome is rare.")
    assert ("gene_phenotype", "HIGM", "HP:0003496") not in bare


def test_biomarker_and_listed_genes_are_not_subjects(nlp):
    marker = claims_of(nlp, "Elevated serum soluble CD40L predicted chest pain and sudden death.")
    assert not [k for k in marker if k[1] == "CD40LG"]
    listed = claims_of(nlp, "No mutations in CD40 were found in patients with neutropenia.")
    assert not [k for k in listed if k[1] == "CD40"]


def test_therapy_outcomes(nlp):
    good = claims_of(nlp, "Six CD40L-deficient patients were cured by HSCT.")
    assert good[("gene_therapy", "CD40LG", "hsct")].outcome == "effective"
    bad = claims_of(nlp, "Two XHIGM patients died after bone marrow transplantation.")
    assert bad[("gene_therapy", "CD40LG", "hsct")].outcome == "adverse"
    # an effect word after "without" is its absence; "corrected" is an effect
    failed = claims_of(nlp, "In CD40L deficiency, cryptosporidiosis was treated with "
                            "nitazoxanide without success.")
    assert failed[("gene_therapy", "CD40LG", "antiparasitics")].outcome == "ineffective"
    corrected = claims_of(nlp, "In CD40L deficiency, filgrastim corrected neutropenia.")
    assert corrected[("gene_therapy", "CD40LG", "g_csf")].outcome == "effective"


@pytest.mark.parametrize("text", ["", " ", "Ο ασθενής είχε υποτροπιάζουσες λοιμώξεις.",
                                  "IgM\u00a0e\u0301leve\u0301 \u03b1\u03b2 CD40L\u200b",
                                  "CD40L deficiency with neutropenia. " * 3000,
                                  # the phrase index joins tokens with U+001F; genotype suffixes
                                  "CD40L\x1fdeficiency \x1f neutropenia\x1f. Aicda-/-(-/-)+/-"])
def test_odd_input_does_not_crash(nlp, text):
    doc = nlp.make_doc(text)
    doc.user_data["pmid"] = "9"
    assert isinstance(nlp(doc)._.claims, list)


def test_extract_is_idempotent_and_keeps_keys(snapshot_db):
    first = run_higm("extract", "--db", str(snapshot_db))
    assert "articles read 63" in first.stdout
    with sqlite3.connect(snapshot_db) as conn:
        before = conn.execute("select claim_key, status, score from claims order by 1").fetchall()
        mentions = conn.execute("select count(*) from mentions").fetchone()[0]
    assert len(before) > 100 and mentions > len(before)
    again = run_higm("extract", "--db", str(snapshot_db))
    assert "articles read 0" in again.stdout
    redo = run_higm("extract", "--db", str(snapshot_db), "--all")
    assert "articles read 63" in redo.stdout
    with sqlite3.connect(snapshot_db) as conn:
        after = conn.execute("select claim_key, status, score from claims order by 1").fetchall()
        assert conn.execute("select count(*) from mentions").fetchone()[0] == mentions
        releases = dict(conn.execute("select name, release from vocab_releases"))
    assert after == before
    assert releases["HPO"] == "2025-01-16"


def test_two_worker_processes_store_the_same_claims(snapshot_db, tmp_path):
    import shutil
    other = tmp_path / "two.db"
    shutil.copy(snapshot_db, other)
    run_higm("extract", "--db", str(snapshot_db))
    two = run_higm("extract", "--db", str(other), "--n-process", "2")
    assert "articles read 63" in two.stdout
    query = "select claim_key, negated, score, species, study from claims order by 1"
    with sqlite3.connect(snapshot_db) as one_conn, sqlite3.connect(other) as two_conn:
        assert one_conn.execute(query).fetchall() == two_conn.execute(query).fetchall()


def test_changed_article_is_re_extracted(snapshot_db):
    run_higm("extract", "--db", str(snapshot_db))
    db = connect(snapshot_db)
    with db.atomic():
        db["articles"].update("14514918", {"content_hash": "changed"})
    result = run_higm("extract", "--db", str(snapshot_db))
    assert "articles read 1" in result.stdout


def test_export_fields(extracted_db):
    snapshot_db = extracted_db
    out = run_higm("export", "claims", "--db", str(snapshot_db)).stdout.splitlines()
    row = json.loads(out[0])
    for field in ("claim_id", "pmid", "type", "subject", "hpo", "therapy", "negated", "hedged",
                  "outcome", "sentence", "score", "status"):
        assert field in row
    csv_out = run_higm("export", "claims", "--db", str(snapshot_db), "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("claim_key,claim_id,pmid")
    assert len(csv_out.splitlines()) == len(out) + 1


def test_dev_gold_meets_the_quality_targets(extracted_db):
    snapshot_db = extracted_db
    gold = read_gold(DATA / "gold" / "dev.jsonl")
    results = evaluate(predictions_from_db(connect(snapshot_db), list(gold)), gold)
    # floors at the measured figures (docs/benchmarks.md), so a regression fails the suite
    floors = {"gene_phenotype": (0.80, 0.83), "gene_therapy": (0.90, 0.90)}
    for claim_type, (recall, f1) in floors.items():
        scores = results["lenient"][claim_type]
        assert scores.recall >= recall and scores.f1 >= f1, (claim_type, scores)
    printed = run_higm("evaluate", "--db", str(snapshot_db), "--gold",
                       str(DATA / "gold" / "dev.jsonl")).stdout
    assert "lenient  gene_phenotype" in printed and "negation agreement" in printed


def test_evaluate_scoring_rules():
    gold = {"1": [{"type": "gene_phenotype", "subject": "HIGM1", "hpo": "HP:0007607",
                   "negated": True},
                  {"type": "gene_therapy", "subject": "CD40LG", "therapy": "hsct"}]}
    predicted = {"1": [{"type": "gene_phenotype", "subject": "CD40LG", "hpo": "HP:0000968",
                        "negated": False},
                       {"type": "gene_therapy", "subject": "CD40LG", "therapy": "ig_replacement"}]}
    results = evaluate(predicted, gold)
    assert results["strict"]["all"].tp == 0
    lenient = results["lenient"]
    assert lenient["gene_phenotype"].tp == 1  # HP:0000968 is HP:0007607's parent
    assert lenient["gene_therapy"].fp == 1 and lenient["gene_therapy"].fn == 1
    assert lenient["negation"] == (0, 1)


def test_bad_gold_file_is_named(tmp_path, snapshot_db):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"pmid": "1", "claims": []}\n{not json\n')
    result = run_higm("evaluate", "--db", str(snapshot_db), "--gold", str(bad), check=False)
    assert result.returncode == 1 and "gold.jsonl: line 2" in result.stderr
    missing = run_higm("extract", "--db", str(tmp_path / "none.db"), check=False)
    assert missing.returncode == 2 and "none.db" in missing.stderr


@pytest.mark.parametrize("text", ["Patients with AI\u00adCDA mutations had neutropenia.",
                                  "Patients with \uff23\uff24\uff14\uff10L deficiency had neutropenia.",
                                  "Patients with CD40L\u200b deficiency had neutropenia."])
def test_look_alikes_in_gene_names_are_read_as_the_name(nlp, text):
    # soft hyphen, full-width letters, zero-width space: the claim, with offsets as written
    doc = nlp.make_doc(text)
    doc.user_data["pmid"] = "9"
    claims = nlp(doc)._.claims
    assert [(c["subject"], c["object"]) for c in claims] in (
        [("AICDA", "HP:0001875")], [("CD40LG", "HP:0001875")])
    start, end = claims[0]["evidence"][0]
    assert text[start:end] == "neutropenia"
