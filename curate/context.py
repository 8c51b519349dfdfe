"""The context test: is the subject deficient, mutated, knocked out or blocked here?

docs/claims.md: a gene's expression in a tumour, its protein given as a drug or engineered
into cells, or its level as a biomarker makes no claim; in a pathway sentence the claim goes
only to the partner that is deficient in the study; a phenotype a therapy causes is not the
gene's; a subgroup defined by the absence of a finding makes no claim about it.

Plain functions over text and character offsets, so the claim builder (and tests) can use
them without spaCy objects.
"""
from __future__ import annotations

import re

STRONG_DEFICIENT = re.compile(
    r"deficien|mutat|mutant|knock[- ]?out|knocked|\b\w+-/-|[-−–]/[-−–]|\bnull\b|"
    r"lack(s|ing)?\b|absence of|loss[- ]of[- ]function|gain[- ]of[- ]function|defect|"
    r"block(ade|ing|ed)|\banti-|antibod(y|ies) (to|against)|neutrali[sz]|delet|hypomorph|"
    r"disrupt|inactivat|abolish|hemizygous|homozygous|heterozygous|germline", re.I)
# weaker: the gene named in a patient or disease context, with no cue either way
DEFICIENT = re.compile(r"patients? with|syndrome|disease|disorder|impair|inherited|variant", re.I)
NOT_DEFICIENT = re.compile(
    r"express(ed|ion|ing)?\b|overexpress|up-?regulat|agonist|\bCAR[- ]?T\b|chimeric antigen|"
    r"\barmed\b|engineered|transduced|soluble|\bsCD40L?\b|serum levels?|plasma levels?|"
    r"circulating levels?|biomarker|recombinant|administ|vaccine|adjuvant|"
    r"\btumou?r cells?\b|lymphoma cells?|leuka?emia cells?|oncogen|off-target|target(s|ed|ing)? ",
    re.I)
PATHWAY = re.compile(
    r"(interaction|pathway|signal\w*|axis|binding|engagement|ligation|heterodimer|complex|"
    r"dyad|system|costimulation|co-stimulation)", re.I)
THERAPY_CAUSE = re.compile(
    r"(after|following|post[- ]?|secondary to|induced by|caused by|complications? of|"
    r"related to|associated with)\W+(\w+\W+){0,4}$", re.I)
# a therapy named as the grammatical cause of what follows ("gene transfer ... caused
# lymphoproliferative disease", "HSCT was complicated by GvHD")
THERAPY_CAUSES = re.compile(
    r"\b(caus(ed|es|ing)|induc(ed|es|ing)|led to|leads to|lead to|result(ed|s)? in|"
    r"complicated by|provok\w+|trigger(ed|s)|gave rise to|precipitat\w+)\b", re.I)
THERAPY_RESOLVES = re.compile(r"\b(correct\w*|resolv\w*|cur(ed|es)|revers\w+|prevent\w*|"
                              r"restor\w+|improv\w+|rescu\w+)\b", re.I)
SUBGROUP_WITHOUT = re.compile(
    r"\b(those|patients|children|subjects|cases|individuals|ones|group)\s+(who\s+(were|had)\s+)?"
    r"without\s+(\w+\W+){0,2}$", re.I)


def gene_is_deficient(sentence: str, start: int, end: int, window: int = 60) -> bool | None:
    """True when the sentence describes the gene at [start, end) as deficient, False when it
    describes it only as expressed, given or measured, None when it says neither. Cues next
    to the name ("CD40 agonist", "AID-deficient") decide before cues further away."""
    close = sentence[max(0, start - 15):min(len(sentence), end + 20)]
    near = sentence[max(0, start - window):min(len(sentence), end + window)]
    for text in (close, near):
        if STRONG_DEFICIENT.search(text):
            return True
        if NOT_DEFICIENT.search(text):
            return False
    return True if DEFICIENT.search(near) else None


def in_pathway_phrase(sentence: str, start: int, end: int) -> bool:
    """'the CD40-CD40L interaction', 'CD40/CD154 signalling', 'Msh2-Msh6 heterodimer'."""
    before = sentence[max(0, start - 25):start]
    after = sentence[end:end + 40]
    joined_before = re.search(r"\w[-–/]\s*$", before) is not None
    joined_after = re.match(r"\s*[-–/]\s*\w", after) is not None
    if not (joined_before or joined_after):
        return False
    tail = after if joined_before else after[re.match(r"\s*[-–/]\s*[\w-]+", after).end():]
    return PATHWAY.match(tail.strip() or "-") is not None or PATHWAY.search(tail[:30]) is not None


def caused_by_therapy(sentence: str, therapy_starts: list[int]) -> bool:
    """A phenotype sentence whose therapy is introduced as its cause ('GvHD after HSCT')."""
    return any(THERAPY_CAUSE.search(sentence[max(0, s - 60):s]) for s in therapy_starts)


def therapy_causes(sentence: str, therapy_ends: list[int], start: int) -> bool:
    """'CD40L gene transfer ... caused lymphoproliferative disease': a therapy before the
    finding, and between them a verb that makes the therapy its cause (the nearest such
    verb, so 'corrected the defect but caused X' is caused and 'caused ... corrected X' is not)."""
    for end in therapy_ends:
        if not 0 <= start - end <= 120:
            continue
        between = sentence[end:start]
        causes = [m.end() for m in THERAPY_CAUSES.finditer(between)]
        resolves = [m.end() for m in THERAPY_RESOLVES.finditer(between)]
        if causes and (not resolves or causes[-1] > resolves[-1]):
            return True
    return False


def subgroup_without(sentence: str, start: int) -> bool:
    """'72% of those without hepatic disease': the finding defines a subgroup."""
    return SUBGROUP_WITHOUT.search(sentence[max(0, start - 50):start]) is not None
