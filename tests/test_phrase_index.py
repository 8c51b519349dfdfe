"""The phrase index behind the entity component: token-boundary matches like spaCy's
PhraseMatcher, and a cache that only ever costs time when it is missing or damaged."""
from __future__ import annotations

import spacy

from curate.nlp import phrase_index
from curate.nlp.phrase_index import build_index, load_cached, save_cached


def _words(doc):
    return [t.text for t in doc], [t.lower_ for t in doc]


def test_matches_whole_tokens_case_by_case():
    nlp = spacy.blank("en")
    index = build_index([("low-iga", False, [["low", "IgA"]]),
                         ("gene", True, [["AID"]]),
                         ("also-gene", True, [["AID"]])])
    doc = nlp.make_doc("Very LOW IgA and AID; aid and lowIgA and low IgAN.")
    found = index.matches(*_words(doc))
    assert [(key, doc[start:end].text) for key, start, end in found] == [
        ("gene", "AID"), ("also-gene", "AID"), ("low-iga", "LOW IgA")]


def test_matches_what_the_phrase_matcher_matched(tmp_path):
    from spacy.matcher import PhraseMatcher
    nlp = spacy.blank("en")
    phrases = ["recurrent infections", "infections", "neutropenia", "IgM", "low IgM"]
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for phrase in phrases:
        matcher.add(phrase, [nlp.make_doc(phrase)])
    index = build_index([(p, False, [[t.text for t in nlp.make_doc(p)]]) for p in phrases])
    doc = nlp.make_doc("Recurrent infections, neutropenia and low IgM (IgM < 0.4 g/L); infections.")
    theirs = sorted((nlp.vocab.strings[m], s, e) for m, s, e in matcher(doc))
    assert sorted(index.matches(*_words(doc))) == theirs


def test_cache_round_trip_and_damaged_files(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("HIGM_CACHE_DIR", str(tmp_path / "cache"))
    index = build_index([("k", False, [["neutropenia"]])])
    assert load_cached("abc") is None
    save_cached("abc", {"patterns": 1}, index)
    data, again = load_cached("abc")
    doc = spacy.blank("en").make_doc("Neutropenia.")
    assert data == {"patterns": 1} and again.matches(*_words(doc)) == [("k", 0, 1)]
    # a truncated file is ignored with a warning, and the next save replaces it
    phrase_index.cache_path("abc").write_bytes(b"\x80\x04truncated")
    assert load_cached("abc") is None
    assert "unreadable pipeline cache" in caplog.text
    save_cached("abc", {"patterns": 2}, index)
    assert load_cached("abc")[0] == {"patterns": 2}


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("HIGM_CACHE_DIR", str(blocked))
    save_cached("abc", {}, build_index([]))
    assert "could not write the pipeline cache" in caplog.text
    assert load_cached("abc") is None
