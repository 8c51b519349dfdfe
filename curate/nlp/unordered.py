"""Phenotype names found with their words in another order or a few words apart ("IgM
levels were elevated", "hyperplasia of the mandibular coronoid processes", "duplication of
the urinary collecting system"), as FastHPOCR matches: the content words of an HPO name or
synonym, stemmed, all within a short stretch of one clause.

Each name is indexed under its rarest stem, so a sentence costs one dictionary look-up per
word plus a check of the few names anchored there; a match spans at most the name's words
plus `MAX_GAP` others, so no window search grows with the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from spacy.tokens import Doc, Span

from curate.nlp.sentences import sentence_starts

MAX_GAP = 1          # content words inside a match that belong to no part of the name
MIN_WORDS, MAX_WORDS = 2, 5
STOP_WORDS = {"of", "the", "a", "an", "and", "or", "in", "on", "at", "to", "for", "with", "by",
              "from", "due", "is", "are", "was", "were", "be", "been", "its", "their", "his",
              "her", "that", "which", "as", "into", "than", "both", "other", "type", "form"}
# words that end a clause or a list item: a name's words are not gathered across them
CLAUSE_ENDS = {";", ":", ".", "but", "while", "whereas", "although", "however", "(", ")",
               ",", "and", "or"}  # list items are the composition rules' job
# words whose stems differ but which HPO and abstracts use for one another
# (not "defect": "T-cell defects" is no abnormal T cell morphology)
SAME_STEM = {"anomali": "abnorm", "anomal": "abnorm", "malform": "abnorm", "abnormal": "abnorm"}
_WORD = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    root = _stemmer.stemWord(word)
    return SAME_STEM.get(root, root)


def content_stems(phrase: str) -> tuple[str, ...] | None:
    """The stems of a name's content words, or None when it has too few or too many (one
    word is the phrase index's job; a long name in any order would match noise)."""
    words = [w for w in _WORD.findall(phrase.lower()) if w not in STOP_WORDS]
    stems = tuple(dict.fromkeys(stem(w) for w in words))
    if not MIN_WORDS <= len(stems) <= MAX_WORDS or len(stems) != len(words):
        return None
    # one- and two-letter words ("T cell", "IgG 2") read in any order match noise; cell
    # populations are the generated analytes' job
    if any(len(s) < 3 for s in stems):
        return None
    return stems


@dataclass
class UnorderedIndex:
    # anchor stem -> [(the name's other stems, its HPO ID)]
    by_anchor: dict[str, list[tuple[tuple[str, ...], str]]]


def build_unordered(phenotype_ids: dict[str, str]) -> UnorderedIndex:
    """From lower-cased phenotype phrases -> HPO ID. A stem set two terms share is left out."""
    owners: dict[tuple[str, ...], set[str]] = {}
    for phrase, hpo_id in phenotype_ids.items():
        stems = content_stems(phrase)
        if stems is not None:
            owners.setdefault(tuple(sorted(stems)), set()).add(hpo_id)
    frequency: dict[str, int] = {}
    for stems in owners:
        for s in stems:
            frequency[s] = frequency.get(s, 0) + 1
    by_anchor: dict[str, list] = {}
    for stems, ids in owners.items():
        if len(ids) != 1:
            continue
        anchor = min(stems, key=lambda s: (frequency[s], s))
        others = tuple(s for s in stems if s != anchor)
        by_anchor.setdefault(anchor, []).append((others, next(iter(ids))))
    return UnorderedIndex(by_anchor)


def unordered_matches(doc: Doc, lowers: list[str], index: UnorderedIndex,
                      taken: set[int]) -> list[Span]:
    """PHENOTYPE spans for names whose words stand in another order or apart; `taken`: token
    indices already inside an entity, which a match may not touch."""
    found: list[tuple[int, int, int, str]] = []  # (start, end, number of stems, HPO ID)
    starts = sentence_starts(doc) + [len(doc)]
    for lo, hi in zip(starts, starts[1:]):
        stems: list[str | None] = []
        clause: list[int] = []
        number = 0
        for i in range(lo, hi):
            word = lowers[i]
            if word in CLAUSE_ENDS:
                number += 1
            clause.append(number)
            stems.append(stem(word) if word.isalnum() and word not in STOP_WORDS else None)
        for offset, anchor in enumerate(stems):
            if anchor is None or anchor not in index.by_anchor:
                continue
            for others, hpo_id in index.by_anchor[anchor]:
                span = _gather(stems, clause, offset, others)
                if span is not None:
                    found.append((lo + span[0], lo + span[1], len(others) + 1, hpo_id))
    spans = []
    # the most specific name first: more stems, then the shorter stretch
    for start, end, _, hpo_id in sorted(found, key=lambda f: (-f[2], f[1] - f[0], f[0])):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        spans.append(Span(doc, start, end, label="PHENOTYPE", kb_id=hpo_id))
    return spans


def _gather(stems: list[str | None], clause: list[int], at: int,
            others: tuple[str, ...]) -> tuple[int, int] | None:
    """The nearest place of each other stem around `at` in its clause, if all fit in the
    name's length plus MAX_GAP words."""
    reach = len(others) + 1 + MAX_GAP
    lo, hi = max(0, at - reach), min(len(stems), at + reach + 1)
    used = {at}
    for wanted in others:
        best = None
        for j in range(lo, hi):
            if stems[j] == wanted and j not in used and clause[j] == clause[at]:
                if best is None or abs(j - at) < abs(best - at):
                    best = j
        if best is None:
            return None
        used.add(best)
    start, end = min(used), max(used) + 1
    # stop words and punctuation may stand between ("hyperplasia of the mandibular coronoid
    # processes"); content words of no part of the name count against MAX_GAP
    if sum(1 for j in range(start, end) if stems[j] is not None and j not in used) > MAX_GAP:
        return None
    return start, end
