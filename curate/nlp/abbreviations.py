"""Schwartz & Hearst (2003) abbreviation definitions: "activation-induced cytidine
deaminase (AID)" defines AID for the rest of the abstract.

Written here rather than taken from scispacy, whose AbbreviationDetector pulls in a
large dependency set (nmslib, scikit-learn) for thirty lines of algorithm.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from curate.nlp.sentences import doc_text, sentence_bounds, sentence_starts, token_texts


@dataclass(frozen=True)
class Definition:
    short: Span
    long: Span


def _valid_short(text: str) -> bool:
    return (2 <= len(text) <= 10 and any(c.isalpha() for c in text) and text[0].isalnum()
            and len(text.split()) <= 2)


def _long_form_start(short: str, candidate: str) -> int | None:
    """The index in candidate where the long form starts, or None (the S&H match)."""
    s, l = len(short) - 1, len(candidate) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while l >= 0 and (candidate[l].lower() != c or
                          (s == 0 and l > 0 and candidate[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        s -= 1
        l -= 1
    return candidate.rfind(" ", 0, l + 1) + 1


def find_definitions(doc: Doc, texts: list[str] | None = None) -> list[Definition]:
    """Definitions in a doc; `texts` are its token texts if the caller has them."""
    found = []
    texts = token_texts(doc) if texts is None else texts
    opens = [i for i, t in enumerate(texts) if t == "("]
    if not opens:
        return found
    # character offsets into the doc's text: Span.text builds a Token per word
    full = doc_text(doc)
    offsets = doc.to_array("IDX").tolist()
    starts = sentence_starts(doc)
    for k in opens:
        sent = sentence_bounds(doc, starts, k)
        close = next((j for j in range(k + 1, min(k + 4, sent.end)) if texts[j] == ")"), None)
        if close is None or close == k + 1:
            continue
        short_text = full[offsets[k + 1]:offsets[close - 1] + len(texts[close - 1])]
        if not _valid_short(short_text):
            continue
        max_words = min(len(short_text) + 5, len(short_text) * 2)
        first = max(sent.start, k - max_words)
        if first >= k:
            continue
        window_start = offsets[first]
        window_text = full[window_start:offsets[k - 1] + len(texts[k - 1])]
        start_char = _long_form_start(short_text, window_text)
        if start_char is None:
            continue
        long = doc.char_span(window_start + start_char, window_start + len(window_text),
                             alignment_mode="expand")
        if long is not None and len(long) and long.text.lower() != short_text.lower():
            found.append(Definition(doc[k + 1:close], long))
    return found
