"""Quantity findings as rules over a cue and an analyte in one clause ('low IgG, IgA and
IgM', 'IgM levels were normal or raised', 'impaired class switching'), from
`lexicons/quantity_rules.json`: the nearest cue sets the direction and coordinated analytes
share it."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from curate.nlp.sentences import sentence_bounds, sentence_starts


# HPO names that are themselves an absence or a decrease
ABSENCE_NAME = re.compile(r"^(Absent|Absence|Aplasia|Agenesis|Decreased|Reduced|Low|Impaired|"
                          r"Loss|Lack|Defective|Hypoplasia|Hypoplastic|Deficiency)\b")
_ABSENCE_WORDS = {"absent", "absence", "lack", "lacking", "lacked", "undetectable", "missing",
                  "no", "not", "without", "loss", "decreased", "reduced", "low", "impaired"}
_AFTER_ABSENT = re.compile(r"^(was|were|is|are)( (completely|totally|entirely|virtually|"
                           r"almost|nearly))? (absent|undetectable|missing|lacking|not detect\w*)\b")
_BEFORE_ABSENT = re.compile(r"\b(no|absent|absence of|lack of|loss of|complete lack of)$")


def absence_stated(span: Span, lowers: list[str]) -> bool:
    """'Germinal centers were absent', 'no germinal centers' for a finding named as an
    absence: the cue words state the finding, they do not negate it."""
    if any(lowers[i] in _ABSENCE_WORDS for i in range(span.start, span.end)):
        return False
    sent_end = min(len(lowers), span.end + 5)
    after = " ".join(lowers[span.end:sent_end])
    before = " ".join(lowers[max(0, span.start - 3):span.start])
    return bool(_AFTER_ABSENT.match(after) or _BEFORE_ABSENT.search(before))


# the cues an analyte generated from HPO takes ("alpha-fetoprotein was elevated"): plain
# level words, not the broad ones hand-made analytes take ("complete", "no", "loss")
GENERATED_CUES = {"low", "lower", "decreased", "reduced", "diminished", "undetectable", "few", "very few",
                  "absent",
                  "very low", "markedly reduced", "severely reduced", "high", "higher",
                  "elevated", "increased", "raised"}

# and those a generated function of cells takes ("impairment of T cell function", "T cell
# proliferation was defective", "B cells proliferated weakly")
FUNCTION_CUES = {"impaired", "impairment", "impairment of", "impairment in", "defective",
                 "defect in", "defects in", "poor", "reduced", "decreased", "diminished",
                 "abolished", "abrogated", "failure of", "weak", "weakly", "absent", "low"}
# a generated count also takes the words of a change in proportion ("expansion of γδ T cells")
GENERATED_COUNT_CUES = {"increase", "increase in", "expansion", "expansion of", "expanded",
                        "increased frequency of", "elevated frequency of",
                        "increased portion of", "increased percentage of",
                        "decreased percentage of", "reduced percentage of",
                        "increased proportion of", "increased numbers of", "decrease in",
                        "reduction in", "decreased numbers of", "reduced numbers of",
                        "low numbers of", "decreased proportion of", "reduced proportion of",
                        "absence of", "lack of", "loss of", "lacked", "lacking",
                        # the noun alone, its "of" a level word ("the absence of circulating B cells")
                        "absence", "lack", "loss"}
# every cue a generated count takes, built once: it is read for each analyte with a cue
COUNT_CUES = GENERATED_CUES | GENERATED_COUNT_CUES

# a cue that is a verb with its object after it ("B cells are unable to undergo class
# switching"): after a copula it is still the next analyte's
_TAKES_OBJECT = re.compile(r"^(unable to|fail|failed|fails|inability to) ")
_COPULAS = ("was", "were", "is", "are", "remained", "been")
_LIST_JOINS = {",", "and", "or", "/"}
# words that make a gene's name a deficiency ("UNG deficiency"), never a level's cue there
_NAME_TAILS = {"deficiency", "deficiencies", "deficient", "defect", "defects"}
# words that open a new clause after a comma: its cue is not the earlier analyte's
_CLAUSE_OPENERS = {"they", "we", "he", "she", "it", "which", "who", "whose", "this", "these"}


def modifies_another_noun(cue: Span, analyte: Span, lowers: list[str], in_analyte: set[int]) -> bool:
    """'increased microhomology, and serum IgG2': before the list join that leads to the
    analyte, the cue already has a noun of its own that is no analyte (`in_analyte`: the
    token indices inside analytes)."""
    for k in range(cue.end, analyte.start):
        if lowers[k] in _LIST_JOINS:
            return k > cue.end and not any(m in in_analyte for m in range(cue.end, k))
    return False


def postposed(cue: Span, lowers: list[str], sent_start: int) -> bool:
    """The cue follows a copula, maybe through an adverb: 'IgM was (markedly) elevated'."""
    before = cue.start - 1
    if before > sent_start and lowers[before].endswith("ly"):
        before -= 1
    return before >= sent_start and lowers[before] in _COPULAS


def next_analyte(cue: Span, sent_end: int, lowers: list[str], analyte_at: dict) -> bool:
    """An analyte follows the cue at once ('normal or elevated IgM'), not across a clause
    word ('elevated while IgG ...')."""
    for k in range(cue.end, min(sent_end, cue.end + 2)):
        if k in analyte_at:
            return True
        if lowers[k] in ("while", "whereas", "but", "although", ";"):
            return False
    return False


# what may stand between a generated analyte and its cue ("elevated serum alpha-fetoprotein",
# "alpha-fetoprotein levels were raised"); "elevated genomic uracil" is no serum level
_LEVEL_WORDS = {"serum", "plasma", "blood", "circulating", "levels", "level", "concentration",
                "concentrations", "of", "was", "were", "is", "are", "remained", "the", "number",
                "numbers", "proportion", "proportions", "percentage", "frequency", "count", "counts",
                "portion", "percentages", "naive", "naïve", "peripheral"}


_DETERMINERS = {"their", "his", "her", "its", "total", "a", "an", "these", "those", "that"}


def plain_level(cue: tuple, analyte: Span, lowers: list[str], in_analyte: set[int],
                functional: bool = False) -> bool:
    """The cue is a plain level word and only level words stand between it and the analyte,
    besides the other analytes of a list ('naive T cells and memory B cells were reduced')."""
    _, _, text, gap_start, gap_end, _ = cue
    if analyte.start > 0 and gap_end != analyte.start:
        # a postposed cue: the word before the analyte must not make it a subpopulation
        # ("regulatory T cells were decreased" is no T-cell count)
        before = lowers[analyte.start - 1]
        if (before.isalpha() and before not in _LEVEL_WORDS and before not in _LIST_JOINS
                and before not in _DETERMINERS):
            return False
    gap = range(gap_start, gap_end)
    # other analytes may stand between only as items of a list, not as a modifier
    # ("reduced germinal center B cells" is a subpopulation)
    listed = any(lowers[k] in _LIST_JOINS for k in gap)
    allowed = FUNCTION_CUES if functional else COUNT_CUES
    return text in allowed and all(
        lowers[k] in _LEVEL_WORDS or lowers[k] in _LIST_JOINS or (listed and k in in_analyte)
        for k in gap)


def switch_target(start: int, sent_start: int, lowers: list[str], analyte_at: dict) -> bool:
    """The isotype at `start` follows 'to' directly or through a list ('to IgG and IgE')."""
    i = start - 1
    while i >= sent_start:
        if lowers[i] == "to":
            return True
        if lowers[i] in _LIST_JOINS:
            i -= 1
            continue
        # step back over an earlier isotype of the list
        earlier = next((a for a in analyte_at.values() if a.end == i + 1), None)
        if earlier is None:
            return False
        i = earlier.start - 1
    return False


_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve", "all", "most", "half", "some", "others"}


def states_its_value(analyte: Span, sent_end: int, lowers: list[str]) -> bool:
    """'IgM of 4.5 g/L', 'IgG < 1 g/L', 'IgM 3.2 g/L': the analyte's measured value follows."""
    k = analyte.end
    if k < sent_end and lowers[k] in ("of", "<", ">", "=", "was", "were", "at"):
        k += 1
    return k < sent_end and lowers[k][:1].isdigit()


def gapped(analyte: Span, sent_end: int, lowers: list[str]) -> bool:
    """'... and IgA in five': an analyte after a list join followed by 'in' and a count,
    whose verb the sentence left out."""
    if analyte.start == 0 or lowers[analyte.start - 1] not in ("and", ","):
        return False
    if analyte.end + 1 >= sent_end or lowers[analyte.end] != "in":
        return False
    count = lowers[analyte.end + 1]
    return count[:1].isdigit() or count in _NUMBER_WORDS


# words before an analyte that make it a reagent ("an anti-CD40 antibody", "blocking
# antibodies") or a treatment measure ("trough IgG levels")
REAGENT_WORDS = {"monoclonal", "blocking", "agonistic", "neutralizing", "neutralising",
                 "polyclonal", "secondary", "trough", "infused", "administered"}

# words after an isotype that make it a cell marker rather than a serum level
CELL_WORDS = {"bright", "dull", "+", "positive", "expressing", "memory", "b", "cells", "only",
              "cell", "producing", "secreting", "switched", "bearing"}


# words that make an analyte the first half of a compound adjective ("antibody-independent",
# "IgE-mediated", "IgA-producing cells")
_COMPOUND_HEADS = {"independent", "dependent", "mediated", "producing", "secreting", "related",
                   "induced", "driven", "coated", "binding", "switched"}
_VERB_CUES = {"complete", "lack", "block", "abolish", "abrogate", "reduce", "decrease",
              "increase", "raise", "lower"}


def quantities(doc: Doc, cues: list[Span], analytes: list[Span], lowers: list[str],
               rules: dict, named: set[int] = frozenset()) -> list[Span]:
    """'low IgG, IgA and IgM', 'IgM levels were normal or raised' -> HPO spans. `named`:
    the token indices of gene and disease names."""
    if not analytes or not cues:
        return []
    starts = sentence_starts(doc)
    # "Ung-deficient mice", "switched memory B cells in UNG deficiency": a cue joined to a
    # gene by a hyphen, or part of a gene's or disease's name, is the gene's, not a level's
    cues = [c for c in filter_spans(cues) if not (c.start > 0 and lowers[c.start - 1] in ("-", "–"))
            and c.start not in named
            and not (c.start - 1 in named and lowers[c.start] in _NAME_TAILS)
            # "to complete CSR": a cue word that is also a verb's base form names no level
            # after "to" ("leading to reduced IgG" still does)
            and not (c.start > 0 and lowers[c.start - 1] == "to" and c.text.lower() in _VERB_CUES)]
    analytes = filter_spans(analytes)
    info = rules["analytes"]
    # "normal" ends a clause's reach: "poor antibody responses and normal IgG"
    stops = {"with", "but", "whereas", "while", "although", ";", "than", "compared", "normal"}
    out = []
    isotypes = set(rules.get("isotype_analytes", []))
    response_words = set(rules.get("response_words", []))
    requirements = set(rules.get("requirement_cues", []))
    cue_ending = {c.end - 1: c for c in cues}
    cue_starting = {c.start: c for c in cues}
    in_analyte = {i for a in analytes for i in range(a.start, a.end)}
    analyte_at = {a.start: a for a in analytes}
    directions: dict[int, tuple] = {}  # analyte start -> the direction it took, in text order
    for analyte in analytes:
        sent = sentence_bounds(doc, starts, analyte.start)
        label = analyte.label_
        before = lowers[max(0, analyte.start - 3):analyte.start]
        if before and (before[-1] in REAGENT_WORDS
                       or any(w == "anti" or w.startswith("anti-") for w in before)):
            continue  # "an anti-CD40 antibody", "monoclonal antibodies": a reagent, not a level
        following = (lowers[analyte.end + 1] if analyte.end + 1 < sent.end
                     and lowers[analyte.end] in ("-", "–") else
                     lowers[analyte.end] if analyte.end < sent.end else "")
        if label in isotypes and (following in CELL_WORDS or following.startswith("anti")):
            continue  # "IgM bright B cells", "IgM anti-nuclear antibodies": not a serum level
        if (analyte.end < sent.end and lowers[analyte.end] in ("-", "–")
                and following in _COMPOUND_HEADS):
            continue  # "antibody-independent autoimmunity": the analyte names a kind, no level
        if label in isotypes and switch_target(analyte.start, sent.start, lowers, analyte_at):
            continue  # "switching to IgG and IgE": the isotypes switched to, not serum levels
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
            if analyte.start > sent.start and lowers[analyte.start - 1] in ("specific", "antigen-specific"):
                label = "spec_ab"  # "no specific IgG": an antibody response, not the serum level
        # the nearest cue in the clause sets the direction ("IgM was high, IgG low");
        # coordinated analytes share it from either side ("low IgG and IgA", "IgG and IgA
        # were undetectable")
        # distances count words, not the list's other analytes and joins
        left = right = None
        i, distance = analyte.start - 1, 0
        # the reach counts words, not a list's items and joins ("low concentrations of IgG,
        # IgA, and IgM"), within a bounded stretch
        while i >= max(sent.start, analyte.start - 24) and distance < 7:
            if lowers[i] in stops:
                break
            if i in cue_ending:
                cue = cue_ending[i]
                if (cue.start > sent.start and lowers[cue.start - 1] in _COPULAS
                        and not _TAKES_OBJECT.match(cue.text.lower())
                        and cue.text.lower() not in requirements):  # "is essential for CSR"
                    break  # "IgM was elevated and IgG ...": the earlier analyte's cue
                if modifies_another_noun(cue, analyte, lowers, in_analyte):
                    break  # "increased microhomology, and IgG2": the cue of another noun
                left = (distance + 1, cue.label_, cue.text.lower(), i + 1, analyte.start, cue)
                break
            if lowers[i] not in _LIST_JOINS and i not in in_analyte:
                distance += 1
            i -= 1
        if i >= sent.start and lowers[i] == "normal" and i == analyte.start - 1:
            continue  # "patients with normal IgM, they had lower survival": stated normal
        if left and left[3] != analyte.start and states_its_value(analyte, sent.end, lowers):
            left = None  # "absent IgA and IgM of 4.5 g/L": IgM's own value, not the list's cue
        j, budget, distance = analyte.end, 6, 0
        while j < sent.end and budget > 0:
            if (lowers[j] == "normal" and j + 3 < sent.end and lowers[j + 1] == "in"
                    and lowers[j + 2][:1].isdigit() and lowers[j + 3] in ("and", ",", "or")):
                j += 4  # "IgM was normal in 5 and elevated in 10": the next cue is the finding
                continue
            if lowers[j] in stops and j not in cue_starting:  # "were normal or raised" is a cue
                break
            if lowers[j] == "," and j + 1 < sent.end and lowers[j + 1] in _CLAUSE_OPENERS:
                break  # "..., they had lower survival": a new clause with its own subject
            if j in analyte_at:
                j = analyte_at[j].end
                continue
            if j in cue_starting:
                cue = cue_starting[j]
                # "low IgG and IgA, normal or elevated IgM": a cue before the next analyte is its own
                if postposed(cue, lowers, sent.start) or not next_analyte(cue, sent.end, lowers, analyte_at):
                    right = (distance + 1, cue.label_, cue.text.lower(), analyte.end, j, cue)
                break
            if lowers[j] not in _LIST_JOINS:
                distance += 1
            j += 1
            budget -= 1
        nearest = min((c for c in (left, right) if c), default=None, key=lambda c: c[0])
        direction = nearest[1] if nearest else None
        if nearest and info[label].get("generated") and not plain_level(
                nearest, analyte, lowers, in_analyte, bool(info[label].get("functional"))):
            # an analyte read off HPO takes only a plain level word next to it; a list's
            # gapped item may still take the earlier item's ("reduced B cells in 75%, CD4
            # T cells in 69%")
            direction = nearest = None
        if direction is None and nearest is None and gapped(analyte, sent.end, lowers):
            # "IgG2 was decreased in seven patients and IgA in five": the verb left out
            earlier = [taken for start, taken in directions.items() if sent.start <= start < analyte.start]
            if earlier:
                direction, nearest = earlier[-1]
        if direction:
            directions[analyte.start] = (direction, nearest)
        hpo_id = info[label].get(direction) if direction else None
        if hpo_id:
            span = Span(doc, analyte.start, analyte.end, label="PHENOTYPE", kb_id=hpo_id)
            span._.quantity = True
            if nearest[2] in requirements:
                span._.needs_named_gene = [nearest[5].start, nearest[5].end]
            out.append(span)
    return out
