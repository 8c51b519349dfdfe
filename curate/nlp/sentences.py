"""Sentence boundaries that survive "et al.", "e.g.", "vs." and split at section breaks."""
from __future__ import annotations

import bisect
from typing import NamedTuple

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

ABBREVIATIONS = {"al", "e.g", "i.e", "eg", "ie", "vs", "fig", "figs", "ref", "refs", "approx",
                 "ca", "cf", "no", "nos", "dr", "mr", "mrs", "st", "sp", "spp", "p", "c", "jr",
                 "inc", "ltd", "vol", "resp", "etc", "var", "subsp", "chr", "e", "i", "min",
                 "max", "mo", "yr", "yrs", "wk", "wks", "h", "s"}
_ENDERS = {".", "?", "!"}
# Per-doc values the later components all need, recorded once (by the splitter, which has
# them at hand) in doc.user_data: plain data, so docs still cross process boundaries.
_STARTS = "higm_sent_starts"
_TEXT = "higm_text"
_ORTHS = "higm_orths"  # token texts, handed to the entity component, which removes them


@Language.factory("higm_sentences", default_config={}, assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str):
    return SentenceSplitter()


class SentenceSplitter:
    """Rule-based: a period ends a sentence unless it closes a known abbreviation or an
    initial, or the next word starts in lower case; a newline always ends one."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        # arrays, not Token objects: building a Token per word dominated the cost
        texts = token_texts(doc)
        spaces = doc.to_array("SPACY").tolist()
        starts = numpy.full((n, 1), -1, dtype="int64")  # SENT_START: 1 starts, -1 continues
        starts[0, 0] = 1
        # only tokens that can end a sentence are looked at; a comprehension picks them out
        # (the loop over every token was most of this component's time)
        for i in [i for i, text in enumerate(texts[:-1]) if text[-1] in ".?!" or "\n" in text]:
            text = texts[i]
            if "\n" in text:  # spaCy keeps newlines as their own tokens
                starts[i + 1, 0] = 1
                continue
            if text not in _ENDERS and not (text.endswith(".") and len(text) > 1):
                continue
            stem = texts[i - 1] if text in _ENDERS and i > 0 else text.rstrip(".")
            if stem.lower().rstrip(".") in ABBREVIATIONS:
                continue
            # an initial standing alone ("K. C. Gilmour"), not a unit ("g/L.")
            if len(text) == 2 and stem.isupper() and (i == 0 or spaces[i - 1]):
                continue
            if texts[i + 1][:1].islower():
                continue
            starts[i + 1, 0] = 1
        # one array write instead of a Python setter per token
        doc.from_array([SENT_START], starts.astype("uint64"))
        doc.user_data[_STARTS] = numpy.flatnonzero(starts[:, 0] == 1).tolist()
        doc.user_data[_TEXT] = "".join(t + " " if sp else t for t, sp in zip(texts, spaces))
        doc.user_data[_ORTHS] = texts
        return doc


def sentence_starts(doc: Doc) -> list[int]:
    """Token indices where sentences start, read from the array in one call.

    spaCy's doc.sents and span.sent build a Token object per word on every call; with
    many entities per abstract that dominated the pipeline's time."""
    cached = doc.user_data.get(_STARTS)
    if cached is not None:
        return cached
    if not len(doc):
        return []
    flags = doc.to_array([SENT_START]).ravel()
    starts = numpy.flatnonzero(flags == 1).tolist()
    return starts if starts and starts[0] == 0 else [0] + starts


def sentence_spans(doc: Doc, starts: list[int] | None = None) -> list:
    starts = sentence_starts(doc) if starts is None else starts
    ends = starts[1:] + [len(doc)]
    return [doc[a:b] for a, b in zip(starts, ends)]


class Bounds(NamedTuple):
    start: int
    end: int


def sentence_bounds(doc: Doc, starts: list[int], token_index: int) -> Bounds:
    """The token bounds of the sentence holding a token, without building a Span (the
    composition and quantity rules ask this for every candidate)."""
    k = bisect.bisect_right(starts, token_index) - 1
    return Bounds(starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc))


def sentence_of(doc: Doc, starts: list[int], token_index: int):
    """The sentence (a Span) holding a token, given sentence_starts(doc)."""
    start, end = sentence_bounds(doc, starts, token_index)
    return doc[start:end]


def doc_text(doc: Doc) -> str:
    """doc.text, built once per doc from the arrays (Doc.text makes a Token per word)."""
    cached = doc.user_data.get(_TEXT)
    if cached is None:
        strings = doc.vocab.strings
        orths = doc.to_array("ORTH").tolist()
        spaces = doc.to_array("SPACY").tolist()
        cached = "".join(strings[o] + (" " if s else "") for o, s in zip(orths, spaces))
        doc.user_data[_TEXT] = cached
    return cached


def token_texts(doc: Doc) -> list[str]:
    """The doc's token texts, read from the array (Token objects are slow to build)."""
    strings = doc.vocab.strings
    return [strings[o] for o in doc.to_array("ORTH").tolist()]


def take_token_texts(doc: Doc) -> list[str]:
    """The token texts the sentence splitter read (removed from the doc, so they do not
    travel with it between processes), or read again."""
    texts = doc.user_data.pop(_ORTHS, None)
    return token_texts(doc) if texts is None else texts
