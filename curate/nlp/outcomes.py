"""A therapy claim's outcome (CLAIMS.md: effective, ineffective, mixed, adverse, not_stated),
read from the words around the therapy's own mention, not the whole sentence: in "chronic
neutropenia requiring G-CSF, and underwent BMT", one therapy's cue is not another's, and an
infection's "complications" are no harm the therapy did.

- `adverse` only for harm tied to the therapy ("GVHD after HSCT", "HSCT was complicated by",
  "transplant-related toxicity");
- `ineffective` where patients did not improve, or died despite it;
- `mixed` where benefit and deaths or failures are reported for the same treated group, or
  the benefit is partial;
- `effective` for a stated benefit; otherwise `not_stated`.
"""
from __future__ import annotations

import re

# an effect word after "without", "no" or "not" states its absence ("treated without
# success", "no improvement"), which the ineffective cues read
_NOT = r"(?<!without )(?<!\bno )(?<!\bnot )"
EFFECTIVE = re.compile(
    _NOT + r"\b(success\w*|cur(ed|ative|e)|resolv\w+|resolution|improv\w+|effective(ly)?|"
    r"remissions?|recover\w*|surviv\w+|alive|well(?![- ]tolerated)|normali[sz]\w+|reconstitut\w+|restor\w+|"
    r"benefi\w+|good (outcome|prognosis|response)|favou?rable|satisf\w+|heal\w*|sufficient|"
    r"correct(ed|s|ion)|prevent(ed|s)|cleared|eradicat\w+|engraft\w*|responded|"
    r"full (donor )?chimerism|respond(s|ed)? well)\b", re.I)
INEFFECTIVE = re.compile(
    r"\b(fail\w*|ineffective|no (clinical )?(improvement|response|benefit)|refractory|"
    r"unsuccessful|did not (respond|improve)|relaps\w+|persist(ed|s)|remained|"
    r"without (success|improvement|response|benefit|effect)|not (effective|successful|improve\w*)|"
    r"poor (response|outcome))\b", re.I)
# a finding the therapy lessened, said after it ("rapamycin reduced lymphoproliferation");
# before it the words are the patients' ("reduced expression in patients receiving
# corticosteroids"), and a reduced-intensity conditioning is no outcome
LESSENED = re.compile(_NOT + r"\b(reduc(ed|es|tion)|decreas(ed|es)|shrank|ameliorat\w+|"
                      r"alleviat\w+)\b(?![- ](intensity|toxicity|dose))", re.I)
DEATH = re.compile(r"\b(died|death|deaths|fatal|mortality|succumbed)\b", re.I)
PARTIAL = re.compile(r"\bpartial(ly)?\b", re.I)
DESPITE = re.compile(r"\b(despite|in spite of|notwithstanding)\b[^.;]{0,40}$", re.I)
HARM = r"(toxicit\w+|adverse (events?|effects?|reactions?)|side[- ]effects?|graft[- ]versus[- ]host( disease)?|GVHD|rejection|complicat\w+)"
HARM_AFTER = re.compile(r"^[^.;]{0,50}?\b" + HARM + r"\b", re.I)  # "HSCT was complicated by"
# "GVHD after (allogeneic) HSCT", "died after bone marrow transplantation"
HARM_BEFORE = re.compile(r"\b(" + HARM[1:-1] + r"|died|deaths?)\s+(after|following|post|of|from|"
                         r"due to|related to|caused by)\s+([\w-]+\s+){0,3}$", re.I)
RELATED = re.compile(r"^[-\s]?(related|associated|induced)\b", re.I)  # "transplant-related"
STOPPED = re.compile(r"\b(discontinu\w+|stopp\w+|withdr\w+|wean\w+|ceased)\s+(the\s+|their\s+|of\s+)?$",
                     re.I)


# the words that say who is given a therapy, not what it did ("HSCT is an option for those
# who have severe complications and poor response to other treatments")
INDICATION = re.compile(r"\b((an )?option|indicated|reserved|considered|recommended|suitable) for\b|"
                        r"\bfor (those|patients|children|individuals|cases) (who|with|that)\b", re.I)


# only a list join between two therapies: they share the predicate before the first ("may
# respond well to antibiotics or to immunoglobulin replacement")
_LIST_GAP = re.compile(r"^\s*(therapy|treatment|prophylaxis|agents?|drugs?)?[\s,]*"
                       r"(,|and|or|as well as|plus|/)\s*(to|with|by|of)?\s*(the\s+)?"
                       r"([\w-]+\s*){0,2}$", re.I)


_LIST_JOIN = re.compile(r"^\s*(,|and|or|plus|/|as well as)\s*(,\s*)?(and\s+|or\s+)?$", re.I)
_NEXT_CLAUSE = re.compile(r"\s*(,|;|and\b|or\b|but\b|\.|$)", re.I)
_CLAUSE_END = re.compile(r",\s*(and|but|while|whereas)\s+|;\s*")


def _scope(sentence: str, start: int, end: int, others: list[tuple[int, int]]) -> tuple[int, int]:
    """The stretch of the sentence that speaks of this therapy: from the end of the therapy
    named before it to the start of the one named after it; therapies joined as a list share
    the words before the first of them."""
    before = sorted((s, e) for s, e in others if e <= start)
    lo = start
    for s, e in reversed(before):
        if not _LIST_GAP.match(sentence[e:lo]):
            lo = e
            break
        lo = s
    else:
        lo = 0
    # "Rapamycin reduced lymphoproliferation ..., and leniolisib was well tolerated": a
    # clause that ends before this therapy speaks of the one named in it
    if before:
        cut = None
        for cut in _CLAUSE_END.finditer(sentence, lo, start):
            pass
        if cut is not None:
            lo = cut.end()
    after = sorted(o for o in others if o[0] >= end)
    hi = after[0][0] if after else len(sentence)
    # "Rapamycin and leniolisib improved lymphoproliferation": therapies joined as a list
    # share the predicate right after the last of them (not "cotrimoxazole and IVIG and
    # underwent successful HSCT", where the list ends and another clause begins)
    position, shared = end, len(sentence)
    for s, e in after:
        if not _LIST_JOIN.match(sentence[position:s]):
            shared = s
            break
        position = e
    if position != end and not _NEXT_CLAUSE.match(sentence, position):
        hi = shared
    return lo, hi


def outcome_of(sentence: str, start: int, end: int,
               others: list[tuple[int, int]] = ()) -> str:
    """The outcome the sentence states for the therapy at [start, end) (offsets within the
    sentence); `others`: the other therapies' offsets."""
    if STOPPED.search(sentence[max(0, start - 30):start]):
        return "not_stated"  # "discontinued IVIG": the outcome is another therapy's
    lo, hi = _scope(sentence, start, end, [o for o in others if o != (start, end)])
    indication = INDICATION.search(sentence, end, hi)
    if indication:
        hi = indication.start()  # "an option for those who have severe complications": who gets it
    scope = sentence[lo:hi]
    after, before = sentence[end:hi], sentence[lo:start]
    despite = DESPITE.search(before)
    # "died of sepsis despite IVIG": the death came in spite of the therapy, not from it
    harm = bool(HARM_AFTER.search(after) or (HARM_BEFORE.search(before) and not despite)
                or RELATED.search(after))
    effective = bool(EFFECTIVE.search(scope) or LESSENED.search(after))
    failed = bool(INEFFECTIVE.search(scope) or despite)
    died = bool(DEATH.search(scope))
    if effective and (failed or died or harm or PARTIAL.search(scope)):
        return "mixed"
    if effective:
        return "effective"
    if harm:
        return "adverse"
    if failed or died:
        return "ineffective"
    return "not_stated"
