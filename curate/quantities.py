"""Quantity findings as rules over a cue and an analyte in one clause ('low IgG, IgA and
IgM', 'IgM levels were normal or raised', 'impaired class switching'), from
`lexicons/quantity_rules.json`: the nearest cue sets the direction and coordinated analytes
share it."""
from __future__ import annotations


from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from curate.sentences import sentence_of, sentence_starts


# words after an isotype that make it a cell marker rather than a serum level
CELL_WORDS = {"bright", "dull", "+", "positive", "expressing", "memory", "b", "cells",
              "cell", "producing", "secreting", "switched", "bearing"}


def quantities(doc: Doc, cues: list[Span], analytes: list[Span], lowers: list[str],
               rules: dict) -> list[Span]:
    """'low IgG, IgA and IgM', 'IgM levels were normal or raised' -> HPO spans."""
    if not analytes or not cues:
        return []
    starts = sentence_starts(doc)
    cues = filter_spans(cues)
    analytes = filter_spans(analytes)
    info = rules["analytes"]
    stops = {"with", "but", "whereas", "while", "although", ";", "than", "compared"}
    out = []
    isotypes = set(rules.get("isotype_analytes", []))
    response_words = set(rules.get("response_words", []))
    cue_ending = {c.end - 1: c for c in cues}
    cue_starting = {c.start: c for c in cues}
    analyte_at = {a.start: a for a in analytes}
    for analyte in analytes:
        sent = sentence_of(doc, starts, analyte.start)
        label = analyte.label_
        if label in isotypes and analyte.end < sent.end and lowers[analyte.end] in CELL_WORDS:
            continue  # "IgM bright B cells", "IgA-secreting cells": a cell, not a serum level
        if label in isotypes:
            # "IgG, IgA and IgE responses" are specific antibody responses, not levels
            j = analyte.end
            while j < sent.end:
                if lowers[j] in (",", "and", "or", "/"):
                    j += 1
                    continue
                following = analyte_at.get(j)
                if following is None:
                    break
                if following.label_ == "spec_ab":
                    label = "spec_ab"
                    break
                j = following.end
            if j < sent.end and lowers[j] in response_words:
                label = "spec_ab"
        direction = None
        # look left through coordinated analytes and short modifiers
        i = analyte.start - 1
        while i >= max(sent.start, analyte.start - 7):
            if lowers[i] in stops:
                break
            if i in cue_ending:
                direction = cue_ending[i].label_
                break
            i -= 1
        if direction is None:
            j = analyte.end
            while j < min(sent.end, analyte.end + 6):
                if lowers[j] in stops or j in analyte_at:
                    break
                if j in cue_starting:
                    direction = cue_starting[j].label_
                    break
                j += 1
        hpo_id = info[label].get(direction) if direction else None
        if hpo_id:
            span = Span(doc, analyte.start, analyte.end, label="PHENOTYPE", kb_id=hpo_id)
            span._.quantity = True
            out.append(span)
    return out
