"""The claim builder's rules, by name: which sentences propose a claim, and which findings
of a sentence are no finding of the subject's patients.

Each rule has a name (kept in `Claim.rules`, the claims table's `rules` column and the
component's config) and a sentence a curator reads on the review card, with the words that
triggered it. Adding a rule is one entry in `PROPOSALS` or `EXCLUSIONS` and its test; the
component's config (`exclusions` of the `higm_claims` factory) lists which exclusion rules
run, in order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from curate.nlp import context


@dataclass(frozen=True)
class Proposal:
    name: str
    score: float
    # the curator's sentence; {subject} and {finding} are the quoted trigger words
    words: str


PROPOSALS: dict[str, Proposal] = {p.name: p for p in (
    Proposal("disease_name_states", 0.9, "the disease's name {subject} states this finding"),
    Proposal("gene_causes_hyper_igm", 0.8,
             "{subject} is named as a cause of hyper-IgM ({finding}) in this sentence"),
    Proposal("patients_hyper_igm", 0.8,
             "the hyper-IgM syndrome ({finding}) of an abstract about {subject} alone is its"),
    Proposal("sentence_names_disease", 0.85, "{subject} + {finding} in one sentence"),
    Proposal("sentence_names_gene", 0.85, "{subject} + {finding} in one sentence"),
    Proposal("sentence_names_subject", 0.75, "{subject} + {finding} in one sentence"),
    Proposal("article_subject", 0.6,
             "{finding} in a cohort or review sentence of an article about {subject}"),
    Proposal("gene_required_for_finding", 0.8,
             "{subject} is named as required for {finding}"),
)}


def quoted(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[:limit - 1] + "…") + "'"


def describe(name: str, subject: str, finding: str) -> str:
    """The review card's "why proposed" for a proposal rule and its trigger words."""
    return PROPOSALS[name].words.format(subject=quoted(subject), finding=quoted(finding))


@dataclass
class FindingContext:
    """What an exclusion rule reads of one finding: its sentence, its offsets in the
    sentence, and the sentence's therapies and entities (offsets within the sentence)."""
    sentence: str
    start: int
    end: int
    therapy_starts: list[int]
    therapy_ends: list[int]
    entity_offsets: list[tuple[int, int]]
    has_therapy: bool
    quantity: bool               # the finding is a measured level ("low IgG")
    not_the_patients: bool       # the sentence is about other people (read once per sentence)
    listed_with_subject: Callable[[], bool]  # the finding is an item of the subject's list
    hpo_id: str = ""             # the finding's HPO ID ("premise" terms are read by it)


@dataclass(frozen=True)
class Exclusion:
    name: str
    words: str
    applies: Callable[[FindingContext], bool]


EXCLUSIONS: dict[str, Exclusion] = {e.name: e for e in (
    Exclusion("caused_by_therapy", "introduced as a consequence of a therapy ('GvHD after HSCT')",
              lambda f: context.caused_by_therapy(f.sentence, f.therapy_starts, f.start,
                                                  f.entity_offsets)),
    Exclusion("subgroup_without", "defines a subgroup ('those without liver disease')",
              lambda f: context.subgroup_without(f.sentence, f.start)),
    Exclusion("therapy_causes", "a therapy caused it ('gene transfer caused lymphoma')",
              lambda f: context.therapy_causes(f.sentence, f.therapy_ends, f.start)),
    Exclusion("not_the_patients", "the sentence is about other people (parents, controls)",
              lambda f: f.not_the_patients),
    Exclusion("family_history", "a relative's finding ('a family history of lymphoma')",
              lambda f: context.family_history(f.sentence, f.start)),
    Exclusion("expressed_in", "where the gene is expressed ('AID is expressed in lymphoma')",
              lambda f: context.expressed_in(f.sentence, f.start)),
    Exclusion("caused_by_expression", "caused by the gene's expression, not its deficiency",
              lambda f: context.caused_by_expression(f.sentence, f.start)),
    Exclusion("watched_for", "what patients are watched for ('cancer surveillance')",
              lambda f: context.watched_for(f.sentence, f.start, f.end)),
    Exclusion("misdiagnosed_as", "a diagnosis the patients were wrongly given",
              lambda f: context.misdiagnosed_as(f.sentence, f.start)),
    Exclusion("model_of", "the model is a model of it ('a model of lymphoma')",
              lambda f: context.model_of(f.sentence, f.start)),
    Exclusion("developed_after_treatment", "it developed after a treatment",
              lambda f: context.developed_after_treatment(f.sentence, f.start)),
    Exclusion("grouped_among_patients", "the patients are grouped among a class of diseases "
              "('patients with primary immunodeficiencies')",
              lambda f: context.grouped_among_patients(f.sentence, f.start, f.end)),
    Exclusion("stated_uncommon", "said to be uncommon, with no count ('opportunistic "
              "infections are uncommon in A-T')",
              lambda f: context.stated_uncommon(f.sentence, f.end)),
    Exclusion("stated_normal", "stated normal ('normal T cell numbers')",
              lambda f: not f.quantity and context.stated_normal(f.sentence, f.start)),
    # with no named therapy the treatment is the experiment (a blocking antibody); a named
    # one treated the patients' own finding
    Exclusion("lessened_by_experiment", "lessened by the experiment's treatment",
              lambda f: not f.has_therapy and not f.quantity
              and context.lessened_by_treatment(f.sentence, f.start)),
    Exclusion("premise_of_the_database", "every subject here has it by definition ('variable "
              "immune defects'); kept when listed beside other findings",
              lambda f: f.hpo_id in context.PREMISE_TERMS and not context.listed_with_findings(
                  f.sentence, f.start, f.end, f.entity_offsets)),
    Exclusion("listed_beside_subject", "an item of the same list as the subject "
              "('diseases including hyper-IgM syndrome and Burkitt lymphoma')",
              lambda f: f.listed_with_subject()),
)}
DEFAULT_EXCLUSIONS = list(EXCLUSIONS)


def first_exclusion(names: list[str], finding: FindingContext) -> str | None:
    """The name of the first exclusion rule (of `names`, in order) that applies, if any."""
    for name in names:
        if EXCLUSIONS[name].applies(finding):
            return name
    return None
