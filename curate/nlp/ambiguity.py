"""Which gene mentions to keep: ambiguous names (AID, NEMO, TRAP) need a definition in the
abstract, a certain mention of the same gene or an immunology context; a gene measured as a
biomarker ('soluble CD40L levels') is not a subject."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from curate.nlp.sentences import doc_text, sentence_of, sentence_starts

IMMUNE_CONTEXT = re.compile(
    r"immun|class[- ]switch|\bCSR\b|hyper[- ]?IgM|\bIg[GAME]\b|antibod|B[- ]cell|lymphocyt|"
    r"germinal|somatic hypermutation|\bSHM\b|deaminase|ectodermal|NF-?(kappa|κ)B|"
    r"X-linked|patients?|lymph|plasma cells?|\bmice\b|\bmouse\b|knock-?out|-/-|deficien", re.I)
# words that make the symbol right beside them a gene whatever the sentence is about:
# "mutations in NEMO", "the AID gene", "SAP-deficient", "NEMO exon 4-10 deletion"
_AS_A_GENE_BEFORE = re.compile(r"\b(mutations?|variants?|deletions?|defects?) (in|of) (the )?$", re.I)
_AS_A_GENE_AFTER = re.compile(r"^[- ]?(gene|genes|mutations?|mutated|variants?|deficien\w*|"
                              r"knock-?out|null|exons?|locus|alleles?|deletions?)\b", re.I)


def named_as_a_gene(text: str, start: int, end: int) -> bool:
    """The words beside an ambiguous symbol name it as a gene."""
    return (_AS_A_GENE_BEFORE.search(text[max(0, start - 30):start]) is not None
            or _AS_A_GENE_AFTER.match(text[end:end + 20]) is not None)


def resolve_ambiguous(doc: Doc, candidates: list[Span], definitions: list) -> list[Span]:
    starts = sentence_starts(doc)
    defined_as = {d.short.text: d.long for d in definitions}
    certain_genes = {c.kb_id_ for c in candidates if c.label_ == "GENE" and c._.subject_ok}
    kept = []
    for span in candidates:
        if span.label_ != "GENE" or span._.subject_ok:
            kept.append(span)
            continue
        long = defined_as.get(span.text)
        if long is not None:
            # defined in this abstract: keep only if the definition names the same gene
            if any(c.label_ == "GENE" and c.kb_id_ == span.kb_id_ and c._.subject_ok
                   and c.start >= long.start and c.end <= long.end for c in candidates):
                span._.subject_ok = True
                kept.append(span)
            continue
        sent = sentence_of(doc, starts, span.start)
        text = doc_text(doc)
        if span.kb_id_ in certain_genes or IMMUNE_CONTEXT.search(
                text[sent.start_char:sent.end_char]) or named_as_a_gene(
                text, span.start_char, span.end_char):
            span._.subject_ok = True
            kept.append(span)
    return kept


def is_biomarker(doc: Doc, span: Span, biomarker_cues: list[str]) -> bool:
    cues = {c.lower() for c in biomarker_cues}
    if span.text.lower() in cues:
        return True
    window = doc[max(sentence_of(doc, sentence_starts(doc), span.start).start,
                     span.start - 2): span.start]
    return any(t.lower_ in cues for t in window)
