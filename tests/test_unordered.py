"""HPO names with their words in another order (curate/nlp/unordered.py), and its bounds."""
from __future__ import annotations

import pytest

from curate.nlp.pipeline import build
from curate.nlp.unordered import build_unordered, content_stems


@pytest.fixture(scope="module")
def nlp():
    return build(unordered=True)


def ids(nlp, text) -> set[str]:
    return {e.kb_id_ for e in nlp(text).ents if e.label_ == "PHENOTYPE"}


def test_a_name_in_another_order(nlp):
    assert "HP:0005449" in ids(nlp, "Radiographs showed bridging of sella turcica.")


def test_words_of_two_list_items_make_no_name(nlp):
    # "Severe infection" from "infections and severe ..." would join two items
    assert "HP:0032169" not in ids(nlp, "They had recurrent infections and severe eczema.")


def test_content_stems_skip_short_and_one_word_names():
    assert content_stems("Bridged sella turcica") == ("bridg", "sella", "turcica")
    assert content_stems("Neutropenia") is None
    assert content_stems("Abnormal T cell morphology") is None  # "t" reads any T


def test_a_stem_set_two_terms_share_is_left_out():
    index = build_unordered({"bridged sella turcica": "HP:1", "sella turcica bridged": "HP:1",
                             "turcica sella bridging": "HP:2", "cleft lip palate": "HP:3"})
    assert all(hpo != "HP:1" and hpo != "HP:2" for entries in index.by_anchor.values()
               for _, hpo in entries)


def test_bad_inputs_finish_and_noise_makes_no_finding(nlp):
    # linear time is measured in benchmarks.bench_extract; here: no crash, no noise
    listing = "The patients had " + ", ".join(f"finding number {i} of the skin" for i in range(300))
    doc = nlp(listing)
    assert len(doc) > 2000
    long_text = ("Patients with CD40L deficiency had neutropenia and skin abnormality. " * 1500)[:100_000]
    assert "HP:0001875" in ids(nlp, long_text)
    glued = "".join(name.replace(" ", "") for name in
                    ("Neutropenia", "Recurrent infections", "Bridged sella turcica") * 500)
    assert not ids(nlp, glued)
