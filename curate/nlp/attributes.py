"""Evidence attributes of a claim (docs/claims.md): species, study type, patient count.

Read from the evidence sentence first and the whole abstract second, with cues a curator
would use; plain functions over text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
PEOPLE = (r"(patients|children|boys|girls|males|men|women|individuals|subjects|cases|families|kindreds|"
          r"probands|infants|siblings|brothers|sisters|twins|adults|adolescents|females)")
# a count of people: not a decimal ("7.5%"), not a fraction ("one quarter of patients")
COUNT = re.compile(r"(?<![\d.,])\b(\d{1,5}|" + "|".join(NUMBER_WORDS) + r")(?![.,]\d)\s+"
                   r"(?!(quarter|third|half|fifth|fourth|tenth|sixth|eighth)s?\b)"
                   r"([A-Za-z-]+\s+){0,3}?" + PEOPLE + r"\b", re.I)  # "7 of 10 patients" is 10
SINGLE = re.compile(r"\b(a|an|one|this|our)\s+(\d+[- ](year|month)[- ]old\s+)?(\w+\s+){0,2}?"
                    r"(patient|boy|girl|man|woman|infant|child|case|proband|male|female)\b", re.I)
MOUSE = re.compile(r"\b(mice|mouse|murine|knock-?out mice|\w+-/- mice)\b", re.I)
OTHER_ANIMAL = re.compile(r"\b(dogs?|canine|rats?|pigs?|zebrafish|chickens?|primates?|macaques?|cattle|horses?)\b", re.I)
IN_VITRO = re.compile(r"\b(cell lines?|cultured|in vitro|HEK ?293|Ramos|CH12|transfected|"
                      r"B cell lines?|hybridoma)\b", re.I)
HUMAN = re.compile(r"\b(patients?|children|boys?|girls?|humans?|infants?|families|kindreds?|"
                   r"probands?|cohort|registry|case)\b", re.I)
# "reviewed in ref. 1" and "we retrospectively reviewed the charts" are not reviews
REVIEW = re.compile(r"\b(we review|this review|in this review|here,? we review|a review of the|"
                    r"review (of )?the (literature|current)|overview|we summari[sz]e|"
                    r"(narrative|systematic|literature|comprehensive|mini-?) ?review|"
                    r"reviewed the (published |medical )?literature|"
                    r"current (knowledge|understanding))\b", re.I)
MODEL_MADE = re.compile(r"\b(we generated|were generated|generated \w+(-\w+)* mice|"
                        r"(deficient|knock-?out|transgenic|mutant|-/-) mice|mice (deficient|lacking))",
                        re.I)
TRIAL = re.compile(r"\b(clinical trial|phase (I|II|III|1|2|3)\b|randomi[sz]ed|open-label|"
                   r"dose[- ]escalation|(safety and efficacy|efficacy and safety) of)", re.I)
# the words of a study reporting its own work; an abstract with none of them, no count of
# patients and no case or cohort is an overview ("The hyper IgM syndromes are a group of ...")
RESEARCH = re.compile(r"\b(we|our|us|this study|the present study|enrolled|(was|were) (studied|"
                      r"analy[sz]ed|examined|evaluated|investigated|recruited|included|developed|"
                      r"obtained|performed|measured|assessed)|healthy controls|(first|this) report)\b",
                      re.I)
# a sentence that defines a disease states no count of patients, whatever the abstract counts
BACKGROUND = re.compile(r"\b((is|are) (a|an) (\w+[- ]){0,5}(disease|disorder|syndrome|"
                        r"immunodeficiency|condition|deficiency|group)|(is|are) caused by|"
                        r"(is|are) characteri[sz]ed by)\b", re.I)
COHORT = re.compile(r"\b(cohort|registry|series|retrospective|multicent(er|re)|survey)\b", re.I)
CASE = re.compile(r"\b(case report|we (report|describe|present) (a|an|the case)|a case of)\b", re.I)


@dataclass(frozen=True)
class Attributes:
    species: str
    study: str
    patients: int | None


def patient_count(text: str) -> int | None:
    counts = []
    for match in COUNT.finditer(text):
        raw = match.group(1).lower()
        value = NUMBER_WORDS.get(raw) or (int(raw) if raw.isdigit() else None)
        if value and not re.match(r"\s*(%|per ?cent)", text[match.end(1):match.end(1) + 4]):
            counts.append(value)
    if counts:
        return max(counts)
    if SINGLE.search(text):
        return 1
    return None


@lru_cache(maxsize=256)
def _abstract_facts(abstract: str) -> dict:
    """The abstract-level cues, read once per abstract rather than once per claim."""
    title = abstract.split("\n", 1)[0]
    return {"patients": patient_count(abstract), "mouse": bool(MOUSE.search(abstract)),
            "other": bool(OTHER_ANIMAL.search(abstract)), "human": bool(HUMAN.search(abstract)),
            "in_vitro": bool(IN_VITRO.search(abstract)), "review": bool(REVIEW.search(abstract)),
            "cohort": bool(COHORT.search(abstract)), "trial": bool(TRIAL.search(abstract)),
            "case": bool(CASE.search(abstract)), "research": bool(RESEARCH.search(abstract)),
            "model_made": bool(MOUSE.search(title) or MODEL_MADE.search(abstract))}


def species_of(sentence: str, abstract: str) -> str:
    facts = _abstract_facts(abstract)
    # a study that made or used mutant mice is a mouse study, whatever its background says
    # of patients, unless it counts patients of its own
    mouse, other = bool(MOUSE.search(sentence)), bool(OTHER_ANIMAL.search(sentence))
    human = bool(HUMAN.search(sentence))
    if facts["model_made"] and facts["patients"] is None:
        # species per clause: the background sentence that defines the human disease the
        # model stands for ("HIGM1 is caused by mutations of CD40L") is the human's
        if not (mouse or other) and BACKGROUND.search(sentence):
            return "human"
        return "mouse"
    if (mouse or other) and not human:
        return "mouse" if mouse else "other_animal"
    if human:
        return "human"
    if IN_VITRO.search(sentence):
        return "in_vitro"
    if (facts["mouse"] or facts["other"]) and not facts["human"]:
        return "mouse" if facts["mouse"] else "other_animal"
    if facts["in_vitro"] and not facts["human"]:
        return "in_vitro"
    return "human"


# PubMed's publication types, where the record has them, name the design outright
_PUBTYPE_REVIEW = {"review", "systematic review", "meta-analysis", "scoping review"}
_PUBTYPE_TRIAL = {"clinical trial", "randomized controlled trial", "controlled clinical trial",
                  "clinical trial, phase i", "clinical trial, phase ii", "clinical trial, phase iii",
                  "pragmatic clinical trial"}


def _from_publication_types(types: tuple[str, ...], species: str, patients: int | None) -> str | None:
    lowered = {t.lower() for t in types}
    if species not in ("human", None):
        return None  # a mouse study typed "Journal Article" says nothing more
    if lowered & _PUBTYPE_TRIAL:
        return "trial"
    if lowered & _PUBTYPE_REVIEW:
        return "review"
    if "case reports" in lowered:
        # PubMed types small series "Case Reports" too: the count decides
        return "case_report" if patients is None or patients <= 3 else "case_series"
    return None


def study_of(species: str, abstract: str, patients: int | None,
             publication_types: tuple[str, ...] = ()) -> str:
    """The abstract's design; `patients` is the abstract's own count (a case series whose
    sentence says "3 of them" is no case report). PubMed's publication types decide where
    they name a design (Review, Clinical Trial, Case Reports)."""
    stated = _from_publication_types(publication_types, species, patients)
    if stated:
        return stated
    facts = _abstract_facts(abstract)
    if facts["review"] and not facts["cohort"]:
        return "review"
    if species in ("mouse", "other_animal") or (facts["model_made"] and facts["patients"] is None):
        return "animal_model"  # a model paper's background clause is human, its design is not
    if (species == "human" and not facts["research"] and facts["patients"] is None
            and not (facts["case"] or facts["cohort"] or facts["trial"])):
        return "review"
    if species == "in_vitro":
        return "in_vitro"
    if facts["trial"]:
        return "trial"
    if facts["case"] or (patients is not None and patients <= 3):
        return "case_report"
    if patients is not None or facts["cohort"] or facts["human"]:
        return "case_series"
    return "review"


@lru_cache(maxsize=1024)  # an abstract's claims share their sentences
def attributes_for(sentence: str, abstract: str,
                   publication_types: tuple[str, ...] = ()) -> Attributes:
    """`abstract` is the whole text the pipeline reads (title first, then the abstract);
    `publication_types`: PubMed's, where the record has them."""
    species = species_of(sentence, abstract)
    counted = _abstract_facts(abstract)["patients"]
    study = study_of(species, abstract, counted, tuple(publication_types))
    if species != "human":
        return Attributes(species, study, None)
    patients = patient_count(sentence)
    if patients is None and not (BACKGROUND.search(sentence) and not HUMAN.search(sentence)):
        patients = counted
    return Attributes(species, study, patients)
