"""Sentence boundaries that survive "et al.", "e.g.", "vs." and split at section breaks."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

ABBREVIATIONS = {"al", "e.g", "i.e", "eg", "ie", "vs", "fig", "figs", "ref", "refs", "approx",
                 "ca", "cf", "no", "nos", "dr", "mr", "mrs", "st", "sp", "spp", "p", "c", "jr",
                 "inc", "ltd", "vol", "resp", "etc", "var", "subsp", "chr", "e", "i", "min",
                 "max", "mo", "yr", "yrs", "wk", "wks", "h", "s"}
_ENDERS = {".", "?", "!"}


@Language.factory("higm_sentences")
def make_sentences(nlp: Language, name: str):
    return SentenceSplitter()


class SentenceSplitter:
    """Rule-based: a period ends a sentence unless it closes a known abbreviation or an
    initial, or the next word starts in lower case; a newline always ends one."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = [False] * len(doc)
        starts[0] = True
        for i, token in enumerate(doc[:-1]):
            nxt = doc[i + 1]
            if "\n" in token.text or "\n" in token.whitespace_:
                starts[i + 1] = True
                continue
            text = token.text
            if text not in _ENDERS and not (text.endswith(".") and len(text) > 1):
                continue
            stem = doc[i - 1].text if text in _ENDERS and i > 0 else text.rstrip(".")
            if text == "." or len(text) > 1:
                if stem.lower().rstrip(".") in ABBREVIATIONS:
                    continue
                # an initial standing alone ("K. C. Gilmour"), not a unit ("g/L.")
                if len(text) == 2 and stem.isupper() and (i == 0 or doc[i - 1].whitespace_):
                    continue
            if nxt.text[:1].islower():
                continue
            starts[i + 1] = True
        for i, token in enumerate(doc):
            token.is_sent_start = starts[i]
        return doc
