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
from functools import lru_cache

STRONG_DEFICIENT = re.compile(
    r"deficien|mutat|mutant|knock[- ]?out|knocked|\b\w+-/-|[-−–]/[-−–]|\bnull\b|"
    r"lack(s|ing)?\b|absence of|loss[- ]of[- ]function|gain[- ]of[- ]function|defect|"
    r"block(ade|ing|ed)|\banti-|antibod(y|ies) (to|against)|neutrali[sz]|delet|hypomorph|"
    r"disrupt|inactivat|abolish|hemizygous|homozygous|heterozygous|germline|"
    # the kinds of variant a sequencing result names, and its HGVS notation
    r"frameshift|frame-shift|nonsense|missense|splice[- ]site|splicing (mutation|variant|defect)|"
    r"stop codon|truncat|\bpathogenic\b|bi-?allelic|\bc\.-?\d+|\bp\.\(?[A-Z][a-z]{2}\d", re.I)
# the gene altered in tumour tissue, not in the patient: mutations, loss of staining
# or expression in the cancer ("PMS2 loss in the colon cancer", "mutations in >20% of the
# carcinomas", "the most frequently mutated cancer-related genes")
SOMATIC = re.compile(
    # not "somatic" alone: in this field it is mostly somatic hypermutation of Ig genes
    r"\btumou?r (samples?|tissues?|specimens?|cells?)\b|"
    r"\bin (the |[<>~]?\d+(\.\d+)? ?% of (the )?)(\w+ ){0,2}(tumou?rs?|cancers?|carcinomas?|neoplasms?)\b|"
    r"\bof the (\w+ ){0,2}(tumou?rs|cancers|carcinomas)\b|"
    r"\b(cancer|driver)[- ]related genes?\b|\bmutated (\w+ ){0,2}(cancer|driver)\b", re.I)
# weaker: the gene named in a patient or disease context, with no cue either way
DEFICIENT = re.compile(r"patients? with|syndrome|disease|disorder|impair|inherited|variant", re.I)
NOT_DEFICIENT = re.compile(
    r"express(ed|ion|ing)?\b|overexpress|up-?regulat|\btranscripts?\b|\bmRNA\b|[-–]positive\b|agonist|\bCAR[- ]?T\b|chimeric antigen|"
    r"\barmed\b|engineered|transduced|soluble|\bsCD40L?\b|serum levels?|plasma levels?|"
    r"circulating levels?|biomarker|recombinant|administ|vaccine|adjuvant|"
    r"\btumou?r cells?\b|lymphoma cells?|leuka?emia cells?|oncogen|off-target|target(s|ed|ing)? |"
    # the protein at work, not missing: "CD40L-mediated degradation", "stimulated with CD40L"
    # ("activation-induced" is AID's name and cell death's, never a gene at work)
    r"(?<!activation)[-–](mediated|induced|triggered|stimulated)\b|stimulated with|in response to|"
    r"\b(stimulation|ligation|engagement|crosslinking|cross-linking)\b|"
    # a drug target: "an inhibitor of BTK", "BTK inhibition with ibrutinib"
    r"\binhibit(or|ors|ion)\b|"
    # a common variant studied as a risk factor, not a deficiency: "polymorphic MLH1",
    # "MLH1 -93 polymorphism", "rs1800734"
    r"\bpolymorphi\w*|\bSNPs?\b|\brs\d{3,}",
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
THERAPY_RESOLVES = re.compile(r"\b(correct\w*|resol\w+|cur(ed|es)|revers\w+|prevent\w*|"
                              r"restor\w+|improv\w+|rescu\w+|reduc\w+|decreas\w+|fewer|"
                              r"lower\w*|remission|normali[sz]\w+|disappear\w*|clear\w*|"
                              r"control\w*|protect\w*|recover\w*)\b", re.I)
SUBGROUP_WITHOUT = re.compile(
    r"\b(those|patients|children|subjects|cases|individuals|ones|group)\s+(who\s+(were|had)\s+)?"
    r"without\s+(\w+\W+){0,2}$", re.I)


# a gene, maybe with more genes of a list after it, then stated normal on testing
_TESTED_NORMAL = re.compile(r"(\s*(,|and|or)\s*[A-Z][\w-]*)*\s+(genes?\s+)?(were|was|are|is)\s+"
                            r"(normal|negative|unremarkable|wild[- ]type|not mutated)\b")
# a gene named as an example of what it does (CLAIMS.md, background genes): "CSR-triggering
# molecules, i.e., CD40L, CD40, and effector molecules such as AID"; unless the class itself
# is stated defective ("defects in downstream signaling molecules including AID")
_EXAMPLE_OF_CLASS = re.compile(r"\b(molecules|proteins|enzymes|factors|players|components|"
                               r"mediators)\s*,?\s*(such as|including|like|i\.\s?e\.)", re.I)
_AGONIST = re.compile(r"agonis", re.I)
_JOINED_CUE = re.compile(r"\b[\w]+[-–](deficient|deficiency|null|knockout|mutant|mutated)\b", re.I)


def _last_match(pattern: re.Pattern, text: str, pos: int, endpos: int) -> re.Match | None:
    """The last match of `pattern` in text[pos:endpos] (searched with the bounds, so words the
    bounds cut are seen whole)."""
    last = None
    for last in pattern.finditer(text, pos, endpos):
        pass
    return last


@lru_cache(maxsize=512)
def _joined_cues(sentence: str) -> tuple[tuple[int, int], ...]:
    # read once per sentence, not once per gene mention in it
    return tuple(m.span() for m in _JOINED_CUE.finditer(sentence))


# the gene's protein stated missing from the cells that should carry it: "absent CD40L
# expression on activated T cells", "T cells failed to express CD40L", "CD40 expression on
# B cells was undetectable" (the diagnostic test of these diseases), not in a tumour's
# staining, where a protein's loss is the tumour's (SOMATIC)
_LOW = (r"(absent|absence of|lack(ing|ed)?( of)?|loss of|no|reduced|decreased|diminished|"
        r"impaired|defective|deficient|undetectable|abolished|poor|very low|markedly reduced)")
_EXPRESSION_MISSING_BEFORE = re.compile(
    r"\b((?P<verb>" + _LOW + r"\s+(cell[- ]surface\s+|surface\s+)?(expression|express)( of)?|"
    r"(failed|fails?|unable|inability) to express|(did|does|do|could) not express)"
    r"\s+(the\s+)?|" + _LOW + r"\s+(cell[- ]surface\s+|surface\s+)?)$", re.I)
_EXPRESSION_AFTER = re.compile(r"^\s*(protein\s+)?(cell[- ]surface\s+|surface\s+)?(expression|staining)\b",
                               re.I)
_EXPRESSION_MISSING_AFTER = re.compile(
    r"^\s*(protein\s+)?(cell[- ]surface\s+|surface\s+)?(expression\b[^.;]{0,50}?\s"
    r"(was|were|is|are|remained)\s+(\w+\s+)?(absent|undetectable|abolished|lacking|reduced|"
    r"decreased|diminished|impaired|defective|deficient|very low|not detect\w*)|"
    # without "expression" only the words that say the protein is not there at all
    r"(was|were|is|are)\s+(not (expressed|detect\w*)|undetectable))\b", re.I)
# a tumour's staining or a protein's level in the blood: no statement about the patient's cells
_NOT_THE_CELLS = re.compile(r"tumou?r|cancer|carcinoma|neoplas|adenoma|lymphoma|leuka?emia|"
                            r"immunohistochem|\bIHC\b|staining|\bserum\b|\bplasma\b|soluble|"
                            r"\blevels?\b", re.I)


def expression_missing(sentence: str, start: int, end: int) -> bool:
    """The sentence states the gene's protein missing or reduced on the patients' cells."""
    if _NOT_THE_CELLS.search(sentence):
        return False
    before, after = sentence[max(0, start - 50):start], sentence[end:end + 90]
    found = _EXPRESSION_MISSING_BEFORE.search(before)
    if found and (found.group("verb") or _EXPRESSION_AFTER.match(after)):
        return True
    return _EXPRESSION_MISSING_AFTER.match(after) is not None


def gene_is_deficient(sentence: str, start: int, end: int, window: int = 60) -> bool | None:
    """True when the sentence describes the gene at [start, end) as deficient, False when it
    describes it only as expressed, given or measured, None when it says neither. Cues next
    to the name ("CD40 agonist", "AID-deficient") decide before cues further away."""
    # "CD40 signaling in B cells from AID-deficient patients": a cue joined to another name
    # by a hyphen is that name's, so it is blanked before this gene's window is read
    for cue_start, cue_end in _joined_cues(sentence):
        if not cue_start <= start < cue_end:
            sentence = sentence[:cue_start] + " " * (cue_end - cue_start) + sentence[cue_end:]
    # the gene's own name is no cue ("activation-induced cytidine deaminase" is not
    # "CD40L-induced")
    sentence = sentence[:start] + "x" * (end - start) + sentence[end:]
    # windows as (pos, endpos): a search there still sees the word a window cuts, so
    # "...ivation-induced" at a window's edge is not read as a cue
    close = (max(0, start - 15), min(len(sentence), end + 20))
    near = (max(0, start - window), min(len(sentence), end + window))
    # a list of genes puts the tumour words further away ("APC, TP53, ATM, ... contained
    # mutations in >20% of the carcinomas")
    if SOMATIC.search(sentence[max(0, start - window):end + 2 * window]):
        return False  # altered in the tumour, not deficient in the patient
    if _AGONIST.search(sentence, *close):
        return False  # "an agonistic anti-CD40 antibody" stimulates; "anti-" would read as a block
    if _TESTED_NORMAL.match(sentence[end:end + 80]):
        return False  # "CD40LG, AICDA and UNG were normal": tested and found normal
    if expression_missing(sentence, start, end):
        return True  # "absent CD40L expression on activated T cells"
    example = _last_match(_EXAMPLE_OF_CLASS, sentence, max(0, start - window), start)
    if example is not None:
        return bool(STRONG_DEFICIENT.search(sentence[max(0, example.start() - 50):example.start()]))
    for window_at in (close, near):
        if STRONG_DEFICIENT.search(sentence, *window_at):
            return True
        if NOT_DEFICIENT.search(sentence, *window_at):
            return False
    return True if DEFICIENT.search(sentence, *near) else None


DRUG = re.compile(r"\binhibit(or|ors|ion)\b|agonis\w*|\bCAR[- ]?T\b|chimeric antigen|"
                  r"\barmed\b|engineered|recombinant|administ\w+", re.I)


def drug_or_target(sentence: str, start: int, end: int) -> bool:
    """The gene at [start, end) is named as a drug or a drug's target ('ATM kinase
    inhibitors', 'CD40 agonists', 'CAR T cells armed with CD40L')."""
    return DRUG.search(sentence[max(0, start - 30):end + 30]) is not None


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


# a list join followed by a word that is no other finding: a new predicate begins
_NEW_PREDICATE = re.compile(r"(,|\band\b|\bbut\b|;)\s*(?!and\b|or\b)[a-z]")


_PREDATES = re.compile(r"\b(pre-?existing|pre-?transplant\w*|pre-?treatment)\s+(\w+\s+){0,2}$", re.I)
_OUTCOME_AFTER = re.compile(r"\S+(\s+\S+)?\s+(outcomes?|survival|mortality|success|failure)\b",
                            re.I)


def caused_by_therapy(sentence: str, therapy_starts: list[int], at: int | None = None,
                      findings: list[tuple[int, int]] = ()) -> bool:
    """The therapy is introduced as the cause of the finding at `at` ('GvHD after HSCT',
    'After HSCT, two developed GvHD'). A finding before the cue is the therapy's only if no
    new predicate stands between them: in 'severe colitis and died after HSCT' the patient
    died after HSCT, the colitis came before (`findings`: the sentence's entity offsets,
    read as items of a list)."""
    if at is not None and _PREDATES.search(sentence[max(0, at - 25):at]):
        return False  # "preexisting mycobacterial infection": there before the therapy
    for s in therapy_starts:
        window_start = max(0, s - 60)
        cue = THERAPY_CAUSE.search(sentence[window_start:s])
        if cue is None:
            continue
        if _OUTCOME_AFTER.match(sentence, s) and cue.group(1).lower() in ("associated with",
                                                                          "related to"):
            continue  # "X was associated with poor HSCT outcome": X predicts the outcome
        cue_start = window_start + cue.start()
        if at is None or at >= cue_start:
            return True
        gap = list(sentence[at:cue_start])
        for start, end in findings:
            if at <= start < cue_start:
                gap[start - at:min(end, cue_start) - at] = "X" * (min(end, cue_start) - start)
        # "(75.0%, n = 12)": a parenthesis is no predicate
        if not _NEW_PREDICATE.search(re.sub(r"\([^()]*\)", "", "".join(gap))):
            return True
    return False


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


# a part of the patients as the clause's subject: "two of them", "3 of the 20 patients",
# "some patients", "most children" (but not "none of them", "no patient")
_SUBSET = re.compile(
    r"\b(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|some|most|many|several|"
    r"few|half)\s+(?:\w+\s+){0,2}?of\s+(?:them|the|these|those|our)\b"
    r"|(?:some|most|many|several|few|\d+|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:\w+\s+)?(?:patients|children|boys|girls|males|females|cases|individuals|subjects|mice))",
    re.I)


_ALL_OR_NONE = re.compile(r"\b(none|neither|no|all|every|each)\b", re.I)


def subset_negated(sentence: str, start: int) -> bool:
    """'Two of them did not have any signs of immunodeficiency': a finding denied for some of
    the patients only, which CLAIMS.md says makes no negated claim (a negated claim needs an
    unqualified statement that the subject's patients lack it)."""
    lo = next((lo for lo, hi in contrast_clauses(sentence) if lo <= start < hi), 0)
    clause = sentence[lo:start]  # its own clause only: "no patient had X, but two of them ..."
    return _SUBSET.search(clause) is not None and _ALL_OR_NONE.search(clause) is None


_NOT_CURED = re.compile(r"\b(not|never|failed to|unable to|no longer)\s+(\w+\s+){0,3}?(cure|correct|"
                        r"resolve|improve|prevent|reverse|control|eliminate|clear)\w*\s+"
                        r"(the\s+|their\s+|his\s+|her\s+|its\s+)?(\w+\s+){0,2}$", re.I)


def not_cured(sentence: str, start: int) -> bool:
    """'Transplantation did not appear to cure colitis': the negation denies the cure, not
    the finding, which the patients had."""
    return _NOT_CURED.search(sentence[max(0, start - 80):start]) is not None


_NEGATION_WORD = re.compile(r"\b(no|not|without|neither|nor|none)\b", re.I)
_NEGATED_CAUSE = re.compile(
    r"(no|not|without)\s+((known|single|genetic|monogenic|underlying|causative|pathogenic|"
    r"identifiable|other)\s+)*(defects?|causes?|genes?|mutations?|variants?|etiology|aetiology)\b",
    re.I)


def negation_of_a_cause(sentence: str, start: int) -> bool:
    """'No genetic defect is known to cause CVID, a disorder leading to
    panhypogammaglobulinemia': the nearest negation before the finding denies a cause, not
    the finding."""
    # bounded: a 100,000-character run-on sentence costs no more per finding
    last = _last_match(_NEGATION_WORD, sentence, max(0, start - 200), start)
    return last is not None and _NEGATED_CAUSE.match(sentence, last.start()) is not None


_EXCEPTION_AFTER = re.compile(r"[^.;]{0,20}?\b(with the exception of|except for|apart from|"
                              r"other than|save for)\b", re.I)


def denied_with_exception(sentence: str, end: int) -> bool:
    """'did not suffer from serious infections with the exception of a relapsing Salmonella
    infection': a denial the sentence itself qualifies, so no negated claim (CLAIMS.md)."""
    return _EXCEPTION_AFTER.match(sentence, end) is not None


# "DNA-PKcs-deficient mice", "mutations in CARD11": a sentence about another gene's
# deficiency is not a cohort sentence about the article's subject
_OTHER_DEFICIENT = re.compile(
    r"(?<![\w-])([A-Za-z][\w]*(?:[-–][\w]+)?)\s*[-–]\s*(deficient|null|knockout|knock-out)\b"
    r"|\b(mutations?|variants?|defects?|deficiency|deficiencies) (in|of) (the )?"
    r"(genes? (for |encoding )?)?([A-Z][\w-]*)")
_NOT_A_GENE = re.compile(r"^(Ig[AGMED]\d?|[Aa]ntibody|[Ii]ron|[Vv]itamin\w*|[Cc]omplement|"
                         r"[Ii]mmunoglobulin|[Aa]ntigen|[Ss]elective|[Tt]he|CSR|SHM|DNA|RNA|"
                         r"mRNA|BCR|TCR|MHC)$")
_FAMILY_HISTORY = re.compile(r"\bfamily history of\s+(\w+\W+){0,3}$", re.I)
_DIFFERENTIAL = re.compile(r"\bdifferential diagnos[ie]s\b|\bdistinguish\w* (it |them )?from\b|"
                           r"\binsights? into\b", re.I)
# "misdiagnosed as HIGM": the disease named after it is not the patients'
MISDIAGNOSED = re.compile(r"\b(mis-?diagnos\w*( of [^,.;]{1,60}?)?|(initially|previously|originally|first) "
                          r"diagnosed)\s+(as|with)\s+(having\s+)?(\w+[\s-]+){0,3}$", re.I)
# an open question about an association, not a cause left open ("the cause of the
# neutropenia is unknown" still states the neutropenia)
_OPEN_QUESTION = re.compile(
    r"\bto (determine|investigate|assess|examine|evaluate|explore|clarify|test|establish) "
    r"(if|whether)\b|\b(it is|it remains) (not known|unknown|unclear) (if|whether)\b", re.I)
_LIST_JOINS = re.compile(r"[,;]|\band\b|\bor\b|\bas well as\b")
_CLAUSE_WORDS = {"is", "are", "was", "were", "be", "with", "by", "characterized", "characterised",
                 "present", "presents", "presented", "including", "include", "includes", "such",
                 "as", "had", "has", "have", "showed", "show", "shows", "developed", "develop",
                 "of", "in", "to", "due", "caused", "associated", "which", "that", "who",
                 "patients", "leads", "lead", "led", "causes", "cause", "suffer", "suffered"}


def another_gene_deficient(sentence: str) -> bool:
    """'DNA-PKcs-deficient mice are impaired for CSR': the sentence states another
    gene's deficiency, so its findings are not the article subject's."""
    for match in _OTHER_DEFICIENT.finditer(sentence):
        if match.group(1):
            name = match.group(1)
            if not re.search(r"[A-Z0-9]", name):
                continue  # "double-deficient mice": no gene named
        else:
            # after "mutations in", a gene symbol: digits or several capitals ("T cell" is not)
            name = match.group(8)
            if len(name) < 3 or not (re.search(r"\d", name) or sum(c.isupper() for c in name) >= 2):
                continue
            if re.match(r"\+?\s*(\+|[TB]\b|cells?\b|lymphocytes?\b)", sentence[match.end():]):
                continue  # "deficiency of CD4+ T cells": a cell population
        if not _NOT_A_GENE.match(name):
            return True
    return False


def not_the_patients(sentence: str) -> bool:
    """A sentence that names findings as a differential diagnosis or a field of insight,
    or asks an open question ('to determine whether these mutations are
    associated with lymphoma'), states no finding in the patients."""
    return _DIFFERENTIAL.search(sentence) is not None or _OPEN_QUESTION.search(sentence) is not None


def family_history(sentence: str, start: int) -> bool:
    """'a family history of immunodeficiency': the family's finding, not the patient's."""
    return _FAMILY_HISTORY.search(sentence[max(0, start - 60):start]) is not None


def listed_beside(sentence: str, first_end: int, second_start: int, second_end: int,
                  others: list[tuple[int, int]]) -> bool:
    """'diseases including hyper-IgM syndrome, hyper-IgE syndrome and Burkitt lymphoma':
    the subject and the finding are items of one list of three or more (only short items
    and list joins between them), peers rather than a disease and its feature. Two items
    are not enough: 'boys with XHIGM and neutropenia', 'in CD40 deficiency, neutropenia
    was absent'."""
    if second_start <= first_end:
        return False
    between = sentence[first_end:second_start]
    for a, b in sorted(others, reverse=True):
        if first_end <= a and b <= second_start:
            between = between[:a - first_end] + " x " + between[b - first_end:]
    between = re.sub(r"\([^()]*\)", " ", between)
    # a list runs from one item straight into a join, and from a join into the next item
    # the finding may be the end of its item ("selective IgA deficiency", "hyper-IgE")
    if not (re.match(r"\s*(,|;|and\b|or\b)", between)
            and re.search(r"(,|;|\band|\bor)\s*(?:[\w-]+\s*)?$", between)):
        return False
    items = 2
    for item in _LIST_JOINS.split(between):
        words = re.findall(r"[\w-]+", item)
        if len(words) > 4 or any(w.lower() in _CLAUSE_WORDS for w in words):
            return False
        items += bool(words)
    after = re.sub(r"^\s*\([^()]*\)", "", sentence[second_end:second_end + 40])
    if re.match(r"\s*(,|;|and\b|or\b)\s*(and\b|or\b)?\s*[\w-]", after):
        items += 1
    return items >= 3


# HPO terms every subject of this database has by definition: "immune defects" says nothing
# of one gene that its being here does not (0 of 341 dev + train gold claims use it)
PREMISE_TERMS = frozenset({"HP:0002715"})  # Abnormality of the immune system


_ONLY_A_JOIN = re.compile(r"\s*(,|;|and|or|,\s*and|,\s*or)\s*")


def listed_with_findings(sentence: str, start: int, end: int,
                         others: list[tuple[int, int]]) -> bool:
    """'skin abnormalities, immune defects and dental anomalies': the finding at start-end
    is an item of a list, with another entity right before or after it across a list join
    (CLAIMS.md: a listed broad finding is a claim)."""
    for a, b in others:
        if b <= start and _ONLY_A_JOIN.fullmatch(sentence, b, start):
            return True
        if a >= end and _ONLY_A_JOIN.fullmatch(sentence, end, a):
            return True
    return False


# a sentence whose subject is a class of diseases and whose verb defines it: "Ig-CSR
# deficiencies are rare primary immunodeficiencies", "Ig CSR defects, characterized by ...,
# represent a rare form of primary immunodeficiency", "PIDs are inherited disorders"; not a
# finding of a class's patients ("Ig deficiencies are common, affecting IgG4 in 65%")
_CLASS_DEFINITION = re.compile(
    r"^(\w+:\s*)?(the\s+)?([\w()/-]+,?\s+){0,6}?(deficiencies|defects|syndromes|disorders|"
    r"diseases|immunodeficiencies|PIDs|IEIs|conditions)\b(\s*\([^)]*\))?[^.;]{0,120}?"
    r"\b(are|represent|constitute|comprise)\s+(an?\s+)?((rare|heterogeneous|inherited|"
    r"primary|genetic|distinct|diverse|congenital|severe|\w+ly)\s+)*(group|groups|form|forms|"
    r"class|family|subset|types?|immunodeficiencies|disorders|diseases|syndromes|conditions)\b",
    re.I)


def defined_class(sentence: str) -> str | None:
    """The class of diseases the sentence defines ("deficiencies"), if it defines one (see
    _CLASS_DEFINITION)."""
    match = _CLASS_DEFINITION.search(sentence)
    return match.group(4).lower() if match else None


_SINGULAR_CLASS = {"deficiencies": "deficiency", "defects": "defect", "syndromes": "syndrome",
                   "disorders": "disorder", "diseases": "disease", "conditions": "condition",
                   "immunodeficiencies": "immunodeficiency"}


def member_of_defined_class(defined: str, text: str) -> bool:
    """The abstract calls its patients' disease a member of the class a sentence defines
    (`defined`, as defined_class gives it): 'a new form of B cell-intrinsic CSR deficiency'
    for 'Ig-CSR deficiencies are ...'."""
    noun = _SINGULAR_CLASS.get(defined)
    if noun is None:
        return False
    return re.search(rf"\b(an?|the)\s+(new|novel|distinct|rare|unusual|\w+)?\s*(form|type|kind|"
                     rf"subtype|variant|cause)\s+of\s+([^.;,]{{0,40}}\s)?{noun}\b", text,
                     re.I) is not None


# "opportunistic infections are uncommon in A-T": said to be rare, with no count of patients
# who had it ("malignancy (7.5%) was relatively rare", "infections were uncommon (3
# patients)" still report them)
_UNCOMMON_AFTER = re.compile(r"[^.;\d%]{0,80}?\b(is|are|was|were|remains?|remained)\s+"
                             r"(relatively\s+|very\s+|extremely\s+)?(uncommon|rare|infrequent|"
                             r"exceptional)\b(?!\s*\(?\s*(in\s+)?\d)", re.I)


def stated_uncommon(sentence: str, end: int) -> bool:
    """The finding ending at `end` is said to be uncommon, with no count (see above)."""
    return _UNCOMMON_AFTER.match(sentence, end) is not None


_CLASS_OF_DISEASES = re.compile(r"(immunodeficiencies|immune deficiencies|\bPIDs|\bIEIs|errors of "
                                r"immunity|deficiencies|disorders)$", re.I)
# (or its abbreviation, right after: "patients with primary immunodeficiencies (PIDs)")
_PATIENTS_WITH_BEFORE = re.compile(r"\b(patients|children|individuals|subjects|adults|people|"
                                   r"those)\s+with\s+((\w+\s+){0,2}|([\w-]+\s+){1,3}\()$", re.I)


def grouped_among_patients(sentence: str, start: int, end: int) -> bool:
    """'Cryptosporidium infection in patients with primary immunodeficiencies': the subject's
    patients are grouped among a class of diseases, which states nothing of them (CLAIMS.md,
    immunodeficiency by name; 'patients with CVID' names one disease and still does)."""
    return (_CLASS_OF_DISEASES.search(sentence[start:end]) is not None
            and _PATIENTS_WITH_BEFORE.search(sentence[max(0, start - 60):start]) is not None)


def misdiagnosed_as(sentence: str, start: int) -> bool:
    """'these patients were misdiagnosed as HIGM', 'initially diagnosed with common variable
    immunodeficiency': the subject or finding at `start` is the wrong diagnosis."""
    return MISDIAGNOSED.search(sentence[max(0, start - 100):start]) is not None


_EXPRESSED_IN = re.compile(
    # the place follows "in" directly ("in 70% of"), not after a list's comma ("found X in 13, Y")
    r"\b(over-?)?(express(ed|ion)|detected|up-?regulated|found)\b[^.;,]{0,60}?\bin\b(?P<rest>[^.;,]{0,50})$",
    re.I)
_PATIENTS_WITH = re.compile(r"\b(patients?|children|boys|girls|individuals|cases|subjects|mice)\b", re.I)


def expressed_in(sentence: str, start: int) -> bool:
    """'AID is expressed in 70% of diffuse large B-cell lymphomas': the finding is where a
    protein is expressed or found, not a finding in the patients ('found in patients with
    neutropenia' still is)."""
    match = _EXPRESSED_IN.search(sentence[max(0, start - 120):start])
    # "found in 13% and was associated with pneumonia": a new predicate, not the place
    return match is not None and not _PATIENTS_WITH.search(match.group("rest")) and not re.search(
        r"\b(was|were|is|are|had|has|have)\b", match.group("rest"), re.I)


# where a sentence contrasts subjects ("CD40L deficiency causes X, whereas AID deficiency
# causes Y"; "Unlike CD40L deficiency, AID deficiency is not associated with Z")
_CONTRAST = re.compile(
    r"[;:]\s+|,?\s+(whereas|while|but|although|in contrast(?: to)?|as opposed to|"
    r"compared (?:with|to))\s+|^(unlike|in contrast to|as opposed to|compared (?:with|to))\s+[^,]+,\s*",
    re.I)


# "compared with 4/15 APDS2 patients", "compared to 30%": the other group has it too
_COUNTED_COMPARISON = re.compile(r"(?:in\s+)?(?:0*[1-9]\d*\s*(?:/|of|out of)\s*\d+|0*[1-9][\d.]*\s*%)")


def contrast_clauses(sentence: str) -> list[tuple[int, int]]:
    """The sentence's clauses split at contrast markers, as (start, end) offsets; one clause
    when there is none. A comparison with a non-zero count on its other side is no contrast:
    both groups have the finding."""
    bounds, start = [], 0
    for match in _CONTRAST.finditer(sentence):
        if (match.group(1) or "").lower().startswith("compared") and \
                _COUNTED_COMPARISON.match(sentence, match.end()):
            continue
        if match.group(2):
            # "Unlike X, ...": the fronted phrase up to its comma is one clause
            comma = sentence.index(",", match.start())
            bounds.append((0, comma))
            start = match.end()
            continue
        if match.start() > start:
            bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(sentence)))
    return [b for b in bounds if b[1] > b[0]]


_MODEL_OF = re.compile(r"\b(models?|model systems?) (of|for) (human )?(\w+[\s-]+){0,3}$", re.I)


def model_of(sentence: str, start: int) -> bool:
    """'a mouse model of lupus nephritis': the finding at `start` is the condition the model
    stands for, not one the subject causes (a model of the subject's own disease names the
    disease, which is no finding)."""
    return _MODEL_OF.search(sentence[max(0, start - 60):start]) is not None


_TREATED = re.compile(r"\b(treat(ed|ment)|therap(y|ies)|administ\w+|given)\b", re.I)
_LESSENED = re.compile(r"\b(reduced|fewer|less|lower|decreased|attenuated|ameliorated|"
                       r"prevented|improved|resolved|delayed)\s+(\w+\s+)?$", re.I)


def lessened_by_treatment(sentence: str, start: int) -> bool:
    """'Treated mice showed reduced proteinuria': a finding a treatment lessened is the
    treatment's effect, not a finding the subject causes."""
    return bool(_TREATED.search(sentence)) and _LESSENED.search(sentence[max(0, start - 30):start]) is not None


_NORMAL_BEFORE = re.compile(r"\bnormal(ly)?\s+$", re.I)


def stated_normal(sentence: str, start: int) -> bool:
    """'normal sweating': the finding's word names a function found normal."""
    return _NORMAL_BEFORE.search(sentence[max(0, start - 12):start]) is not None


_TREATED_DEVELOPED = re.compile(
    r"\b(treated|transplanted|transduced|vaccinated|injected|reconstituted|engrafted) "
    r"(mice|animals|patients|recipients|children)\b[^.;]{0,40}?\b(developed|develop|showed|"
    r"displayed|experienced|suffered)\b[^.;]{0,40}$", re.I)


def developed_after_treatment(sentence: str, start: int) -> bool:
    """'60% of treated mice developed a lymphoproliferative disorder': what the treated
    developed is the treatment's effect, not the gene's."""
    return _TREATED_DEVELOPED.search(sentence[max(0, start - 120):start]) is not None


_TRANSPLANT_PART = re.compile(
    r"\b(GVHD|GvHD|graft[- ]versus[- ]host(?: disease)?) prophylaxis\b|\bconditioning\b|"
    r"\bprevent\w* (?:of )?(?:GVHD|GvHD|graft[- ]versus[- ]host)", re.I)


def part_of_transplant(sentence: str) -> bool:
    """A sentence about a transplant's conditioning or GVHD prophylaxis: its drugs treat the
    transplant, not the patients' disease."""
    return _TRANSPLANT_PART.search(sentence) is not None


_EXPRESSION_CAUSES = re.compile(
    r"\b(over-?)?express\w*\b[^.;]{0,40}?\b(caus\w*|induc\w*|led to|leads? to|result\w* in|"
    r"produc\w*|provok\w*)\b[^.;]{0,40}$", re.I)


# "transgenic mice overexpressing AID developed T cell lymphomas": what a model with too much
# of the protein develops (plain "expression" is left out: "CD40L expression was absent and
# the boy developed PCP" is the deficiency)
_OVEREXPRESSION_MODEL = re.compile(
    r"\b(over-?express\w*|transgenic)\b[^.;]{0,60}?\b(develop\w*|ha[dsv]e?|show\w*|exhibit\w*|"
    r"display\w*|suffer\w*)\b[^.;]{0,60}$", re.I)


def caused_by_expression(sentence: str, start: int) -> bool:
    """'constitutive expression (of the transgene) caused lymphoproliferative disease',
    'transgenic mice overexpressing AID developed lymphomas': a finding the gene's expression
    causes is no finding of its deficiency."""
    before = sentence[max(0, start - 100):start]
    return (_EXPRESSION_CAUSES.search(before) is not None
            or _OVEREXPRESSION_MODEL.search(before) is not None)


_TREATED_DISEASE = re.compile(
    r"\b(therap\w*|treatment\w*|transplant\w*|correction|cure|management|approach\w*|"
    r"option\w*)\s+(for|of|in)\s+(the\s+)?$", re.I)


def treated_disease(sentence: str, start: int) -> bool:
    """'Gene therapy for X-linked hyper-IgM syndrome': the disease a treatment is for."""
    return _TREATED_DISEASE.search(sentence[max(0, start - 40):start]) is not None


_ADDED_TO_CELLS = re.compile(r"\b(addition|adding|added)( of)?\b[^.;]{0,40}$", re.I)


def in_vitro(sentence: str, start: int) -> bool:
    """A therapy added to cells ('addition of recombinant CD40L in vitro restored ...',
    'corrected by addition of the PI3Kδ inhibitor IC87114'): patients are given or treated,
    cells have a drug added."""
    return (re.search(r"\b(in vitro|ex vivo|to (the )?cultures?)\b", sentence[start:start + 60], re.I)
            is not None or _ADDED_TO_CELLS.search(sentence[max(0, start - 60):start]) is not None)


_AS_EFFECT = re.compile(r"\b(leads?|led|results?|resulted|resulting|causes?|caused|causing|"
                        r"induces?|induced|inducing) (to |in )?$", re.I)
_MODEL_MADE = re.compile(r"\b(generat|creat|engineer|establish|introduc)\w*\b[^.;]{0,120}?"
                         r"\b(mouse|mice|murine|rat|zebrafish|model|knock-?in|cell lines?)\b|"
                         r"\b(models?|mice|cell lines?)\b[^.;]{0,40}?\b(engineered|generated|created|"
                         r"made) (by|with|using)\b", re.I)
_EXPERIMENTAL_RECIPIENT = re.compile(r"^\s*(recipient )?(mice|mouse|animals|rats)\b", re.I)


def not_a_treatment(sentence: str, start: int, end: int, therapy: str) -> bool:
    """A therapy's words that name no treatment of patients: an effect ('mutations lead to
    immunosuppression'), a tool that made a model ('we generated a mouse model ... using
    CRISPR/Cas9'), or an experiment's transplant ('transplanted mice')."""
    if _AS_EFFECT.search(sentence[max(0, start - 30):start]):
        return True
    if therapy == "gene_therapy" and _MODEL_MADE.search(sentence):
        return True
    return therapy == "hsct" and _EXPERIMENTAL_RECIPIENT.match(sentence[end:end + 20]) is not None


# a disease or gene named only in passing: compared with, excluded, in a differential, as
# controls ("Unlike X-linked agammaglobulinemia, B cells were present", "XLA was ruled out",
# "the differential diagnosis includes XLA and A-T"); what its name states is no finding here
_PASSING_HEAD = r"\s+(that of\s+|those (of|with)\s+|patients with\s+|the\s+|an?\s+)?"
_IN_PASSING_BEFORE = re.compile(
    # a list may follow what is excluded or in the differential ("XLA, CVID and A-T")
    r"\b(to (exclude|rule out)|excluding|rul(ing|ed|e) out|distinguish\w* (it )?from|"
    r"differentiat\w* (it )?from|differential diagnos\w*\s+(includes?|including|comprises?|such as|"
    r"encompasses|:))" + _PASSING_HEAD + r"([\w-]+[\s,]+){0,6}$|"
    # a resemblance, up to the next comma
    r"(\b(similar(ly)? to|resembl\w*|reminiscent of|mimick?\w*)|(^|[,;]\s*)(like|as in))"
    + _PASSING_HEAD + r"([\w-]+\s+){0,6}$|"
    # fronted only, up to its comma: a contrast inside the sentence gives each clause its
    # own subject ("large germinal centres, in contrast to the absent germinal centres of
    # CD40L deficiency"; contrast_clauses)
    r"^(unlike|in contrast to|as opposed to|compared (with|to))" + _PASSING_HEAD
    + r"([\w-]+\s+){0,6}$", re.I)
_IN_PASSING_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(was|were|is|are|had been|has been)\s+(excluded|ruled out|not confirmed|"
    r"considered unlikely|unlikely|suspected but|used as (disease )?controls)\b|"
    r"^[^.;]{0,15}\bas (disease )?controls\b", re.I)


def named_in_passing(sentence: str, start: int, end: int) -> bool:
    """The subject at [start, end) is named only to compare, exclude or contrast: a
    differential diagnosis, a disease ruled out, a control group, a resemblance."""
    # searched with bounds: "^" is then the sentence's own start, not the window's
    return (_IN_PASSING_BEFORE.search(sentence, max(0, start - 80), start) is not None
            or _IN_PASSING_AFTER.match(sentence[end:end + 80]) is not None)


_COMPARATOR = re.compile(r"\bthan (in )?((those|patients|children|individuals|subjects|cases)\s+)?"
                         r"(with|without|in|of)?\s*$", re.I)


def comparator(sentence: str, start: int) -> bool:
    """'milder infections than those with AID deficiency': the subject named only as what
    the sentence's own patients are compared with."""
    return _COMPARATOR.search(sentence[max(0, start - 40):start]) is not None


_WATCHED_BEFORE = re.compile(r"\b(surveillance|screening|monitoring|screened|monitored)\s+"
                             r"(for|of)\s+(\w+\s+){0,2}$", re.I)
_WATCHED_AFTER = re.compile(r"^\s+(surveillance|screening|monitoring)\b", re.I)
# "other factors (e.g. cough, underlying lung disease) should be investigated": what a
# clinician is told to look for, not what the patients had ("X should be considered in NEMO
# deficiency" is left alone: it ties X to the disease)
_TO_LOOK_FOR = re.compile(r"[^.;]{0,100}?\b(should|must|needs? to|ought to)\s+be\s+(\w+ly\s+)?"
                          r"(investigated|excluded|ruled out|sought|evaluated|"
                          r"assessed|screened for|looked for)\b", re.I)


def watched_for(sentence: str, start: int, end: int) -> bool:
    """'Cancer surveillance is essential', 'screening for lymphoma', 'lung disease should be
    investigated': what patients are watched or looked for, not a finding they have."""
    return (_WATCHED_BEFORE.search(sentence[max(0, start - 50):start]) is not None
            or _WATCHED_AFTER.match(sentence[end:end + 20]) is not None
            or _TO_LOOK_FOR.match(sentence, end) is not None)
