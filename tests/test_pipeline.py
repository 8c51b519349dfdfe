"""The spaCy pipeline as configured components: it round-trips through bytes and disk as
spaCy's own components do, and a restored pipeline finds the same claims."""
from __future__ import annotations

import pytest
import spacy

from curate.nlp import pipeline

TEXT = ("X-linked hyper-IgM syndrome caused by CD40L mutations. Ten patients with CD40L "
        "deficiency had neutropenia and Pneumocystis jirovecii pneumonia; none had "
        "sclerosing cholangitis. Six patients received hematopoietic stem cell transplantation.")


@pytest.fixture(scope="module")
def nlp():
    return pipeline.load()


def _claims(nlp) -> list[tuple]:
    doc = nlp.make_doc(TEXT)
    doc.user_data["pmid"] = "1"
    doc = nlp(doc)
    return sorted((c["type"], c["subject"], c["object"], c["negated"]) for c in doc._.claims)


def test_components_declare_what_they_assign_and_need(nlp):
    analysis = nlp.analyze_pipes()
    assert not any(analysis["problems"].values()), analysis["problems"]
    meta = nlp.get_pipe_meta("higm_claims")
    assert "doc._.claims" in meta.assigns and "doc.ents" in meta.requires


def test_to_bytes_from_bytes_round_trip(nlp):
    expected = _claims(nlp)
    assert ("gene_phenotype", "CD40LG", "HP:0001875", False) in expected
    assert ("gene_phenotype", "CD40LG", "HP:0030991", True) in expected
    restored = spacy.util.load_model_from_config(nlp.config, auto_fill=True)
    restored.from_bytes(nlp.to_bytes())
    assert restored.pipe_names == nlp.pipe_names
    assert _claims(restored) == expected


def test_to_disk_from_disk_round_trip(nlp, tmp_path):
    expected = _claims(nlp)
    nlp.to_disk(tmp_path / "pipeline")
    restored = spacy.load(tmp_path / "pipeline")
    assert _claims(restored) == expected
    # the phrase index came back whole, not just enough for one text
    assert len(restored.get_pipe("higm_entities").patterns()) > 35000


def test_an_uninitialised_pipeline_says_to_initialise_it():
    """As spaCy's own components do: E109, 'did you forget to call initialize()?'."""
    bare = spacy.blank("en")
    bare.add_pipe("higm_sentences")
    bare.add_pipe("higm_entities")
    bare.add_pipe("higm_claims")
    with pytest.raises(ValueError, match="initialize"):
        bare(bare.make_doc(TEXT))
    bare.initialize()
    assert bare(bare.make_doc(TEXT))._.claims


def test_clause_indexed_negex_marks_what_negspacy_marks(nlp):
    from negspacy.negation import Negex

    ours = nlp.get_pipe("higm_negex")
    theirs = Negex(nlp, "negex", _termset_of(ours), ent_types=["PHENOTYPE", "THERAPY", "GENE"],
                   chunk_prefix=[], span_keys=[pipeline.NEGEX_SPANS])
    text = (TEXT + " No patient had neutropenia, but two had colitis. Diarrhea was absent; "
            "those without liver disease had no infections. Hepatitis was not observed.") * 40
    marks = []
    for component in (ours, theirs):
        doc = nlp.make_doc(text)
        doc.user_data["pmid"] = "1"
        for name, pipe in nlp.pipeline:
            if name == "higm_negex":
                break
            doc = pipe(doc)
        doc = component(doc)
        marks.append([(s.start, s.end, bool(s._.negex)) for s in doc.spans[pipeline.NEGEX_SPANS]])
    assert marks[0] == marks[1]
    assert any(negated for *_, negated in marks[0]) and not all(negated for *_, negated in marks[0])


def _termset_of(negex) -> dict:
    return {"pseudo_negations": negex.pseudo_negations, "preceding_negations": negex.preceding_negations,
            "following_negations": negex.following_negations, "termination": negex.termination}


def test_ontology_ancestors_reach_the_root_and_not_the_term():
    from curate import hpo
    ontology = hpo.load()
    above = ontology.ancestors("HP:0020100")          # Unusual fungal infection
    assert "HP:0032101" in above and "HP:0000118" in above   # Unusual infection, the root
    assert "HP:0020100" not in above and ontology.ancestors("HP:0000001") == frozenset()
    assert ontology.ancestors("HP:9999999") == frozenset()  # an unknown ID has none


def test_a_changed_lexicon_changes_the_extractor_version_in_the_same_process(tmp_path, monkeypatch):
    # the fingerprint is kept between calls; an edit to any file it covers must still show
    import shutil
    from curate.nlp import vocab
    lexicons = tmp_path / "lexicons"
    shutil.copytree(vocab.LEXICONS, lexicons)
    monkeypatch.setattr(vocab, "LEXICONS", lexicons)
    first = vocab.data_fingerprint()
    assert vocab.data_fingerprint() == first
    edited = lexicons / "diseases.json"
    original = edited.read_bytes()
    edited.write_bytes(original + b"\n")
    assert vocab.data_fingerprint() != first
    edited.write_bytes(original)  # the same bytes again: the same fingerprint
    assert vocab.data_fingerprint() == first
