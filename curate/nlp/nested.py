"""Broader HPO terms named inside a phenotype mention: "hearing loss" (Hearing impairment)
inside "sensorineural hearing loss", "colitis" inside "ulcerative colitis".

The pipeline keeps one entity per stretch of text (the most specific), which is what claims
need: CLAIMS.md adds no unstated parent beside a specific term. Annotated corpora such as
GSC+ and PubTator's own annotations also mark the parent named inside, so the PubTator export
can add them (`higm export pubtator --nested-parents`). Only a parent of the mention's own
term counts: "cleft" inside "cleft lip" is a finding of its own, not one the mention names.
"""
from __future__ import annotations

from typing import Callable

from spacy.language import Language

from curate import hpo
from curate.nlp.entities import plain

MAX_TOKENS = 12  # a mention longer than this is searched only in its first 12 tokens


def nested_parent_finder(nlp: Language) -> Callable[[str, int, int, str], list[tuple[int, int, str]]]:
    """A function (text, start, end, hpo_id) -> [(start, end, parent_id)] over the pipeline's
    own phenotype names (`nlp` is the built pipeline, as `curate.nlp.pipeline.load` gives)."""
    names = nlp.get_pipe("higm_entities").phenotype_ids
    ontology = hpo.load()

    def find(text: str, start: int, end: int, hpo_id: str) -> list[tuple[int, int, str]]:
        parents = ontology.ancestors(hpo_id)
        if not parents:
            return []
        tokens = nlp.tokenizer(text[start:end])[:MAX_TOKENS]
        found = []
        for i in range(len(tokens)):
            for j in range(i + 1, len(tokens) + 1):
                if j - i == len(tokens):
                    continue  # the mention itself
                window = tokens[i:j]
                # folded as the names were (entities.plain: "naïve" is "naive")
                parent = names.get(plain(window.text).lower())
                if parent in parents:
                    found.append((start + window.start_char, start + window.end_char, parent))
        return found
    return find
