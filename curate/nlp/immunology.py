"""Immunology findings composed over a clause, where HIGM abstracts write compositionally
what HPO names in one phrase:

- a cell population's function with its direction: 'T cell receptor-mediated proliferation
  was impaired', 'B lymphocytes proliferated weakly', 'T and B cell functional defects',
  'T cells ... were normal with regard to activation and proliferation' (a stated normal);
- lymphocyte death: 'T cell blasts displayed enhanced activation-induced cell death';
- coordinated modifiers sharing one cell head: 'naive, switched and memory B cells were
  reduced', 'naive T and memory B cell counts were low' (extra analytes for quantities.py);
- immunoglobulin classes listed after a distant deficiency: 'Ig deficiencies are common,
  affecting IgG4 in 65% of patients, IgA in 63%, ...';
- infections stated for patients without 'recurrent': 'Infections were recorded in 12
  patients', 'chronic parvovirus infection'.

The terms come from HPO's own names (`immunology_terms`), so a cell and a function HPO has
no term for yield nothing. Every scan is bounded by a clause and a fixed window: linear in
the abstract's length.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from curate.nlp.sentences import sentence_bounds, sentence_starts

if not Span.has_extension("stated_normal"):
    # 'proliferation was normal': the finding is stated absent (a negated claim), which
    # NegEx's cue lists do not read
    Span.set_extension("stated_normal", default=False)

# how an abstract writes a function: the token -> the function HPO names
FUNCTION_FORMS = {
    "proliferation": "proliferation", "proliferative": "proliferation",
    "proliferated": "proliferation", "proliferate": "proliferation",
    "activation": "activation", "differentiation": "differentiation",
    "differentiate": "differentiation", "differentiated": "differentiation",
    "function": "function", "functions": "function", "functional": "function",
    "maturation": "maturation",
}
DECREASE = {"impaired", "impairment", "defective", "defect", "defects", "deficient", "reduced",
            "decreased", "diminished", "poor", "poorly", "weak", "weakly", "low", "abolished",
            "abrogated", "absent", "failed", "fail", "fails", "failure", "lack", "lacked",
            "lacking", "compromised", "dysfunction", "defective", "unable", "inability"}
INCREASE = {"increased", "enhanced", "elevated", "excessive", "accelerated", "higher", "high",
            "augmented"}
NORMAL = {"normal", "normally", "intact", "unaffected", "preserved"}
_CELL_LETTERS = {"t": "t", "b": "b", "nk": "nk", "tcr": "t", "bcr": "b"}
_CELL_WORDS = {"cell", "cells", "lymphocyte", "lymphocytes", "blasts", "blast"}
_LINKS = {"-", "–"}
# words that close a clause: a cue or a cell beyond them is another clause's
_CLAUSE_BREAKS = {";", "but", "whereas", "while", "although", "however", "except", "which",
                  "whose", "than"}
_LEFT, _RIGHT = 20, 10
_LYMPHOID = re.compile(r"\b(lymphocytes?|[tb][- ]cells?|[tb][- ]lymphocytes?|blasts?|"
                       r"germinal|gc|thymocytes?|nk cells?)\b")
_DEATH = {"apoptosis", "death"}
_IG_WORDS = {"immunoglobulin", "immunoglobulins", "ig", "antibody", "antibodies", "isotype",
             "isotypes", "subclass", "subclasses"}
_DEFICIENCY_WORDS = {"deficiency", "deficiencies", "deficient", "defects", "defect"}
_INFECTION_VERBS = {"recorded", "reported", "observed", "documented", "seen", "noted",
                    "occurred", "developed", "present", "common", "frequent", "diagnosed"}
_COPULAS = {"was", "were", "is", "are", "had", "have"}


_WORDING = ["impaired", "defective", "decreased", "reduced", "lack of"]


def _stated(doc: Doc, start: int, end: int, hpo_id: str, normal: bool = False) -> Span:
    """A finding its own direction word states (NegEx does not read these words): a
    decrease or increase, or with `normal` a stated normal, which is a negated claim."""
    span = Span(doc, start, end, label="PHENOTYPE", kb_id=hpo_id)
    span._.quantity = True
    span._.stated_normal = normal
    return span


def immunology_terms(names: dict[str, str]) -> dict[str, dict[str, str]]:
    """(cell, function) -> HPO term, read off HPO's names ({id: name}): 'Defective T cell
    proliferation', 'Decreased T cell activation', 'Impaired T cell function'; 'Abnormal X'
    only where HPO has no plainer term, and 'Abnormality of X cell physiology' as a
    population's function where HPO has no 'Impaired X cell function'."""
    plain: dict[str, tuple[int, str]] = {}
    abnormal: dict[str, str] = {}
    physiology: dict[str, str] = {}
    for hpo_id, name in sorted(names.items()):
        lower = name.lower()
        m = re.fullmatch(r"(impaired|defective|decreased|reduced|abnormal|lack of) "
                         r"(t|b|nk|natural killer) cell (proliferation|activation|"
                         r"differentiation|function|maturation)", lower)
        if m:
            cell = "nk" if m.group(2) == "natural killer" else m.group(2)
            if m.group(1) == "abnormal":
                abnormal[f"{cell} {m.group(3)}"] = hpo_id
                continue
            # the plainest decrease wins ('Impaired T cell function', not 'Lack of T cell
            # function', which is an absence)
            rank = _WORDING.index(m.group(1))
            key = f"{cell} {m.group(3)}"
            if key not in plain or rank < plain[key][0]:
                plain[key] = (rank, hpo_id)
            continue
        m = re.fullmatch(r"abnormal(?:ity of)? (t|b|natural killer) cell physiology", lower)
        if m:
            physiology["nk" if m.group(1) == "natural killer" else m.group(1)] = hpo_id
    functions = {**abnormal, **{key: hpo_id for key, (_, hpo_id) in plain.items()}}
    for cell, hpo_id in physiology.items():
        functions.setdefault(f"{cell} function", hpo_id)
    death = {direction: next((i for i, n in names.items()
                              if n.lower() == f"{direction} lymphocyte apoptosis"), None)
             for direction in ("increased", "decreased")}
    switch = next((i for i, n in names.items() if n == "Impaired Ig class switch recombination"), None)
    return {"functions": functions, "death": {k: v for k, v in death.items() if v},
            "class_switch": switch}


def _clause(lowers: list[str], i: int, sent_start: int, sent_end: int) -> tuple[int, int]:
    lo = i
    while lo > max(sent_start, i - _LEFT) and lowers[lo - 1] not in _CLAUSE_BREAKS:
        lo -= 1
    hi = i + 1
    while hi < min(sent_end, i + 1 + _RIGHT) and lowers[hi] not in _CLAUSE_BREAKS:
        hi += 1
    return lo, hi


def _cell_at(lowers: list[str], k: int, end: int) -> tuple[str, int] | None:
    """'T cells', 'T-cell', 'B lymphocytes', 'TCR' at k -> (cell, end of the mention)."""
    letter = _CELL_LETTERS.get(lowers[k])
    if letter is None:
        return None
    if lowers[k] in ("tcr", "bcr"):
        return letter, k + 1
    j = k + 1
    if j < end and lowers[j] in _LINKS:
        j += 1
    if j < end and lowers[j] in _CELL_WORDS:
        return letter, j + 1
    return None


def _cells(lowers: list[str], lo: int, hi: int, i: int) -> list[tuple[str, int, int]]:
    """The cell population a function word at i belongs to, nearest first, with the cells
    coordinated before it ('T and B cell functional defects': b, then t)."""
    found = []
    for k in range(i - 1, lo - 1, -1):
        cell = _cell_at(lowers, k, hi)
        if cell:
            found.append((cell[0], k, cell[1]))
            j = k - 1
            # elided heads: 'T and B cell', 'T, B and NK cell'
            while j - 1 >= lo and lowers[j] in (",", "and", "or") and lowers[j - 1] in _CELL_LETTERS:
                found.append((_CELL_LETTERS[lowers[j - 1]], j - 1, j))
                j -= 2
            return found
    # 'proliferation of B cells', 'proliferation and class switch of B cells'
    for k in range(i + 2, min(hi, i + 8)):
        if lowers[k - 1] == "of":
            cell = _cell_at(lowers, k, hi)
            if cell:
                return [(cell[0], k, cell[1])]
    return []


def _direction(lowers: list[str], lo: int, hi: int, i: int) -> str | None:
    """The nearest direction word of the clause: 'decrease', 'normal' or None."""
    for distance in range(1, max(i - lo, hi - i)):
        for k in (i - distance, i + distance):
            if lo <= k < hi:
                word = lowers[k]
                if word in DECREASE:
                    return "decrease"
                if word in NORMAL:
                    return "normal"
    return None


# words that may stand right before a cell's function word: the cell itself, a list, a
# modifier of the stimulus ("T cell receptor-mediated proliferation")
_BEFORE_FUNCTION = {"cell", "cells", "lymphocyte", "lymphocytes", "blasts", "and", "or", ",", "of",
                    "the", "their", "its", "in", "-", "mediated", "induced", "dependent",
                    "specific", "antigen", "mitogen", "t", "b", "nk", "tcr", "bcr", "normal",
                    "(", "overall"}
_STIMULUS_BEFORE = {"to", "upon", "after", "following", "on", "by", "via"}


def _owned_by_a_cell(lowers: list[str], i: int) -> bool:
    """The function word at i is a cell population's: not another noun's ('monocyte
    function'), not a stimulus ('in response to activation', 'after activation')."""
    if i == 0:
        return True
    before = lowers[i - 1]
    if lowers[i] == "activation" and before in _STIMULUS_BEFORE:
        return False
    return (before in _BEFORE_FUNCTION or before in DECREASE or before in NORMAL
            or not before.isalpha() or before.endswith("ly"))


def cell_functions(doc: Doc, lowers: list[str], terms: dict) -> list[Span]:
    """A cell population's function with a decrease or a stated normal in its clause."""
    functions = terms.get("functions", {})
    if not functions:
        return []
    starts = sentence_starts(doc)
    out = []
    for i, word in enumerate(lowers):
        function = FUNCTION_FORMS.get(word)
        if function is None and word in ("switch", "switching") and i and lowers[i - 1] == "class":
            # class switching is the B cell's alone: the clause need not name a cell
            sent = sentence_bounds(doc, starts, i)
            lo, hi = _clause(lowers, i, sent.start, sent.end)
            direction = _direction(lowers, lo, hi, i)
            if direction and terms.get("class_switch"):
                out.append(_stated(doc, i - 1, i + 1, terms["class_switch"], direction == "normal"))
            continue
        if function is None or not _owned_by_a_cell(lowers, i):
            continue
        sent = sentence_bounds(doc, starts, i)
        lo, hi = _clause(lowers, i, sent.start, sent.end)
        cells = _cells(lowers, lo, hi, i)
        if not cells:
            continue
        direction = _direction(lowers, lo, hi, i)
        if direction is None:
            continue
        for n, (cell, start, end) in enumerate(cells):
            hpo_id = functions.get(f"{cell} {function}")
            if hpo_id is None:
                continue
            # the nearest cell's span runs to the function word when it is next to it; a
            # coordinated one is its own letter ('T' of 'T and B cell functional defects')
            if n == 0 and abs(i - start) <= 4:
                start, end = min(start, i), max(end, i + 1)
            elif n == 0:
                start, end = i, i + 1
            out.append(_stated(doc, start, end, hpo_id, direction == "normal"))
    return out


def stated_normal(doc: Doc, analytes: list[Span], lowers: list[str], info: dict,
                  labels: frozenset = frozenset({"trec", "csr", "tprolif"})) -> list[Span]:
    """'T-cell receptor excision circles were normal', 'normal class switching': where a
    function or a screening measure is what is studied, a stated normal is a negated
    finding (CLAIMS.md's conventions); a level stated normal in passing makes none, so only
    the analytes in `labels` and HPO's cell functions take it."""
    out = []
    for analyte in analytes:
        entry = info.get(analyte.label_, {})
        if analyte.label_ not in labels and not entry.get("functional"):
            continue
        hpo_id = entry.get("decrease")
        after = lowers[analyte.end:analyte.end + 3]
        before = lowers[analyte.start - 1] if analyte.start else ""
        if hpo_id and (before == "normal" or (after[:1] and after[0] in ("was", "were", "is", "are")
                                             and "normal" in after[1:3])):
            out.append(_stated(doc, analyte.start, analyte.end, hpo_id, normal=True))
    return out


def lymphocyte_death(doc: Doc, lowers: list[str], terms: dict) -> list[Span]:
    """'enhanced activation-induced cell death', 'increased intra-GC apoptosis' in a sentence
    about lymphocytes -> HPO's increased (or decreased) lymphocyte apoptosis."""
    death = terms.get("death", {})
    if not death:
        return []
    starts = sentence_starts(doc)
    out = []
    lymphoid: dict[int, bool] = {}
    for i, word in enumerate(lowers):
        if word not in _DEATH or (word == "death" and (i == 0 or lowers[i - 1] != "cell")):
            continue
        sent = sentence_bounds(doc, starts, i)
        if sent.start not in lymphoid:  # once per sentence: a long one may say 'death' often
            lymphoid[sent.start] = bool(_LYMPHOID.search(" ".join(lowers[sent.start:sent.end])))
        if not lymphoid[sent.start]:
            continue
        for k in range(i - 1, max(sent.start, i - 5) - 1, -1):
            word_k = lowers[k]
            direction = ("increased" if word_k in INCREASE else
                         "decreased" if word_k in DECREASE else None)
            if direction and death.get(direction):
                out.append(_stated(doc, k + 1, i + 1, death[direction]))
                break
            if word_k in _CLAUSE_BREAKS or word_k in (",", "."):
                break
    return out


def coordinated_analytes(doc: Doc, analytes: list[Span], lowers: list[str],
                         names: dict[str, str]) -> list[Span]:
    """'naive, switched and memory B cells', 'naive T and memory B cell counts': each item
    of a list before a cell analyte, joined to the analyte's head, names an analyte of its
    own (`names`: analyte name -> label). Returned as analyte spans for quantities.py."""
    starts = sentence_starts(doc)
    out = []
    for analyte in analytes:
        words = lowers[analyte.start:analyte.end]
        letter = next((n for n, w in enumerate(words) if w in _CELL_LETTERS), None)
        if letter is None:
            continue
        sent_start = sentence_bounds(doc, starts, analyte.start).start
        j = analyte.start - 1
        # a list of at most eight items: bounded work however long the list
        while j - 1 >= max(sent_start, analyte.start - 24) and lowers[j] in (",", "and", "or"):
            # the item: one word ('switched'), or two where it names its own cell ('naive T')
            k = j - 1
            if lowers[k] in _CELL_LETTERS and k - 1 >= sent_start and lowers[k - 1].isalpha() \
                    and lowers[k - 1] not in ("and", "or"):
                k -= 1
            item = lowers[k:j]
            if not item or not all(w.isalpha() for w in item):
                break
            if item[-1] in _CELL_LETTERS:  # the item names its own cell: 'naive T'
                candidates = [" ".join(item + words[letter + 1:])]
            else:
                candidates = [" ".join(item + words), " ".join(item + words[letter:])]
            label = next((names[c] for c in candidates if c in names), None)
            if label is None:
                break
            out.append(Span(doc, k, j, label=label))
            j = k - 1
    return out


def listed_isotypes(doc: Doc, analytes: list[Span], lowers: list[str], quantity: dict) -> list[Span]:
    """'Immunoglobulin (Ig) deficiencies are common, affecting IgG4 in 65% of patients, IgA in
    63%, ...': every isotype the clause lists after an immunoglobulin deficiency is low."""
    isotypes = set(quantity.get("isotype_analytes", []))
    info = quantity["analytes"]
    listed = sorted((a for a in analytes if a.label_ in isotypes), key=lambda a: a.start)
    listed_starts = [a.start for a in listed]
    if not listed:
        return []
    starts = sentence_starts(doc)
    out = []
    taken: set[int] = set()
    for i, word in enumerate(lowers):
        if word not in _DEFICIENCY_WORDS:
            continue
        if not any(w in _IG_WORDS for w in lowers[max(0, i - 4):i]):
            continue
        sent = sentence_bounds(doc, starts, i)
        reach = min(sent.end, i + 40)  # a clause's list, not the rest of a long text
        end = next((k for k in range(i + 1, reach) if lowers[k] in _CLAUSE_BREAKS), reach)
        for analyte in listed[bisect_right(listed_starts, i):bisect_left(listed_starts, end)]:
            if analyte.start not in taken:
                hpo_id = info[analyte.label_].get("decrease")
                if hpo_id:
                    out.append(_stated(doc, analyte.start, analyte.end, hpo_id))
                    taken.add(analyte.start)
    return out


def chronic_infections(doc: Doc, lowers: list[str], covered: set[int], hpo_id: str | None) -> list[Span]:
    """'chronic parvovirus infection', 'chronic infectious diseases': a chronic infection
    whose organism has no term of its own takes HPO's chronic infection."""
    if not hpo_id:
        return []
    out = []
    for i, word in enumerate(lowers):
        if word != "chronic":
            continue
        for k in range(i + 1, min(len(lowers), i + 4)):
            if lowers[k] in ("infection", "infections") or (
                    lowers[k] == "infectious" and k + 1 < len(lowers)
                    and lowers[k + 1] in ("disease", "diseases")):
                end = k + 1 if lowers[k] != "infectious" else k + 2
                # a named organism with a term of its own ('chronic Cryptosporidium
                # infection') keeps that term
                if not any(m in covered for m in range(i + 1, end)):
                    out.append(Span(doc, i, end, label="PHENOTYPE", kb_id=hpo_id))
                break
            if not lowers[k].isalpha() and "-" not in lowers[k]:
                break
    return out


# what patients do with infections when an abstract names them as the patients' own:
# "had infections", "suffered from infections", "are prone to infections"
_HAVE_INFECTIONS = {"had", "have", "has", "developed", "develop", "develops", "experienced",
                    "suffered", "presented", "present", "presenting", "acquired"}
_LINK_TO_INFECTIONS = {"from": {"suffered", "suffer", "suffering"},
                       "with": {"presented", "present", "presenting", "presents"},
                       "to": {"prone", "susceptible", "susceptibility", "predisposition",
                              "predisposed", "predisposes", "predispose", "predisposing",
                              "vulnerable", "vulnerability"}}
# a bare "infections" ends there: "infections of the lung" is the site rule's finding
_AFTER_BARE = {".", ",", ";", ":", "and", "(", "since", "during", "that", "which", "but",
               "early", "as", "at", "before", "after", "throughout", "despite"}


def _patients_have(lowers: list[str], i: int) -> bool:
    """'infections' at i is what the patients had, suffered from or are prone to."""
    if i + 1 < len(lowers) and lowers[i + 1] not in _AFTER_BARE:
        return False
    before = lowers[i - 1] if i >= 1 else ""
    if before in _HAVE_INFECTIONS or (before == "no" and i >= 2 and lowers[i - 2] in _HAVE_INFECTIONS):
        return True  # "had infections"; "had no infections" is the negated finding
    return i >= 2 and lowers[i - 2] in _LINK_TO_INFECTIONS.get(before, ())


def infections_in_patients(doc: Doc, lowers: list[str], hpo_id: str | None) -> list[Span]:
    """'Infections were recorded in 12 (70.6%) patients', 'infections occurred in most',
    'patients had infections', 'prone to infections': infections stated for patients without
    'recurrent' take HPO's recurrent infections (CLAIMS.md's conventions)."""
    if not hpo_id:
        return []
    out = []
    for i, word in enumerate(lowers):
        if word != "infections":
            continue
        if _patients_have(lowers, i):
            out.append(Span(doc, i, i + 1, label="PHENOTYPE", kb_id=hpo_id))
            continue
        if i >= len(lowers) - 2:
            continue
        j = i + 1
        if lowers[j] in _COPULAS:
            j += 1
        if j < len(lowers) and lowers[j] in _INFECTION_VERBS and (
                j + 1 < len(lowers) and lowers[j + 1] in ("in", "among")):
            out.append(Span(doc, i, i + 1, label="PHENOTYPE", kb_id=hpo_id))
    return out


_MEASURE_WORDS = {"level", "levels", "concentration", "concentrations", "secretion",
                  "production", "antibodies", "antibody", "titers", "titres"}


@dataclass(frozen=True)
class BodyFluid:
    """quantity_rules.json's `body_fluid`, with its sites as token tuples (read once per
    pipeline, not per abstract)."""
    circulating: dict[str, str]
    after: frozenset
    before: frozenset
    longest: int
    terms: dict[str, str]   # "decrease", "increase", "decrease_iga" -> HPO ID


def body_fluid_sites(body_fluid: dict | None) -> BodyFluid | None:
    if not body_fluid or not body_fluid.get("circulating"):
        return None
    after = frozenset(tuple(p.lower().split()) for p in body_fluid["sites_after"])
    before = frozenset(tuple(p.lower().split()) for p in body_fluid["sites_before"])
    return BodyFluid(body_fluid["circulating"], after, before,
                     max(len(p) for p in after | before),
                     {k: body_fluid[k] for k in ("decrease", "increase", "decrease_iga")})


def in_body_fluid(spans: list[Span], lowers: list[str], body_fluid: BodyFluid | None) -> list[Span]:
    """CLAIMS.md's body site: a circulating-immunoglobulin finding measured in the gut or
    another fluid ('Aicda-/- mice lack IgA in the gut', 'low salivary IgA') takes HPO's
    body-fluid term (secretory IgA deficiency for IgA). `spans` are replaced in place."""
    if body_fluid is None:
        return spans
    circulating = body_fluid.circulating
    if not any(span.kb_id_ in circulating for span in spans):
        return spans  # most abstracts: no immunoglobulin finding to place
    after, before, longest = body_fluid.after, body_fluid.before, body_fluid.longest
    out = []
    for span in spans:
        direction = circulating.get(span.kb_id_) if span.label_ == "PHENOTYPE" else None
        if direction is None:
            out.append(span)
            continue
        end = span.end + (span.end < len(lowers) and lowers[span.end] in _MEASURE_WORDS)
        sent_start = span.sent.start
        site = any(tuple(lowers[end:end + n]) in after for n in range(2, longest + 1)) or any(
            tuple(lowers[max(0, span.start - n):span.start]) in before for n in (1, 2)) or any(
            # "In the intestines of AID-deficient mice, the absence of hypermutated IgA ..."
            tuple(lowers[sent_start:sent_start + n]) in after and "," in lowers[sent_start:span.start]
            for n in range(2, longest + 1))
        if not site:
            out.append(span)
            continue
        iga = "iga" in lowers[span.start:span.end]
        hpo_id = body_fluid.terms["decrease_iga" if iga and direction == "decrease" else direction]
        fluid = Span(span.doc, span.start, span.end, label="PHENOTYPE", kb_id=hpo_id)
        fluid._.quantity = span._.quantity
        fluid._.stated_normal = span._.stated_normal
        out.append(fluid)
    return out
